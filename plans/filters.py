import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from ehalsa.search import SearchFilter, words_in
from ehalsa.widgets import FastWidgetsForm
from governance.models import Cooperation

from .models import YEAR_VALIDATORS, ActionPlan


def county_choices():
    counties = Cooperation.objects.exclude(county="").order_by("county").values_list("county", flat=True).distinct()
    return [(county, county) for county in counties]


class YearFilter(django_filters.NumberFilter):
    """A year covered by a period; letters or impossible years are form errors, not server errors."""

    field_class = forms.IntegerField

    def __init__(self, *, first, last, **kwargs):
        self.first, self.last = first, last
        kwargs.setdefault("label", _("Year covered"))
        kwargs.setdefault("validators", YEAR_VALIDATORS)
        # A text box keeps whatever was typed ("abc") visible next to its error message.
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "size": 6}))
        super().__init__(**kwargs)

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        return qs.filter(**{f"{self.first}__lte": value, f"{self.last}__gte": value})


class ActionPlanFilter(django_filters.FilterSet):
    q = SearchFilter(method="search", label=_("Search"))
    cooperation = django_filters.ModelChoiceFilter(queryset=Cooperation.objects.all(), label=_("Cooperation"))
    county = django_filters.ChoiceFilter(field_name="cooperation__county", choices=county_choices, label=_("County"))
    status = django_filters.ChoiceFilter(choices=ActionPlan.Status.choices, label=_("Status"))
    year = YearFilter(first="first_year", last="last_year")

    class Meta:
        model = ActionPlan
        form = FastWidgetsForm
        fields = ["q", "cooperation", "county", "status", "year"]

    def search(self, queryset, name, value):
        return queryset.filter(words_in(value, ["title", "subtitle", "cooperation__name"]))
