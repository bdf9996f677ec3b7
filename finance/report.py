"""The budget's section of a plan's yearly follow-up report (``plans.reports``): each line of the
report's year, its budget against its outcome (utfall).

The lines are the plan's own for that year. A plan whose budget has no lines in the year is followed
up by the plan after it (seed 000: the 2016–2017 plan's budget reports the outcome of 2014–2015), so
then the lines are that plan's, and the section says so.

A line's outcome is what was recorded for its year after the adoption (``BudgetOutcome``), else what
was entered in the plan as its outcome; a line entered as actual rather than estimated
(``is_estimate`` off) is its own outcome. The values keep codes, amounts as strings and the texts
as written; the differences and totals are computed when shown.
"""

from decimal import Decimal

import django_tables2 as tables
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ehalsa.tables import BaseTable, MoneyColumn, RowHeaderColumn
from plans.parts import ReportSection

from .budget import plan_budget
from .models import BudgetEntry


class ReportOutcomeTable(BaseTable):
    """The year's budget lines: budget, outcome and the difference (rows of the report's values)."""

    line = RowHeaderColumn(verbose_name=gettext_lazy("Line"))
    kind = tables.Column(verbose_name=gettext_lazy("Kind"))
    budget = MoneyColumn(verbose_name=gettext_lazy("Budget (kr)"), default="–")
    outcome = MoneyColumn(verbose_name=gettext_lazy("Outcome (kr)"), default="–")
    difference = MoneyColumn(verbose_name=gettext_lazy("Difference (kr)"), default="–")

    class Meta(BaseTable.Meta):
        orderable = False
        per_page = 10_000
        row_attrs = {"class": lambda record: record.get("class", "")}


def budget_year_of(plan, year: int):
    """``(plan whose budget holds the year, its BudgetYear)``: the plan's own, else a later plan's."""
    for candidate in [plan, *plan.next_plans.order_by("first_year", "pk")]:
        for budget_year in plan_budget(candidate):
            if budget_year.year == year and (budget_year.lines or budget_year.opening_line):
                return candidate, budget_year
    return None, None


def outcome_of(line: dict) -> Decimal | None:
    if line["outcome"] is not None:
        return Decimal(line["outcome"])
    return None if line["is_estimate"] else Decimal(line["amount"])


class OutcomeReport:
    """``PlanPart``'s report methods for the budget (mixed into ``BudgetPart``)."""

    report_key = "budget"

    def report_values(self, plan, year: int) -> dict:
        source, budget_year = budget_year_of(plan, year)
        if budget_year is None:
            return {"year": year, "source": "", "lines": []}
        return {
            "year": year,
            "source": source.title if source.pk != plan.pk else "",
            "opening_balance": str(budget_year.opening_balance),
            "closing_balance": str(budget_year.closing_balance),
            "lines": [
                {
                    "kind": line.entry.kind,
                    "category": line.entry.category,
                    "heading": line.entry.heading.title if line.entry.heading_id else "",
                    "description": line.entry.description,
                    "amount": str(line.amount),
                    "outcome": None if line.outcome is None else str(line.outcome),
                    "is_estimate": line.entry.is_estimate,
                }
                for line in budget_year.lines
            ],
        }

    def report_section(self, values: dict) -> ReportSection:
        kinds = dict(BudgetEntry.Kind.choices)
        rows = []
        for kind in (BudgetEntry.Kind.INCOME, BudgetEntry.Kind.COST):
            lines = [line for line in values["lines"] if line["kind"] == kind]
            for line in lines:
                rows.append(row(line["description"], kinds[kind], Decimal(line["amount"]), outcome_of(line)))
            if lines:
                outcomes = [outcome_of(line) for line in lines]
                total = _("Income in total") if kind == BudgetEntry.Kind.INCOME else _("Costs in total")
                rows.append(
                    row(
                        total,
                        "",
                        sum((Decimal(line["amount"]) for line in lines), Decimal(0)),
                        None if None in outcomes else sum(outcomes, Decimal(0)),
                        css="subtotal",
                    )
                )
        missing = sum(1 for line in values["lines"] if outcome_of(line) is None)
        return ReportSection(
            heading=_("Budget and outcome %(year)s") % {"year": values["year"]},
            anchor="ekonomi",
            page_template="finance/includes/report_outcome.html",
            pdf_template="finance/pdf/report_outcome.html",
            context={
                "year": str(values["year"]),
                "source": values["source"],
                "rows": rows,
                "table": ReportOutcomeTable(rows),
                "opening_balance": values.get("opening_balance"),
                "closing_balance": values.get("closing_balance"),
                "missing_outcomes": missing,
            },
        )


def row(line: str, kind: str, budget: Decimal, outcome: Decimal | None, css: str = "") -> dict:
    difference = None if outcome is None else outcome - budget
    return {"line": line, "kind": kind, "budget": budget, "outcome": outcome, "difference": difference, "class": css}
