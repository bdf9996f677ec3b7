from urllib.parse import urlencode

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ehalsa.badges import status_badge
from ehalsa.tables import BaseTable, NumberColumn, PeriodColumn, RowHeaderColumn

from .models import ActionPlan


class ActionPlanTable(BaseTable):
    title = tables.Column(linkify=True)
    cooperation = tables.Column(accessor="cooperation__display_name", order_by="cooperation__name")
    period = PeriodColumn(first="first_year", last="last_year")
    status = tables.Column()
    activity_count = NumberColumn(verbose_name=_("Activities"))
    adoption = tables.Column(
        verbose_name=_("Adoption by municipalities"),
        accessor="adopted_municipalities",
        order_by="adopted_municipalities",
    )

    class Meta(BaseTable.Meta):
        model = ActionPlan
        fields = ["title", "cooperation", "period", "status", "activity_count", "adoption"]
        empty_text = _("No action plans match the filter.")

    def render_title(self, value, record):
        return title_text(record)

    def value_title(self, value, record):
        return plain_title(record)

    def render_status(self, record):
        return status_badge(record)

    def value_status(self, record):
        return record.get_status_display()

    def render_adoption(self, record):
        if not record.asked_municipalities:
            return _("No municipality asked")
        return _("%(adopted)s of %(total)s municipalities have adopted") % {
            "adopted": record.adopted_municipalities,
            "total": record.asked_municipalities,
        }

    def value_adoption(self, record):
        """In spreadsheets as on the page: "0 av 13 kommuner har antagit", "Ingen kommun tillfrågad"."""
        return str(self.render_adoption(record))


class FollowUpOfPreviousTable(BaseTable):
    """The previous plan's activities and how each was followed up, on the plan that follows it."""

    number = tables.Column(verbose_name=_("No."))
    title = tables.Column(linkify=True, verbose_name=_("Activity"))
    follow_up = tables.TemplateColumn(
        template_name="plans/includes/follow_up_cell.html", verbose_name=_("Follow-up"), empty_values=()
    )

    class Meta(BaseTable.Meta):
        orderable = False
        per_page = 10_000


def plain_title(plan) -> str:
    """A revision has the title of the plan it revises: it says that it is one (issue 19, item 9)."""
    return f"{plan.title} ({_('revision')})" if plan.revision_of_id else plan.title


def title_text(plan):
    return format_html("{}", plain_title(plan))


class PlanProgressTable(BaseTable):
    """A cooperation's plans over the years and how each is going (``plans.parts.progress``)."""

    title = tables.Column(
        accessor="plan", linkify=lambda record: record["plan"].get_absolute_url(), verbose_name=_("Action plan")
    )
    period = tables.Column(accessor="plan__period", verbose_name=_("Period"))
    status = tables.TemplateColumn(template_name="plans/includes/plan_status_cell.html", verbose_name=_("Status"))
    completed = tables.TemplateColumn(
        template_name="plans/includes/progress_cell.html", verbose_name=_("Progress"), empty_values=()
    )
    late = NumberColumn(accessor="figures__late_activities", verbose_name=_("Late activities"), empty_values=())
    outcome = tables.TemplateColumn(
        template_name="plans/includes/outcome_cell.html", verbose_name=_("Outcome so far"), empty_values=()
    )

    class Meta(BaseTable.Meta):
        orderable = False
        per_page = 10_000
        empty_text = _("The cooperation has no plans you may read.")

    def render_title(self, record):
        return title_text(record["plan"])

    def value_title(self, record):
        return plain_title(record["plan"])

    def render_late(self, value):
        return len(value)

    def value_late(self, value):
        return len(value)


class PhaseCountTable(BaseTable):
    """A plan's activities by their current phase (``plans.parts.progress``), each linked to the search."""

    phase = RowHeaderColumn(accessor="label", verbose_name=_("Phase"))
    count = NumberColumn(verbose_name=_("Activities"))

    class Meta(BaseTable.Meta):
        orderable = False
        per_page = 10_000
        attrs = {"class": "data compact"}

    def __init__(self, plan, phase_counts, **kwargs):
        self.plan = plan
        rows = [{"code": code, "label": label, "count": count} for code, label, count in phase_counts]
        super().__init__(rows, **kwargs)
        self.caption = _("Activities by phase")

    def render_phase(self, record, value):
        if not record["code"]:
            return value
        url = f"{reverse('activities:activity_search')}?{urlencode({'plan': self.plan.pk, 'phase': record['code']})}"
        return format_html('<a href="{}">{}</a>', url, value)
