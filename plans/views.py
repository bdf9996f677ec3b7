from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from ehalsa.freshness import code_version, fresh_key, kept
from ehalsa.history import entries_from
from ehalsa.tables import ExportableTableMixin
from governance.models import Cooperation, Decision
from governance.tables import DecisionTable

from .access import can_edit_plan, may_create_plans, may_make_local_plan, plans_listed_for, plans_visible_to
from .adoption import registered_afterwards
from .document import frozen_document, plan_document
from .filters import ActionPlanFilter
from .models import ActionPlan, Goal, PlanVersion, Section, TableImport
from .parts import PARTS, live_stamp, progress
from .pdf_jobs import pdf_state
from .services import latest_template_version, with_moves
from .tables import ActionPlanTable, FollowUpOfPreviousTable, PhaseCountTable, PlanProgressTable


class ActionPlanListView(ExportableTableMixin, SingleTableMixin, FilterView):
    model = ActionPlan
    table_class = ActionPlanTable
    filterset_class = ActionPlanFilter
    template_name = "plans/actionplan_list.html"
    export_name = _("action plans")

    def get_queryset(self):
        return plans_listed_for(self.request.user).select_related("cooperation").with_list_figures()

    def get_context_data(self, **kwargs):
        return super().get_context_data(may_create_plan=may_create_plans(self.request.user), **kwargs)


class ActionPlanDetailView(ExportableTableMixin, DetailView):
    """A plan as its readers see it; drafts answer 404 to anyone outside the cooperation.

    A draft's document is read from its rows. An adopted plan's is its latest version's snapshot
    (``plans.document.frozen_document``): what was adopted, whatever is recorded later. A version
    never changes, so its plain page (no filter, sort or page asked for) is rendered once per
    version and language and kept in the cache under the version's id, with nothing to invalidate.
    The header around it (status, the plans before and after) is read for every request.
    """

    model = ActionPlan
    body_template_name = "plans/includes/actionplan_body.html"

    def get_queryset(self):
        return plans_visible_to(self.request.user).select_related(
            "cooperation", "previous_plan", "revision_of", "municipality"
        )

    def export_name_parts(self):
        return [_("activities"), *self.object.table_download_name_parts]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = self.object
        context["can_coordinate"] = self.can_coordinate
        context["may_make_local_plan"] = plan.is_template and may_make_local_plan(self.request.user, plan)
        if plan.template_version_id:  # the header names it and the template's latest; no snapshot is read
            versions = PlanVersion.objects.defer("snapshot").select_related("plan")
            context["template_version"] = base = versions.get(pk=plan.template_version_id)
            latest = latest_template_version(base.plan)
            context["template_revised"] = latest if latest.pk != base.pk else None
        context["pdf"] = pdf = pdf_state(plan) if plan.is_public else None  # a draft's reader asks for one
        context["stored_pdf"] = pdf.stored if pdf else None
        context["can_edit"] = self.can_edit_plan()
        context["next_plans"] = plan.next_plans.public()
        context["registered_afterwards"] = registered_afterwards(plan) if plan.is_public else None
        decisions = Decision.objects.filter(plan=plan).select_related("body__organisation")
        context["decisions"] = decisions
        context["decision_table"] = DecisionTable(decisions)
        version_id = plan.versions.order_by("-number").values_list("pk", flat=True).first() if plan.is_public else None
        key = self.body_cache_key(version_id)
        if key is None:
            context.update(self.body_context(version_id))
            context["plan_body"] = self.render_body(context)
        else:
            context["plan_body"] = kept(key, lambda: self.render_body({**context, **self.body_context(version_id)}))
        return context

    def body_cache_key(self, version_id) -> str | None:
        """The key the rendered body is kept under for the next reader, or None to render it now.

        An adopted version's plain body (no filter, sort or page asked for) never changes but for
        the progress recorded after the adoption (the activities', the budget's outcome), read live:
        it is kept under the version's id, the latest change of progress (``PlanPart.live_stamp``)
        and the code's version, with nothing to invalidate. Other
        bodies are the same for every reader who may not edit the plan (an editor's has edit
        controls and a form token of their own), so they are kept under a key made from the data
        they show (``ehalsa.freshness``): any change gives a new key."""
        if self.can_edit_plan() or "export" in self.request.GET:
            return None
        if version_id and not self.request.GET:
            # The activities' progress is shown in the body, live: its latest change is in the key.
            progress = live_stamp(self.object)
            return f"plan-version-body:{version_id}:{progress}:{get_language()}:{code_version()}"
        return fresh_key(self.request, "plan body", self.object.pk, self.request.get_full_path())

    @cached_property
    def can_coordinate(self) -> bool:
        return can_edit_plan(self.request.user, self.object)

    def can_edit_plan(self) -> bool:
        return self.object.is_editable and self.can_coordinate

    def render_body(self, context):
        return render_to_string(self.body_template_name, context, request=self.request)

    def body_context(self, version_id):
        """The document, with what the page adds to it for this request (the activity table)."""
        plan = self.object
        document = frozen_document(PlanVersion.objects.get(pk=version_id)) if version_id else None
        if document is None:  # a draft, or a version frozen before snapshots held the whole document
            document = plan_document(plan)
        else:  # the page's plan is the live one (its header)
            del document["plan"], document["adopted_by"]
        del document["decisions"]  # the page lists every decision to date, below the document
        for part in PARTS:
            document |= part.page(self.request, plan, document)
        self.offer_exports(document["table"])  # the body is rendered here, before render_to_response
        document["can_edit"] = self.can_edit_plan()
        if document["can_edit"]:  # a draft's rows: each with the moves its controls offer
            for rows in ("sections", "goals", "ordered_activities"):
                document[rows] = with_moves(document[rows])
        document["follow_up_table"] = FollowUpOfPreviousTable(document.get("previous_activities", []))
        if plan.is_public:  # progress, read live beside the document
            document["progress"] = figures = progress([plan])[plan.pk]
            document["phase_table"] = PhaseCountTable(plan, figures.get("phase_counts", []))
        return document


class CooperationProgressView(TemplateView):
    """A cooperation's plans, oldest first, and how each is going; drafts only for those who may read them."""

    template_name = "plans/cooperation_progress.html"

    def get_context_data(self, **kwargs):
        cooperation = get_object_or_404(Cooperation, pk=self.kwargs["pk"])
        plans = list(plans_visible_to(self.request.user).filter(cooperation=cooperation).order_by("first_year", "pk"))
        figures = progress(plans)
        rows = [{"plan": plan, "figures": figures[plan.pk]} for plan in plans]
        return super().get_context_data(cooperation=cooperation, table=PlanProgressTable(rows), **kwargs)


class PlanHistoryView(LoginRequiredMixin, DetailView):
    """Every change to the plan and its sections, goals, activities, follow-ups and budget lines."""

    model = ActionPlan
    template_name = "history.html"
    pk_url_kwarg = "plan_pk"
    paginate_by = 50

    def get_queryset(self):
        return plans_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = self.object
        querysets = [
            ActionPlan.history.filter(id=plan.pk),
            Section.history.filter(plan_id=plan.pk),
            Goal.history.filter(plan_id=plan.pk),
        ]
        for part in PARTS:
            querysets += part.history(plan)
        # An import is in the plan's history once it is done, as one entry beside the rows it created.
        imports = TableImport.history.filter(plan_id=plan.pk, status=TableImport.Status.DONE)
        entries = entries_from([*querysets, Decision.history.filter(plan_id=plan.pk), imports])
        page = Paginator(entries, self.paginate_by).get_page(self.request.GET.get("page"))
        context.update(page_obj=page, entries=page.object_list, subject=plan, back_url=plan.get_absolute_url())
        return context
