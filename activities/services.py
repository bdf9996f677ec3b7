"""State changes of a plan's activities that touch several rows at once."""

from django.db import transaction

from plans.models import ActionPlan, ensure_plan_editable


@transaction.atomic
def renumber_activities(*, plan: ActionPlan) -> None:
    """Number the plan's activities 1, 2, 3 … in their order (numbers are unique within a plan)."""
    ensure_plan_editable(plan)
    activities = list(plan.activities.select_for_update().order_by("order", "pk"))
    for activity in activities:  # first out of the way, so no two ever share a number
        activity.number = f"~{activity.pk}"
        activity.save(update_fields=["number"])
    for position, activity in enumerate(activities, start=1):
        activity.number, activity.order, activity.version = str(position), position, activity.version + 1
        activity.save(update_fields=["number", "order", "version"])
