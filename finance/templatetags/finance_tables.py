"""The budget's tables for templates that show a plan's budget without a finance view (the plan page)."""

from django import template

from finance.tables import BudgetSummaryTable, BudgetYearTable

register = template.Library()


@register.simple_tag
def budget_summary_table(budget_years):
    return BudgetSummaryTable(budget_years)


@register.simple_tag
def budget_year_tables(budget_years):
    return [BudgetYearTable(year) for year in budget_years]
