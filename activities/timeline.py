"""The plan's timeline (Gantt) as numbers for a server-side SVG: works without JavaScript and in PDF."""

from dataclasses import dataclass

LABEL_WIDTH = 300
CHART_WIDTH = 620
ROW_HEIGHT = 24
HEADER_HEIGHT = 28
LABEL_CHARS = 42


@dataclass(frozen=True)
class TimelineRow:
    activity: object
    label: str
    period: str
    x: float
    width: float
    y: int


@dataclass(frozen=True)
class TimelineYear:
    year: int
    x: float
    width: float

    @property
    def center(self) -> float:
        return self.x + self.width / 2


@dataclass(frozen=True)
class Timeline:
    rows: list[TimelineRow]
    years: list[TimelineYear]
    undated: list[object]
    width: int
    height: int
    label_width: int = LABEL_WIDTH

    @property
    def first_year(self):
        return self.years[0].year if self.years else None

    @property
    def last_year(self):
        return self.years[-1].year if self.years else None


def short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def build_timeline(activities) -> Timeline:
    """One bar per activity with years, from its first to its last year; undated ones listed apart."""
    dated = [a for a in activities if a.start_year or a.end_year]
    undated = [a for a in activities if not (a.start_year or a.end_year)]
    if not dated:
        return Timeline(rows=[], years=[], undated=undated, width=LABEL_WIDTH + CHART_WIDTH, height=0)
    first = min(a.start_year or a.end_year for a in dated)
    last = max(a.end_year or a.start_year for a in dated)
    year_width = CHART_WIDTH / (last - first + 1)
    years = [TimelineYear(y, LABEL_WIDTH + (y - first) * year_width, year_width) for y in range(first, last + 1)]
    rows = []
    for index, activity in enumerate(dated):
        start = activity.start_year or activity.end_year
        end = activity.end_year or activity.start_year
        label = f"{activity.number} {activity.title}".strip()
        rows.append(
            TimelineRow(
                activity=activity,
                label=short(label),
                period=f"{start}–{end}" if start != end else str(start),
                x=LABEL_WIDTH + (start - first) * year_width + 2,
                width=(end - start + 1) * year_width - 4,
                y=HEADER_HEIGHT + index * ROW_HEIGHT,
            )
        )
    height = HEADER_HEIGHT + len(rows) * ROW_HEIGHT + 4
    return Timeline(rows=rows, years=years, undated=undated, width=LABEL_WIDTH + CHART_WIDTH, height=height)
