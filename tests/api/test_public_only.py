"""The API shows public content only (adopted and superseded plans), to anyone who asks: no draft,
no draft's activity, no user and no e-mail address is in any answer of any endpoint."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from plans.models import ActionPlan

from .conftest import SECRET

pytestmark = pytest.mark.django_db

LISTS = ["cooperations", "organisations", "bodies", "plans", "activities", "decisions"]
PERSONAL_KEYS = {"user", "users", "username", "email", "e_mail", "recorded_by", "invited_by", "memberships"}
DETAILS_PER_LIST = 15


def keys_in(data) -> set:
    if isinstance(data, dict):
        return set(data) | set().union(*(keys_in(value) for value in data.values()))
    if isinstance(data, list):
        return set().union(*(keys_in(value) for value in data))
    return set()


def crawl(client) -> list[tuple[str, bytes]]:
    """From the API's entry: every page of every list it names, the first details of each, every public
    plan's versions and budget, and the DCAT catalogue."""
    answers = []

    def get(url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.content[:300])
        answers.append((url, response.content))
        return response.json()

    root = get("/api/v1/")
    assert sorted(root["lists"]) == sorted(LISTS)
    get(root["catalog"])
    for name in root["lists"]:
        url, results = f"/api/v1/{name}/?page_size=100", []
        while url:
            page = get(url)
            results += page["results"]
            url = page["next"]
        for row in results[:DETAILS_PER_LIST]:
            get(f"/api/v1/{name}/{row['id']}/")
        if name == "plans":
            for plan in results:
                get(f"/api/v1/plans/{plan['id']}/budget/")
                for version in plan["versions"]:
                    get(f"/api/v1/plans/{plan['id']}/versions/{version['number']}/")
    return answers


@pytest.mark.parametrize("persona", ["anonymous", "coordinator"])
def test_no_draft_no_drafts_activity_and_no_personal_data_in_any_answer(client, unpublished, coordinator, persona):
    if persona == "coordinator":  # a member of the draft's cooperation: the site shows them the draft
        client.force_login(coordinator)
    emails = {email for email in get_user_model().objects.values_list("email", flat=True) if email}
    answers = crawl(client)
    assert len(answers) > 50
    for url, content in answers:
        text = content.decode()
        assert SECRET not in text, url
        assert not any(email in text for email in emails), url
        data = json.loads(content)
        assert not keys_in(data) & PERSONAL_KEYS, url
        rows = data["results"] if "results" in data else [data]
        for row in rows:
            if "plan" in row:
                assert row["plan"] not in unpublished["plans"], url
            if url.startswith("/api/v1/plans/") and "id" in row:
                assert row["id"] not in unpublished["plans"], url
            if url.startswith("/api/v1/activities/"):
                assert row["id"] not in unpublished["activities"], url


def test_signed_in_or_not_the_answers_are_the_same(client, unpublished, coordinator):
    anonymous = [client.get(f"/api/v1/{name}/?page_size=100").json() for name in LISTS]
    cache.clear()  # the answers are kept for everyone alike: the signed-in client's must be made anew
    client.force_login(coordinator)
    assert [client.get(f"/api/v1/{name}/?page_size=100").json() for name in LISTS] == anonymous


@pytest.mark.parametrize("status", [ActionPlan.Status.DRAFT, ActionPlan.Status.OUT_FOR_ADOPTION])
def test_an_unpublished_plan_and_its_parts_are_not_found(client, unpublished, coordinator, status):
    plan = unpublished["draft"]
    ActionPlan.objects.filter(pk=plan.pk).update(status=status)
    client.force_login(coordinator)
    for url in [
        f"/api/v1/plans/{plan.pk}/",
        f"/api/v1/plans/{plan.pk}/budget/",
        f"/api/v1/plans/{plan.pk}/versions/1/",
        f"/api/v1/activities/{unpublished['activity'].pk}/",
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json() == {
            "code": "not_found",
            "detail": "Det finns inget sådant offentligt innehåll (utkast publiceras aldrig).",
            "detail_en": "There is no such public content (drafts are never published).",
        }


def test_a_draft_cannot_be_chosen_as_a_filter(client, unpublished):
    for url in [
        f"/api/v1/activities/?plan={unpublished['draft'].pk}",
        f"/api/v1/decisions/?plan={unpublished['draft'].pk}",
    ]:
        response = client.get(url)
        assert response.status_code == 400, url
        assert response.json()["errors"] == {
            "plan": ["Välj ett giltigt alternativ. Det valet finns inte bland de tillgängliga alternativen."]
        }


def test_the_activities_of_a_lika_indicator_leave_out_the_drafts(client, unpublished):
    code = unpublished["lika"].code
    ids = {row["id"] for row in client.get(f"/api/v1/activities/?lika={code}&page_size=100").json()["results"]}
    assert ids and not ids & unpublished["activities"]
