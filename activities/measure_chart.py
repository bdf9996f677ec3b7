"""A numeric measure as a small server-drawn SVG chart: baseline, measured values and targets over the years.

Time runs left to right, one band per year from the first year anything is dated or aimed at to the
last; a value sits at its date, the baseline at its date (or where the first year begins when it has
none), and a target is a dashed line across its year ending in a diamond: reached by the end of the
year. The value axis holds zero and every value in round steps (``ehalsa.charts``). Pure geometry:
the template (``activities/includes/measure_chart.html``) draws it, with the numbers in Swedish.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ehalsa.charts import value_axis

from .measures import number_text

WIDTH, HEIGHT = 440, 200
LEFT, RIGHT, TOP, BOTTOM = 56, 14, 12, 34


@dataclass(frozen=True)
class Point:
    x: float
    y: float


@dataclass(frozen=True)
class TargetMark:
    year: int
    x1: float
    x2: float
    y: float

    @property
    def diamond(self) -> str:
        """The diamond at the end of the year: the target reached by then."""
        x, y, r = self.x2, self.y, 6
        return f"{x},{round(y - r, 1)} {round(x + r, 1)},{y} {x},{round(y + r, 1)} {round(x - r, 1)},{y}"


@dataclass(frozen=True)
class YearBand:
    year: int
    x: float  # where the year begins
    label_x: float  # its middle


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class MeasureChart:
    baseline: Point | None
    values: list[Point]
    targets: list[TargetMark]
    years: list[YearBand]
    ticks: list[Tick]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM

    @property
    def line(self) -> str:
        """The polyline from the baseline through the measured values, in date order."""
        points = ([self.baseline] if self.baseline else []) + self.values
        return " ".join(f"{point.x},{point.y}" for point in points)


def measure_chart(summary) -> MeasureChart | None:
    """The chart of a numeric measure's summary (``activities.measures.summary_of``); None for a
    described measure or one without a single number to draw."""
    measure = summary.measure
    if not measure.is_numeric:
        return None
    targets = [row.target for row in summary.rows if row.target.value is not None]
    values = [value for value in summary.values if value.value is not None]
    baseline = measure.baseline_value
    numbers = [target.value for target in targets] + [value.value for value in values]
    if baseline is not None:
        numbers.append(baseline)
    if not numbers:
        return None
    dated = [target.year for target in targets] + [value.date.year for value in values]
    if baseline is not None and measure.baseline_date:
        dated.append(measure.baseline_date.year)
    if not dated:  # an undated baseline alone: no time to draw it in (the table states it)
        return None
    first, last = min(dated), max(dated)
    start, end = date(first, 1, 1), date(last + 1, 1, 1)
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    low, high, step = value_axis(numbers)

    def x_of(day: date) -> float:
        return round(LEFT + plot_width * (day - start).days / (end - start).days, 1)

    def y_of(value: Decimal) -> float:
        return round(TOP + plot_height * float((high - value) / (high - low)), 1)

    baseline_point = None
    if baseline is not None:
        baseline_point = Point(x_of(measure.baseline_date or start), y_of(baseline))
    ticks = [Tick(y_of(low + step * i), number_text(low + step * i)) for i in range(int((high - low) / step) + 1)]
    years = [
        YearBand(year, x_of(date(year, 1, 1)), round((x_of(date(year, 1, 1)) + x_of(date(year + 1, 1, 1))) / 2, 1))
        for year in range(first, last + 1)
    ]
    return MeasureChart(
        baseline=baseline_point,
        values=[Point(x_of(value.date), y_of(value.value)) for value in values],
        targets=[
            TargetMark(t.year, x_of(date(t.year, 1, 1)), x_of(date(t.year + 1, 1, 1)), y_of(t.value)) for t in targets
        ],
        years=years,
        ticks=ticks,
    )
