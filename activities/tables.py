import django_tables2 as tables
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from ehalsa.tables import BaseTable, HoursColumn, PeriodColumn, RowHeaderColumn

from .models import Activity


class LikaColumn(tables.ManyToManyColumn):
    """The activity's LIKA codes, "L12, K13", from prefetched indicators."""

    def __init__(self, **kwargs):
        super().__init__(transform=lambda indicator: indicator.code, separator=", ", verbose_name="LIKA", **kwargs)

    def render(self, value):
        return super().render(value) or self.default

    def value(self, value):
        return ", ".join(indicator.code for indicator in value.all())


class EffortColumn(tables.Column):
    """Effort as written ("24 timmar/ person"); in spreadsheets too, since per-something hours do not add up."""

    def __init__(self, **kwargs):
        kwargs.setdefault("default", "—")
        super().__init__(accessor="effort_note", verbose_name=_("Effort"), order_by=("effort_hours",), **kwargs)

    def render(self, record):
        return record.effort_display or self.default

    def value(self, record):
        return record.effort_display


class PlanActivityTable(BaseTable):
    """A plan's own activities."""

    number = tables.Column(verbose_name=_("No."), order_by=("order", "pk"))
    area = tables.Column(accessor="area__name", verbose_name=_("Area"))
    title = tables.Column(linkify=True, verbose_name=_("Activity"))
    owner = tables.Column(verbose_name=_("Responsible"))
    effort = EffortColumn(empty_values=())
    period = PeriodColumn(first="start_year", last="end_year", note="period_note")
    status = tables.Column(verbose_name=_("Status"))
    lika_indicators = LikaColumn()

    class Meta(BaseTable.Meta):
        model = Activity
        fields = ["number", "area", "title", "owner", "effort", "period", "status", "lika_indicators"]
        empty_text = _("No activities match the filter.")


class ActivitySearchTable(PlanActivityTable):
    """Activities across plans, with the plan they belong to."""

    plan = tables.Column(
        linkify=lambda record: record.plan.get_absolute_url(), verbose_name=_("Action plan"), order_by="plan__title"
    )
    cooperation = tables.Column(
        accessor="plan__cooperation__display_name", verbose_name=_("Cooperation"), order_by="plan__cooperation__name"
    )
    number = tables.Column(verbose_name=_("No."), order_by=("plan__title", "order", "pk"))

    class Meta(PlanActivityTable.Meta):
        fields = ["plan", "cooperation", *PlanActivityTable.Meta.fields]
        sequence = ["plan", "cooperation", "..."]


class EffortPerPartyTable(BaseTable):
    """Hours per party over a plan's activities (rows of ``party``, ``hours``), with their total."""

    party = RowHeaderColumn(verbose_name=_("Party"), footer=_("Total"))
    hours = HoursColumn(verbose_name=_("Hours"), footer=lambda table: floatformat(table.total, "-1g"))

    class Meta(BaseTable.Meta):
        orderable = False
        per_page = 10_000

    def __init__(self, effort, **kwargs):
        self.total = effort.total_party_hours
        super().__init__([{"party": party, "hours": hours} for party, hours in effort.parties], **kwargs)


class EffortPerActivityTable(BaseTable):
    """Each activity's effort as written, the hours that add up and the hours per party (``ActivityEffort`` rows)."""

    number = tables.Column(
        accessor="activity__number", verbose_name=_("No."), footer=_("Total of hours that can be added up")
    )
    title = tables.TemplateColumn(
        '<a href="{{ record.activity.get_absolute_url }}">{{ record.activity.title|truncatechars:90 }}</a>',
        verbose_name=_("Activity"),
    )
    effort = tables.Column(accessor="activity__effort_display", verbose_name=_("Effort as written"), default="–")
    counted_hours = tables.TemplateColumn(
        template_name="activities/includes/counted_hours_cell.html",
        verbose_name=_("Hours counted"),
        empty_values=(),
        attrs={"td": {"class": "num"}, "th": {"class": "num"}, "tf": {"class": "num"}},
        footer=lambda table: floatformat(table.effort.total_counted_hours, "-1g"),
    )
    party_hours = HoursColumn(
        verbose_name=_("Hours per party"),
        default="–",
        empty_values=(None, "", 0),
        footer=lambda table: floatformat(table.effort.total_party_hours, "-1g"),
    )

    class Meta(BaseTable.Meta):
        orderable = False
        per_page = 10_000

    def __init__(self, effort, **kwargs):
        self.effort = effort
        super().__init__(effort.activities, **kwargs)


class EffortShareTable(BaseTable):
    """One activity's effort per party."""

    party_name = tables.Column(verbose_name=_("Party"))
    hours = HoursColumn(verbose_name=_("Hours"))
    note = tables.Column(verbose_name=_("Note"), default="")

    class Meta(BaseTable.Meta):
        orderable = False
        per_page = 10_000


class IndicatorColumn(RowHeaderColumn):
    """The LIKA indicator naming a coverage row, marked when no activity addresses it."""

    def render(self, record):
        code = format_html('<abbr title="{}">{}</abbr>', record.indicator.text, record.indicator.code)
        if record.addressed:
            return code
        return format_html('{} <span class="tag">{}</span>', code, _("not addressed"))


class CoverageColumn(tables.Column):
    """One column of a coverage matrix: the activities of that column addressing the row's indicator."""

    def __init__(self, index, *, header, cell, **kwargs):
        self.cell = cell
        super().__init__(accessor=tables.A(f"cells__{index}"), verbose_name=header, empty_values=(), **kwargs)

    def render(self, value):
        return self.cell(value)


class CoverageTable(BaseTable):
    """LIKA indicators × columns (``activities.coverage.Coverage``): a row per indicator."""

    indicator = IndicatorColumn(verbose_name=_("Indicator"), empty_values=())

    class Meta(BaseTable.Meta):
        orderable = False
        per_page = 10_000
        attrs = {"class": "data matrix"}
        row_attrs = {"class": lambda record: "addressed" if record.addressed else "unaddressed"}

    def __init__(self, coverage, *, header, cell, column_attrs=None, **kwargs):
        columns = [
            (f"column_{index}", CoverageColumn(index, header=header(column), cell=cell, attrs=column_attrs or {}))
            for index, column in enumerate(coverage.columns)
        ]
        super().__init__(coverage.rows, extra_columns=columns, **kwargs)


def activity_header(activity):
    return format_html(
        '<a href="{}" title="{}">{}</a><span class="visually-hidden"> {}</span>',
        activity.get_absolute_url(),
        activity.title,
        activity.number or "–",
        activity.title,
    )


def addressed_mark(activities):
    if not activities:
        return ""
    return format_html('<span aria-hidden="true">●</span><span class="visually-hidden">{}</span>', _("Yes"))


def activity_links(activities):
    return format_html_join(", ", '<a href="{}">{}</a>', ((a.get_absolute_url(), a.number or "–") for a in activities))


def plan_coverage_table(coverage) -> CoverageTable:
    """Indicators × a plan's activities: a mark where the activity addresses the indicator."""
    attrs = {"th": {"class": "matrix-col"}, "td": {"class": "matrix-cell"}}
    return CoverageTable(coverage, header=activity_header, cell=addressed_mark, column_attrs=attrs)


def cooperation_coverage_table(coverage) -> CoverageTable:
    """Indicators × a cooperation's plans: the plan's activities addressing the indicator, linked."""

    def plan_header(plan):
        return format_html('<a href="{}">{}</a>', reverse("lika:plan", args=[plan.pk]), plan.title)

    return CoverageTable(coverage, header=plan_header, cell=activity_links)
