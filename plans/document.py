"""What a plan consists of, read once: fed to the plan page and to the PDF alike.

A draft's document is read from its rows (``plan_document``). An adopted version's document is read
from its snapshot (``frozen_document``), so the page, the PDF and what was adopted are one thing:
a decision recorded later, a renamed area or a follow-up written afterwards never enters it. The
snapshot's rows come back as unsaved model instances, so the document is computed (timeline,
budget, effort) and shown by the same code and templates as a draft's.
"""

from activities.effort import effort_summary
from activities.models import Activity, Area, EffortShare, FollowUp, LikaIndicator
from activities.timeline import build_timeline
from finance.budget import compute_budget_years
from finance.chart import build_chart
from finance.models import BudgetEntry, CostSharingKey
from governance.models import Body, Cooperation, Decision, Organisation

from .models import ActionPlan, Goal, Section


def plan_document(plan) -> dict:
    """Sections, goals, activities, follow-up, timeline, budget, effort and adoption of ``plan``."""
    activities = plan.activities.select_related("area").prefetch_related(
        "lika_indicators", "effort_shares__organisation"
    )
    keys = list(plan.cost_keys.all())
    budget_years = plan.budget_entries.budget_years(keys)
    document = {
        "sections": plan.sections.all(),
        "goals": plan.goals.all(),
        "activities": activities,
        "timeline": build_timeline(activities),
        "budget_years": budget_years,
        "keys": keys,
        "chart": build_chart(budget_years),
        "effort": effort_summary(activities),
        "decisions": Decision.objects.filter(plan=plan).select_related(
            "body", "body__organisation", "body__cooperation"
        ),
    }
    if plan.previous_plan_id:
        document["previous_activities"] = plan.previous_plan.activities.prefetch_related("follow_ups")
    return document


def frozen_document(version) -> dict | None:
    """The document of an adopted version, from its snapshot alone (``plan_document``'s keys, and
    ``plan``: the plan as adopted). None for versions frozen before the snapshot held the whole
    document (format 3); their plans are fixed, so their rows still say what was adopted."""
    snapshot = version.snapshot
    if snapshot.get("format", 1) < 3:
        return None
    plan = rebuilt(ActionPlan, snapshot["plan"], status=ActionPlan.Status.ADOPTED)
    plan.cooperation = Cooperation(name=snapshot["cooperation"])
    activities = [frozen_activity(values) for values in snapshot["activities"]]
    keys = [rebuilt(CostSharingKey, values) for values in snapshot["keys"]]
    entries = [rebuilt(BudgetEntry, values) for values in snapshot["budget"]]
    budget_years = compute_budget_years(sorted(entries, key=lambda e: (e.year, e.order, e.pk)), keys)
    decisions = [frozen_decision(values) for values in snapshot["decisions"]]
    document = {
        "plan": plan,
        "sections": [rebuilt(Section, values) for values in snapshot["sections"]],
        "goals": [rebuilt(Goal, values) for values in snapshot["goals"]],
        "activities": activities,
        "timeline": build_timeline(activities),
        "budget_years": budget_years,
        "keys": keys,
        "chart": build_chart(budget_years),
        "effort": effort_summary(activities),
        "decisions": decisions,
        "adopted_by": next((d for d in decisions if d.pk == version.decision_id), None),
    }
    if snapshot["previous_follow_ups"]:
        document["previous_activities"] = [frozen_previous(values) for values in snapshot["previous_follow_ups"]]
    return document


def rebuilt(model, values: dict, **extra):
    """An unsaved ``model`` instance holding ``values`` (a snapshot row); relations are set apart."""
    fields = [field for field in model._meta.concrete_fields if not field.is_relation and field.name in values]
    instance = model(**{field.attname: field.to_python(values[field.name]) for field in fields}, **extra)
    instance._state.adding = False  # it stands for a row that exists, or existed when frozen
    return instance


def with_rows(instance, name: str, model, rows: list):
    """``instance.<name>.all()`` answers ``rows`` without asking the database (as a prefetch would)."""
    queryset = model.objects.none()
    queryset._result_cache, queryset._prefetch_done = rows, True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[name] = queryset
    return instance


def frozen_activity(values: dict) -> Activity:
    activity = rebuilt(Activity, values)
    activity.area = Area(name=values["area"]) if values.get("area") else None
    with_rows(
        activity, "lika_indicators", LikaIndicator, [LikaIndicator(code=code) for code in values["lika_indicators"]]
    )
    with_rows(activity, "goals", Goal, [Goal(title=title) for title in values["goals"]])
    shares = [
        rebuilt(EffortShare, share, party=share["organisation"] or share["party"]) for share in values["effort_shares"]
    ]
    return with_rows(activity, "effort_shares", EffortShare, shares)


def frozen_previous(values: dict) -> Activity:
    """An activity of the previous plan with its latest follow-up as it was at adoption."""
    activity = Activity(pk=values["id"], number=values["number"], title=values["title"], status=values["status"])
    follow_ups = [rebuilt(FollowUp, values["follow_up"])] if values["follow_up"] else []
    return with_rows(activity, "follow_ups", FollowUp, follow_ups)


def frozen_decision(values: dict) -> Decision:
    decision = rebuilt(Decision, values)
    organisation = Organisation(name=values["organisation_name"]) if values["organisation_name"] else None
    decision.body = Body(name=values["body_name"], short_name=values["body"], organisation=organisation)
    return decision
