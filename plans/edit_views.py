"""The coordinator's editing: plans, sections and goals (activities are in ``activities.edit_views``).

Access is checked in ``PlanEditMixin`` and nowhere else: coordinators of the owning cooperation
and administrators (``PlanEditMixin.may_edit``); anyone else gets 403, anonymous users the login
page. Content changes only while the plan is a draft; the models enforce that too (``plans.models.PlanContent``).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, DeleteView, UpdateView, View

from ehalsa.editing import FormPageMixin, KeepInputMixin, VersionedSaveMixin

from . import services
from .access import can_edit_plan, cooperations_coordinated_by, may_create_plans, plans_visible_to
from .forms import ActionPlanForm, GoalForm, SectionForm
from .models import ActionPlan, Goal, Section


class PlanEditMixin(KeepInputMixin):
    """Loads ``self.plan`` and lets only its editors through; drafts only unless ``require_draft`` is off.

    A form posted to a plan that is no longer a draft comes back with the input and the reason.
    """

    require_draft = True

    def get_plan(self) -> ActionPlan:
        return get_object_or_404(plans_visible_to(self.request.user), pk=self.kwargs["plan_pk"])

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.plan = self.get_plan()
        if not self.may_edit():
            raise PermissionDenied
        if self.require_draft and not self.plan.is_editable:
            not_a_draft = _("The plan is %(status)s and cannot be changed in place.") % {
                "status": self.plan.get_status_display().lower()
            }
            if request.method != "POST" or not self.keeps_input():
                messages.error(request, not_a_draft)
                return redirect(self.plan)
            if not self.refusal:
                self.refusal = " ".join(
                    [not_a_draft, _("Nothing was saved; what you typed is still in the form, so you can copy it.")]
                )
        return super().dispatch(request, *args, **kwargs)

    def may_edit(self) -> bool:
        """Whether the user may use the view on ``self.plan``: its coordinators (a view recording
        something else than plan content may name its own rule); a local plan's: its municipality's."""
        return can_edit_plan(self.request.user, self.plan)

    def get_context_data(self, **kwargs):
        return super().get_context_data(plan=self.plan, **kwargs)


class PartOfPlanMixin(PlanEditMixin):
    """For rows of a plan addressed by their own id (a section, a goal, an activity)."""

    def get_plan(self) -> ActionPlan:
        rows = self.model.objects.filter(plan__in=plans_visible_to(self.request.user))
        self.object = rows.filter(pk=self.kwargs["pk"]).first() or self.deleted_meanwhile()
        return self.object.plan

    def deleted_meanwhile(self):
        """The row as it was before someone deleted it (from its history), when its form is saved.

        The save is then refused with the input kept; a row of a plan the user may not read stays 404.
        """
        history = getattr(self.model, "history", None)
        if self.request.method != "POST" or not self.keeps_input() or history is None:
            raise Http404
        last = history.filter(id=self.kwargs["pk"]).order_by("-history_date", "-history_id").first()
        if last is None or not plans_visible_to(self.request.user).filter(pk=last.plan_id).exists():
            raise Http404
        row = last.instance
        self.refusal = _(
            "Someone else deleted “%(name)s” (%(kind)s) while you were editing. Nothing was saved. What you typed "
            "is still in the form: copy what you want to keep, and add it again from the plan if it is still needed."
        ) % {"name": row, "kind": self.model._meta.verbose_name}
        return row

    def get_object(self, queryset=None):
        return self.object


# --- Plans ----------------------------------------------------------------------------------------


class ActionPlanCreateView(KeepInputMixin, FormPageMixin, VersionedSaveMixin, CreateView):
    model = ActionPlan
    form_class = ActionPlanForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_create_plans(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "cooperations": cooperations_coordinated_by(self.request.user)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=_("New action plan"), **kwargs)

    def get_success_url(self):
        return self.object.get_absolute_url() if getattr(self, "object", None) else "/planer/"

    @property
    def success_text(self):
        return _("The plan was created as a draft.")


class ActionPlanUpdateView(PlanEditMixin, FormPageMixin, VersionedSaveMixin, UpdateView):
    model = ActionPlan
    form_class = ActionPlanForm

    def get_object(self, queryset=None):
        return self.plan

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=_("Edit the plan's details"), **kwargs)

    def get_success_url(self):
        return self.plan.get_absolute_url()

    @property
    def success_text(self):
        return _("The plan was saved.")


class NextPeriodPlanView(PlanEditMixin, View):
    """ "Ny plan för nästa period": a draft for the following period, made in one transaction."""

    require_draft = False
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            new_plan = services.plan_create_next_period(plan=self.plan, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(self.plan)
        messages.success(
            request,
            _(
                "The plan for %(period)s was created as a draft from %(previous)s; unfinished activities were "
                "carried over. Its sections, goals and activities are copied texts, marked “To review” until "
                "you have saved them or marked them reviewed."
            )
            % {"period": new_plan.period, "previous": self.plan.title},
        )
        return redirect(new_plan)


# --- Sections and goals --------------------------------------------------------------------------


class PlanPartCreateView(PlanEditMixin, FormPageMixin, VersionedSaveMixin, CreateView):
    """Adds a section or a goal at the end of the plan's list."""

    def prepare(self, instance):
        instance.plan = self.plan
        instance.order = services.next_order(self.model.objects.filter(plan=self.plan))

    def get_success_url(self):
        return self.plan.get_absolute_url()


class PlanPartUpdateView(PartOfPlanMixin, FormPageMixin, VersionedSaveMixin, UpdateView):
    def form_valid(self, form):
        if hasattr(form.instance, "to_review"):
            form.instance.to_review = False  # its coordinator has saved it: reviewed
        return super().form_valid(form)

    def get_success_url(self):
        return self.plan.get_absolute_url()


class PlanPartDeleteView(PartOfPlanMixin, DeleteView):
    template_name = "editing/confirm_delete.html"

    def get_success_url(self):
        return self.plan.get_absolute_url()

    def form_valid(self, form):
        try:
            self.object.delete()
        except ValidationError as error:
            messages.error(self.request, " ".join(error.messages))
            return redirect(self.plan)
        messages.success(self.request, _("“%(name)s” was removed.") % {"name": self.object})
        return redirect(self.get_success_url())


class PlanPartMoveView(PartOfPlanMixin, View):
    """Moves a section, goal or activity one step up or down."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        direction = request.POST.get("direction")
        if direction not in ("up", "down"):
            messages.error(request, _("Choose whether to move it up or down."))
        else:
            try:
                services.move(self.object, up=direction == "up")
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        return redirect(f"{self.plan.get_absolute_url()}#{self.anchor}")

    @property
    def anchor(self):
        return f"{self.model._meta.model_name}-{self.object.pk}"


class PlanPartReviewedView(PartOfPlanMixin, View):
    """ "Granskad, oförändrad": a copied section, goal or activity stands as it is for the new period.

    Back to the page the button was on (``next``, an address of this site: an activity's own page),
    else to the row's place on the plan's page."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            services.mark_reviewed(self.object)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("“%(name)s” is marked as reviewed, unchanged.") % {"name": self.object})
        return redirect(self.back())

    def back(self) -> str:
        target = self.request.POST.get("next", "")
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return target
        return f"{self.plan.get_absolute_url()}#{self.model._meta.model_name}-{self.object.pk}"


class SectionCreateView(PlanPartCreateView):
    model = Section
    form_class = SectionForm
    heading = gettext_lazy("New section")

    @property
    def success_text(self):
        return _("The section was added.")


class SectionUpdateView(PlanPartUpdateView):
    model = Section
    form_class = SectionForm
    heading = gettext_lazy("Edit the section")

    @property
    def success_text(self):
        return _("The section was saved.")


class SectionDeleteView(PlanPartDeleteView):
    model = Section


class SectionMoveView(PlanPartMoveView):
    model = Section


class SectionReviewedView(PlanPartReviewedView):
    model = Section


class GoalCreateView(PlanPartCreateView):
    model = Goal
    form_class = GoalForm
    heading = gettext_lazy("New goal")

    @property
    def success_text(self):
        return _("The goal was added.")


class GoalUpdateView(PlanPartUpdateView):
    model = Goal
    form_class = GoalForm
    heading = gettext_lazy("Edit the goal")

    @property
    def success_text(self):
        return _("The goal was saved.")


class GoalDeleteView(PlanPartDeleteView):
    model = Goal


class GoalMoveView(PlanPartMoveView):
    model = Goal


class GoalReviewedView(PlanPartReviewedView):
    model = Goal
