"""Editing of activities, the coordinator's (access: ``plans.edit_views.PlanEditMixin``), and what is
recorded about them after adoption: progress and status per municipality (access: ``activities.access``)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, DeleteView, UpdateView, View

from ehalsa import once
from ehalsa.editing import KeepInputMixin
from plans.access import plans_visible_to
from plans.edit_views import (
    FormPageMixin,
    PlanEditMixin,
    PlanPartCreateView,
    PlanPartDeleteView,
    PlanPartMoveView,
    PlanPartReviewedView,
    PlanPartUpdateView,
    VersionedSaveMixin,
)

from . import services as activity_services
from .access import may_record_progress, municipalities_reported_by
from .forms import ActivityForm, EffortShareFormSet, FollowUpForm, MilestoneForm, MunicipalStatusForm, ReferenceFormSet
from .local_plans import choice_follows_edit
from .models import Activity, FollowUp, Milestone, MunicipalStatus


class ActivityFormsetsMixin:
    """The activity form with its references and effort per party, validated and saved together."""

    model = Activity
    form_class = ActivityForm
    template_name = "activities/activity_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "plan": self.plan}

    def formsets(self):
        if not hasattr(self, "_formsets"):
            data = self.request.POST if self.request.method == "POST" else self.kept_input()
            instance = getattr(self, "object", None) or Activity(plan=self.plan)
            self._formsets = [
                ReferenceFormSet(data, instance=instance, prefix="references"),
                EffortShareFormSet(
                    data, instance=instance, prefix="effort", form_kwargs={"cooperation": self.plan.cooperation}
                ),
            ]
        return self._formsets

    def get_context_data(self, **kwargs):
        return super().get_context_data(formsets=self.formsets(), **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = getattr(self, "object", None)
        form = self.get_form()
        formsets_valid = all(formset.is_valid() for formset in self.formsets())
        if form.is_valid() and formsets_valid:
            return self.form_valid(form)
        return self.form_invalid(form)

    def after_save(self, form):
        for formset in self.formsets():
            formset.instance = self.object
            formset.save()

    def get_success_url(self):
        return self.object.get_absolute_url() if getattr(self, "object", None) else self.plan.get_absolute_url()


class ActivityCreateView(ActivityFormsetsMixin, PlanPartCreateView):
    heading = gettext_lazy("New activity")

    def prepare(self, instance):
        super().prepare(instance)
        instance.start_year, instance.end_year = self.plan.first_year, self.plan.last_year

    @property
    def success_text(self):
        return _("The activity was added.")


class ActivityUpdateView(ActivityFormsetsMixin, PlanPartUpdateView):
    def after_save(self, form):
        super().after_save(form)
        choice_follows_edit(self.object)  # a local plan's copy of a template activity: now changed locally

    @property
    def heading(self):
        return _("Edit activity %(number)s") % {"number": self.object.number or ""}

    @property
    def success_text(self):
        return _("The activity was saved.")


class ActivityDeleteView(PlanPartDeleteView):
    """Asks first, and says what goes with the activity: its follow-ups, and the links from later plans."""

    model = Activity
    template_name = "activities/activity_confirm_delete.html"

    def get(self, request, *args, **kwargs):
        return self.from_the_template(request) or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self.from_the_template(request) or super().post(request, *args, **kwargs)

    def from_the_template(self, request):
        """A local plan's copy of a template activity is not deleted: it is left out, with a reason."""
        plan = getattr(self, "plan", None)
        if plan is None or not plan.municipality_id or not plan.local_choices.filter(lineage=self.object.lineage):
            return None
        messages.info(request, _("The activity comes from the template: leave it out and say why instead."))
        return redirect("local_plans:local_choice_update", plan_pk=plan.pk, lineage=self.object.lineage)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["follow_ups"] = self.object.follow_ups.all()
        context["continuations"] = self.object.continuations.select_related("plan")
        return context


class ActivityMoveView(PlanPartMoveView):
    model = Activity


class ActivityReviewedView(PlanPartReviewedView):
    """ "Granskad, oförändrad" on an activity copied to the next period's plan: by those who may edit it."""

    model = Activity


class RenumberActivitiesView(PlanEditMixin, View):
    """Numbers the plan's activities 1, 2, 3 … in their current order."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            activity_services.renumber_activities(plan=self.plan)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("The activities were numbered 1–%(count)s.") % {"count": self.plan.activities.count()}
            )
        return redirect(f"{self.plan.get_absolute_url()}#aktiviteter")


class FollowUpCreateView(PlanEditMixin, FormPageMixin, CreateView):
    """A dated follow-up of an activity; adopted plans are followed up too, so no draft is required.
    Recorded by those responsible for the activity (``activities.access.may_record_progress``)."""

    require_draft = False
    model = FollowUp
    form_class = FollowUpForm

    def get_plan(self):
        self.activity = get_object_or_404(
            Activity.objects.filter(plan__in=plans_visible_to(self.request.user)).select_related("plan"),
            pk=self.kwargs["activity_pk"],
        )
        return self.activity.plan

    def may_edit(self) -> bool:
        return may_record_progress(self.request.user, self.activity)

    def get_context_data(self, **kwargs):
        heading = _("Follow up: %(activity)s") % {"activity": self.activity}
        return super().get_context_data(heading=heading, **kwargs)

    def get_initial(self):
        """Today, this year (within the plan's period) and the phase it was last in."""
        today = timezone.localdate()
        plan = self.plan
        return {
            "date": today,
            "period": min(max(today.year, plan.first_year), plan.last_year),
            "phase": self.activity.current_phase,
        }

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        # The activity is set before validation, so the period is checked against its plan's years.
        kwargs["instance"] = FollowUp(activity=self.activity, recorded_by=self.request.user)
        return kwargs

    def form_valid(self, form):
        if (earlier := once.claim(form, self.request.user)) is not None:
            return once.where_it_went(self.request, earlier, self.get_success_url())
        self.object = form.save()
        once.record_result(form, self.get_success_url())
        messages.success(self.request, _("The follow-up was recorded."))
        return redirect(self.get_success_url())

    def get_success_url(self):
        return self.request.GET.get("next") if self.is_safe_next() else self.activity.get_absolute_url()

    def is_safe_next(self):
        from django.utils.http import url_has_allowed_host_and_scheme

        target = self.request.GET.get("next")
        return bool(target) and url_has_allowed_host_and_scheme(target, allowed_hosts={self.request.get_host()})


# --- Milestones: kept on adopted plans too, by those who record follow-ups ----------------------------


class MilestoneCreateView(PlanEditMixin, FormPageMixin, VersionedSaveMixin, CreateView):
    """A new milestone ("delmål") of an activity; like progress, on adopted plans too."""

    require_draft = False
    model = Milestone
    form_class = MilestoneForm

    def get_plan(self):
        self.activity = get_object_or_404(
            Activity.objects.filter(plan__in=plans_visible_to(self.request.user)).select_related("plan"),
            pk=self.kwargs["activity_pk"],
        )
        return self.activity.plan

    def prepare(self, instance):
        instance.activity = self.activity  # before validation: the due date is checked against its years

    @property
    def heading(self):
        return _("New milestone: %(activity)s") % {"activity": self.activity}

    @property
    def success_text(self):
        return _("The milestone was added.")

    def get_success_url(self):
        return f"{self.activity.get_absolute_url()}#delmal"


class MilestoneMixin(PlanEditMixin):
    """A milestone addressed by its id; its activity's plan's coordinators change it, whatever the
    plan's status (milestones are not plan content)."""

    require_draft = False
    model = Milestone

    def get_plan(self):
        milestones = Milestone.objects.filter(activity__plan__in=plans_visible_to(self.request.user))
        self.object = get_object_or_404(milestones.select_related("activity__plan"), pk=self.kwargs["pk"])
        self.activity = self.object.activity
        return self.activity.plan

    def get_object(self, queryset=None):
        return self.object

    def get_success_url(self):
        return f"{self.activity.get_absolute_url()}#delmal"


class MilestoneUpdateView(MilestoneMixin, FormPageMixin, VersionedSaveMixin, UpdateView):
    form_class = MilestoneForm

    @property
    def heading(self):
        return _("Edit the milestone: %(activity)s") % {"activity": self.activity}

    @property
    def success_text(self):
        return _("The milestone was saved.")


class MilestoneReachedView(MilestoneMixin, View):
    """Marks the milestone reached today; sent twice, it stays reached on the first day."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        with transaction.atomic():
            milestone = Milestone.objects.select_for_update().get(pk=self.object.pk)
            if milestone.reached is None:
                milestone.reached, milestone.version = timezone.localdate(), milestone.version + 1
                milestone.save(update_fields=["reached", "version"])
                messages.success(request, _("“%(name)s” was marked as reached.") % {"name": milestone})
            else:
                messages.info(
                    request,
                    _("“%(name)s” was already reached on %(date)s.")
                    % {"name": milestone, "date": milestone.reached.isoformat()},
                )
        return redirect(self.get_success_url())


class MilestoneDeleteView(MilestoneMixin, DeleteView):
    template_name = "activities/milestone_confirm_delete.html"

    def form_valid(self, form):
        self.object.delete()
        messages.success(self.request, _("“%(name)s” was removed.") % {"name": self.object})
        return redirect(self.get_success_url())


class MunicipalStatusCreateView(KeepInputMixin, FormPageMixin, CreateView):
    """A member municipality's status on an activity every member carries out, on its adopted plan,
    recorded by those who report for the municipality (``activities.access.municipalities_reported_by``).
    The activity's page holds the same form; this page shows it alone, and with its errors."""

    model = MunicipalStatus
    form_class = MunicipalStatusForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        visible = Activity.objects.filter(plan__in=plans_visible_to(request.user)).select_related("plan__cooperation")
        self.activity = get_object_or_404(visible, pk=kwargs["activity_pk"])
        self.plan = self.activity.plan
        self.municipalities = municipalities_reported_by(request.user, self.plan)
        if not self.municipalities.exists():
            raise PermissionDenied
        if request.method != "POST" and (refusal := MunicipalStatus.refusal_for(self.activity)):
            messages.error(request, refusal)
            return redirect(self.activity)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"date": timezone.localdate()}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        # The activity is set before validation, so the model's rules (adopted plan, every member) apply.
        kwargs["instance"] = MunicipalStatus(activity=self.activity, recorded_by=self.request.user)
        kwargs["municipalities"] = self.municipalities
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["plan"] = self.plan
        context["heading"] = status_heading(context["form"], self.activity)
        context["submit_label"] = _("Record the status")
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            with transaction.atomic():
                if (earlier := once.claim(form, self.request.user)) is not None:
                    return once.where_it_went(self.request, earlier, self.get_success_url())
                self.object = activity_services.municipal_status_record(
                    activity=self.activity,
                    municipality=data["municipality"],
                    status=data["status"],
                    date=data["date"],
                    comment=data["comment"],
                    user=self.request.user,
                )
                once.record_result(form, self.get_success_url())
        except ValidationError as refusal:
            form.add_error(None, refusal)
            return self.form_invalid(form)
        status = self.object
        messages.success(
            self.request,
            _("The status of %(municipality)s was recorded: %(status)s.")
            % {"municipality": status.municipality, "status": status.get_status_display().lower()},
        )
        return redirect(self.get_success_url())

    def get_success_url(self):
        return f"{self.activity.get_absolute_url()}#kommunstatus"


def status_heading(form, activity) -> str:
    """ "Status för Mjölby kommun: 1 NPÖ 2.0" when the form is for one municipality, else per municipality."""
    field = form.fields["municipality"]
    if field.widget.is_hidden:
        return _("Status of %(municipality)s: %(activity)s") % {
            "municipality": field.queryset.first(),
            "activity": activity,
        }
    return _("Status per municipality: %(activity)s") % {"activity": activity}
