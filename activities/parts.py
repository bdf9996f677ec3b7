"""Activities as a part of every plan (``plans.parts``): in its document, its copies, its history."""

from django.db.models import Max
from django.utils import timezone
from django_tables2 import RequestConfig

from ehalsa.tables import filtered
from plans.document import rebuilt, with_rows
from plans.models import Goal
from plans.parts import PlanPart, activity_costs
from plans.services import copied_values

from .effort import effort_summary
from .filters import PlanActivityFilter
from .models import PHASE_OF_STATUS, Activity, ActivityReference, Area, EffortShare, FollowUp, LikaIndicator, Phase
from .report import ProgressReport
from .tables import PlanActivityTable, effort_tables
from .timeline import build_timeline

# An activity's many-to-many links, each carried over by ``ActivitiesPart.copy``.
ACTIVITY_LINKS = ("lika_indicators", "goals")


class ActivitiesPart(ProgressReport, PlanPart):
    def document(self, plan) -> dict:
        activities = plan.activities.select_related("area").prefetch_related(
            "lika_indicators", "effort_shares__organisation", "follow_ups"
        )
        document = {
            "activities": activities,
            "timeline": build_timeline(activities),
            "effort": effort_summary(activities),
        }
        if plan.previous_plan_id:
            document["previous_activities"] = plan.previous_plan.activities.prefetch_related("follow_ups")
        return document

    def frozen_document(self, snapshot: dict) -> dict:
        activities = [frozen_activity(values) for values in snapshot["activities"]]
        document = {
            "activities": activities,
            "timeline": build_timeline(activities),
            "effort": effort_summary(activities),
        }
        if snapshot["previous_follow_ups"]:
            document["previous_activities"] = [frozen_previous(values) for values in snapshot["previous_follow_ups"]]
        return document

    def page(self, request, plan, document: dict) -> dict:
        """The activity table, filtered, sorted and paged as asked. An adopted plan's activities
        are the document's (its snapshot); the filter finds which, since its rows never change."""
        activities = document["activities"]
        if isinstance(activities, list):
            activity_filter = PlanActivityFilter(request.GET or None, queryset=plan.activities.all())
            matching = set(filtered(activity_filter).values_list("pk", flat=True))
            rows = with_progress([activity for activity in activities if activity.pk in matching], plan)
        else:
            activity_filter = PlanActivityFilter(request.GET or None, queryset=activities)
            rows = filtered(activity_filter).prefetch_related("follow_ups")
        table = PlanActivityTable(rows, costs=activity_costs(document))
        RequestConfig(request, paginate={"per_page": 50}).configure(table)
        ordered = plan.activities.order_by("order", "pk")  # read only where the editor lists them
        return {"filter": activity_filter, "table": table, "ordered_activities": ordered} | effort_tables(
            document["effort"]
        )

    def live_stamp(self, plan) -> str:
        """The latest change to progress: progress is shown with an adopted version's document but
        is no part of it."""
        # The latest change to any progress (one probe of the history's key, no join): a change on
        # another plan gives a new key too, which costs one render and is never stale.
        latest = FollowUp.history.aggregate(latest=Max("history_id"))["latest"] or ""
        return f"{latest}/{timezone.localdate().year}"  # a new year may make an activity late

    def copy(self, *, source, target, goals: dict, next_period: bool) -> None:
        """A next period's plan carries over every activity not finished, as planned activities in
        its period that continue the originals; a revision takes every activity as it was."""
        activities = source.activities.prefetch_related(
            "lika_indicators", "goals", "references", "effort_shares", "follow_ups"
        )
        if next_period:
            # Whether an activity is done is what its latest follow-up says, else its own status.
            activities = [activity for activity in activities if not activity.is_finished]
        for activity in activities:
            anew = {}
            if next_period:
                dated = bool(activity.start_year or activity.end_year)
                anew = {
                    "start_year": target.first_year if dated else None,
                    "end_year": target.last_year if dated else None,
                    "period_note": "" if dated else activity.period_note,
                    "status": Activity.Status.PLANNED,
                    "continues_id": activity.pk,
                }
            copy = Activity.objects.create(**copied_values(activity, plan_id=target.pk, **anew))
            copy.lika_indicators.set(activity.lika_indicators.all())
            copy.goals.set([goals[goal.pk] for goal in activity.goals.all() if goal.pk in goals])
            for reference in activity.references.all():
                ActivityReference.objects.create(**copied_values(reference, activity_id=copy.pk))
            for share in activity.effort_shares.all():
                EffortShare.objects.create(**copied_values(share, activity_id=copy.pk))

    def history(self, plan) -> list:
        activity_ids = Activity.history.filter(plan_id=plan.pk).values("id")
        return [
            Activity.history.filter(plan_id=plan.pk),
            FollowUp.history.filter(activity_id__in=activity_ids),
            EffortShare.history.filter(activity_id__in=activity_ids),
        ]


def with_progress(activities: list, plan) -> list:
    """Activities as frozen in an adopted version, with their follow-ups as recorded to date (their
    current progress): progress is recorded after the adoption and never frozen."""
    follow_ups: dict[int, list] = {}
    for follow_up in FollowUp.objects.filter(activity__plan=plan).order_by("date", "pk"):
        follow_ups.setdefault(follow_up.activity_id, []).append(follow_up)
    return [with_rows(activity, "follow_ups", FollowUp, follow_ups.get(activity.pk, [])) for activity in activities]


def frozen_activity(values: dict) -> Activity:
    activity = rebuilt(Activity, values)
    activity.area = Area(name=values["area"]) if values.get("area") else None
    indicators = [LikaIndicator(code=code) for code in values["lika_indicators"]]
    with_rows(activity, "lika_indicators", LikaIndicator, indicators)
    with_rows(activity, "goals", Goal, [Goal(title=title) for title in values["goals"]])
    return with_rows(activity, "effort_shares", EffortShare, [frozen_share(share) for share in values["effort_shares"]])


def frozen_share(values: dict) -> EffortShare:
    """A party's effort as frozen: the organisation by its name, as a party named in words is."""
    share = rebuilt(EffortShare, values)
    share.party = values["organisation"] or values["party"]
    return share


def frozen_previous(values: dict) -> Activity:
    """An activity of the previous plan with its latest follow-up as it was at adoption (versions
    frozen before follow-ups had phases hold the status, shown as the phase it stands for)."""
    activity = Activity(pk=values["id"], number=values["number"], title=values["title"], status=values["status"])
    follow_ups = []
    if follow_up := values["follow_up"]:
        phase = follow_up.get("phase") or PHASE_OF_STATUS.get(follow_up.get("status"), Phase.NOT_STARTED)
        follow_ups = [rebuilt(FollowUp, follow_up | {"phase": phase})]
    return with_rows(activity, "follow_ups", FollowUp, follow_ups)
