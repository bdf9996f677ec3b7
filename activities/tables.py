import django_tables2 as tables
from django.template.defaultfilters import floatformat
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
