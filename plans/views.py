from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.utils.functional import cached_property
from django.views.generic import DetailView
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin

from activities.coverage import cooperation_coverage, plan_coverage
from activities.filters import PlanActivityFilter
from activities.models import Activity
from activities.tables import PlanActivityTable, cooperation_coverage_table, plan_coverage_table
from ehalsa.freshness import fresh_key, kept
from ehalsa.history import entries_from
from ehalsa.tables import ExportableTableMixin, filtered
from governance.models import Cooperation, Decision
from governance.tables import DecisionTable

from .access import can_edit_plans_of, plans_visible_to
from .document import plan_document
from .filters import ActionPlanFilter
from .models import ActionPlan, Goal, Section
from .tables import ActionPlanTable, FollowUpOfPreviousTable


class ActionPlanListView(ExportableTableMixin, SingleTableMixin, FilterView):
    model = ActionPlan
    table_class = ActionPlanTable
    filterset_class = ActionPlanFilter
    template_name = "plans/actionplan_list.html"
    export_name = "handlingsplaner"

    def get_queryset(self):
        return plans_visible_to(self.request.user).select_related("cooperation").with_list_figures()


class ActionPlanDetailView(ExportableTableMixin, DetailView):
    """A plan as its readers see it; drafts answer 404 to anyone outside the cooperation."""

    model = ActionPlan
    body_template_name = "plans/includes/actionplan_body.html"

    def get_queryset(self):
        return plans_visible_to(self.request.user).select_related("cooperation", "previous_plan")

    @property
    def export_name(self):
        return f"aktiviteter-plan-{self.object.pk}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = self.object
        context["can_coordinate"] = self.can_coordinate
        context["stored_pdf"] = plan.stored_pdfs.filter(stamp="").order_by("-version_number").first()
        context["can_edit"] = self.can_edit_plan()
        key = self.body_cache_key()
        if key is None:
            context.update(self.body_context())
            context["plan_body"] = self.render_body(context)
        else:
            context["plan_body"] = kept(key, lambda: self.render_body({**context, **self.body_context()}))
        return context

    def body_cache_key(self) -> str | None:
        """The key the rendered body is kept under for the next reader, or None to render it now.

        The body is the same for every reader who may not edit the plan (an editor's has edit
        controls and a form token of their own), so it is kept under a key made from the data it
        shows (``ehalsa.freshness``): any change gives a new key. An adopted version's body is the
        same forever and could be kept by the version's id instead."""
        if self.can_edit_plan() or "export" in self.request.GET:
            return None
        return fresh_key(self.request, "plan body", self.object.pk, self.request.get_full_path())

    @cached_property
    def can_coordinate(self) -> bool:
        return can_edit_plans_of(self.request.user, self.object.cooperation)

    def can_edit_plan(self) -> bool:
        return self.object.is_editable and self.can_coordinate

    def render_body(self, context):
        return render_to_string(self.body_template_name, context, request=self.request)

    def body_context(self):
        plan = self.object
        context = plan_document(plan)
        activity_filter = PlanActivityFilter(self.request.GET or None, queryset=context["activities"])
        table = self.offer_exports(PlanActivityTable(filtered(activity_filter)))
        RequestConfig(self.request, paginate={"per_page": 50}).configure(table)
        context.update(
            can_edit=self.can_edit_plan(),
            ordered_activities=plan.activities.order_by("order", "pk") if self.can_edit_plan() else [],
            filter=activity_filter,
            table=table,
            follow_up_table=FollowUpOfPreviousTable(context.get("previous_activities", [])),
            decision_table=DecisionTable(context["decisions"]),
        )
        return context


class PlanLikaCoverageView(DetailView):
    """LIKA indicators × the plan's activities."""

    model = ActionPlan
    template_name = "plans/lika_coverage.html"

    def get_queryset(self):
        return plans_visible_to(self.request.user).select_related("cooperation")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        activities = self.object.activities.prefetch_related("lika_indicators")
        context["coverage"] = coverage = plan_coverage(activities)
        context["coverage_table"] = plan_coverage_table(coverage)
        return context


class CooperationLikaCoverageView(DetailView):
    """LIKA indicators × every plan of a cooperation that the user may read."""

    model = Cooperation
    template_name = "plans/cooperation_lika_coverage.html"
    context_object_name = "cooperation"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plans = plans_visible_to(self.request.user).filter(cooperation=self.object).order_by("first_year", "pk")
        activities = Activity.objects.filter(plan__in=plans).prefetch_related("lika_indicators")
        context["plans"] = plans
        context["coverage"] = coverage = cooperation_coverage(plans, activities)
        context["coverage_table"] = cooperation_coverage_table(coverage)
        return context


class PlanHistoryView(LoginRequiredMixin, DetailView):
    """Every change to the plan and its sections, goals, activities, follow-ups and budget lines."""

    model = ActionPlan
    template_name = "history.html"
    pk_url_kwarg = "plan_pk"
    paginate_by = 50

    def get_queryset(self):
        return plans_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        from activities.models import Activity, EffortShare, FollowUp
        from finance.models import BudgetEntry, CostSharingKey

        context = super().get_context_data(**kwargs)
        plan = self.object
        activity_ids = Activity.history.filter(plan_id=plan.pk).values("id")
        entries = entries_from(
            [
                ActionPlan.history.filter(id=plan.pk),
                Section.history.filter(plan_id=plan.pk),
                Goal.history.filter(plan_id=plan.pk),
                Activity.history.filter(plan_id=plan.pk),
                FollowUp.history.filter(activity_id__in=activity_ids),
                EffortShare.history.filter(activity_id__in=activity_ids),
                BudgetEntry.history.filter(plan_id=plan.pk),
                CostSharingKey.history.filter(plan_id=plan.pk),
                Decision.history.filter(plan_id=plan.pk),
            ]
        )
        page = Paginator(entries, self.paginate_by).get_page(self.request.GET.get("page"))
        context.update(page_obj=page, entries=page.object_list, subject=plan, back_url=plan.get_absolute_url())
        return context
