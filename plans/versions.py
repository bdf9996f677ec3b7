"""A plan's content as plain data (the frozen adopted version), and readable differences between two."""

from dataclasses import dataclass, field

SNAPSHOT_FORMAT = 1

ACTIVITY_FIELDS = {
    "number": "Nr",
    "title": "Aktivitet",
    "area": "Område",
    "status": "Status",
    "content": "Innehåll",
    "benefit": "Nytta",
    "effect_goal": "Effektmål",
    "owner": "Ansvarig",
    "period": "Period",
    "effort": "Insats",
    "regional_support": "Regionalt samarbetsorgan",
    "whole_municipality": "Gäller hela kommunen",
    "lika": "LIKA-indikatorer",
    "goals": "Mål",
}


def snapshot_of(plan) -> dict:
    """Everything a reader of the plan sees, as JSON-ready data."""
    activities = plan.activities.select_related("area").prefetch_related(
        "lika_indicators", "goals", "references__framework", "effort_shares__organisation"
    )
    return {
        "format": SNAPSHOT_FORMAT,
        "plan": {
            "title": plan.title,
            "subtitle": plan.subtitle,
            "cooperation": plan.cooperation.name,
            "period": plan.period,
            "previous_plan": plan.previous_plan.title if plan.previous_plan_id else "",
        },
        "sections": [{"heading": s.heading, "level": s.level, "body": s.body} for s in plan.sections.all()],
        "goals": [{"title": g.title, "description": g.description} for g in plan.goals.all()],
        "activities": [
            {
                "number": a.number,
                "title": a.title,
                "area": a.area.name if a.area_id else "",
                "status": a.get_status_display(),
                "content": a.content,
                "benefit": a.benefit,
                "effect_goal": a.effect_goal,
                "owner": a.owner,
                "period": a.period,
                "effort": a.effort_display,
                "regional_support": a.regional_support,
                "whole_municipality": "Ja" if a.whole_municipality else "Nej",
                "lika": ", ".join(i.code for i in a.lika_indicators.all()),
                "goals": "; ".join(g.title for g in a.goals.all()),
                "references": [
                    f"{r.framework.short_name}: {r.area.name if r.area_id else r.text} {r.page}".strip()
                    for r in a.references.all()
                ],
                "effort_shares": [f"{e.party_name}: {e.hours}" for e in a.effort_shares.all()],
            }
            for a in activities
        ],
        "budget": [
            {
                "year": b.year,
                "kind": b.get_kind_display(),
                "description": b.description,
                "amount": str(b.amount),
                "estimated": b.is_estimate,
                "attribution": b.get_attribution_display(),
            }
            for b in plan.budget_entries.all()
        ],
        "keys": [
            {
                "year": k.year,
                "region": str(k.region_percent),
                "municipalities": str(k.municipalities_percent),
                "split": k.get_municipal_split_display(),
            }
            for k in plan.cost_keys.all()
        ],
    }


@dataclass
class ItemChange:
    name: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class Comparison:
    sections_added: list[str] = field(default_factory=list)
    sections_removed: list[str] = field(default_factory=list)
    sections_changed: list[str] = field(default_factory=list)
    goals_added: list[str] = field(default_factory=list)
    goals_removed: list[str] = field(default_factory=list)
    activities_added: list[str] = field(default_factory=list)
    activities_removed: list[str] = field(default_factory=list)
    activities_changed: list[ItemChange] = field(default_factory=list)
    budget_changes: list[tuple[str, str, str]] = field(default_factory=list)
    details_changed: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def unchanged(self) -> bool:
        return not any(getattr(self, name) for name in self.__dataclass_fields__)


def activity_key(activity: dict) -> str:
    return activity["number"] or activity["title"]


def activity_name(activity: dict) -> str:
    return f"{activity['number']} {activity['title']}".strip()


def compare(old: dict, new: dict) -> Comparison:
    """What changed from ``old`` to ``new`` (both snapshots)."""
    result = Comparison()
    for key, label in (("title", "Titel"), ("subtitle", "Undertitel"), ("period", "Period")):
        if old["plan"].get(key) != new["plan"].get(key):
            result.details_changed.append((label, old["plan"].get(key, ""), new["plan"].get(key, "")))
    old_sections = {s["heading"]: s for s in old["sections"]}
    new_sections = {s["heading"]: s for s in new["sections"]}
    result.sections_added = [h for h in new_sections if h not in old_sections]
    result.sections_removed = [h for h in old_sections if h not in new_sections]
    result.sections_changed = [h for h in new_sections if h in old_sections and new_sections[h] != old_sections[h]]
    old_goals = {g["title"] for g in old["goals"]}
    new_goals = {g["title"] for g in new["goals"]}
    result.goals_added = [g["title"] for g in new["goals"] if g["title"] not in old_goals]
    result.goals_removed = [g["title"] for g in old["goals"] if g["title"] not in new_goals]
    old_activities = {activity_key(a): a for a in old["activities"]}
    new_activities = {activity_key(a): a for a in new["activities"]}
    result.activities_added = [activity_name(a) for k, a in new_activities.items() if k not in old_activities]
    result.activities_removed = [activity_name(a) for k, a in old_activities.items() if k not in new_activities]
    for key, activity in new_activities.items():
        before = old_activities.get(key)
        if before is None:
            continue
        changes = [
            (label, str(before.get(name, "")), str(activity.get(name, "")))
            for name, label in ACTIVITY_FIELDS.items()
            if before.get(name) != activity.get(name)
        ]
        if changes:
            result.activities_changed.append(ItemChange(activity_name(activity), changes))
    result.budget_changes = budget_differences(old["budget"], new["budget"])
    return result


def budget_differences(old: list[dict], new: list[dict]) -> list[tuple[str, str, str]]:
    """(line, before, after) for every budget line added, removed or with another amount."""

    def lines(budget):
        return {(b["year"], b["kind"], b["description"]): b["amount"] for b in budget}

    before, after = lines(old), lines(new)
    differences = []
    for key in sorted(set(before) | set(after), key=lambda k: (k[0], k[1], k[2])):
        if before.get(key) != after.get(key):
            label = f"{key[0]} {key[2]}"
            differences.append((label, before.get(key, "–"), after.get(key, "–")))
    return differences
