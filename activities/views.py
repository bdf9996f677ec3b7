from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.views.generic import DetailView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from ehalsa.history import entries_from
from ehalsa.tables import ExportableTableMixin
from plans.access import can_edit_plans_of, plans_visible_to

from .filters import ActivitySearchFilter
from .models import Activity, EffortShare, FollowUp
from .tables import ActivitySearchTable


def activities_visible_to(user):
    return Activity.objects.filter(plan__in=plans_visible_to(user))


class ActivitySearchView(ExportableTableMixin, SingleTableMixin, FilterView):
    """Activities across every plan the user may read."""

    model = Activity
    table_class = ActivitySearchTable
    filterset_class = ActivitySearchFilter
    template_name = "activities/activity_search.html"
    export_name = "aktiviteter"

    def get_queryset(self):
        return (
            activities_visible_to(self.request.user)
            .select_related("plan", "plan__cooperation", "area")
            .prefetch_related("lika_indicators")
            .order_by("plan__cooperation__name", "-plan__first_year", "plan__title", "order", "pk")
        )

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["plans"] = plans_visible_to(self.request.user).select_related("cooperation")
        return kwargs


class ActivityDetailView(DetailView):
    """One activity with its mappings and follow-ups; hidden with its plan when that is a draft."""

    model = Activity

    def get_queryset(self):
        return (
            activities_visible_to(self.request.user)
            .select_related("plan", "plan__cooperation", "area", "continues", "continues__plan")
            .prefetch_related(
                "lika_indicators",
                "goals",
                "references__framework",
                "references__area",
                "follow_ups",
                "effort_shares__organisation",
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Continuations in drafts the reader may not see are not named.
        context["continuations"] = (
            activities_visible_to(self.request.user).filter(continues=self.object).select_related("plan")
        )
        context["can_coordinate"] = can_edit_plans_of(self.request.user, self.object.plan.cooperation)
        context["can_edit"] = context["can_coordinate"] and self.object.plan.is_editable
        return context


class ActivityHistoryView(LoginRequiredMixin, DetailView):
    """Every change to one activity, its follow-ups and its effort per party."""

    model = Activity
    template_name = "history.html"

    def get_queryset(self):
        return activities_visible_to(self.request.user).select_related("plan")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        activity = self.object
        entries = entries_from(
            [
                Activity.history.filter(id=activity.pk),
                FollowUp.history.filter(activity_id=activity.pk),
                EffortShare.history.filter(activity_id=activity.pk),
            ]
        )
        page = Paginator(entries, 50).get_page(self.request.GET.get("page"))
        context.update(page_obj=page, entries=page.object_list, subject=activity, back_url=activity.get_absolute_url())
        return context
