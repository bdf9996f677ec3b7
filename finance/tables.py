"""The budget's tables: a table per year with a column per party, the budget as one sheet for
spreadsheets, the sources of financing, each party's and each municipality's share of the net cost."""

from decimal import Decimal

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ehalsa.money import format_kronor
from ehalsa.tables import BaseTable, MoneyColumn, NumberColumn, RowHeaderColumn, RowHeaderTemplateColumn

from .budget import part_of, total_of

ZERO = Decimal(0)


def party_name(party) -> str:
    return party.display_name if party is not None else gettext("Common")


def opening_label(year) -> str:
    if year.opening_line:
        return year.opening_line.description
    if year.carried:
        return gettext("Opening balance %(year)s: closing balance %(previous)s of %(plan)s") % {
            "year": year.year,
            "previous": year.year - 1,
            "plan": year.carried.source,
        }
    return gettext("Opening balance %(year)s") % {"year": year.year}


def closing_label(year) -> str:
    text = gettext("Estimated closing balance %(year)s") if year.is_estimate else gettext("Closing balance %(year)s")
    return text % {"year": year.year}


def balance_cells(year, amount) -> tuple[list, Decimal | None]:
    """A balance in the fund's column when one party holds the fund (seed 000), else in the total."""
    columns = year.columns
    fund = year.fund_columns
    if len(fund) == 1 and len(columns) > 1:
        return [amount if party is fund[0] else None for party in columns], None
    return [None] * len(columns), amount


def line_cells(year, lines, *, negative: bool) -> list:
    sign = -1 if negative else 1
    return [sign * part_of(lines, party) for party in year.columns]


def year_rows(year) -> list[dict]:
    """The rows of one year as seed 000 lays them out: the opening balance, the income and the costs
    (costs with a minus sign) under their headings with subtotals, the totals, the closing balance."""
    cells, total = balance_cells(year, year.opening_balance)
    rows = [
        {"class": "balance", "label": opening_label(year), "entry": year.opening_line, "cells": cells, "total": total}
    ]
    for lines, is_cost, total_label in (
        (year.income_lines, False, gettext("Income %(year)s in total")),
        (year.cost_lines, True, gettext("Costs %(year)s in total")),
    ):
        for group in year.groups(lines):
            if group.heading:
                rows.append({"class": "heading", "label": group.heading.title, "cells": [None] * len(year.columns)})
            for line in group.lines:
                rows.append(
                    {
                        "class": "estimate" if line.entry.is_estimate else "actual",
                        "line": line,
                        "entry": line.entry,
                        "cells": [
                            line.signed(line.part(party)) if line.part(party) else None for party in year.columns
                        ],
                        "total": line.signed_total,
                        "outcome": line.signed(line.outcome) if line.outcome is not None else None,
                    }
                )
            if group.heading:
                rows.append(
                    {
                        "class": "subtotal",
                        "label": gettext("%(heading)s in total") % {"heading": group.heading.title},
                        "cells": line_cells(year, group.lines, negative=is_cost),
                        "total": -group.total if is_cost else group.total,
                    }
                )
        if len(lines) > 1:
            rows.append(
                {
                    "class": "subtotal",
                    "label": total_label % {"year": year.year},
                    "cells": line_cells(year, lines, negative=is_cost),
                    "total": -total_of(lines) if is_cost else total_of(lines),
                }
            )
    cells, total = balance_cells(year, year.closing_balance)
    rows.append({"class": "balance", "label": closing_label(year), "cells": cells, "total": total})
    return rows


class EditingColumn(tables.TemplateColumn):
    """A column of edit links, headed for screen readers only."""

    @property
    def header(self):
        return format_html('<span class="visually-hidden">{}</span>', _("Editing"))


def party_columns(parties, *, accessor: str = "cells", footers=None) -> list[tuple[str, tables.Column]]:
    return [
        (
            f"party_{index}",
            MoneyColumn(
                verbose_name=gettext("%(party)s (kr)") % {"party": party_name(party)},
                accessor=tables.A(f"{accessor}__{index}"),
                default="",
                **({"footer": format_kronor(footers[index], unit=False)} if footers else {}),
            ),
        )
        for index, party in enumerate(parties)
    ]


class BudgetYearTable(BaseTable):
    """One budget year: a column per party, the total, and for past years the outcome."""

    line = RowHeaderTemplateColumn(template_name="finance/includes/budget_line_cell.html", verbose_name=_("Line"))
    total = MoneyColumn(verbose_name=_("Total (kr)"), default="")
    outcome = MoneyColumn(verbose_name=_("Outcome (kr)"), default="")
    controls = EditingColumn(template_name="finance/includes/budget_line_controls_cell.html", empty_values=())
    record_outcome = EditingColumn(template_name="finance/includes/outcome_controls_cell.html", empty_values=())

    class Meta(BaseTable.Meta):
        orderable = False
        per_page = 10_000
        attrs = {"class": "data budget"}
        row_attrs = {"class": lambda record: record["class"]}
        sequence = ("line", "...", "total", "outcome", "controls", "record_outcome")

    def __init__(self, year, *, editable=False, record_outcomes=False, **kwargs):
        """``editable``: a draft's lines, with edit links; ``record_outcomes``: an adopted plan's
        year that has begun, with a link per line to record what it came to."""
        rows = year_rows(year)
        exclude = [] if editable else ["controls"]
        if not record_outcomes:
            exclude.append("record_outcome")
        if not record_outcomes and not any(row.get("outcome") is not None for row in rows):
            exclude.append("outcome")
        columns = party_columns(year.columns) if len(year.columns) > 1 or year.columns[0] is not None else []
        attrs = {"class": "data budget", "id": f"budget-{year.year}"}
        super().__init__(rows, exclude=exclude, extra_columns=columns, attrs=attrs, **kwargs)
        self.caption = str(year.year)


class BudgetLineTable(BaseTable):
    """The budget as one sheet, for spreadsheets: every year's rows, then the financing by source."""

    export_title = _("Budget")

    year = tables.Column(verbose_name=_("Year"))
    line = tables.Column(verbose_name=_("Line"))
    kind = tables.Column(verbose_name=_("Kind"))
    heading = tables.Column(verbose_name=_("Heading"))
    status = tables.Column(verbose_name=_("Actual or estimated"))
    start_date = tables.Column(verbose_name=_("From"))
    end_date = tables.Column(verbose_name=_("To"))
    total = MoneyColumn(verbose_name=_("Total (kr)"))
    outcome = MoneyColumn(verbose_name=_("Outcome (kr)"))

    class Meta(BaseTable.Meta):
        orderable = False
        per_page = 10_000
        sequence = ("year", "line", "kind", "heading", "status", "start_date", "end_date", "...", "total", "outcome")

    def __init__(self, budget_years, financing=None, **kwargs):
        columns = budget_years[0].columns if budget_years else []
        super().__init__(budget_rows(budget_years, financing), extra_columns=party_columns(columns), **kwargs)


def budget_rows(budget_years, financing=None) -> list[dict]:
    """One row per line, balance and total (costs negative, as seed 000 writes them), then the
    income by source against the costs, year by year and for the whole period."""
    rows = []
    for year in budget_years:
        for row in year_rows(year):
            line = row.get("line")
            entry = row.get("entry")
            rows.append(
                {
                    "year": year.year,
                    "line": entry.description if line else row["label"],
                    "kind": entry.get_kind_display() if line else "",
                    "heading": entry.heading.title if line and entry.heading_id else "",
                    "status": (gettext("estimated") if entry.is_estimate else gettext("actual")) if line else "",
                    "start_date": entry.start_date if line else None,
                    "end_date": entry.end_date if line else None,
                    "cells": row["cells"],
                    "total": row.get("total"),
                    "outcome": row.get("outcome"),
                }
            )
    if financing is not None:
        period = gettext("The whole period")
        for year_index, year in [*enumerate(financing.years), (None, period)]:
            for label, amounts in financing_rows(financing):
                amount = sum(amounts, ZERO) if year_index is None else amounts[year_index]
                rows.append({"year": year, "line": label, "kind": gettext("Financing"), "cells": [], "total": amount})
    return rows


def financing_rows(financing) -> list[tuple[str, list[Decimal]]]:
    """The sources of income, their sum and the costs: "grant + co-financing = total"."""
    return [
        *financing.sources,
        (gettext("Income in total"), financing.income),
        (gettext("Costs in total"), financing.costs),
        (gettext("Income less costs"), financing.difference),
    ]


class YearsTable(BaseTable):
    """Rows named in the first column, an amount per year and the whole period's total."""

    name = RowHeaderColumn(verbose_name=_("Source"))
    total = MoneyColumn(verbose_name=_("Total"))

    class Meta(BaseTable.Meta):
        orderable = False
        per_page = 10_000
        sequence = ("name", "...", "total")
        row_attrs = {"class": lambda record: record.get("class", ""), "id": lambda record: record.get("id")}

    def __init__(self, rows, *, years, **kwargs):
        columns = [
            (f"year_{year}", MoneyColumn(verbose_name=str(year), accessor=tables.A(f"amounts__{index}")))
            for index, year in enumerate(years)
        ]
        super().__init__(rows, extra_columns=columns, **kwargs)


class FinancingTable(YearsTable):
    """Income by source against the costs, per year and for the whole period."""

    caption = _("Financing by source (kr)")

    class Meta(YearsTable.Meta):
        pass

    def __init__(self, financing, **kwargs):
        names = {label for label, _ in financing.sources}
        rows = [
            {
                "name": label,
                "amounts": amounts,
                "total": sum(amounts, ZERO),
                "class": "" if label in names else "subtotal",
            }
            for label, amounts in financing_rows(financing)
        ]
        super().__init__(rows, years=financing.years, **kwargs)


class PartyShareTable(YearsTable):
    """Each party's share of the net cost (costs less outside income), per year; the footer is the
    net cost, which the shares add up to."""

    caption = _("Each party's share of the net cost (kr)")

    class Meta(YearsTable.Meta):
        pass

    def __init__(self, shares, budget_years, **kwargs):
        rows = [
            {
                "name": party_name(share.party),
                "amounts": share.shares,
                "total": share.total,
                "id": f"andel-{share.party.organisation_id}" if share.party and share.party.organisation_id else None,
            }
            for share in shares
        ]
        rows.append(
            {
                "name": gettext("Net cost: costs less grants and other outside income"),
                "amounts": [year.net_cost for year in budget_years],
                "total": sum((year.net_cost for year in budget_years), ZERO),
                "class": "subtotal",
            }
        )
        super().__init__(rows, years=[year.year for year in budget_years], **kwargs)
        self.columns["name"].column.verbose_name = _("Party")


class BudgetSummaryTable(BaseTable):
    """Costs, net cost and the fund per year (``BudgetYear`` rows), estimated years marked."""

    year = RowHeaderTemplateColumn(
        '{{ record.year|stringformat:"d" }}{% load i18n %}{% if record.is_estimate %} <span class="tag">'
        '{% translate "estimated" %}</span>{% endif %}',
        verbose_name=_("Year"),
    )
    costs_total = MoneyColumn(verbose_name=_("Costs"))
    income_total = MoneyColumn(verbose_name=_("Income"))
    net_cost = MoneyColumn(verbose_name=_("Net cost"))
    closing_balance = MoneyColumn(verbose_name=_("Closing balance"))

    class Meta(BaseTable.Meta):
        orderable = False
        per_page = 10_000
        row_attrs = {"class": lambda record: "estimate" if record.is_estimate else "actual"}
        attrs = {"class": "data budget-summary"}

    caption = _("Costs, income and the fund per year (kr)")


class MunicipalShareTable(BaseTable):
    """Each member municipality's share of the municipalities' net cost (``MunicipalShare`` rows),
    per year and in total; the reader's own municipality marked."""

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
        row_attrs = {
            "class": lambda record, table: "own" if record.municipality.pk in table.own else "",
            "id": lambda record: f"andel-{record.municipality.pk}",
        }

    caption = _("The municipalities' share of the net cost, per municipality (kr)")

    def render_municipality(self, record, value):
        if record.municipality.pk in self.own:
            return format_html('{} <strong class="tag">{}</strong>', value, _("your municipality"))
        return value

    def __init__(self, rows, *, years, own, **kwargs):
        self.own = own
        totals = [sum((row.shares[i] for row in rows), ZERO) for i in range(len(years))]
        self.grand_total = sum(totals, ZERO)
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
