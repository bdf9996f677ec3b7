"""The published datasets described for Sveriges dataportal (dataportal.se): DCAT-AP-SE in RDF.

A catalogue with one dataset per list of the API, each with a JSON distribution reached through the
API (a ``dcat:DataService`` whose endpoint description is the OpenAPI schema), Swedish and English
titles, the publisher, a contact point and the licence. Who publishes, the contact and the licence
are the deployment's (settings: ``OPEN_DATA_*``).

The description is written once, as JSON-LD; RDF/XML (what dataportal.se harvests) and Turtle are
the same graph serialised by rdflib. The format follows ``?format=`` or the Accept header."""

import rdflib
from django.conf import settings
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from ehalsa.freshness import conditional_page
from plans.models import PlanVersion

from .errors import ApiError, in_both, refuse_unknown
from .serializers import ErrorSerializer

THEMES = "http://publications.europa.eu/resource/authority/data-theme/"
JSON_FORMAT = "http://publications.europa.eu/resource/authority/file-type/JSON"
CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

# The datasets: the API's list, its title, description and keywords (Swedish from the catalogue).
DATASETS = [
    (
        "plans",
        _("Adopted e-health action plans"),
        _("Regional e-health action plans that have been adopted (and those superseded), with their adopted "
          "versions as JSON documents and their PDFs' SHA-256."),
        [_("action plan"), _("e-health"), _("cooperation")],
    ),
    (
        "activities",
        _("Activities of e-health action plans"),
        _("Activities of adopted plans: area, period, status, LIKA indicators and national frameworks."),
        [_("activity"), "LIKA", "Vision e-hälsa 2025", _("welfare technology")],
    ),
    (
        "decisions",
        _("Decisions on e-health action plans"),
        _("The bodies' decisions on adopted plans: meeting, paragraph, diary number and decision text."),
        [_("decision"), _("protocol"), _("adoption")],
    ),
    (
        "cooperations",
        _("E-health cooperations"),
        _("The regional cooperations that own the plans, with their member organisations."),
        [_("cooperation"), _("region"), _("municipality")],
    ),
    (
        "organisations",
        _("Organisations in e-health cooperations"),
        _("Regions, municipalities, municipal associations and national actors, with SCB code and county."),
        [_("municipality"), _("region"), "SCB"],
    ),
    (
        "bodies",
        _("Governance bodies of e-health cooperations"),
        _("Governance bodies (political, strategic, tactical and operative) of cooperations and organisations."),
        [_("body"), _("governance")],
    ),
]  # fmt: skip


def texts(message) -> list[dict]:
    """``message`` in Swedish and English, as JSON-LD language strings."""
    both = in_both(message)
    return [{"@value": both["detail"], "@language": "sv"}, {"@value": both["detail_en"], "@language": "en"}]


class JsonLdRenderer(JSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"


class RdfRenderer(BaseRenderer):
    """The JSON-LD description as another serialisation of the same graph."""

    charset = "utf-8"
    serialisation = ""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        graph = rdflib.Graph()
        for prefix, namespace in CONTEXT.items():
            graph.bind(prefix, namespace)
        graph.parse(data=JSONRenderer().render(data), format="json-ld")
        return graph.serialize(format=self.serialisation, encoding=self.charset)


class RdfXmlRenderer(RdfRenderer):
    media_type = "application/rdf+xml"
    format = "rdf"
    serialisation = "pretty-xml"


class TurtleRenderer(RdfRenderer):
    media_type = "text/turtle"
    format = "ttl"
    serialisation = "turtle"


class CatalogView(APIView):
    """The DCAT-AP-SE description of the datasets the API publishes, for dataportal.se: JSON-LD,
    RDF/XML (`?format=rdf` or `Accept: application/rdf+xml`) or Turtle (`?format=ttl` or
    `Accept: text/turtle`). Errors are JSON, whatever the format asked for."""

    renderer_classes = [JsonLdRenderer, JSONRenderer, RdfXmlRenderer, TurtleRenderer]
    filter_backends = []

    @classmethod
    def as_view(cls, *args, **kwargs):
        return conditional_page(super().as_view(*args, **kwargs), negotiated=True)

    def finalize_response(self, request, response, *args, **kwargs):
        if response.status_code >= 400:  # an error is no catalogue: it is JSON in every format
            request.accepted_renderer, request.accepted_media_type = JSONRenderer(), JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        """Only ``format`` is taken, and only a format the catalogue is written in (an empty one too
        is refused, which content negotiation alone would let pass)."""
        formats = [renderer.format for renderer in self.renderer_classes]
        refuse_unknown(request.query_params, {"format"})
        if "format" in request.query_params and request.query_params["format"] not in formats:
            raise ApiError(
                400,
                "unknown_format",
                _("Unknown format: %(value)s. Known: %(known)s."),
                value=request.query_params["format"],
                known=", ".join(formats),
            )
        super().initial(request, *args, **kwargs)

    @extend_schema(responses={200: OpenApiTypes.OBJECT, **{status: ErrorSerializer for status in (400, 404, 414, 429)}})
    def get(self, request):
        url = request.build_absolute_uri
        publisher = {
            "@id": settings.OPEN_DATA_PUBLISHER_URL or url("/"),
            "@type": "foaf:Agent",
            "foaf:name": settings.OPEN_DATA_PUBLISHER,
        }
        contact = {"@type": "vcard:Organization", "vcard:fn": settings.OPEN_DATA_PUBLISHER}
        if settings.OPEN_DATA_CONTACT_EMAIL:
            contact["vcard:hasEmail"] = {"@id": f"mailto:{settings.OPEN_DATA_CONTACT_EMAIL}"}
        else:
            contact["vcard:hasURL"] = {"@id": url("/")}
        service = {
            "@id": url(reverse("api:catalog")) + "#api",
            "@type": "dcat:DataService",
            "dct:title": texts(_("Open data API of e-health action plans")),
            "dcat:endpointURL": {"@id": url("/api/v1/")},
            "dcat:endpointDescription": {"@id": url(reverse("api:schema"))},
            "dct:license": {"@id": settings.OPEN_DATA_LICENSE},
        }
        modified = PlanVersion.objects.aggregate(latest=Max("adopted_on"))["latest"]
        datasets = [
            self.dataset(url, name, title, description, keywords, publisher, contact, service, modified)
            for name, title, description, keywords in DATASETS
        ]
        catalog = {
            "@context": CONTEXT,
            "@id": url(reverse("api:catalog")),
            "@type": "dcat:Catalog",
            "dct:title": texts(_("E-health action plans – open data")),
            "dct:description": texts(
                _("Adopted regional e-health action plans as open data: plans, activities, decisions and budgets.")
            ),
            "dct:publisher": publisher,
            "dct:license": {"@id": settings.OPEN_DATA_LICENSE},
            "dct:language": {"@id": "http://publications.europa.eu/resource/authority/language/SWE"},
            "foaf:homepage": {"@id": url("/")},
            "dcat:service": [service],
            "dcat:dataset": datasets,
        }
        return Response(catalog)

    @staticmethod
    def dataset(url, name, title, description, keywords, publisher, contact, service, modified):
        access = url(f"/api/v1/{name}/")
        dataset = {
            "@id": access + "#dataset",
            "@type": "dcat:Dataset",
            "dct:identifier": access,
            "dct:title": texts(title),
            "dct:description": texts(description),
            "dcat:keyword": [text for word in keywords for text in texts(word)],
            "dcat:theme": [{"@id": THEMES + "HEAL"}, {"@id": THEMES + "GOVE"}],
            "dct:publisher": publisher,
            "dcat:contactPoint": contact,
            "dct:accessRights": {"@id": "http://publications.europa.eu/resource/authority/access-right/PUBLIC"},
            "dcat:distribution": [
                {
                    "@id": access + "#json",
                    "@type": "dcat:Distribution",
                    "dct:title": texts(title),
                    "dcat:accessURL": {"@id": access},
                    "dcat:accessService": {"@id": service["@id"]},
                    "dct:format": {"@id": JSON_FORMAT},
                    "dcat:mediaType": {"@id": "http://www.iana.org/assignments/media-types/application/json"},
                    "dct:license": {"@id": settings.OPEN_DATA_LICENSE},
                }
            ],
        }
        if modified is not None:
            dataset["dct:modified"] = {"@value": modified.isoformat(), "@type": "xsd:date"}
        return dataset
