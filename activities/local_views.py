"""Template plans and local plans: a municipality makes its local plan from a published template;
the region sees every municipality's choices (activity × municipality) and each deviation."""

import django_filters
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from ehalsa import once
from ehalsa.forms import add_errors
from ehalsa.tables import ExportableTableMixin
from ehalsa.widgets import FastWidgetsForm
from governance.models import Organisation
from plans.access import can_edit_plan, local_plan_makers, may_make_local_plan, plans_visible_to
from plans.edit_views import PlanEditMixin
from plans.models import ActionPlan
from plans.services import latest_template_version, template_family

from .local_forms import LocalChoiceForm, LocalPlanForm
from .local_matrix import STATES, template_matrix
from .local_plans import local_choice_change, local_plan_create
from .local_tables import (
    DeviationTable,
    LocalPlanTable,
    MunicipalityTemplateTable,
    TemplateChangeTable,
    TemplateMatrixTable,
)
from .models import Activity, Area
from .template_changes import local_plan_take_template_changes, template_changes


def readable_template(request, pk) -> ActionPlan:
    return get_object_or_404(
        plans_visible_to(request.user).select_related("cooperation").filter(is_template=True), pk=pk
    )


class LocalPlanCreateView(LoginRequiredMixin, FormView):
    """A municipality's official or coordinator makes its local plan from a published template."""

    template_name = "activities/local_plan_form.html"
    form_class = LocalPlanForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.template = readable_template(request, kwargs["plan_pk"])
        self.municipalities = local_plan_makers(request.user, self.template)
        if self.template.status == ActionPlan.Status.SUPERSEDED:
            latest = ActionPlan.objects.filter(
                pk__in=template_family(self.template), status=ActionPlan.Status.ADOPTED
            ).first()
            if latest is not None:
                messages.info(
                    request, _("The template has been revised: a local plan is made from its latest version.")
                )
                return redirect("local_plans:local_plan_create", plan_pk=latest.pk)
        if self.template.status != ActionPlan.Status.ADOPTED:
            messages.error(
                request,
                _(
                    "The template has not been published: a local plan is made from a template once its "
                    "bodies have adopted it."
                ),
            )
            return redirect(self.template)
        if not self.municipalities.exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "template": self.template, "municipalities": self.municipalities}

    def get_context_data(self, **kwargs):
        version = latest_template_version(self.template)
        return super().get_context_data(template=self.template, version=version, **kwargs)

    def form_valid(self, form):
        try:
            with transaction.atomic():
                if (earlier := once.claim(form, self.request.user)) is not None:  # a double click
                    return once.where_it_went(self.request, earlier, self.template.get_absolute_url())
                local = local_plan_create(
                    template=self.template,
                    municipality=form.cleaned_data["municipality"],
                    choices=form.choices(),
                    own_activities=form.own_activities(),
                    user=self.request.user,
                )
                once.record_result(form, local.get_absolute_url())
        except IntegrityError:
            form.add_error(None, _("The municipality already has a local plan for this period."))
            return self.form_invalid(form)
        except ValidationError as error:
            add_errors(form, error, field_for=form.field_for)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The local plan was made as a draft. Edit it, then send it to the municipality's bodies for adoption."),
        )
        return redirect(local)


class TemplateMatrixFilter(django_filters.FilterSet):
    """The region's view narrowed to an area of activities and one municipality."""

    area = django_filters.ModelChoiceFilter(queryset=Area.objects.none(), label=gettext_lazy("Area"))
    municipality = django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.none(), label=gettext_lazy("Municipality"), method="any_activity"
    )

    class Meta:
        model = Activity
        form = FastWidgetsForm
        fields = ["area", "municipality"]

    def __init__(self, *args, template, **kwargs):
        super().__init__(*args, queryset=template.activities.all(), **kwargs)
        self.filters["area"].queryset = Area.objects.filter(activities__plan=template).distinct().order_by("name")
        self.filters["municipality"].queryset = template.cooperation.members.municipalities().order_by("name")

    def any_activity(self, queryset, name, value):
        return queryset  # the municipality narrows the columns, not the activities


class TemplateMatrixView(ExportableTableMixin, TemplateView):
    """For a template: each member municipality's choice on each activity, with the deviations."""

    template_name = "activities/template_matrix.html"

    def export_name_parts(self):
        return [_("the municipalities' choices"), *self.template.download_name_parts]

    def get(self, request, *args, **kwargs):
        self.template = readable_template(request, kwargs["plan_pk"])
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        choices = TemplateMatrixFilter(self.request.GET or None, template=self.template)
        valid = not choices.is_bound or choices.is_valid()
        area = choices.form.cleaned_data.get("area") if choices.is_bound and valid else None
        municipality = choices.form.cleaned_data.get("municipality") if choices.is_bound and valid else None
        matrix = template_matrix(self.template, municipality=municipality)
        rows = matrix.shown_rows(area)
        context.update(
            template=self.template,
            filter=choices,
            matrix=matrix,
            table=TemplateMatrixTable(rows, members=matrix.members, shown=matrix.shown),
            deviations=DeviationTable(matrix.deviations(area)),
            local_plans=LocalPlanTable(
                [{"municipality": m, "plan": matrix.local_plans.get(m.pk)} for m in matrix.shown],
                readable=plans_visible_to(self.request.user)
                .filter(pk__in=[plan.pk for plan in matrix.local_plans.values()])
                .values_list("pk", flat=True),
            ),
            legend=[(state, symbol, label) for state, (symbol, label) in STATES.items()],
        )
        return context


class TemplateChangesView(TemplateView):
    """A local plan beside what changed in its template since the version it was made from; its editors
    take each change over or not (while the local plan is a draft)."""

    template_name = "activities/template_changes.html"

    def dispatch(self, request, *args, **kwargs):
        self.local = get_object_or_404(
            plans_visible_to(request.user).filter(municipality__isnull=False).select_related("municipality"),
            pk=kwargs["plan_pk"],
        )
        self.may_edit = can_edit_plan(request.user, self.local)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        base, latest, changes = template_changes(self.local)
        may_take_over = self.may_edit and self.local.is_editable and bool(changes)
        chosen = kwargs.pop("chosen", ())
        return super().get_context_data(
            plan=self.local,
            base=base,
            latest=latest,
            changes=changes,
            table=TemplateChangeTable(changes, may_take_over=may_take_over, chosen=chosen),
            may_take_over=may_take_over,
            may_revise=self.may_edit and self.local.status == ActionPlan.Status.ADOPTED and bool(changes),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not self.may_edit:
            raise PermissionDenied
        keys = set(request.POST.getlist("change"))
        try:
            taken = local_plan_take_template_changes(local=self.local, keys=keys)
        except ValidationError as error:
            context = self.get_context_data(chosen=keys, errors=error.messages)
            return self.render_to_response(context)
        messages.success(
            request,
            _("%(count)s changes of the template were taken over; the local plan now follows version %(number)s.")
            % {"count": len(keys), "number": taken.number},
        )
        return redirect(self.local)


class MunicipalityPlansView(TemplateView):
    """A municipality's page: its local plans, and where it stands on each published template of the
    cooperations it belongs to."""

    template_name = "activities/municipality_plans.html"

    def get_context_data(self, **kwargs):
        municipality = get_object_or_404(Organisation.objects.municipalities(), pk=self.kwargs["pk"])
        readable = plans_visible_to(self.request.user)
        local_plans = list(
            readable.filter(municipality=municipality)
            .exclude(status=ActionPlan.Status.SUPERSEDED)
            .select_related("template_version__plan", "cooperation")
            .defer("template_version__snapshot")
            .order_by("-first_year", "pk")
        )
        templates = readable.published_templates().filter(cooperation__members=municipality).order_by("-first_year")
        rows = []
        for template in templates.select_related("cooperation"):
            family = set(template_family(template))
            own = [p for p in local_plans if p.template_version_id and p.template_version.plan_id in family]
            rows.append({"template": template, "plan": own[0] if own else None})
        return super().get_context_data(
            municipality=municipality,
            table=MunicipalityTemplateTable(rows, readable=[plan.pk for plan in local_plans]),
            local_plans=local_plans,
            makers=[row["template"] for row in rows if may_make_local_plan(self.request.user, row["template"])],
            **kwargs,
        )


class LocalChoiceUpdateView(PlanEditMixin, FormView):
    """Another choice on one template activity of a local plan, while it is a draft (its editors only)."""

    template_name = "activities/local_choice_form.html"
    form_class = LocalChoiceForm

    def get_plan(self) -> ActionPlan:
        plan = super().get_plan()
        if not plan.municipality_id:
            raise Http404
        self.current = get_object_or_404(plan.local_choices.all(), lineage=self.kwargs["lineage"])
        self.template_activity = get_object_or_404(
            Activity.objects.filter(plan=plan.template_version.plan_id), lineage=self.kwargs["lineage"]
        )
        return plan

    def get_form_kwargs(self):
        copy = self.plan.activities.filter(lineage=self.kwargs["lineage"]).first()
        return super().get_form_kwargs() | {
            "template_activity": self.template_activity,
            "copy": copy,
            "current": self.current,
        }

    def form_valid(self, form):
        try:
            local_choice_change(local=self.plan, lineage=str(self.kwargs["lineage"]), choice=form.choice())
        except ValidationError as error:
            add_errors(form, error, field_for=form.field_for)
            return self.form_invalid(form)
        messages.success(self.request, _("The local plan's choice was saved."))
        return redirect(f"{self.plan.get_absolute_url()}#mallens-aktiviteter")
