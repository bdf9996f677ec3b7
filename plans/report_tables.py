"""Tables of the yearly follow-up reports: a plan's reports, a report's decisions."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from ehalsa.badges import status_badge
from ehalsa.tables import BaseTable, RowHeaderColumn

from .report_models import FollowUpReport, ReportDecision


class ReportTable(BaseTable):
    """A plan's follow-up reports, the latest year first."""

    year = RowHeaderColumn(linkify=True, verbose_name=_("Year"))
    state = tables.TemplateColumn(
        template_name="plans/includes/report_state_cell.html", verbose_name=_("Status"), empty_values=()
    )
    sent_to = tables.Column(verbose_name=_("Sent to"), accessor="pk", empty_values=())

    class Meta(BaseTable.Meta):
        model = FollowUpReport
        fields = ["year"]
        sequence = ("year", "state", "sent_to")
        orderable = False
        per_page = 10_000
        empty_text = _("No follow-up report has been compiled for this plan.")

    def render_sent_to(self, record):
        return ", ".join(sending.body.display_name for sending in record.sendings.all()) or "–"


class ReportDecisionTable(BaseTable):
    """The bodies' decisions on a report, with the report as their protocol's appendix."""

    body = RowHeaderColumn(accessor="body__name", verbose_name=_("Body"))
    meeting_date = tables.DateColumn(format="Y-m-d", verbose_name=_("Meeting date"))
    paragraph = tables.Column(verbose_name="§", default="–")
    diary_number = tables.Column(verbose_name=_("Ref. no."), default="–")
    kind = tables.Column(verbose_name=_("Decision"))
    text = tables.Column(verbose_name=_("Decision text"))
    appendix = tables.TemplateColumn(
        template_name="plans/includes/report_appendix_cell.html", verbose_name=_("Appendix"), empty_values=()
    )

    class Meta(BaseTable.Meta):
        model = ReportDecision
        fields = ["body", "meeting_date", "paragraph", "diary_number", "kind", "text"]
        orderable = False
        per_page = 10_000
        empty_text = _("No decision on the report is recorded yet.")

    def render_kind(self, record):
        return status_badge(record, "kind")

    def value_kind(self, record):
        return record.get_kind_display()

    def __init__(self, *args, pdf_ready=False, **kwargs):
        super().__init__(*args, exclude=[] if pdf_ready else ["appendix"], **kwargs)
