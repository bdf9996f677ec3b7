"""Effort per plan: hours that can be added up, and effort that can only be shown as written.

Two kinds of effort are summed apart and never mixed: an activity's own estimate (``Activity.effort_*``,
added up when it is hours in total) and its parties' hours (``EffortShare``), added up per activity
(the activity's total), per party and per area. A party's effort as written ("enligt
överenskommelse", "24 timmar/person") is listed where it belongs and left out of every sum.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

ZERO = Decimal(0)


def total(hours) -> Decimal | None:
    """The sum of ``hours``, or None when there are none (shown as "–", not as 0)."""
    hours = list(hours)
    return sum(hours, ZERO) if hours else None


@dataclass
class WrittenEffort:
    """A party's effort on an activity as written: shown, never summed."""

    activity: object
    party: str
    text: str


@dataclass
class ActivityEffort:
    activity: object
    counted_hours: Decimal | None  # hours in total, when the activity states them so
    party_hours: Decimal | None  # the activity's total: its parties' hours added up
    as_written: list[WrittenEffort] = field(default_factory=list)  # its parties' effort as written

    @property
    def excluded(self) -> bool:
        """Effort stated, but per person, per system …: shown as written, never summed."""
        return self.counted_hours is None and bool(self.activity.effort_display)


@dataclass
class GroupEffort:
    """The hours of a party, or of an area, added up; and its effort as written, left out."""

    name: str
    hours: Decimal | None = None
    as_written: list[WrittenEffort] = field(default_factory=list)


@dataclass
class EffortSummary:
    activities: list[ActivityEffort] = field(default_factory=list)
    parties: list[GroupEffort] = field(default_factory=list)
    areas: list[GroupEffort] = field(default_factory=list)

    @property
    def total_counted_hours(self) -> Decimal:
        return sum((row.counted_hours for row in self.activities if row.counted_hours is not None), ZERO)

    @property
    def total_party_hours(self) -> Decimal:
        return sum((party.hours for party in self.parties if party.hours is not None), ZERO)

    @property
    def excluded(self) -> list[ActivityEffort]:
        return [row for row in self.activities if row.excluded]

    @property
    def as_written(self) -> list[WrittenEffort]:
        """Every party's effort as written: shown, and left out of the sums."""
        return [written for row in self.activities for written in row.as_written]

    @property
    def any_effort(self) -> bool:
        return any(row.activity.effort_display or row.party_hours or row.as_written for row in self.activities)


def activity_effort(activity) -> ActivityEffort:
    """One activity's effort, from its prefetched ``effort_shares``."""
    return ActivityEffort(
        activity=activity,
        counted_hours=activity.effort_hours if activity.effort_counts_in_totals else None,
        party_hours=activity.party_hours,
        as_written=[
            WrittenEffort(activity, share.party_name, share.as_written) for share in activity.party_effort_as_written
        ],
    )


def effort_summary(activities) -> EffortSummary:
    """``activities`` with ``effort_shares__organisation`` (and ``area``) prefetched, in the plan's order."""
    summary = EffortSummary(activities=[activity_effort(activity) for activity in activities])
    party_hours: dict[str, list[Decimal]] = defaultdict(list)
    party_written: dict[str, list[WrittenEffort]] = defaultdict(list)
    areas: dict[str, GroupEffort] = {}
    for row in summary.activities:
        for share in row.activity.effort_shares.all():
            if share.counted:
                party_hours[share.party_name].append(share.hours)
        for written in row.as_written:
            party_written[written.party].append(written)
        area = areas.setdefault(area_name(row.activity), GroupEffort(area_name(row.activity)))
        if row.party_hours is not None:
            area.hours = (area.hours or ZERO) + row.party_hours
        area.as_written += row.as_written
    parties = [
        GroupEffort(name, total(party_hours.get(name, [])), party_written.get(name, []))
        for name in party_hours.keys() | party_written.keys()
    ]
    summary.parties = sorted(parties, key=lambda party: (party.hours is None, -(party.hours or ZERO), party.name))
    # Areas in the order the plan first lists them; activities without one last.
    summary.areas = sorted(
        (area for area in areas.values() if area.hours is not None or area.as_written),
        key=lambda area: area.name == "",
    )
    return summary


def area_name(activity) -> str:
    return activity.area.name if activity.area else ""
