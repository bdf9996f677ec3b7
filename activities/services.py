"""State changes of a plan's activities that touch several rows at once, or that need more than one rule."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction

from governance.models import Organisation
from plans.models import ActionPlan, ensure_plan_editable

from .access import municipalities_reported_by
from .models import Activity, MunicipalStatus


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


@transaction.atomic
def municipal_status_record(
    *, activity: Activity, municipality: Organisation, status: str, date: date, comment: str = "", user
) -> MunicipalStatus:
    """Record ``municipality``'s status on ``activity``: only on an adopted plan, on an activity every
    member carries out, for a member municipality (``MunicipalStatus.clean``), by someone who reports
    for it (``activities.access``). Earlier statuses stay as its history."""
    row = MunicipalStatus(
        activity=activity, municipality=municipality, status=status, date=date, comment=comment, recorded_by=user
    )
    row.full_clean()  # first what is wrong with the status itself, said in words
    if not municipalities_reported_by(user, activity.plan).filter(pk=municipality.pk).exists():
        raise PermissionDenied
    row.save()
    return row
