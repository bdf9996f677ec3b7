"""The budget as a part of every plan (``plans.parts``): in its document, its copies, its history."""

from plans.document import rebuilt
from plans.parts import PlanPart
from plans.services import copied_values

from .budget import compute_budget_years
from .chart import build_chart
from .models import BudgetEntry, CostSharingKey


class BudgetPart(PlanPart):
    def document(self, plan) -> dict:
        keys = list(plan.cost_keys.all())
        budget_years = plan.budget_entries.budget_years(keys)
        return {"keys": keys, "budget_years": budget_years, "chart": build_chart(budget_years)}

    def frozen_document(self, snapshot: dict) -> dict:
        keys = [rebuilt(CostSharingKey, values) for values in snapshot["keys"]]
        entries = sorted(
            (rebuilt(BudgetEntry, values) for values in snapshot["budget"]), key=lambda e: (e.year, e.order, e.pk)
        )
        budget_years = compute_budget_years(entries, keys)
        return {"keys": keys, "budget_years": budget_years, "chart": build_chart(budget_years)}

    def copy(self, *, source, target, goals: dict, next_period: bool) -> None:
        """A next period's plan keeps the key for all years; a revision takes every key and line."""
        keys = source.cost_keys.filter(year=None) if next_period else source.cost_keys.all()
        for key in keys:
            CostSharingKey.objects.create(**copied_values(key, plan_id=target.pk))
        if not next_period:
            for entry in source.budget_entries.all():
                BudgetEntry.objects.create(**copied_values(entry, plan_id=target.pk))

    def history(self, plan) -> list:
        return [BudgetEntry.history.filter(plan_id=plan.pk), CostSharingKey.history.filter(plan_id=plan.pk)]
