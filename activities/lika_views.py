"""LIKA indicators × activities: of one plan, and of every plan of a cooperation."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from ehalsa.tables import ExportableTableMixin
from governance.models import Cooperation
from plans.access import plans_visible_to
from plans.models import ActionPlan

from .coverage import cooperation_coverage, plan_coverage
from .models import Activity
from .tables import cooperation_coverage_table, plan_coverage_table


class PlanLikaCoverageView(ExportableTableMixin, DetailView):
    """LIKA indicators × the plan's activities; as CSV and XLSX too."""

    model = ActionPlan
    template_name = "activities/lika_coverage.html"
    export_name = _("LIKA coverage")

    def export_name_parts(self):
        return [self.export_name, *self.object.table_download_name_parts]

    def get_queryset(self):
        return plans_visible_to(self.request.user).select_related("cooperation")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        activities = self.object.activities.prefetch_related("lika_indicators")
        context["coverage"] = coverage = plan_coverage(activities)
        context["coverage_table"] = context["table"] = plan_coverage_table(coverage)
        return context


class CooperationLikaCoverageView(ExportableTableMixin, DetailView):
    """LIKA indicators × every plan of a cooperation that the user may read; as CSV and XLSX too."""

    model = Cooperation
    template_name = "activities/cooperation_lika_coverage.html"
    context_object_name = "cooperation"
    export_name = _("LIKA coverage")

    def export_name_parts(self):
        return [self.export_name, self.object.display_name, timezone.localdate().isoformat()]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plans = plans_visible_to(self.request.user).filter(cooperation=self.object).order_by("first_year", "pk")
        activities = Activity.objects.filter(plan__in=plans).prefetch_related("lika_indicators")
        context["plans"] = plans
        context["coverage"] = coverage = cooperation_coverage(plans, activities)
        context["coverage_table"] = context["table"] = cooperation_coverage_table(coverage)
        return context
