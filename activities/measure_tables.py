"""A measure's tables: its baseline, targets and latest value (against the targets), and its measured
values, the chart's text equivalent. Rows are built from ``Measure.summary`` (``activities.measures``)."""

from dataclasses import dataclass

import django_tables2 as tables
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ehalsa.tables import BaseTable, RowHeaderColumn


@dataclass
class StatedRow:
    """One line of a measure's table: the baseline, a year's target, or the latest value."""

    label: str
    date: object = None
    stated: str = ""
    reading: object = None
    met: bool | None = None
    year: int | None = None
    is_measured: bool = True  # whether "measured" and "met" apply to the row


class DatedLabelColumn(RowHeaderColumn):
    def render(self, record):
        if record.date:
            return format_html('{} <span class="dates">{}</span>', record.label, f"{record.date:%Y-%m-%d}")
        return record.label


class ReadingColumn(tables.Column):
    def render(self, record):
        reading = record.reading
        if reading is None:
            return "–"
        dated = format_html('{} <span class="dates">{}</span>', reading.display, f"{reading.date:%Y-%m-%d}")
        return format_html("{} – {}", dated, reading.comment) if reading.comment and not record.year else dated


class MetColumn(tables.Column):
    def render(self, record):
        if not record.is_measured:
            return "–"
        return render_to_string(
            "activities/includes/measure_met.html",
            {"met": record.met, "year": record.year, "this_year": timezone.localdate().year},
        )


class MeasureTable(BaseTable):
    """Baseline, targets per year and the latest value, each measured value against its year's target.
    ``frozen`` (an adopted version's PDF): what the plan states only."""

    label = DatedLabelColumn(verbose_name=_("Applies to"), empty_values=())
    stated = tables.Column(verbose_name=_("Stated in the plan"), default="–")
    reading = ReadingColumn(verbose_name=_("Measured by the year's end"), empty_values=())
    met = MetColumn(verbose_name=_("Target met?"), empty_values=())

    class Meta(BaseTable.Meta):
        orderable = False
        per_page = 10_000

    def __init__(self, measure, *, frozen=False, **kwargs):
        summary = measure.summary
        rows = [StatedRow(gettext("Baseline"), measure.baseline_date, measure.baseline_display, is_measured=False)]
        for row in summary.rows:
            label = gettext("Target %(year)s") % {"year": row.target.year}
            rows.append(StatedRow(label, None, row.target.display, row.reading, row.met, row.target.year))
        if not frozen:
            rows.append(StatedRow(gettext("Latest value"), None, "", summary.latest, summary.latest_met))
        super().__init__(rows, **kwargs)
        self.caption = gettext("Baseline, targets and measured values")
        if frozen:
            self.columns.hide("reading")
            self.columns.hide("met")


class MeasuredValueTable(BaseTable):
    """Every value measured, latest first: what the chart draws, in words."""

    date = tables.DateColumn(verbose_name=_("Date"), format="Y-m-d")
    display = tables.Column(verbose_name=_("Value"))
    comment = tables.Column(verbose_name=_("Comment"), default="–")

    class Meta(BaseTable.Meta):
        orderable = False
        per_page = 10_000

    def __init__(self, measure, **kwargs):
        super().__init__(list(reversed(measure.summary.values)), **kwargs)
        self.caption = gettext("Measured values")

    def render_display(self, record):
        if record.reached is None:
            return record.display
        reached = gettext("target state reached") if record.reached else gettext("target state not reached")
        return f"{record.display} ({reached})"
