import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from ehalsa.tables import BaseTable, MoneyColumn, RowHeaderTemplateColumn


class BudgetLineTable(BaseTable):
    """The yearly budget tables as one sheet: balances, income and costs with their shares."""

    export_title = _("Budget")

    year = tables.Column(verbose_name=_("Year"))
    line = tables.Column(verbose_name=_("Line"))
    kind = tables.Column(verbose_name=_("Kind"))
    status = tables.Column(verbose_name=_("Actual or estimated"))
    start_date = tables.Column(verbose_name=_("From"))
    end_date = tables.Column(verbose_name=_("To"))
    municipalities = MoneyColumn(verbose_name=_("Municipalities (kr)"))
    region = MoneyColumn(verbose_name=_("Region (kr)"))
    total = MoneyColumn(verbose_name=_("Total (kr)"))

    class Meta(BaseTable.Meta):
        orderable = False
        per_page = 10_000


def budget_rows(budget_years) -> list[dict]:
    """One row per line, opening and closing balances included; costs negative, as seed 000 writes them."""
    from django.utils.translation import gettext as gettext_now

    rows = []
    for year in budget_years:
        opening = (
            year.opening_line.description
            if year.opening_line
            else gettext_now("Opening balance %(year)s") % {"year": year.year}
        )
        rows.append(
            {
                "year": year.year,
                "line": opening,
                "kind": gettext_now("Opening balance"),
                "municipalities": year.opening_balance,
            }
        )
        for line in year.lines:
            entry = line.entry
            rows.append(
                {
                    "year": year.year,
                    "line": entry.description,
                    "kind": entry.get_kind_display(),
                    "status": gettext_now("estimated") if entry.is_estimate else gettext_now("actual"),
                    "start_date": entry.start_date,
                    "end_date": entry.end_date,
                    "municipalities": line.signed_municipalities,
                    "region": line.signed_region,
                    "total": line.signed_total,
                }
            )
        closing = (
            gettext_now("Estimated closing balance %(year)s")
            if year.is_estimate
            else gettext_now("Closing balance %(year)s")
        )
        rows.append(
            {
                "year": year.year,
                "line": closing % {"year": year.year},
                "kind": gettext_now("Closing balance"),
                "municipalities": year.closing_balance,
            }
        )
    return rows


class BudgetSummaryTable(BaseTable):
    """Costs and the municipalities' fund per year (``BudgetYear`` rows), estimated years marked."""

    year = RowHeaderTemplateColumn(
        '{{ record.year|stringformat:"d" }}{% load i18n %}{% if record.is_estimate %} <span class="tag">'
        '{% translate "estimated" %}</span>{% endif %}',
        verbose_name=_("Year"),
    )
    costs_total = MoneyColumn(verbose_name=_("Costs"))
    costs_municipalities = MoneyColumn(verbose_name=_("Municipalities' share"))
    costs_region = MoneyColumn(verbose_name=_("Region's share"))
    closing_balance = MoneyColumn(verbose_name=_("Closing balance"))

    class Meta(BaseTable.Meta):
        orderable = False
        per_page = 10_000
        row_attrs = {"class": lambda record: "estimate" if record.is_estimate else "actual"}
        attrs = {"class": "data budget-summary"}

    caption = _("Costs and the municipalities' fund per year (kr)")
