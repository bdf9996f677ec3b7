"""What a plan consists of, read once: fed to the plan page and to the PDF alike."""

from activities.effort import effort_summary
from activities.timeline import build_timeline
from finance.chart import build_chart
from governance.models import Decision


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
        # Only public successors: the document is the same for every reader.
        "next_plans": plan.next_plans.public(),
    }
    if plan.previous_plan_id:
        document["previous_activities"] = plan.previous_plan.activities.prefetch_related("follow_ups")
    return document
