"""Tables of decisions: the plan page's adoption, the adoption status's route and municipalities."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from ehalsa.tables import BaseTable, RowHeaderColumn

from .models import Decision

NONE = "–"  # a dash where a decision has no §, no diary number, or there is no decision yet


class DecisionTable(BaseTable):
    """A plan's decisions, each linked to its protocol excerpt."""

    body = tables.TemplateColumn(
        template_name="governance/includes/decision_body_cell.html", verbose_name=_("Body"), orderable=False
    )
    meeting_date = tables.DateColumn(format="Y-m-d", verbose_name=_("Meeting date"))
    paragraph = tables.Column(verbose_name="§", default=NONE)
    diary_number = tables.Column(verbose_name=_("Diary number"), default=NONE)
    kind = tables.TemplateColumn(
        "{% load ehalsa %}{% status_badge record 'kind' %} {{ record.text }}",
        verbose_name=_("Decision"),
        orderable=False,
    )

    class Meta(BaseTable.Meta):
        model = Decision
        fields = ["body", "meeting_date", "paragraph", "diary_number", "kind"]
        orderable = False


class LatestDecisionTable(BaseTable):
    """Rows of ``{"decision": the latest decision or None, …}``: that decision, linked to its excerpt."""

    latest = tables.TemplateColumn(
        template_name="governance/includes/latest_decision_cell.html",
        verbose_name=_("Latest decision"),
        empty_values=(),
    )
    meeting_date = tables.DateColumn(
        accessor="decision__meeting_date", format="Y-m-d", verbose_name=_("Meeting date"), default=NONE
    )
    paragraph = tables.Column(accessor="decision__paragraph", verbose_name="§", default=NONE)
    diary_number = tables.Column(accessor="decision__diary_number", verbose_name=_("Diary number"), default=NONE)

    class Meta(BaseTable.Meta):
        orderable = False
        per_page = 10_000


class RouteTable(LatestDecisionTable):
    """The adoption route: each body in order, and its latest decision on the plan."""

    order = tables.Column(accessor="step__order", verbose_name=_("Step"))
    body = RowHeaderColumn(accessor="step__body__name", verbose_name=_("Body"))

    class Meta(LatestDecisionTable.Meta):
        sequence = ["order", "body", "..."]


class MunicipalityDecisionTable(LatestDecisionTable):
    """The municipalities asked to decide, and each one's latest decision."""

    municipality = RowHeaderColumn(accessor="municipality__name", verbose_name=_("Municipality"))

    class Meta(LatestDecisionTable.Meta):
        sequence = ["municipality", "..."]
