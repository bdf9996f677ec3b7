from decimal import Decimal

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from ehalsa.money import format_kronor
from ehalsa.tables import BaseTable, MoneyColumn, NumberColumn, RowHeaderColumn, RowHeaderTemplateColumn


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


class EditingColumn(tables.TemplateColumn):
    """A column of edit links, headed for screen readers only."""

    @property
    def header(self):
        return format_html('<span class="visually-hidden">{}</span>', _("Editing"))


class BudgetYearTable(BaseTable):
    """One budget year as seed 000 lays it out: the opening balance, every line (costs with a minus
    sign), the costs in total when there are several, and the closing balance."""

    line = RowHeaderTemplateColumn(template_name="finance/includes/budget_line_cell.html", verbose_name=_("Line"))
    municipalities = MoneyColumn(verbose_name=_("Municipalities (kr)"), default="")
    region = MoneyColumn(verbose_name=_("Region (kr)"), default="")
    total = MoneyColumn(verbose_name=_("Total (kr)"), default="")
    controls = EditingColumn(template_name="finance/includes/budget_line_controls_cell.html", empty_values=())

    class Meta(BaseTable.Meta):
        orderable = False
        per_page = 10_000
        attrs = {"class": "data budget"}
        row_attrs = {"class": lambda record: record["class"]}

    def __init__(self, year, *, editable=False, **kwargs):
        super().__init__(year_rows(year), exclude=() if editable else ("controls",), **kwargs)
        self.caption = str(year.year)


def year_rows(year) -> list[dict]:
    from django.utils.translation import gettext as gettext_now

    opening = {
        "class": "balance",
        "label": year.opening_line.description
        if year.opening_line
        else gettext_now("Opening balance %(year)s") % {"year": year.year},
        "entry": year.opening_line,
        "municipalities": year.opening_balance,
    }
    lines = [
        {
            "class": "estimate" if line.entry.is_estimate else "actual",
            "line": line.entry,
            "entry": line.entry,
            "municipalities": line.signed_municipalities,
            "region": line.signed_region,
            "total": line.signed_total,
        }
        for line in year.lines
    ]
    subtotal = {
        "class": "subtotal",
        "label": gettext_now("Costs %(year)s in total") % {"year": year.year},
        "municipalities": -year.costs_municipalities,
        "region": -year.costs_region,
        "total": -year.costs_total,
    }
    closing = {
        "class": "balance",
        "label": (
            gettext_now("Estimated closing balance %(year)s")
            if year.is_estimate
            else gettext_now("Closing balance %(year)s")
        )
        % {"year": year.year},
        "municipalities": year.closing_balance,
    }
    return [opening, *lines, *([subtotal] if len(year.cost_lines) > 1 else []), closing]


class MunicipalShareTable(BaseTable):
    """Each member municipality's share of the municipalities' costs (``MunicipalShare`` rows), per
    year and in total; the reader's own municipality marked."""

    municipality = RowHeaderColumn(
        accessor="municipality__name", verbose_name=_("Municipality"), footer=_("All municipalities")
    )
    population = NumberColumn(verbose_name=_("Population"), default="–")
    percent = tables.TemplateColumn(
        "{{ record.percent|floatformat:1 }}&nbsp;%",
        verbose_name=_("Share"),
        attrs={"td": {"class": "num"}, "th": {"class": "num"}, "tf": {"class": "num"}},
        footer=mark_safe("100&nbsp;%"),
    )
    total = MoneyColumn(verbose_name=_("Total"), footer=lambda table: format_kronor(table.grand_total, unit=False))

    class Meta(BaseTable.Meta):
        orderable = False
        per_page = 10_000
        attrs = {"class": "data municipal-shares"}
        sequence = ("municipality", "population", "percent", "...", "total")
        row_attrs = {"class": lambda record, table: "own" if record.municipality.pk in table.own else ""}

    caption = _("The municipalities' share of the costs, per municipality (kr)")

    def render_municipality(self, record, value):
        if record.municipality.pk in self.own:
            return format_html('{} <strong class="tag">{}</strong>', value, _("your municipality"))
        return value

    def __init__(self, rows, *, years, own, **kwargs):
        self.own = own
        totals = [sum((row.shares[i] for row in rows), Decimal(0)) for i in range(len(years))]
        self.grand_total = sum(totals, Decimal(0))
        columns = [
            (
                f"year_{year}",
                MoneyColumn(
                    verbose_name=str(year),
                    accessor=tables.A(f"shares__{index}"),
                    footer=format_kronor(totals[index], unit=False),
                ),
            )
            for index, year in enumerate(years)
        ]
        super().__init__(rows, extra_columns=columns, **kwargs)
