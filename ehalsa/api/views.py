"""The open-data API's views: read-only, public content only, whoever asks.

What is public is the project's one rule (``ActionPlan.objects.public()``: adopted and superseded
plans); everything of a plan (activities, decisions, budget, versions) is read through it. Every
answer carries an ETag and answers ``304 Not Modified`` when the client holds the current one
(``ehalsa.freshness.conditional_page``)."""

from django.db.models import Prefetch
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from activities.models import Activity, ActivityReference
from ehalsa.freshness import conditional_page, fresh_key, kept
from finance.budget import plan_budget
from governance.models import Body, Cooperation, Decision, Organisation
from plans.models import ActionPlan, PlanVersion, StoredPdf

from . import serializers
from .errors import NOT_FOUND, in_both, refuse_unknown
from .filters import ActivityFilter, DecisionFilter, OrganisationFilter, PlanFilter
from .serializers import ErrorSerializer

# Every operation may answer these (414: an address longer than ehalsa.middleware.LongAddressMiddleware takes).
ERRORS = {400: ErrorSerializer, 404: ErrorSerializer, 414: ErrorSerializer, 429: ErrorSerializer}


def documented(serializer, **kwargs):
    """The operation's answers: its own, and the errors every operation may give."""
    return extend_schema(responses={200: serializer, **ERRORS}, **kwargs)


def listed_and_read(serializer):
    return extend_schema_view(
        list=documented(serializer(many=True)),
        retrieve=documented(serializer),
    )


def kept_answer(request, make) -> HttpResponse:
    """The answer, rendered once and kept for the next client that asks the same address: the API
    answers everyone alike, and the key names the data version (``ehalsa.freshness``), so a change
    anywhere asks for a new one; nothing is ever stale. Errors are raised, never kept."""
    key = fresh_key(request, "api", request.build_absolute_uri())
    content = kept(key, lambda: JSONRenderer().render(make().data))
    return HttpResponse(content, content_type="application/json")


class PublicViewSet(viewsets.ReadOnlyModelViewSet):
    """Rows by their id (digits only: anything else is no such row)."""

    lookup_value_regex = "[0-9]{1,18}"

    @classmethod
    def as_view(cls, *args, **kwargs):
        return conditional_page(super().as_view(*args, **kwargs))

    def list(self, request, *args, **kwargs):
        return kept_answer(request, lambda: super(PublicViewSet, self).list(request, *args, **kwargs))

    def retrieve(self, request, *args, **kwargs):
        return kept_answer(request, lambda: super(PublicViewSet, self).retrieve(request, *args, **kwargs))


@listed_and_read(serializers.CooperationSerializer)
class CooperationViewSet(PublicViewSet):
    """Cooperations ("samverkan"): the regional cooperations that own plans, with their members."""

    serializer_class = serializers.CooperationSerializer
    queryset = Cooperation.objects.prefetch_related(Prefetch("members", Organisation.objects.only("id"))).order_by("pk")


@listed_and_read(serializers.OrganisationSerializer)
class OrganisationViewSet(PublicViewSet):
    """Organisations: regions, municipalities, associations and national actors (no people)."""

    serializer_class = serializers.OrganisationSerializer
    queryset = Organisation.objects.order_by("pk")
    filterset_class = OrganisationFilter


@listed_and_read(serializers.BodySerializer)
class BodyViewSet(PublicViewSet):
    """Governance bodies ("organ") of cooperations and organisations."""

    serializer_class = serializers.BodySerializer
    queryset = Body.objects.order_by("pk")


@listed_and_read(serializers.PlanSerializer)
class PlanViewSet(PublicViewSet):
    """Public action plans (adopted and superseded), with their adopted versions; never a draft."""

    serializer_class = serializers.PlanSerializer
    filterset_class = PlanFilter

    def get_queryset(self):
        versions = PlanVersion.objects.defer("snapshot").order_by("number")
        return (
            ActionPlan.objects.public()
            .select_related("previous_plan")
            .prefetch_related(Prefetch("versions", versions))
            .order_by("pk")
        )

    @documented(serializers.PlanVersionSerializer, parameters=[OpenApiParameter("number", int, "path")])
    @action(detail=True, url_path="versions/(?P<number>[0-9]{1,9})", filterset_class=None)
    def version(self, request, pk=None, number=None):
        """An adopted version of the plan as one JSON document (its frozen content) with its PDF's SHA-256."""
        return kept_answer(request, lambda: self.version_answer(number))

    def version_answer(self, number):
        plan = self.get_object()
        version = get_object_or_404(PlanVersion.objects.filter(plan=plan), number=number)
        stored = StoredPdf.objects.filter(plan=plan, version_number=version.number).first()
        return Response(serializers.PlanVersionSerializer(version, context={"stored_pdf": stored}).data)

    @documented(serializers.BudgetSerializer)
    @action(detail=True, filterset_class=None)
    def budget(self, request, pk=None):
        """The plan's budget per year and party: balances, income, costs and each party's net share."""
        return kept_answer(request, self.budget_answer)

    def budget_answer(self):
        plan = self.get_object()
        years = plan_budget(plan)
        parties = years[0].parties if years else list(plan.parties.select_related("organisation"))
        columns = years[0].columns if years else []
        data = {
            "plan": plan.pk,
            "parties": parties,
            "years": [
                {
                    "year": year.year,
                    "opening_balance": year.opening_balance,
                    "income": year.income_total,
                    "costs": year.costs_total,
                    "closing_balance": year.closing_balance,
                    "parties": [
                        {
                            "party": getattr(party, "pk", None),
                            "income": year.income_of(party),
                            "costs": year.costs_of(party),
                            "net": year.net_share(party),
                        }
                        for party in columns
                    ],
                }
                for year in years
            ],
        }
        return Response(serializers.BudgetSerializer(data).data)


@listed_and_read(serializers.ActivitySerializer)
class ActivityViewSet(PublicViewSet):
    """Activities ("insatser") of public plans, with their LIKA indicators and national references."""

    serializer_class = serializers.ActivitySerializer
    filterset_class = ActivityFilter

    def get_queryset(self):
        references = ActivityReference.objects.select_related("framework", "area")
        return (
            Activity.objects.filter(plan__in=ActionPlan.objects.public())
            .select_related("area")
            .prefetch_related("lika_indicators", "goals", Prefetch("references", references))
            .order_by("plan_id", "order", "pk")
        )


@listed_and_read(serializers.DecisionSerializer)
class DecisionViewSet(PublicViewSet):
    """Decisions ("beslut") of bodies on public plans, as minuted."""

    serializer_class = serializers.DecisionSerializer
    filterset_class = DecisionFilter

    def get_queryset(self):
        return Decision.objects.filter(plan__in=ActionPlan.objects.public()).select_related("body").order_by("pk")


class RootView(APIView):
    """The API's entry: the addresses of its lists, its schema, its documentation and its DCAT catalogue."""

    lists: list[tuple[str, str]] = []  # (name, basename) of each list, from the router

    @classmethod
    def as_view(cls, *args, **kwargs):
        return conditional_page(super().as_view(*args, **kwargs))

    def initial(self, request, *args, **kwargs):
        refuse_unknown(request.query_params, set())
        super().initial(request, *args, **kwargs)

    @documented(serializers.RootSerializer, tags=["entry"])
    def get(self, request):
        url = request.build_absolute_uri
        title = in_both(_("Open data of e-health action plans: adopted plans only, never drafts."))
        root = {
            "title": title["detail"],
            "title_en": title["detail_en"],
            "schema": url(reverse("api:schema")),
            "docs": url(reverse("api:docs")),
            "catalog": url(reverse("api:catalog")),
            "lists": {name: url(reverse(f"api:{basename}-list")) for name, basename in self.lists},
        }
        return Response(serializers.RootSerializer(root).data)


def not_found(request, *args, **kwargs):
    """An address under /api/v1/ that names nothing: the API's 404, in JSON."""
    return JsonResponse({"code": "not_found", **in_both(NOT_FOUND)}, status=404)
