"""The budget's tables for templates that show a plan's budget without a finance view (the plan page,
the PDF)."""

from django import template

from finance.budget import financing, party_shares
from finance.tables import BudgetSummaryTable, BudgetYearTable, financing_rows, party_name, year_rows

register = template.Library()


@register.simple_tag
def budget_summary_table(budget_years):
    return BudgetSummaryTable(budget_years)


@register.simple_tag
def budget_year_tables(budget_years):
    return [BudgetYearTable(year) for year in budget_years]


@register.simple_tag
def budget_rows(year):
    """The rows of one year's table (``finance.tables.year_rows``), for the PDF."""
    return year_rows(year)


@register.simple_tag
def budget_financing(budget_years):
    """Income by source against the costs, or None without budget lines."""
    money = financing(budget_years)
    return money and {"financing": money, "rows": financing_rows(money)}


@register.filter
def party_label(party):
    return party_name(party)


@register.simple_tag
def budget_party_shares(budget_years):
    """Each party's share of the net cost per year, for the PDF (pages use PartyShareTable)."""
    return party_shares(budget_years) if budget_years and budget_years[0].parties else []
