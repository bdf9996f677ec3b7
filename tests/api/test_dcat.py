"""The DCAT-AP-SE description that dataportal.se harvests: a catalogue of the API's datasets."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def catalog(client):
    response = client.get("/api/v1/dcat/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    return response.json()


def swedish(texts) -> str:
    return next(text["@value"] for text in texts if text["@language"] == "sv")


def test_every_list_of_the_api_is_a_dataset_with_a_json_distribution_and_a_swedish_title(client):
    data = catalog(client)
    assert data["@type"] == "dcat:Catalog"
    assert swedish(data["dct:title"]) == "Handlingsplaner för e-hälsa – öppna data"
    datasets = {dataset["dct:identifier"]: dataset for dataset in data["dcat:dataset"]}
    names = ["plans", "activities", "decisions", "cooperations", "organisations", "bodies"]
    assert set(datasets) == {f"http://testserver/api/v1/{name}/" for name in names}
    plans = datasets["http://testserver/api/v1/plans/"]
    assert swedish(plans["dct:title"]) == "Antagna handlingsplaner för e-hälsa"
    for url, dataset in datasets.items():
        (distribution,) = dataset["dcat:distribution"]
        assert distribution["dcat:accessURL"] == {"@id": url}
        assert distribution["dct:format"]["@id"].endswith("/file-type/JSON")
        assert client.get(url).status_code == 200  # the distribution is reachable
        assert dataset["dct:publisher"]["foaf:name"]
        assert dataset["dcat:contactPoint"]
    assert data["dcat:service"][0]["dcat:endpointDescription"] == {"@id": "http://testserver/api/v1/schema/"}


@override_settings(
    OPEN_DATA_PUBLISHER="Region Östergötland",
    OPEN_DATA_CONTACT_EMAIL="ehalsa@example.se",
    OPEN_DATA_LICENSE="https://creativecommons.org/licenses/by/4.0/",
)
def test_the_publisher_contact_and_licence_are_the_deployments(client):
    data = catalog(client)
    assert data["dct:publisher"]["foaf:name"] == "Region Östergötland"
    assert data["dct:license"] == {"@id": "https://creativecommons.org/licenses/by/4.0/"}
    assert data["dcat:dataset"][0]["dcat:contactPoint"]["vcard:hasEmail"] == {"@id": "mailto:ehalsa@example.se"}


@pytest.mark.parametrize("query", ["format=", "format=xml", "lang=sv"])
def test_the_catalogue_refuses_what_it_does_not_take_in_both_languages(client, query):
    response = client.get(f"/api/v1/dcat/?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"].startswith(("Okänt format", "Okänd parameter"))
    assert body["detail_en"].startswith(("Unknown format", "Unknown parameter"))


def test_the_catalogue_is_given_in_either_of_its_formats(client):
    assert client.get("/api/v1/dcat/?format=json")["Content-Type"] == "application/json"
    assert client.get("/api/v1/dcat/?format=jsonld")["Content-Type"] == "application/ld+json"


def test_an_address_too_long_is_refused_in_the_apis_shape(client):
    response = client.get("/api/v1/activities/?q=" + "a" * 5000)
    assert response.status_code == 414
    assert response.json()["detail"] == "Adressen är längre än tjänsten tar emot (högst 4 096 tecken)."


@pytest.mark.parametrize("query", ["kind=", "page=&kind=region"])
def test_a_parameter_without_a_value_is_refused(client, query):
    response = client.get(f"/api/v1/organisations/?{query}")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("En parameter utan värde:")


def graph_of(response, serialisation):
    import rdflib

    return rdflib.Graph().parse(data=response.content, format=serialisation)


@pytest.mark.parametrize(
    ("query", "accept", "content_type", "serialisation"),
    [
        ("?format=rdf", "", "application/rdf+xml; charset=utf-8", "xml"),
        ("", "application/rdf+xml", "application/rdf+xml; charset=utf-8", "xml"),
        ("?format=ttl", "", "text/turtle; charset=utf-8", "turtle"),
        ("", "text/turtle", "text/turtle; charset=utf-8", "turtle"),
    ],
)
def test_rdf_xml_and_turtle_are_the_same_catalogue_as_json_ld(client, query, accept, content_type, serialisation):
    """dataportal.se harvests RDF/XML: the same graph as the JSON-LD, asked for by ?format= or by Accept."""
    from rdflib import RDF, Literal, Namespace
    from rdflib.compare import isomorphic

    dcat, dct = Namespace("http://www.w3.org/ns/dcat#"), Namespace("http://purl.org/dc/terms/")
    json_ld = graph_of(client.get("/api/v1/dcat/"), "json-ld")
    response = client.get(f"/api/v1/dcat/{query}", HTTP_ACCEPT=accept or "*/*")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    graph = graph_of(response, serialisation)
    assert isomorphic(graph, json_ld)
    assert len(list(graph.subjects(RDF.type, dcat.Dataset))) == 6
    plans = graph.value(predicate=dct.identifier, object=Literal("http://testserver/api/v1/plans/"))
    assert Literal("Antagna handlingsplaner för e-hälsa", lang="sv") in set(graph.objects(plans, dct.title))


def test_each_format_has_its_own_etag_and_the_answer_varies_on_accept(client):
    turtle = client.get("/api/v1/dcat/", HTTP_ACCEPT="text/turtle")
    xml = client.get("/api/v1/dcat/", HTTP_ACCEPT="application/rdf+xml")
    assert "Accept" in turtle["Vary"]
    assert turtle["ETag"] != xml["ETag"]
    again = client.get("/api/v1/dcat/", HTTP_ACCEPT="text/turtle", HTTP_IF_NONE_MATCH=turtle["ETag"])
    assert again.status_code == 304
    assert "Accept" in again["Vary"]
    assert (
        client.get("/api/v1/dcat/", HTTP_ACCEPT="application/rdf+xml", HTTP_IF_NONE_MATCH=turtle["ETag"]).status_code
        == 200
    )


def test_an_error_is_json_whatever_format_was_asked_for(client):
    response = client.get("/api/v1/dcat/?lang=sv", HTTP_ACCEPT="text/turtle")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"] == "Okänd parameter: lang. Kända parametrar: format."
