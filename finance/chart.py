"""The budget chart as numbers for a server-side SVG: income, costs and the fund's balance per year.

The value axis always holds zero and every value: a negative balance (a fund in deficit) is drawn
below the zero line, and bars grow from the zero line up or down. Ticks are round steps on both
sides of zero.
"""

from dataclasses import dataclass
from decimal import Decimal

from ehalsa.charts import nice_step

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 90, 20, 20, 40


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class ChartYear:
    year: int
    label_x: float
    income: Bar
    costs: Bar
    balance_x: float
    balance_y: float


@dataclass(frozen=True)
class Tick:
    y: float
    value: Decimal


@dataclass(frozen=True)
class BudgetChart:
    years: list[ChartYear]
    ticks: list[Tick]
    zero_y: float
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    baseline: float = HEIGHT - BOTTOM

    @property
    def balance_points(self) -> str:
        return " ".join(f"{y.balance_x:.1f},{y.balance_y:.1f}" for y in self.years)


def axis_range(values: list[Decimal]) -> tuple[Decimal, Decimal, Decimal]:
    """The axis's lowest and highest tick and its step: zero and every value lie on it.

    A side that has values gets one step beyond its extreme value, room for the balance's point;
    a side without values ends at zero.
    """
    highest, lowest = max([*values, Decimal(0)]), min([*values, Decimal(0)])
    step = max(nice_step(highest - lowest or Decimal(1)), Decimal(1))  # whole kronor
    top = step * (highest // step + 1) if highest > 0 else Decimal(0)
    bottom = -step * (-lowest // step + 1) if lowest < 0 else Decimal(0)
    if top == bottom:  # every value is zero: one step above the zero line
        top = step
    return bottom, top, step


def build_chart(budget_years) -> BudgetChart | None:
    """Bars for the year's income and costs (all parties) and a line for the closing balance."""
    if not budget_years:
        return None
    values = [v for y in budget_years for v in (y.income_total, y.costs_total, y.closing_balance)]
    bottom, top, step = axis_range(values)
    plot_height = HEIGHT - TOP - BOTTOM
    plot_width = WIDTH - LEFT - RIGHT
    slot = plot_width / len(budget_years)
    bar = slot * 0.3

    def y_of(value: Decimal) -> float:
        return TOP + plot_height * float((top - value) / (top - bottom))

    zero_y = y_of(Decimal(0))

    def bar_of(x: float, value: Decimal) -> Bar:
        """A bar from the zero line up to a positive value or down to a negative one."""
        y = y_of(value)
        return Bar(x, min(y, zero_y), bar, abs(zero_y - y))

    years = []
    for index, budget_year in enumerate(budget_years):
        x0 = LEFT + index * slot
        years.append(
            ChartYear(
                year=budget_year.year,
                label_x=x0 + slot / 2,
                income=bar_of(x0 + slot * 0.15, budget_year.income_total),
                costs=bar_of(x0 + slot * 0.15 + bar + 4, budget_year.costs_total),
                balance_x=x0 + slot / 2,
                balance_y=y_of(budget_year.closing_balance),
            )
        )
    ticks = [Tick(y_of(step * i), step * i) for i in range(int(bottom / step), int(top / step) + 1)]
    return BudgetChart(years=years, ticks=ticks, zero_y=zero_y)
