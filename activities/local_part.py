"""A local plan's choices on its template's activities as a part of the plan (``plans.parts``): in its
document and PDF, frozen with its adopted version, copied into its revisions, in its history."""

from plans.access import can_edit_plan
from plans.document import rebuilt
from plans.parts import PlanPart
from plans.services import copied_values
from plans.versions import values_of

from .local_models import LocalChoice
from .local_tables import LocalChoiceTable


class LocalChoicesPart(PlanPart):
    def document(self, plan) -> dict:
        if not plan.municipality_id:
            return {}
        return {"local_choices": list(plan.local_choices.all())}

    def snapshot(self, plan) -> dict:
        if not plan.municipality_id:
            return {}
        return {"local_choices": [values_of(choice) for choice in plan.local_choices.all()]}

    def frozen_document(self, snapshot: dict) -> dict:
        if "local_choices" not in snapshot:
            return {}
        return {"local_choices": [rebuilt(LocalChoice, values) for values in snapshot["local_choices"]]}

    def page(self, request, plan, document: dict) -> dict:
        if not document.get("local_choices"):
            return {}
        may_change = plan.is_editable and can_edit_plan(request.user, plan)  # the rule of the choice's page
        return {"local_choices_table": LocalChoiceTable(document["local_choices"], plan=plan, may_change=may_change)}

    def copy(self, *, source, target, goals: dict, next_period: bool) -> None:
        """A revision of a local plan keeps its choices; the next period's plan is the municipality's own."""
        if next_period or not source.municipality_id:
            return
        for choice in source.local_choices.all():
            LocalChoice.objects.create(**copied_values(choice, plan_id=target.pk))

    def history(self, plan) -> list:
        return [LocalChoice.history.filter(plan_id=plan.pk)]
