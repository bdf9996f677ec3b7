"""Filters of the cooperation administration: the register of organisations (to pick members) and the users."""

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ehalsa.search import SearchFilter, search_words, word_in, words_in
from ehalsa.widgets import FastWidgetsForm

from .counties import county_choices
from .models import Membership, Organisation


class OrganisationFilter(django_filters.FilterSet):
    """The register by county, kind and name (or SCB code)."""

    q = SearchFilter(method="search", label=_("Name or SCB code"))
    county = django_filters.ChoiceFilter(choices=county_choices, label=_("County"), empty_label=_("Every county"))
    kind = django_filters.ChoiceFilter(choices=Organisation.Kind.choices, label=_("Kind"), empty_label=_("Every kind"))

    class Meta:
        model = Organisation
        form = FastWidgetsForm
        fields = ["q", "county", "kind"]

    def search(self, queryset, name, value):
        for word in search_words(value):
            queryset = queryset.filter(word_in(word, ["name", "short_name"]) | Q(municipality_code__startswith=word))
        return queryset


class UserFilter(django_filters.FilterSet):
    """The users of a cooperation's organisations by name, address, organisation, role and whether active."""

    q = SearchFilter(method="search", label=_("Name or e-mail address"))
    # Organisation and role are one condition on the same membership (``filter_queryset``).
    organisation = django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.none(),
        method="by_membership",
        label=_("Organisation"),
        empty_label=_("Every organisation"),
    )
    role = django_filters.ChoiceFilter(
        choices=Membership.Role.choices, method="by_membership", label=_("Role"), empty_label=_("Every role")
    )
    is_active = django_filters.ChoiceFilter(
        choices=[("1", _("Active")), ("0", _("Deactivated"))],
        method="active",
        label=_("Active"),
        empty_label=_("Active and deactivated"),
    )

    class Meta:
        model = get_user_model()
        form = FastWidgetsForm
        fields = ["q", "organisation", "role", "is_active"]

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["organisation"].queryset = organisations
        self.form.fields["organisation"].queryset = organisations

    def search(self, queryset, name, value):
        return queryset.filter(words_in(value, ["first_name", "last_name", "email", "username"]))

    def by_membership(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        held = {key: self.form.cleaned_data.get(key) for key in ("organisation", "role")}
        held = {key: value for key, value in held.items() if value}
        if held:
            queryset = queryset.filter(pk__in=Membership.objects.filter(**held).values("user"))
        return queryset

    def active(self, queryset, name, value):
        return queryset.filter(is_active=value == "1")
