import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from ehalsa.search import SearchFilter, words_in
from ehalsa.widgets import FastWidgetsForm, GroupedCheckboxes
from governance.models import Cooperation, Organisation
from plans.filters import YearFilter, county_choices
from plans.models import ActionPlan

from .models import Activity, Area, FrameworkArea, LikaIndicator, Phase


class LikaChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} – {obj.text}"


class LikaFilter(django_filters.ModelMultipleChoiceFilter):
    """LIKA indicators as checkboxes in a fieldset per LIKA area (issue 19, item 16)."""

    field_class = LikaChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", GroupedCheckboxes(group_of=lambda indicator: indicator.get_area_display()))
        super().__init__(*args, **kwargs)


class PlanActivityFilter(django_filters.FilterSet):
    """Filters for one plan's activities."""

    q = SearchFilter(method="search", label=_("Search"))
    area = django_filters.ModelChoiceFilter(queryset=Area.objects.all(), label=_("Area"))
    status = django_filters.ChoiceFilter(choices=Activity.Status.choices, label=_("Status"))
    lika = LikaFilter(
        field_name="lika_indicators__code",
        to_field_name="code",
        queryset=LikaIndicator.objects.all(),
        label=_("LIKA indicator"),
        method="with_any_indicator",
    )
    owner = django_filters.CharFilter(lookup_expr="unaccented__icontains", max_length=200, label=_("Responsible"))
    phase = django_filters.ChoiceFilter(choices=Phase.choices, label=_("Progress"), method="in_phase")
    late = django_filters.BooleanFilter(
        label=_("Late"),
        method="by_timeliness",
        widget=forms.Select(choices=[("", _("All")), ("true", _("Late")), ("false", _("In time"))]),
    )

    SEARCH_FIELDS = ["number", "title", "content", "benefit", "effect_goal", "owner", "regional_support"]

    class Meta:
        model = Activity
        form = FastWidgetsForm
        fields = ["q", "area", "status", "phase", "late", "lika", "owner"]

    def in_phase(self, queryset, name, value):
        """Activities whose current progress (latest follow-up) is in the phase."""
        return queryset.in_phase(value) if value else queryset

    def by_timeliness(self, queryset, name, value):
        """Late activities, or those with progress recorded that are in time."""
        if value is None:
            return queryset
        return queryset.late() if value else queryset.in_time()

    def with_any_indicator(self, queryset, name, value):
        """Activities mapped to any of the chosen indicators: EXISTS, not a join that needs DISTINCT.

        The chosen indicators go in as ids, so that PostgreSQL can read the mappings from the
        (indicator, activity) index alone or probe one activity's mappings, as suits the query.
        """
        if not value:
            return queryset
        mapped = Activity.lika_indicators.through.objects.filter(
            activity=OuterRef("pk"), likaindicator__in=[indicator.pk for indicator in value]
        )
        return queryset.filter(Exists(mapped))

    def search(self, queryset, name, value):
        return queryset.filter(words_in(value, self.SEARCH_FIELDS))


class ActivitySearchFilter(PlanActivityFilter):
    """Filters for the activity search across every plan the user may read."""

    cooperation = django_filters.ModelChoiceFilter(
        field_name="plan__cooperation", queryset=Cooperation.objects.all(), label=_("Cooperation")
    )
    county = django_filters.ChoiceFilter(
        field_name="plan__cooperation__county", choices=county_choices, label=_("County")
    )
    plan = django_filters.ModelChoiceFilter(queryset=ActionPlan.objects.none(), label=_("Action plan"))
    municipality = django_filters.ModelChoiceFilter(
        field_name="plan__municipality",
        queryset=Organisation.objects.municipalities(),
        label=_("A municipality's local plans"),
    )
    vision_area = django_filters.ModelChoiceFilter(
        field_name="references__area",
        queryset=FrameworkArea.objects.vision(),
        label=_("Vision e-hälsa 2025 area"),
        distinct=True,
    )
    year = YearFilter(first="start_year", last="end_year")
    whole_municipality = django_filters.BooleanFilter(
        label=_("Concerns the whole municipality"),
        widget=forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]),
    )

    class Meta(PlanActivityFilter.Meta):
        fields = [
            "q",
            "cooperation",
            "county",
            "plan",
            "municipality",
            "area",
            "status",
            "phase",
            "late",
            "lika",
            "vision_area",
            "year",
            "whole_municipality",
            "owner",
        ]

    def __init__(self, *args, plans=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only plans the user may read are offered, and only those may be chosen.
        if plans is not None:
            self.filters["plan"].queryset = plans
            self.form.fields["plan"].queryset = plans

    # Filters that choose whole plans, as lookups on plans.
    PLAN_FILTERS = {
        "cooperation": "cooperation",
        "county": "cooperation__county",
        "plan": "pk",
        "municipality": "municipality",
    }

    def plans_chosen(self, plans):
        """The plans among ``plans`` that the plan filters choose (the form must be valid)."""
        data = self.form.cleaned_data
        return plans.filter(
            **{
                lookup: getattr(data[name], "pk", data[name])
                for name, lookup in self.PLAN_FILTERS.items()
                if data.get(name)
            }
        )

    def plans_that_may_hold_hits(self, plans):
        """The chosen plans, less those that cannot hold a hit: a year no activity of theirs starts
        by or ends after. Each test is one probe of an index on (plan, year)."""
        plans = self.plans_chosen(plans)
        year = self.form.cleaned_data.get("year")
        if year is not None:
            of_plan = Activity.objects.filter(plan=OuterRef("pk")).order_by()
            first = of_plan.filter(start_year__isnull=False).order_by("start_year").values("start_year")[:1]
            last = of_plan.filter(end_year__isnull=False).order_by("-end_year").values("end_year")[:1]
            plans = plans.alias(first=Subquery(first), last=Subquery(last)).filter(first__lte=year, last__gte=year)
        return plans
