from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.data import TableListData

from ehalsa.db import activity_count_of_plans
from ehalsa.freshness import fresh_key, kept
from ehalsa.history import entries_from
from ehalsa.tables import ExportableTableMixin
from plans.access import can_edit_plan, plans_listed_for, plans_visible_to, readership
from plans.parts import activity_cost_lines

from .access import may_record_progress, municipalities_reported_by
from .filters import ActivitySearchFilter
from .forms import MunicipalStatusForm
from .models import STALE_AFTER, Activity, EffortShare, FollowUp, Measure, Milestone, MunicipalStatus
from .municipal import member_municipalities, statuses_of
from .paging import ActivitiesPlanByPlan, HitsPlanByPlan
from .parts import measure_history
from .tables import ActivitySearchTable, EffortShareTable, MilestoneTable, MunicipalStatusTable

SORT = "sort"  # django-tables2's order_by_field
# The search lists plan by plan: the plans in this order, each plan's activities in their own.
PLAN_ORDER = ("cooperation__name", "-first_year", "title", "pk")


def activities_visible_to(user):
    return Activity.objects.filter(plan__in=plans_visible_to(user))


class ActivitySearchView(ExportableTableMixin, SingleTableMixin, FilterView):
    """Activities across every plan the user may read."""

    model = Activity
    table_class = ActivitySearchTable
    filterset_class = ActivitySearchFilter
    template_name = "activities/activity_search.html"
    export_name = _("activities")

    def export_name_parts(self):
        """The plan's name when one plan is chosen (its activities do not change once it is
        adopted), else the filters used and the day's date."""
        chosen = self.filterset.form.cleaned_data.get("plan") if self.filterset.is_valid() else None
        if chosen:
            others = self.filter_name_parts(leave_out=["plan", "cooperation", "county"])  # the plan says those
            return [self.export_name, *chosen.download_name_parts, *others]
        return super().export_name_parts()

    def searched_plans(self):
        """The plans searched: the cooperations' own (templates included); a municipality's local plans
        once the municipality is chosen (``plans_listed_for`` says why not otherwise)."""
        if self.request.GET.get("municipality"):
            return plans_visible_to(self.request.user)
        return plans_listed_for(self.request.user)

    def get_queryset(self):
        activities = Activity.objects.filter(plan__in=self.searched_plans())
        return (
            activities.select_related("plan", "plan__cooperation", "area")
            .prefetch_related("lika_indicators", "effort_shares__organisation", "follow_ups", "milestones")
            # PLAN_ORDER, then each plan's own order
            .order_by("plan__cooperation__name", "-plan__first_year", "plan__title", "plan_id", "order", "pk")
        )

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["plans"] = self.searched_plans().select_related("cooperation")
        return kwargs

    def get_table_pagination(self, table):
        options = super().get_table_pagination(table)
        plans = self.plans_chosen
        if plans is not None and self.request.GET.get(SORT):
            options["paginator_class"] = paginator_counting(activity_count_of_plans(plans))
        return options

    # Above this many readable activities, filtered hits are paged plan by plan and counted up to
    # HITS_COUNTED; below it one sorted query is quickest.
    LARGE = 20_000
    HITS_COUNTED = 250

    def get_table_data(self):
        if self.request.GET.get(SORT) or "export" in self.request.GET:
            return super().get_table_data()
        plans = self.plans_chosen
        if plans is not None:
            plans = plans.order_by(*PLAN_ORDER)
            # Handed over as table data: django-tables2 would make a list of any other sequence.
            return TableListData(ActivitiesPlanByPlan(self.get_queryset(), plans))
        if self.large and self.filterset.is_valid():
            plans = self.filterset.plans_that_may_hold_hits(self.searched_plans()).order_by(*PLAN_ORDER)
            hits = HitsPlanByPlan(self.object_list, self.get_queryset(), plans, cap=self.HITS_COUNTED)
            self.hits_capped = len(hits) > self.HITS_COUNTED
            return TableListData(hits)
        return super().get_table_data()

    hits_capped = False

    @cached_property
    def large(self) -> bool:
        return activity_count_of_plans(self.searched_plans()) > self.LARGE

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.hits_capped:
            context["hits_counted"] = self.HITS_COUNTED
        return context

    def get(self, request, *args, **kwargs):
        """The page around the filters and hits, which are the same for every reader of the same
        plans: kept for the next one under a key made from the data they show (ehalsa.freshness)."""
        if self.export_trigger_param in request.GET:
            return super().get(request, *args, **kwargs)
        key = fresh_key(request, "activity search", readership(request.user), request.get_full_path())
        results = kept(key, lambda: self.render_results(request, *args, **kwargs))
        return TemplateResponse(request, self.template_name, {"results": results, "view": self})

    def render_results(self, request, *args, **kwargs) -> str:
        context = super().get(request, *args, **kwargs).context_data
        return render_to_string("activities/includes/search_results.html", context, request=request)

    @cached_property
    def plans_chosen(self):
        """The plans whose activities are the hits when only whole plans are filtered, else None."""
        filterset = self.filterset
        used = {name for name in filterset.filters if self.request.GET.get(name)}
        if not used <= filterset.PLAN_FILTERS.keys():
            return None
        plans = self.searched_plans()
        if used:
            if not filterset.is_valid():
                return None
            plans = filterset.plans_chosen(plans)
        return plans


def paginator_counting(total: int) -> type[Paginator]:
    """A paginator told its number of objects instead of counting them."""

    class KnownCountPaginator(Paginator):
        @cached_property
        def count(self):
            return total

    return KnownCountPaginator


class ActivityDetailView(DetailView):
    """One activity with its mappings and follow-ups; hidden with its plan when that is a draft."""

    model = Activity

    def get_queryset(self):
        activities = activities_visible_to(self.request.user)
        return activities.select_related(
            "plan", "plan__cooperation", "area", "continues", "continues__plan"
        ).prefetch_related(
            "lika_indicators",
            "goals",
            "references__framework",
            "references__area",
            "follow_ups",
            "milestones",
            "effort_shares__organisation",
            "measures__targets",
            "measures__values",
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Continuations in drafts the reader may not see are not named.
        context["continuations"] = (
            activities_visible_to(self.request.user).filter(continues=self.object).select_related("plan")
        )
        context["can_coordinate"] = can_edit_plan(self.request.user, self.object.plan)
        context["can_edit"] = context["can_coordinate"] and self.object.plan.is_editable
        context["can_record_progress"] = may_record_progress(self.request.user, self.object)
        context["can_measure"] = context["can_coordinate"] and self.object.plan.is_public
        context["effort_shares"] = EffortShareTable(self.object)
        context["cost_lines"] = activity_cost_lines(self.object)
        context["milestones"] = MilestoneTable(self.object, can_change=context["can_coordinate"])
        context["stale_days"] = STALE_AFTER.days
        if self.object.every_member:
            context.update(self.municipal_context())
        return context

    def municipal_context(self) -> dict:
        """Each member municipality's latest status, the earlier ones, and the form for the
        municipalities the user reports for (while the plan is adopted)."""
        activity = self.object
        [statuses] = statuses_of([activity], member_municipalities(activity.plan))
        context = {
            "municipal": statuses,
            "municipal_table": MunicipalStatusTable(statuses.per_member),
            "municipal_history": activity.municipal_statuses.select_related("municipality").order_by("-date", "-pk"),
        }
        municipalities = municipalities_reported_by(self.request.user, activity.plan)
        if not MunicipalStatus.refusal_for(activity) and municipalities.exists():
            context["status_form"] = MunicipalStatusForm(
                instance=MunicipalStatus(activity=activity),
                municipalities=municipalities,
                initial={"date": timezone.localdate()},
            )
        return context


class ActivityHistoryView(LoginRequiredMixin, DetailView):
    """Every change to one activity, its follow-ups, its effort per party and its status per municipality."""

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
                Milestone.history.filter(activity_id=activity.pk),
                EffortShare.history.filter(activity_id=activity.pk),
                MunicipalStatus.history.filter(activity_id=activity.pk),
                *measure_history(Measure.history.filter(activity_id=activity.pk).values("id")),
            ]
        )
        page = Paginator(entries, 50).get_page(self.request.GET.get("page"))
        context.update(page_obj=page, entries=page.object_list, subject=activity, back_url=activity.get_absolute_url())
        return context
