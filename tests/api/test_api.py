"""The API's filters, pages, errors, schema, versions, budget, ETag, throttling and CORS."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.validation import validate_schema

from activities.models import Activity, FrameworkArea
from plans.models import ActionPlan, Goal, StoredPdf
from tests.helpers import make_activity, make_plan

pytestmark = pytest.mark.django_db

AMOUNT = re.compile(r"-?[0-9]+\.[0-9]{2}")


def results(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return response.json()["results"]


def test_the_activities_of_a_year_cover_it(client):
    rows = results(client, "/api/v1/activities/?year=2016&page_size=100")
    assert rows
    assert all((row["start_year"] or 0) <= 2016 <= (row["end_year"] or 9999) for row in rows)


def test_the_search_finds_words_whatever_their_accents(client):
    with_accent = {row["id"] for row in results(client, "/api/v1/activities/?q=ehälsa&page_size=100")}
    assert with_accent
    assert {row["id"] for row in results(client, "/api/v1/activities/?q=EHALSA&page_size=100")} == with_accent


def test_status_area_and_framework_area_filters_choose_their_activities(client):
    activity = Activity.objects.filter(
        plan__status="adopted", area__isnull=False, references__area__isnull=False
    ).first()
    area, framework_area = activity.area_id, activity.references.exclude(area=None).first().area_id
    assert all(row["area"]["id"] == area for row in results(client, f"/api/v1/activities/?area={area}&page_size=100"))
    rows = results(client, f"/api/v1/activities/?framework_area={framework_area}&page_size=100")
    assert activity.pk in {row["id"] for row in rows}
    assert all(any(ref["area"] == framework_area for ref in row["references"]) for row in rows)
    assert all(row["status"] == "completed" for row in results(client, "/api/v1/activities/?status=completed"))
    assert FrameworkArea.objects.exists()


def test_a_lika_code_chooses_the_activities_mapped_to_it(client):
    rows = results(client, "/api/v1/activities/?lika=L19&page_size=100")
    assert rows and all("L19" in row["lika_indicators"] for row in rows)


def test_an_activity_names_the_goals_it_serves(client):
    plan = make_plan(title="Handlingsplan 2030", first_year=2030, last_year=2031)
    activity = make_activity(plan, number="1", title="E-tjänster", start_year=2030)
    activity.goals.add(Goal.objects.create(plan=plan, title="Invånarna har tillgång till e-tjänster"))
    ActionPlan.objects.filter(pk=plan.pk).update(status=ActionPlan.Status.ADOPTED)
    row = client.get(f"/api/v1/activities/{activity.pk}/").json()
    assert row["goals"] == [{"id": goal.pk, "title": goal.title} for goal in activity.goals.all()]


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ("colour=blue", 400, "unknown_parameter"),
        ("year=abc", 400, "invalid_parameter"),
        ("year=1066", 400, "invalid_parameter"),
        ("area=99999999999999999999999", 400, "invalid_parameter"),
        ("status=nonsense", 400, "invalid_parameter"),
        ("whole_municipality=null", 400, "invalid_parameter"),
        ("page=abc", 400, "invalid_page"),
        ("page=0", 400, "invalid_page"),
        ("page=9999", 404, "page_not_found"),
        ("page_size=101", 400, "invalid_page_size"),
        ("page_size=-1", 400, "invalid_page_size"),
    ],
)
def test_bad_input_is_answered_in_swedish_and_english(client, query, status, code):
    response = client.get(f"/api/v1/activities/?{query}")
    assert response.status_code == status
    body = response.json()
    assert body["code"] == code
    assert body["detail"] != body["detail_en"]  # Swedish beside English


def test_an_id_that_is_no_number_or_an_unknown_address_is_a_json_404(client):
    for url in ["/api/v1/plans/abc/", "/api/v1/plans/99999999999999999999999/", "/api/v1/nothing/", "/api/v1/x\ny/"]:
        response = client.get(url)
        assert response.status_code == 404
        assert response.json()["detail"].startswith("Det finns inget sådant offentligt innehåll")


def test_the_entry_names_every_list_the_schema_the_docs_and_the_catalogue(client):
    root = client.get("/api/v1/")
    assert root.status_code == 200
    body = root.json()
    assert body["title"] == "Öppna data om handlingsplaner för e-hälsa: endast antagna planer, aldrig utkast."
    assert set(body["lists"]) == {"activities", "plans", "cooperations", "decisions", "organisations", "bodies"}
    for url in [*body["lists"].values(), body["schema"], body["docs"], body["catalog"]]:
        assert url.startswith("http://testserver/api/v1/")
        assert client.get(url).status_code == 200, url
    refused = client.get("/api/v1/?lists=all")
    assert refused.status_code == 400
    assert refused.json()["detail"] == "Adressen tar inga parametrar: lists."


def test_the_api_is_read_only(client):
    response = client.post("/api/v1/plans/", {}, content_type="application/json")
    assert response.status_code == 405
    assert response.json()["detail"] == "API:t går bara att läsa: endast GET och HEAD besvaras."


@pytest.mark.parametrize("name", ["activities", "plans", "cooperations", "decisions", "organisations", "bodies"])
def test_the_query_count_of_a_list_does_not_grow_with_its_page_size(client, name):
    counts = []
    for size in (10, 100):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/api/v1/{name}/?page_size={size}").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_schema_is_a_valid_openapi_3_document(client):
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    assert {
        "/api/v1/",
        "/api/v1/activities/",
        "/api/v1/plans/{id}/versions/{number}/",
        "/api/v1/plans/{id}/budget/",
    } <= set(schema["paths"])


def test_the_docs_are_served_from_our_own_static_files(client):
    page = client.get("/api/v1/docs/").content.decode()
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert scripts and all(src.startswith("/") for src in scripts)
    assert client.get(scripts[0]).status_code == 200


def test_an_adopted_version_is_its_frozen_document_with_its_pdfs_checksum(client, plan_2016):
    version = plan_2016.versions.get(number=1)
    url = f"/api/v1/plans/{plan_2016.pk}/versions/1/"
    assert client.get(url).json()["pdf"] is None  # not made yet
    StoredPdf.objects.create(plan=plan_2016, version_number=1, path="x.pdf", sha256="ab" * 32, size=1234)
    body = client.get(url).json()
    assert body["document"] == version.snapshot
    assert body["pdf"] == {"sha256": "ab" * 32, "size": 1234}
    assert body["adopted_on"] == version.adopted_on.isoformat()
    assert client.get(f"/api/v1/plans/{plan_2016.pk}/versions/99/").status_code == 404


def test_the_budget_is_per_year_and_party_in_decimal_strings(client, plan_2016):
    budget = client.get(f"/api/v1/plans/{plan_2016.pk}/budget/").json()
    assert budget["years"]
    for year in budget["years"]:
        assert AMOUNT.fullmatch(year["closing_balance"])
        assert all(AMOUNT.fullmatch(part["net"]) for part in year["parties"])
    assert {part["party"] for part in budget["years"][0]["parties"]} <= {party["id"] for party in budget["parties"]} | {
        None
    }


def test_an_unchanged_answer_is_not_sent_again(client):
    first = client.get("/api/v1/plans/")
    assert first.has_header("ETag")
    assert client.get("/api/v1/plans/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_too_many_requests_are_refused_in_swedish_with_retry_after(client, settings):
    settings.API_ANON_RATE = "2/minute"
    for _ in range(2):
        assert client.get("/api/v1/cooperations/").status_code == 200
    response = client.get("/api/v1/cooperations/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["detail"].startswith("För många förfrågningar: försök igen om")


def test_other_sites_may_read_the_api_but_not_the_pages(client):
    origin = {"HTTP_ORIGIN": "https://example.org"}
    assert client.get("/api/v1/plans/", **origin)["Access-Control-Allow-Origin"] == "*"
    assert not client.get("/", **origin).has_header("Access-Control-Allow-Origin")
