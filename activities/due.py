"""What is due in the activities of the plans a user coordinates (``plans.due``, through the
activities' ``PlanPart.due``): milestones late or due soon, follow-ups not recorded for this year,
and progress not updated for ``STALE_AFTER`` ("inaktuell"). Finished activities owe nothing."""

from datetime import date, timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from plans.due import LISTED, DueItem, group

from .models import FINISHED_PHASES, PHASE_OF_STATUS, STALE_AFTER, Activity, Milestone, latest_phase

# An activity's own status that stands for a finished phase, for activities without progress.
FINISHED_STATUSES = [status for status, phase in PHASE_OF_STATUS.items() if phase in FINISHED_PHASES]


def unfinished(activities):
    """The activities whose current phase (the latest follow-up's, else their own status's) is not finished."""
    return activities.alias(current_phase=latest_phase()).filter(
        Q(current_phase__isnull=True, status__in=set(PHASE_OF_STATUS) - set(FINISHED_STATUSES))
        | (Q(current_phase__isnull=False) & ~Q(current_phase__in=FINISHED_PHASES))
    )


def activity_label(activity) -> str:
    return _("Activity %(activity)s") % {"activity": activity}


def due_in(plans, *, today: date, within: timedelta) -> list:
    activities = unfinished(Activity.objects.filter(plan__in=plans))
    return [
        *milestones_due(activities, today=today, within=within),
        follow_ups_missing(activities, plans, year=today.year),
        stale(activities, today=today),
    ]


def milestones_due(activities, *, today: date, within: timedelta) -> list:
    milestones = Milestone.objects.filter(activity__in=activities).select_related("activity__plan")
    late = milestones.overdue(today=today)
    soon = milestones.filter(reached__isnull=True, due_date__gte=today, due_date__lte=today + within)

    def items(rows, *, late: bool) -> list[DueItem]:
        return [
            DueItem(
                milestone.title,
                milestone.get_absolute_url(),
                f"{activity_label(milestone.activity)} – {milestone.activity.plan.title}",
                due=milestone.due_date,
                late=late,
            )
            for milestone in rows.order_by("due_date", "pk")[:LISTED]
        ]

    return [
        group("late_milestones", _("Late milestones"), items(late, late=True), count=late.count()),
        group(
            "milestones_soon",
            _("Milestones due within %(days)s days") % {"days": within.days},
            items(soon, late=False),
            count=soon.count(),
        ),
    ]


def follow_ups_missing(activities, plans, *, year: int):
    """Per plan in force this year: how many of its activities have no follow-up for the year."""
    missing = activities.filter(plan__in=plans.covering_year(year)).exclude(follow_ups__period=year)
    per_plan = missing.order_by().values("plan", "plan__title").annotate(activities=Count("pk", distinct=True))
    items = [
        DueItem(
            row["plan__title"],
            reverse("plans:actionplan_detail", args=[row["plan"]]) + "#aktiviteter",
            ngettext(
                "%(count)s activity has no follow-up for %(year)s",
                "%(count)s activities have no follow-up for %(year)s",
                row["activities"],
            )
            % {"count": row["activities"], "year": year},
        )
        for row in per_plan.order_by("plan__title")
    ]
    return group("follow_ups_missing", _("Follow-ups not recorded for %(year)s") % {"year": year}, items)


def stale(activities, *, today: date):
    rows = activities.stale(today=today).select_related("plan").prefetch_related("follow_ups")
    items = [
        DueItem(
            activity_label(activity),
            activity.get_absolute_url(),
            _("%(plan)s – progress last recorded %(date)s")
            % {"plan": activity.plan.title, "date": activity.last_progress_date.isoformat()},
            late=False,
        )
        for activity in rows.order_by("plan__title", "order", "pk")[:LISTED]
    ]
    heading = _("Progress not updated for %(days)s days (stale)") % {"days": STALE_AFTER.days}
    return group("stale", heading, items, count=rows.count())
