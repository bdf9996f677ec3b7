"""A plan's way through its governance: the adoption route, decisions, adoption status, protocol
excerpts, revisions and what changed between versions."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView

from ehalsa.editing import KeepInputMixin
from ehalsa.forms import add_errors
from governance.access import bodies_deciding_on, bodies_with_a_say_on
from governance.forms import DecisionForm, RevisionForm, SendForAdoptionForm
from governance.models import Decision
from governance.tables import MunicipalityDecisionTable, RouteTable

from . import adoption as services
from . import services as plan_services
from .access import plans_visible_to
from .edit_views import PlanEditMixin
from .models import ActionPlan
from .versions import compare, snapshot_of


def readable_plan(request, pk) -> ActionPlan:
    return get_object_or_404(plans_visible_to(request.user).select_related("cooperation"), pk=pk)


class ReadablePlanView(DetailView):
    """A page about a plan its reader may read (``plan`` in the template)."""

    context_object_name = "plan"

    def get_object(self, queryset=None):
        return readable_plan(self.request, self.kwargs["plan_pk"])


class AdoptionStatusView(ReadablePlanView):
    """The route's bodies and the municipalities × their latest decision on the plan."""

    template_name = "governance/adoption_status.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = self.object
        decisions = list(
            Decision.objects.filter(plan=plan)
            .select_related("body", "body__organisation")
            .order_by("meeting_date", "pk")
        )
        latest_by_body, latest_by_organisation = {}, {}
        for decision in decisions:
            latest_by_body[decision.body_id] = decision
            if decision.body.organisation_id:
                latest_by_organisation[decision.body.organisation_id] = decision
        steps = list(plan.adoption_steps.select_related("body"))
        municipalities = list(plan.municipalities_to_decide.order_by("name"))
        context.update(
            route=RouteTable([{"step": step, "decision": latest_by_body.get(step.body_id)} for step in steps]),
            municipalities=MunicipalityDecisionTable(
                [{"municipality": m, "decision": latest_by_organisation.get(m.pk)} for m in municipalities]
            ),
            adopted_count=sum(
                1
                for m in municipalities
                if getattr(latest_by_organisation.get(m.pk), "kind", None) == Decision.Kind.ADOPT
            ),
            decisions=decisions,
            versions=plan.versions.all(),
            registered_afterwards=services.registered_afterwards(plan),
            can_record=bodies_deciding_on(plan, self.request.user).exists(),
        )
        return context


class SendForAdoptionView(PlanEditMixin, FormView):
    template_name = "governance/send_for_adoption.html"
    form_class = SendForAdoptionForm

    @cached_property
    def previous(self):
        """The plan before this one and the route it took (``plans.adoption.previous_route``)."""
        return services.previous_route(self.plan)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "plan": self.plan,
            "previous_route": self.previous[1],
            "to_review": plan_services.texts_to_review(self.plan),
        }

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if form.rearrange():  # "Upp", "Ned", the previous plan's route: the form again, nothing sent
            return self.render_to_response(self.get_context_data(form=form))
        return self.form_valid(form) if form.is_valid() else self.form_invalid(form)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            previous_plan=self.previous[0],
            subtitle_names_old_period=plan_services.names_previous_period(self.plan, self.plan.subtitle),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            services.plan_send_for_adoption(
                plan=self.plan,
                bodies=form.cleaned_data["route"],
                municipalities=list(form.cleaned_data["municipalities"]),
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The plan was sent for adoption; it can no longer be edited in place."))
        return redirect("adoption:adoption_status", plan_pk=self.plan.pk)


class DecisionCreateView(KeepInputMixin, FormView):
    """Officials and secretaries record their organisation's bodies' decisions; coordinators the cooperation's."""

    template_name = "editing/form_page.html"
    form_class = DecisionForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.plan = readable_plan(request, kwargs["plan_pk"])
        self.bodies = bodies_deciding_on(self.plan, request.user)
        if not self.bodies.exists():
            # The user's bodies have had, or will have, a say on the plan, but not now: a page says
            # why; a post (a form opened before the plan moved on) keeps its input and hears why.
            self.bodies = bodies_with_a_say_on(self.plan, request.user)
            if not self.bodies.exists():
                raise PermissionDenied
            if request.method != "POST":
                messages.info(request, services.why_no_decisions(self.plan))
                return redirect("adoption:adoption_status", plan_pk=self.plan.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "bodies": self.bodies}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=_("Record a decision on %(plan)s") % {"plan": self.plan.title},
            submit_label=_("Record the decision"),
            cancel_url=self.plan.get_absolute_url(),
            plan=self.plan,
            **kwargs,
        )

    def form_valid(self, form):
        fields = {name: form.cleaned_data.get(name) for name in form.Meta.fields}
        fields["recipients"] = fields["recipients"] or ""
        fields["diary_number"] = fields["diary_number"] or ""
        try:
            decision, created = services.decision_record(plan=self.plan, user=self.request.user, **fields)
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        if created:
            messages.success(self.request, _("The decision was recorded."))
        else:
            messages.info(self.request, _("This decision was already recorded; it is stored once."))
        return redirect("adoption:decision_excerpt", pk=decision.pk)


class DecisionExcerptView(DetailView):
    """The protocol excerpt ("protokollsutdrag") of a decision, laid out as a municipality files it."""

    template_name = "governance/decision_excerpt.html"
    context_object_name = "decision"

    def get_queryset(self):
        return Decision.objects.filter(plan__in=plans_visible_to(self.request.user)).select_related(
            "plan", "body", "body__organisation", "body__cooperation", "forwarded_to"
        )


class StartRevisionView(PlanEditMixin, FormView):
    require_draft = False
    template_name = "editing/form_page.html"
    form_class = RevisionForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=_("Revise %(plan)s") % {"plan": self.plan.title},
            submit_label=_("Start the revision"),
            cancel_url=self.plan.get_absolute_url(),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            revision = plan_services.plan_start_revision(
                plan=self.plan, reason=form.cleaned_data["reason"], user=self.request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("A revision was started as a new draft; the adopted version stays as it was."))
        return redirect(revision)


class CompareView(ReadablePlanView):
    """What changed since the adopted version: the draft revision against it, or the last two versions."""

    template_name = "governance/compare.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = self.object
        if plan.revision_of_id and plan.revision_of.versions.exists():
            base = plan.revision_of.versions.last()
            context.update(base=base, comparison=compare(base.snapshot, snapshot_of(plan)), against=_("this draft"))
        elif plan.versions.count() >= 2:
            old, new = list(plan.versions.order_by("-number")[:2])[::-1]
            context.update(base=old, comparison=compare(old.snapshot, new.snapshot), against=str(new))
        return context
