"""Effort per plan: hours that can be added up, and effort that can only be shown as written."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

ZERO = Decimal(0)


@dataclass
class ActivityEffort:
    activity: object
    counted_hours: Decimal | None  # hours in total, when the activity states them so
    party_hours: Decimal

    @property
    def excluded(self) -> bool:
        """Effort stated, but per person, per system …: shown as written, never summed."""
        return self.counted_hours is None and bool(self.activity.effort_display)


@dataclass
class EffortSummary:
    activities: list[ActivityEffort] = field(default_factory=list)
    parties: list[tuple[str, Decimal]] = field(default_factory=list)

    @property
    def total_counted_hours(self) -> Decimal:
        return sum((row.counted_hours for row in self.activities if row.counted_hours is not None), ZERO)

    @property
    def total_party_hours(self) -> Decimal:
        return sum((hours for _, hours in self.parties), ZERO)

    @property
    def excluded(self) -> list[ActivityEffort]:
        return [row for row in self.activities if row.excluded]

    @property
    def any_effort(self) -> bool:
        return any(row.activity.effort_display or row.party_hours for row in self.activities)


def effort_summary(activities) -> EffortSummary:
    """``activities`` with ``effort_shares__organisation`` prefetched."""
    by_party: dict[str, Decimal] = defaultdict(lambda: ZERO)
    summary = EffortSummary()
    for activity in activities:
        shares = list(activity.effort_shares.all())
        for share in shares:
            by_party[share.party_name] += share.hours
        summary.activities.append(
            ActivityEffort(
                activity=activity,
                counted_hours=activity.effort_hours if activity.effort_counts_in_totals else None,
                party_hours=sum((share.hours for share in shares), ZERO),
            )
        )
    summary.parties = sorted(by_party.items(), key=lambda item: (-item[1], item[0]))
    return summary
