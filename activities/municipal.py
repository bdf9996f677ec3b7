"""Status per municipality as pages show it: each member's latest status on each activity that every
member carries out, and how many have implemented it ("9 av 13 kommuner har infört")."""

from dataclasses import dataclass, field

from django.utils.translation import ngettext

from governance.models import Organisation
from plans.models import ActionPlan

from .access import REPORTING_ROLES
from .models import Activity, MunicipalStatus


def implemented_sentence(implemented: int, members: int) -> str:
    return ngettext(
        "%(implemented)s of %(members)s municipality has implemented",
        "%(implemented)s of %(members)s municipalities have implemented",
        members,
    ) % {"implemented": implemented, "members": members}


@dataclass
class ActivityStatuses:
    """One activity's latest status per member municipality (None: not reported), in the members' order."""

    activity: Activity
    members: list[Organisation]
    latest: dict[int, MunicipalStatus] = field(default_factory=dict)

    @property
    def per_member(self) -> list[tuple[Organisation, MunicipalStatus | None]]:
        return [(member, self.latest.get(member.pk)) for member in self.members]

    @property
    def implemented(self) -> int:
        done = MunicipalStatus.Status.IMPLEMENTED
        return sum(1 for member in self.members if getattr(self.latest.get(member.pk), "status", None) == done)

    @property
    def summary(self) -> str:
        return implemented_sentence(self.implemented, len(self.members))

    def status_of(self, municipality_pk: int) -> MunicipalStatus | None:
        return self.latest.get(municipality_pk)


def member_municipalities(plan) -> list[Organisation]:
    return list(plan.cooperation.members.municipalities().order_by("name"))


def statuses_of(activities, members: list[Organisation]) -> list[ActivityStatuses]:
    """Each activity with its members' latest statuses, read in one query (the latest counts)."""
    rows = {activity.pk: ActivityStatuses(activity, members) for activity in activities}
    recorded = MunicipalStatus.objects.filter(activity__in=list(rows)).order_by("date", "pk")
    for status in recorded.select_related("municipality"):
        rows[status.activity_id].latest[status.municipality_id] = status  # later ones replace earlier
    return list(rows.values())


def plan_statuses(plan) -> tuple[list[Organisation], list[ActivityStatuses]]:
    """The plan's member municipalities and its every-member activities with their statuses."""
    members = member_municipalities(plan)
    activities = plan.activities.filter(every_member=True).order_by("order", "pk")
    return members, statuses_of(activities, members)


def statuses_missing(user) -> list[tuple[Activity, Organisation]]:
    """(activity, municipality) for each every-member activity of an adopted plan that lacks the status
    of a municipality the user is an official (or coordinator) of: what their start page links to."""
    own = (
        Organisation.objects.municipalities()
        .filter(memberships__user=user, memberships__role__in=REPORTING_ROLES)
        .distinct()
    )
    missing = []
    for municipality in own:
        reported = MunicipalStatus.objects.filter(municipality=municipality).values("activity")
        activities = (
            Activity.objects.filter(
                every_member=True, plan__status=ActionPlan.Status.ADOPTED, plan__cooperation__members=municipality
            )
            .exclude(pk__in=reported)
            .select_related("plan")
            .order_by("plan__first_year", "plan_id", "order", "pk")
        )
        missing += [(activity, municipality) for activity in activities]
    return missing
