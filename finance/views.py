"""The budget of a plan: parties, keys, yearly tables, financing, shares, chart, effort; and editing."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, UpdateView
from django_tables2 import RequestConfig

from activities.effort import effort_summary
from activities.tables import effort_tables
from ehalsa.tables import ExportableTableMixin
from plans.access import can_edit_plan, plans_visible_to
from plans.edit_views import (
    FormPageMixin,
    PlanEditMixin,
    PlanPartCreateView,
    PlanPartDeleteView,
    PlanPartUpdateView,
    VersionedSaveMixin,
)

from .budget import financing, municipal_shares, party_shares, plan_budget, sharing_municipalities
from .chart import build_chart
from .forms import BudgetEntryForm, BudgetHeadingForm, BudgetOutcomeForm, CostSharingKeyForm, FinancingPartyForm
from .models import BudgetEntry, BudgetHeading, BudgetOutcome, CostSharingKey, FinancingParty, key_for_year
from .tables import BudgetLineTable, BudgetYearTable, FinancingTable, MunicipalShareTable, PartyShareTable


class BudgetView(ExportableTableMixin, TemplateView):
    """Everyone who may read the plan may read its budget."""

    template_name = "finance/budget.html"

    def export_name_parts(self):
        return [_("budget"), *self.plan.download_name_parts]

    def get_context_data(self, **kwargs):
        self.plan = get_object_or_404(
            plans_visible_to(self.request.user).select_related("cooperation", "previous_plan"),
            pk=self.kwargs["plan_pk"],
        )
        plan = self.plan
        budget_years = plan_budget(plan)
        parties = budget_years[0].parties if budget_years else list(plan.parties.select_related("organisation"))
        keys = list(plan.cost_keys.prefetch_related("shares__party__organisation", "municipal_amounts"))
        money = financing(budget_years)
        shares = party_shares(budget_years)
        table = BudgetLineTable(budget_years, money)
        RequestConfig(self.request, paginate=False).configure(table)
        activities = plan.activities.select_related("area").prefetch_related("effort_shares__organisation")
        coordinates = can_edit_plan(self.request.user, plan)
        can_edit = plan.is_editable and coordinates
        may_record, this_year = plan.is_public and coordinates, timezone.localdate().year
        context = super().get_context_data(
            plan=plan,
            parties=parties,
            keys=keys,
            headings=list(plan.budget_headings.all()),
            budget_years=budget_years,
            carried=next((year.carried for year in budget_years if year.carried), None),
            chart=build_chart(budget_years),
            table=table,
            financing=money,
            financing_table=FinancingTable(money) if money and money.sources else None,
            party_share_table=PartyShareTable(shares, budget_years) if parties else None,
            any_surplus=any(share < 0 for row in shares for share in row.shares),
            **effort_tables(effort_summary(activities)),
            budget_year_tables=[
                BudgetYearTable(year, editable=can_edit, record_outcomes=may_record and year.year <= this_year)
                for year in budget_years
            ],
            can_edit=can_edit,
            **kwargs,
        )
        context.update(self.municipal_table(plan, keys, budget_years))
        return context

    def municipal_table(self, plan, keys, budget_years) -> dict:
        """Each member municipality's share of the municipalities' net cost, per year and in total."""
        if not any(party.is_municipalities for party in (budget_years[0].parties if budget_years else [])):
            return {
                "municipal_rows": [],
                "municipal_note": _("No party of this plan stands for the member municipalities together."),
            }
        municipalities = sharing_municipalities(plan)
        try:
            rows = municipal_shares(budget_years, keys, municipalities)
        except ValidationError as error:  # populations missing, named
            return {"municipal_rows": [], "municipal_error": " ".join(error.messages)}
        if not rows:  # say why, of the causes there are
            if not municipalities:
                empty = _("The cooperation has no member municipalities.")
            else:
                empty = _("No costs are shared by the member municipalities yet.")
            return {"municipal_rows": [], "municipal_empty": empty}
        user = self.request.user
        own = set(user.memberships.values_list("organisation_id", flat=True)) if user.is_authenticated else set()
        table = MunicipalShareTable(rows, years=[year.year for year in budget_years], own=own)
        return {"municipal_rows": rows, "municipal_table": table}


def budget_url(plan) -> str:
    return reverse("finance:budget", args=[plan.pk])


class BudgetEditMixin:
    """Budget forms take the plan and lead back to the budget page."""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "plan": self.plan}

    def get_success_url(self):
        return budget_url(self.plan)


# --- Budget lines ---------------------------------------------------------------------------------


class BudgetEntryCreateView(BudgetEditMixin, PlanPartCreateView):
    model = BudgetEntry
    form_class = BudgetEntryForm
    heading = gettext_lazy("New budget line")

    @property
    def success_text(self):
        return _("The budget line was added.")


class BudgetEntryUpdateView(BudgetEditMixin, PlanPartUpdateView):
    model = BudgetEntry
    form_class = BudgetEntryForm
    heading = gettext_lazy("Edit the budget line")

    @property
    def success_text(self):
        return _("The budget line was saved.")


class BudgetEntryDeleteView(PlanPartDeleteView):
    model = BudgetEntry

    def get_success_url(self):
        return budget_url(self.plan)


class BudgetOutcomeView(PlanEditMixin, FormPageMixin, VersionedSaveMixin, UpdateView):
    """A line's outcome in one of its years, recorded (or corrected) once the plan is adopted.

    The coordinator's, like the follow-up of the activities: the adopted budget stays as adopted."""

    require_draft = False
    model = BudgetOutcome
    form_class = BudgetOutcomeForm

    def get_plan(self):
        self.entry = get_object_or_404(
            BudgetEntry.objects.filter(plan__in=plans_visible_to(self.request.user)).select_related("plan"),
            pk=self.kwargs["pk"],
        )
        return self.entry.plan

    def get_object(self, queryset=None):
        """The recorded outcome to correct, or a new one; a form opened for a new one stays that
        (its repeat is recognised, another's outcome saved meanwhile is not overwritten). A year the
        line has no amount in has no outcome page."""
        year = self.kwargs["year"]
        stored = self.entry.outcomes.filter(year=year).first()
        # An outcome stored before this check stays open to correction.
        if stored is None and year not in dict(self.entry.amounts_by_year(self.plan.last_year)):
            raise Http404("The line has no amount in that year.")
        new = BudgetOutcome(entry=self.entry, year=year)
        if self.request.method == "POST" and not self.request.POST.get("version"):
            return new
        return stored or new

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"].recorded_by = self.request.user
        return kwargs

    def get_context_data(self, **kwargs):
        amount = dict(self.entry.amounts_by_year(self.plan.last_year)).get(self.kwargs["year"])
        heading = _("Outcome %(year)s: %(line)s") % {"year": self.kwargs["year"], "line": self.entry.description}
        return super().get_context_data(heading=heading, budgeted=amount, **kwargs)

    def get_success_url(self):
        return f"{budget_url(self.plan)}#budget-{self.kwargs['year']}"

    @property
    def success_text(self):
        return _("The outcome was recorded.")


# --- Parties --------------------------------------------------------------------------------------


class FinancingPartyCreateView(BudgetEditMixin, PlanPartCreateView):
    model = FinancingParty
    form_class = FinancingPartyForm
    heading = gettext_lazy("New financing party")

    @property
    def success_text(self):
        return _("The party was added.")


class FinancingPartyUpdateView(BudgetEditMixin, PlanPartUpdateView):
    model = FinancingParty
    form_class = FinancingPartyForm
    heading = gettext_lazy("Edit the financing party")

    @property
    def success_text(self):
        return _("The party was saved.")


class FinancingPartyDeleteView(PlanPartDeleteView):
    """A party's lines become shared by the key, said first; a party in a key is kept until the key
    no longer names it (the key would not add up to 100 %)."""

    model = FinancingParty
    template_name = "finance/party_confirm_delete.html"

    def get_success_url(self):
        return budget_url(self.plan)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            lines=list(self.object.budget_entries.order_by("year", "order")),
            keys=list(CostSharingKey.objects.filter(shares__party=self.object).distinct()),
            **kwargs,
        )

    def form_valid(self, form):
        if self.object.key_shares.exists():
            messages.error(
                self.request,
                _("%(party)s has a share in a cost-sharing key. Change the key first.") % {"party": self.object},
            )
            return redirect(self.get_success_url())
        with transaction.atomic():
            for entry in self.object.budget_entries.all():
                entry.party = None
                entry.version += 1
                entry.save()
            return super().form_valid(form)


# --- Headings -------------------------------------------------------------------------------------


class BudgetHeadingCreateView(BudgetEditMixin, PlanPartCreateView):
    model = BudgetHeading
    form_class = BudgetHeadingForm
    heading = gettext_lazy("New budget heading")

    @property
    def success_text(self):
        return _("The heading was added.")


class BudgetHeadingUpdateView(BudgetEditMixin, PlanPartUpdateView):
    model = BudgetHeading
    form_class = BudgetHeadingForm
    heading = gettext_lazy("Edit the budget heading")

    @property
    def success_text(self):
        return _("The heading was saved.")


class BudgetHeadingDeleteView(PlanPartDeleteView):
    """Its lines stay, without a heading; the page says so first."""

    model = BudgetHeading
    template_name = "finance/heading_confirm_delete.html"

    def get_success_url(self):
        return budget_url(self.plan)

    def get_context_data(self, **kwargs):
        return super().get_context_data(lines=list(self.object.entries.order_by("year", "order")), **kwargs)

    def form_valid(self, form):
        with transaction.atomic():
            for entry in self.object.entries.all():
                entry.heading = None
                entry.version += 1
                entry.save()
            return super().form_valid(form)


# --- Keys -----------------------------------------------------------------------------------------


class KeyFormMixin(BudgetEditMixin):
    model = CostSharingKey
    form_class = CostSharingKeyForm
    template_name = "finance/key_form.html"

    def after_save(self, form):
        form.save_shares(self.object)


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
    """Says which years change key before it removes one."""

    model = CostSharingKey
    template_name = "finance/key_confirm_delete.html"

    def get_success_url(self):
        return budget_url(self.plan)

    def get_context_data(self, **kwargs):
        keys = list(self.plan.cost_keys.prefetch_related("shares__party__organisation", "municipal_amounts"))
        others = [key for key in keys if key.pk != self.object.pk]
        changes = []
        for year in self.plan.years:
            if key_for_year(keys, year) == self.object:
                changes.append((year, key_for_year(others, year)))
        return super().get_context_data(changes=changes, **kwargs)

    def form_valid(self, form):
        with transaction.atomic():
            self.object.shares.all().delete()
            return super().form_valid(form)
