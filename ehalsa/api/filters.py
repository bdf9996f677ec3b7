"""The API's filters: the site's own FilterSets where they exist, and a backend that refuses what it
does not know (an unknown parameter, an id that is no number) with a 400 instead of ignoring it."""

import re

import django_filters
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field

from activities.filters import ActivitySearchFilter, LikaFilter
from activities.models import FrameworkArea, LikaIndicator
from governance.models import Decision, Organisation
from plans.filters import ActionPlanFilter, YearFilter
from plans.models import ActionPlan

from .errors import ApiError, refuse_unknown

# The paging parameters, which every list takes beside its filters.
PAGING = {"page", "page_size"}
ID = re.compile(r"[1-9][0-9]{0,17}")


class StrictFilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        known = PAGING | set(filterset.filters if filterset is not None else ())
        refuse_unknown(request.query_params, known)
        empty = sorted(name for name in request.query_params if "" in request.query_params.getlist(name))
        if empty:  # "?kind=": a filter without its value is a mistake, not "no filter"
            raise ApiError(400, "empty_parameter", _("A parameter without a value: %(names)s."), names=", ".join(empty))
        if filterset is None:
            return queryset
        bad_ids = [name for name, f in filterset.filters.items() if not usable(f, request.query_params.getlist(name))]
        if bad_ids or not filterset.is_valid():
            raise filter_errors(filterset, bad_ids)
        return filterset.qs


def takes_ids(filter_) -> bool:
    chooses_rows = isinstance(filter_, django_filters.ModelChoiceFilter | django_filters.ModelMultipleChoiceFilter)
    return chooses_rows and not filter_.extra.get("to_field_name")


def usable(filter_, values) -> bool:
    """Whether the values are ids a database can look up (a huge number is none) where the filter
    takes ids, and true or false where it takes a yes or no (anything else would be ignored)."""
    if takes_ids(filter_):
        return all(ID.fullmatch(value) for value in values if value)
    if isinstance(filter_, django_filters.BooleanFilter):
        return all(value in ("true", "false") for value in values)
    return True


def filter_errors(filterset, bad_ids) -> ApiError:
    not_a_choice = _("Select a valid choice. That choice is not one of the available choices.")
    errors = {}
    for language in ("sv", "en"):
        with translation.override(language):
            found = {name: [str(not_a_choice)] for name in bad_ids}
            if not bad_ids:
                found |= {
                    name: [e["message"] for e in messages]
                    for name, messages in filterset.errors.get_json_data().items()
                }
            errors[language] = found
    return ApiError(
        400,
        "invalid_parameter",
        _("A parameter has a value that cannot be used: %(names)s."),
        names=", ".join(sorted(errors["en"])),
        errors=errors["sv"],
        errors_en=errors["en"],
    )


class PlanFilter(ActionPlanFilter):
    """The plan list's filters (status: adopted or superseded, the public ones)."""

    status = django_filters.ChoiceFilter(
        choices=[(status.value, status.label) for status in ActionPlan.PUBLIC_STATUSES], label=_("Status")
    )


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class LikaCodes(LikaFilter):
    """LIKA indicators by their codes (``lika=L19&lika=I3``): activities mapped to any of them."""


class ActivityFilter(ActivitySearchFilter):
    """The activity search's filters, and any national framework's area (not only Vision e-hälsa 2025's)."""

    lika = LikaCodes(
        field_name="lika_indicators__code",
        to_field_name="code",
        queryset=LikaIndicator.objects.all(),
        label=_("LIKA indicator"),
        method="with_any_indicator",
    )

    framework_area = django_filters.ModelChoiceFilter(
        field_name="references__area",
        queryset=FrameworkArea.objects.all(),
        label=_("National framework area"),
        distinct=True,
    )

    class Meta(ActivitySearchFilter.Meta):
        fields = [*ActivitySearchFilter.Meta.fields, "framework_area"]

    def __init__(self, *args, plans=None, **kwargs):
        super().__init__(*args, plans=ActionPlan.objects.public() if plans is None else plans, **kwargs)


class OrganisationFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Organisation.Kind.choices, label=_("Kind"))

    class Meta:
        model = Organisation
        fields = ["kind", "county"]


class DecisionFilter(django_filters.FilterSet):
    plan = django_filters.ModelChoiceFilter(queryset=ActionPlan.objects.public(), label=_("Action plan"))
    kind = django_filters.ChoiceFilter(choices=Decision.Kind.choices, label=_("Decision"))
    year = YearFilter(first="meeting_date__year", last="meeting_date__year", label=_("Year of the meeting"))

    class Meta:
        model = Decision
        fields = ["plan", "kind", "year"]
