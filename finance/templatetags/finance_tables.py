"""The budget's tables for templates that show a plan's budget without a finance view (the plan page)."""

from django import template

from finance.tables import BudgetSummaryTable

register = template.Library()


@register.simple_tag
def budget_summary_table(budget_years):
    return BudgetSummaryTable(budget_years)
