import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from ehalsa.widgets import FastWidgetsForm
from governance.models import Cooperation
from plans.filters import YearFilter, county_choices
from plans.models import ActionPlan

from .models import Activity, Area, FrameworkArea, LikaIndicator


class LikaChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} – {obj.text}"


class LikaFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = LikaChoiceField


def text_search(queryset, words, fields):
    for word in words.split():
        condition = Q()
        for field in fields:
            condition |= Q(**{f"{field}__icontains": word})
        queryset = queryset.filter(condition)
    return queryset


class PlanActivityFilter(django_filters.FilterSet):
    """Filters for one plan's activities."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    area = django_filters.ModelChoiceFilter(queryset=Area.objects.all(), label=_("Area"))
    status = django_filters.ChoiceFilter(choices=Activity.Status.choices, label=_("Status"))
    lika = LikaFilter(
        field_name="lika_indicators__code",
        to_field_name="code",
        queryset=LikaIndicator.objects.all(),
        label=_("LIKA indicator"),
        method="with_any_indicator",
    )
    owner = django_filters.CharFilter(lookup_expr="icontains", label=_("Responsible"))

    SEARCH_FIELDS = ["number", "title", "content", "benefit", "effect_goal", "owner", "regional_support"]

    class Meta:
        model = Activity
        form = FastWidgetsForm
        fields = ["q", "area", "status", "lika", "owner"]

    def with_any_indicator(self, queryset, name, value):
        """Activities mapped to any of the chosen indicators: EXISTS, not a join that needs DISTINCT."""
        if not value:
            return queryset
        mapped = Activity.lika_indicators.through.objects.filter(activity=OuterRef("pk"), likaindicator__in=value)
        return queryset.filter(Exists(mapped))

    def search(self, queryset, name, value):
        return text_search(queryset, value, self.SEARCH_FIELDS)


class ActivitySearchFilter(PlanActivityFilter):
    """Filters for the activity search across every plan the user may read."""

    cooperation = django_filters.ModelChoiceFilter(
        field_name="plan__cooperation", queryset=Cooperation.objects.all(), label=_("Cooperation")
    )
    county = django_filters.ChoiceFilter(
        field_name="plan__cooperation__county", choices=county_choices, label=_("County")
    )
    plan = django_filters.ModelChoiceFilter(queryset=ActionPlan.objects.none(), label=_("Action plan"))
    vision_area = django_filters.ModelChoiceFilter(
        field_name="references__area",
        queryset=FrameworkArea.objects.vision(),
        label=_("Vision e-hälsa 2025 area"),
        distinct=True,
    )
    year = YearFilter(first="start_year", last="end_year")
    whole_municipality = django_filters.BooleanFilter(
        label=_("Concerns the whole municipality"),
        widget=forms.Select(choices=[("", "---------"), ("true", _("Yes")), ("false", _("No"))]),
    )

    class Meta(PlanActivityFilter.Meta):
        fields = [
            "q",
            "cooperation",
            "county",
            "plan",
            "area",
            "status",
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
