"""Measures: the coordinator states them while the plan is a draft and records measured values once
it is adopted; everyone who reads the plan sees them (access: ``plans.edit_views.PlanEditMixin``)."""

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import CreateView, DetailView, UpdateView

from ehalsa import once
from plans.access import can_edit_plan, plans_visible_to
from plans.edit_views import FormPageMixin, PlanEditMixin, PlanPartDeleteView, VersionedSaveMixin
from plans.models import Goal

from .measure_forms import MeasuredValueForm, MeasureForm, TargetFormSet
from .models import Activity, Measure, MeasuredValue


def measures_visible_to(user):
    plans = plans_visible_to(user)
    return Measure.objects.filter(Q(goal__plan__in=plans) | Q(activity__plan__in=plans))


class MeasureOfPlanMixin:
    """A measure addressed by its own id: its plan is its goal's or its activity's."""

    def get_plan(self):
        measures = measures_visible_to(self.request.user).select_related("goal__plan", "activity__plan")
        self.object = get_object_or_404(measures, pk=self.kwargs["pk"])
        return self.object.owning_plan()

    def get_object(self, queryset=None):
        return self.object


class MeasureFormMixin(FormPageMixin, VersionedSaveMixin):
    """The measure's form with its targets per year, checked and saved together."""

    model = Measure
    form_class = MeasureForm
    template_name = "activities/measure_form.html"

    def formset(self):
        if not hasattr(self, "_formset"):
            data = self.request.POST if self.request.method == "POST" else self.kept_input()
            form = self.get_form()
            self._formset = TargetFormSet(
                data, instance=form.instance, prefix="targets", form_kwargs={"measure_form": form}
            )
        return self._formset

    def get_form(self, form_class=None):
        if not hasattr(self, "_form"):
            self._form = super().get_form(form_class)
        return self._form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(formset=self.formset(), **kwargs)
        context["owner"] = self.owner
        context["owner_is_activity"] = isinstance(self.owner, Activity)
        return context

    def post(self, request, *args, **kwargs):
        self.object = getattr(self, "object", None)  # a new measure has none yet
        form = self.get_form()
        form_valid = form.is_valid()  # first: the targets are read in the measure's kind and unit
        if form_valid and self.formset().is_valid():
            return self.form_valid(form)
        self.formset().is_valid()  # the targets' own errors are shown too
        return self.form_invalid(form)

    def after_save(self, form):
        formset = self.formset()
        formset.instance = self.object
        formset.save()

    def get_success_url(self):
        return self.owner.get_absolute_url() if isinstance(self.owner, Activity) else self.plan.get_absolute_url()


class MeasureCreateView(PlanEditMixin, MeasureFormMixin, CreateView):
    """A new measure of a goal (``goal_pk``) or of an activity (``activity_pk``), at the end of its list."""

    def get_plan(self):
        plans = plans_visible_to(self.request.user)
        if "goal_pk" in self.kwargs:
            goals = Goal.objects.filter(plan__in=plans).select_related("plan")
            self.owner = get_object_or_404(goals, pk=self.kwargs["goal_pk"])
        else:
            activities = Activity.objects.filter(plan__in=plans).select_related("plan")
            self.owner = get_object_or_404(activities, pk=self.kwargs["activity_pk"])
        return self.owner.plan

    def prepare(self, instance):
        if isinstance(self.owner, Goal):
            instance.goal = self.owner
        else:
            instance.activity = self.owner
        instance.order = self.owner.measures.count() + 1

    @property
    def heading(self):
        return _("New measure: %(name)s") % {"name": self.owner}

    @property
    def success_text(self):
        return _("The measure was added.")


class MeasureUpdateView(MeasureOfPlanMixin, PlanEditMixin, MeasureFormMixin, UpdateView):
    @property
    def owner(self):
        return self.object.goal or self.object.activity

    @property
    def heading(self):
        return _("Edit the measure: %(name)s") % {"name": self.object}

    @property
    def success_text(self):
        return _("The measure was saved.")


class MeasureDeleteView(MeasureOfPlanMixin, PlanPartDeleteView):
    model = Measure

    def get_success_url(self):
        return self.object.activity.get_absolute_url() if self.object.activity_id else self.plan.get_absolute_url()


class MeasuredValueCreateView(PlanEditMixin, FormPageMixin, CreateView):
    """A value measured on a date: follow-up of an adopted plan, by those who follow up its activities."""

    require_draft = False
    model = MeasuredValue
    form_class = MeasuredValueForm

    def get_plan(self):
        measures = measures_visible_to(self.request.user).select_related("goal__plan", "activity__plan")
        self.measure = get_object_or_404(measures, pk=self.kwargs["measure_pk"])
        return self.measure.owning_plan()

    def get(self, request, *args, **kwargs):
        if not self.plan.is_public:
            return self.not_adopted()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not self.plan.is_public:
            return self.not_adopted()
        return super().post(request, *args, **kwargs)

    def not_adopted(self):
        messages.error(
            self.request,
            _("Measured values are recorded once the plan is adopted; until then, state the baseline in the measure."),
        )
        return redirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        heading = _("Record a measured value: %(measure)s") % {"measure": self.measure}
        return super().get_context_data(heading=heading, measure=self.measure, **kwargs)

    def get_initial(self):
        return {"date": timezone.localdate()}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = MeasuredValue(measure=self.measure, recorded_by=self.request.user)
        return kwargs

    def form_valid(self, form):
        if (earlier := once.claim(form, self.request.user)) is not None:
            return once.where_it_went(self.request, earlier, self.get_success_url())
        self.object = form.save()
        once.record_result(form, self.get_success_url())
        messages.success(self.request, _("The measured value was recorded."))
        return redirect(self.get_success_url())

    def get_success_url(self):
        return self.measure.get_absolute_url()


class PlanMeasuresView(DetailView):
    """Every measure of a plan, its goals' and its activities', with the values measured to date."""

    template_name = "activities/plan_measures.html"
    context_object_name = "plan"

    def get_object(self, queryset=None):
        plans = plans_visible_to(self.request.user).select_related("cooperation")
        return get_object_or_404(plans, pk=self.kwargs["plan_pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = self.object
        rows = ("targets", "values")
        context["goals"] = plan.goals.prefetch_related(*(f"measures__{row}" for row in rows))
        context["activities"] = (
            plan.activities.filter(measures__isnull=False)
            .distinct()
            .prefetch_related(*(f"measures__{row}" for row in rows))
        )
        context["has_measures"] = (
            measures_visible_to(self.request.user).filter(Q(goal__plan=plan) | Q(activity__plan=plan)).exists()
        )
        coordinates = can_edit_plan(self.request.user, plan)
        context["can_edit"] = coordinates and plan.is_editable
        context["can_measure"] = coordinates and plan.is_public
        return context
