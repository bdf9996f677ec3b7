"""Which LIKA indicators a plan's activities address, and, explicitly, which none of them does."""

from dataclasses import dataclass

from .models import LikaIndicator


@dataclass(frozen=True)
class CoverageRow:
    indicator: LikaIndicator
    cells: list  # one entry per column: the activities of that column addressing the indicator

    @property
    def addressed(self) -> bool:
        return any(self.cells)


@dataclass(frozen=True)
class Coverage:
    columns: list
    rows: list[CoverageRow]

    @property
    def addressed(self) -> list[CoverageRow]:
        return [row for row in self.rows if row.addressed]

    @property
    def unaddressed(self) -> list[CoverageRow]:
        return [row for row in self.rows if not row.addressed]


def plan_coverage(activities) -> Coverage:
    """Indicators × activities: a cell holds the activity when it maps to the indicator."""
    activities = list(activities)
    codes = [{indicator.pk for indicator in activity.lika_indicators.all()} for activity in activities]
    rows = [
        CoverageRow(indicator, [[a] if indicator.pk in c else [] for a, c in zip(activities, codes, strict=True)])
        for indicator in LikaIndicator.objects.all()
    ]
    return Coverage(columns=activities, rows=rows)


def cooperation_coverage(plans, activities) -> Coverage:
    """Indicators × plans: a cell lists the plan's activities that address the indicator."""
    plans = list(plans)
    by_plan: dict[int, dict[int, list]] = {plan.pk: {} for plan in plans}
    for activity in activities:
        for indicator in activity.lika_indicators.all():
            by_plan[activity.plan_id].setdefault(indicator.pk, []).append(activity)
    rows = [
        CoverageRow(indicator, [by_plan[plan.pk].get(indicator.pk, []) for plan in plans])
        for indicator in LikaIndicator.objects.all()
    ]
    return Coverage(columns=plans, rows=rows)
