"""The budget chart as numbers for a server-side SVG: income, costs and the fund's balance per year."""

from dataclasses import dataclass
from decimal import Decimal

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
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    baseline: float = HEIGHT - BOTTOM

    @property
    def balance_points(self) -> str:
        return " ".join(f"{y.balance_x:.1f},{y.balance_y:.1f}" for y in self.years)


def nice_step(top: Decimal) -> Decimal:
    """A round step giving about four grid lines."""
    raw = top / 4
    magnitude = Decimal(10) ** (len(str(int(raw))) - 1) if raw >= 1 else Decimal(1)
    for factor in (1, 2, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def build_chart(budget_years) -> BudgetChart | None:
    """Bars for the year's income and costs (all parties) and a line for the closing balance."""
    if not budget_years:
        return None
    values = [v for y in budget_years for v in (y.income_total, y.costs_total, y.closing_balance)]
    top = max([v for v in values if v > 0] or [Decimal(1)])
    step = nice_step(top)
    top = step * ((top // step) + 1)
    plot_height = HEIGHT - TOP - BOTTOM
    plot_width = WIDTH - LEFT - RIGHT
    slot = plot_width / len(budget_years)
    bar = slot * 0.3

    def y_of(value: Decimal) -> float:
        return TOP + plot_height * float(1 - max(value, Decimal(0)) / top)

    years = []
    for index, budget_year in enumerate(budget_years):
        x0 = LEFT + index * slot
        income_y, costs_y = y_of(budget_year.income_total), y_of(budget_year.costs_total)
        years.append(
            ChartYear(
                year=budget_year.year,
                label_x=x0 + slot / 2,
                income=Bar(x0 + slot * 0.15, income_y, bar, HEIGHT - BOTTOM - income_y),
                costs=Bar(x0 + slot * 0.15 + bar + 4, costs_y, bar, HEIGHT - BOTTOM - costs_y),
                balance_x=x0 + slot / 2,
                balance_y=y_of(budget_year.closing_balance),
            )
        )
    ticks = [Tick(y_of(step * i), step * i) for i in range(int(top / step) + 1)]
    return BudgetChart(years=years, ticks=ticks)
