"""A plan's content as plain data (the frozen adopted version), and readable differences between two.

The snapshot holds values, never display text: codes of choices, numbers and dates as strings, rows
they point at by their names, and the texts as written. Freezing the same plan in any language gives
the same snapshot; labels are looked up when a comparison is shown. Every concrete field of every
row is in it except those ``NOT_IN_SNAPSHOT`` names (tests/plans/test_versions.py holds it to that).

It is the adopted document: the version's page and PDF are rendered from it (``plans.document``),
so it also keeps what the document shows around the plan's own rows: the cooperation's name, the
follow-up of the previous plan and the decisions recorded up to the adoption, as they were then.
Each row keeps the id it was frozen from, for links only; comparisons never look at ids.
"""

import datetime
import re
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ehalsa.money import format_amount
from governance.models import Decision

from .parts import PARTS

SNAPSHOT_FORMAT = 3

# What a snapshot leaves out of a row, by model, besides its id and edit version, with the reason.
NOT_IN_SNAPSHOT = {
    "plans.ActionPlan": {
        "status": "the version itself says the plan is adopted",
        "created_at": "bookkeeping",
        "updated_at": "bookkeeping",
        "revision_of": "a link between plans, kept on the plan",
        "revision_reason": "kept on the plan",
        "returned_reason": "kept on the plan",
        "template_version": "a link between plans, kept on the plan (the local plan's choices name the activities)",
    },
    "plans.Section": {"plan": "the snapshot's plan", "to_review": "a mark for the draft's editors, not adopted text"},
    "plans.Goal": {"plan": "the snapshot's plan", "to_review": "a mark for the draft's editors, not adopted text"},
    "activities.Activity": {
        "plan": "the snapshot's plan",
        "continues": "a link to another plan's activity",
        "to_review": "a mark for the draft's editors, not adopted text",
    },
    "activities.ActivityReference": {"activity": "the activity it is listed under"},
    "activities.LocalChoice": {"plan": "the snapshot's plan"},
    "activities.EffortShare": {"activity": "the activity it is listed under"},
    "activities.Measure": {
        "goal": "kept by its id (goal_id): the goal it is listed under",
        "activity": "kept by its id (activity_id): the activity it is listed under",
    },
    "activities.MeasureTarget": {"measure": "the measure it is listed under"},
    "finance.BudgetEntry": {
        "plan": "the snapshot's plan",
        "party": "kept by its id (party_id), as the name of the municipalities' party is in a language",
        "heading": "kept by its id (heading_id)",
    },
    "finance.CostSharingKey": {"plan": "the snapshot's plan"},
    "finance.FinancingParty": {"plan": "the snapshot's plan"},
    "finance.BudgetHeading": {"plan": "the snapshot's plan"},
    "governance.Decision": {
        "plan": "the snapshot's plan",
        "forwarded_to": "where the matter went next, shown by the adoption status",
        "title": "the protocol's heading, shown by the excerpt",
        "background": "shown by the excerpt",
        "recipients": "shown by the excerpt",
        "recorded_by": "bookkeeping",
        "recorded_at": "bookkeeping",
    },
}


def plain(value):
    """A field's value as JSON-ready data: rows by their name, numbers and dates as strings."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):  # an activity's lineage across copies of a plan
        return str(value)
    if hasattr(value, "_meta"):  # a row this one points at: by the name people know it by
        return (
            getattr(value, "display_name", "")
            or getattr(value, "short_name", "")
            or getattr(value, "code", "")
            or str(value)
        )
    return value


def values_of(row) -> dict:
    """Every field of ``row`` the snapshot keeps, by field name, and the id it was frozen from."""
    skipped = {"id", "version", *NOT_IN_SNAPSHOT[row._meta.label]}
    values = {f.name: plain(getattr(row, f.name)) for f in row._meta.concrete_fields if f.name not in skipped}
    return {"id": row.pk} | values


def decision_values(decision) -> dict:
    body = decision.body
    organisation = body.organisation.name if body.organisation_id else ""
    return values_of(decision) | {"body_name": body.name, "organisation_name": organisation}


def previous_follow_up(activity) -> dict:
    """An activity of the previous plan, with its latest follow-up when the plan was frozen."""
    follow_up = activity.latest_follow_up
    return {
        "id": activity.pk,
        "number": activity.number,
        "title": activity.title,
        "status": activity.status,
        "follow_up": follow_up
        and {
            "date": follow_up.date.isoformat(),
            "period": follow_up.period,
            "phase": follow_up.phase,
            "text": follow_up.text,
        },
    }


def snapshot_of(plan, *, adopted_on=None) -> dict:
    """Everything the adopted plan says, as language-neutral, JSON-ready data.

    ``adopted_on``: the adoption's meeting date; decisions met later are not part of the document.
    """
    activities = plan.activities.select_related("area").prefetch_related(
        "lika_indicators", "goals", "references__framework", "references__area", "effort_shares__organisation"
    )
    previous = plan.previous_plan.activities.prefetch_related("follow_ups") if plan.previous_plan_id else []
    decisions = Decision.objects.filter(plan=plan).select_related("body__organisation")
    if adopted_on:
        decisions = decisions.filter(meeting_date__lte=adopted_on)
    snapshot = {
        "format": SNAPSHOT_FORMAT,
        "cooperation": plan.cooperation.name,
        "plan": values_of(plan),
        "sections": [values_of(section) for section in plan.sections.all()],
        "goals": [values_of(goal) for goal in plan.goals.all()],
        "activities": [
            values_of(activity)
            | {
                "lika_indicators": [indicator.code for indicator in activity.lika_indicators.all()],
                "goals": [goal.title for goal in activity.goals.all()],
                "references": [values_of(reference) for reference in activity.references.all()],
                "effort_shares": [values_of(share) for share in activity.effort_shares.all()],
            }
            for activity in activities
        ],
        "previous_follow_ups": [previous_follow_up(activity) for activity in previous],
        "decisions": [decision_values(decision) for decision in decisions],
    }
    for part in PARTS:
        snapshot |= part.snapshot(plan)
    return snapshot


def choice_label(label: str, name: str, value) -> str:
    """The label of a stored choice, in the reader's language."""
    choices = dict(apps.get_model(label)._meta.get_field(name).flatchoices)
    return str(choices.get(value, value))


def period_text(item: dict) -> str:
    first, last = item.get("start_year"), item.get("end_year")
    if first and last and first != last:
        return f"{first}–{last}"
    return str(first or last or item.get("period_note", ""))


def effort_text(item: dict) -> str:
    if item.get("effort_note") or item.get("effort_hours") is None:
        return item.get("effort_note", "")
    return f"{floatformat(Decimal(item['effort_hours']), '-1g')} h"


# How an activity's change is shown: its label, and its value as text.
ACTIVITY_FIELDS = [
    (gettext_lazy("No."), lambda a: a["number"]),
    (gettext_lazy("Activity"), lambda a: a["title"]),
    (gettext_lazy("Area"), lambda a: a["area"] or ""),
    (gettext_lazy("Status"), lambda a: choice_label("activities.Activity", "status", a["status"])),
    (gettext_lazy("Content"), lambda a: a["content"]),
    (gettext_lazy("Benefit"), lambda a: a["benefit"]),
    (gettext_lazy("Effect goal"), lambda a: a["effect_goal"]),
    (gettext_lazy("Responsible"), lambda a: a["owner"]),
    (gettext_lazy("Period"), period_text),
    (gettext_lazy("Effort"), effort_text),
    (gettext_lazy("Regional support"), lambda a: a["regional_support"]),
    (gettext_lazy("Concerns the whole municipality"), lambda a: _("Yes") if a["whole_municipality"] else _("No")),
    (
        gettext_lazy("Carried out by every member municipality"),
        lambda a: _("Yes") if a.get("every_member") else _("No"),  # not in versions frozen before it was asked
    ),
    (gettext_lazy("LIKA indicators"), lambda a: ", ".join(a["lika_indicators"])),
    (gettext_lazy("Goals"), lambda a: "; ".join(a["goals"])),
]


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


def choice_code(label: str, name: str, text):
    """The code of a choice shown as ``text`` in any of the site's languages (format 1 stored labels)."""
    from django.conf import settings
    from django.utils import translation

    for code, choice in apps.get_model(label)._meta.get_field(name).flatchoices:
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                if str(choice) == text:
                    return code
    return text


def years_in(text: str) -> tuple[int | None, int | None]:
    years = [int(year) for year in re.findall(r"\b\d{4}\b", text or "")]
    return (years[0], years[-1]) if years else (None, None)


def upgraded(snapshot: dict) -> dict:
    """A snapshot whose rows hold values, for comparing. Versions frozen before format 2 kept display
    text in the deciding user's language; they are read as the values they stand for, as far as they
    tell. (Format 3 only added what the document shows around the rows, which comparisons ignore.)"""
    if snapshot.get("format", 1) >= 2:
        return snapshot
    plan = dict(snapshot["plan"])
    plan["first_year"], plan["last_year"] = years_in(plan.get("period", ""))
    activities = []
    for old in snapshot["activities"]:
        start, end = years_in(old.get("period", ""))
        activities.append(
            old
            | {
                "status": choice_code("activities.Activity", "status", old.get("status", "")),
                "start_year": start,
                "end_year": end,
                "period_note": "" if start else old.get("period", ""),
                "effort_hours": None,
                "effort_note": old.get("effort", ""),
                "whole_municipality": old.get("whole_municipality") in ("Ja", "Yes", True),
                "lika_indicators": [code for code in old.get("lika", "").split(", ") if code],
                "goals": [goal for goal in old.get("goals", "").split("; ") if goal],
            }
        )
    budget = [
        line | {"kind": choice_code("finance.BudgetEntry", "kind", line.get("kind", ""))}
        for line in snapshot.get("budget", [])
    ]
    return snapshot | {"format": 2, "plan": plan, "activities": activities, "budget": budget}


def without_id(row: dict) -> dict:
    """A row's content: the id it was frozen from is a link, not content (a revision has new ids)."""
    return {name: value for name, value in row.items() if name != "id"}


def section_content(row: dict) -> dict:
    """A section's content; versions frozen before a section could name the part it is followed by
    had none."""
    return {"shows": ""} | without_id(row)


def compare(old: dict, new: dict) -> Comparison:
    """What changed from ``old`` to ``new`` (both snapshots, of any format)."""
    old, new = upgraded(old), upgraded(new)
    result = Comparison()
    details = [
        (_("Title"), lambda p: p["title"]),
        (_("Subtitle"), lambda p: p["subtitle"]),
        (_("Period"), lambda p: f"{p['first_year']}–{p['last_year']}"),
    ]
    for label, text in details:
        if text(old["plan"]) != text(new["plan"]):
            result.details_changed.append((label, text(old["plan"]), text(new["plan"])))
    old_sections = {s["heading"]: section_content(s) for s in old["sections"]}
    new_sections = {s["heading"]: section_content(s) for s in new["sections"]}
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
            (str(label), text(before), text(activity))
            for label, text in ACTIVITY_FIELDS
            if text(before) != text(activity)
        ]
        if changes:
            result.activities_changed.append(ItemChange(activity_name(activity), changes))
    result.budget_changes = budget_differences(old["budget"], new["budget"])
    return result


def budget_differences(old: list[dict], new: list[dict]) -> list[tuple[str, str, str]]:
    """(line, before, after) for every budget line added, removed or with another amount."""

    def lines(budget):
        return {(b["year"], b["kind"], b["description"]): Decimal(b["amount"]) for b in budget}

    def text(amount):
        return "–" if amount is None else format_amount(amount)

    before, after = lines(old), lines(new)
    differences = []
    for key in sorted(set(before) | set(after), key=lambda k: (k[0], k[1], k[2])):
        if before.get(key) != after.get(key):
            label = f"{key[0]} {key[2]}"
            differences.append((label, text(before.get(key)), text(after.get(key))))
    return differences
