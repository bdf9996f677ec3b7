"""The budget of a plan: yearly tables, chart, each municipality's share, effort per party; and editing."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from django_tables2 import RequestConfig

from activities.effort import effort_summary
from activities.tables import effort_tables
from ehalsa.tables import ExportableTableMixin
from plans.access import can_edit_plans_of, plans_visible_to
from plans.edit_views import PlanPartCreateView, PlanPartDeleteView, PlanPartUpdateView

from .budget import municipal_shares
from .chart import build_chart
from .forms import BudgetEntryForm, CostSharingKeyForm
from .models import BudgetEntry, CostSharingKey
from .tables import BudgetLineTable, BudgetYearTable, MunicipalShareTable, budget_rows


class BudgetView(ExportableTableMixin, TemplateView):
    """Everyone who may read the plan may read its budget."""

    template_name = "finance/budget.html"

    @property
    def export_name(self):
        return f"budget-plan-{self.plan.pk}"

    def get_context_data(self, **kwargs):
        self.plan = get_object_or_404(
            plans_visible_to(self.request.user).select_related("cooperation", "previous_plan"),
            pk=self.kwargs["plan_pk"],
        )
        plan = self.plan
        keys = list(plan.cost_keys.all())
        budget_years = plan.budget_entries.budget_years(keys)
        table = BudgetLineTable(budget_rows(budget_years))
        RequestConfig(self.request, paginate=False).configure(table)
        activities = plan.activities.select_related("area").prefetch_related("effort_shares__organisation")
        can_edit = plan.is_editable and can_edit_plans_of(self.request.user, plan.cooperation)
        context = super().get_context_data(
            plan=plan,
            keys=keys,
            budget_years=budget_years,
            chart=build_chart(budget_years),
            table=table,
            **effort_tables(effort_summary(activities)),
            budget_year_tables=[BudgetYearTable(year, editable=can_edit) for year in budget_years],
            can_edit=can_edit,
            **kwargs,
        )
        context.update(self.municipal_table(plan, keys, budget_years))
        return context

    def municipal_table(self, plan, keys, budget_years) -> dict:
        """Each member municipality's share of the municipalities' costs, per year and in total."""
        municipalities = plan.cooperation.members.municipalities().order_by("name")
        try:
            rows = municipal_shares(budget_years, keys, municipalities)
        except ValidationError as error:
            return {"municipal_rows": [], "municipal_error": " ".join(error.messages)}
        user = self.request.user
        own = set(user.memberships.values_list("organisation_id", flat=True)) if user.is_authenticated else set()
        table = MunicipalShareTable(rows, years=[year.year for year in budget_years], own=own)
        return {"municipal_rows": rows, "municipal_table": table}


# --- Editing (coordinators of the cooperation, drafts only; access in PlanEditMixin) ---------------


class BudgetEntryCreateView(PlanPartCreateView):
    model = BudgetEntry
    form_class = BudgetEntryForm
    heading = gettext_lazy("New budget line")

    def get_success_url(self):
        return budget_url(self.plan)

    @property
    def success_text(self):
        return _("The budget line was added.")


class BudgetEntryUpdateView(PlanPartUpdateView):
    model = BudgetEntry
    form_class = BudgetEntryForm
    heading = gettext_lazy("Edit the budget line")

    def get_success_url(self):
        return budget_url(self.plan)

    @property
    def success_text(self):
        return _("The budget line was saved.")


class BudgetEntryDeleteView(PlanPartDeleteView):
    model = BudgetEntry

    def get_success_url(self):
        return budget_url(self.plan)


class KeyFormMixin:
    model = CostSharingKey
    form_class = CostSharingKeyForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "plan": self.plan}

    def get_success_url(self):
        return budget_url(self.plan)


class CostSharingKeyCreateView(KeyFormMixin, PlanPartCreateView):
    heading = gettext_lazy("New cost-sharing key")

    def prepare(self, instance):
        instance.plan = self.plan

    @property
    def success_text(self):
        return _("The cost-sharing key was added.")


class CostSharingKeyUpdateView(KeyFormMixin, PlanPartUpdateView):
    heading = gettext_lazy("Edit the cost-sharing key")

    @property
    def success_text(self):
        return _("The cost-sharing key was saved.")


class CostSharingKeyDeleteView(PlanPartDeleteView):
    model = CostSharingKey

    def get_success_url(self):
        return budget_url(self.plan)


def budget_url(plan) -> str:
    from django.urls import reverse

    return reverse("finance:budget", args=[plan.pk])
