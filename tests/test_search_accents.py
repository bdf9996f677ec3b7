"""Every search box ignores accents and case (issue 19, item 15), on SQLite and PostgreSQL alike:
"npo" finds "NPÖ", "NPÖ" finds "npo", "e-halsa" finds "e-hälsa", "é" is "e"."""

import re

import pytest
from django.db import connection
from django.urls import reverse

from ehalsa.search import unaccent
from governance.filters import OrganisationFilter
from governance.models import Organisation
from tests.helpers import make_activity, make_plan, publish

pytestmark = pytest.mark.django_db

SEARCH = reverse("activities:activity_search")


def activity_titles(response) -> list[str]:
    body = "".join(re.findall(r"<tbody>(.*?)</tbody>", response.content.decode(), re.S))  # a row group per plan
    return re.findall(r'<a href="/aktiviteter/\d+/">([^<]+)</a>', body)


@pytest.fixture
def spelled_plainly(plan_2016):
    """An activity that writes NPÖ without its accent, and one with an acute accent."""
    plan = make_plan(title="Plan utan prickar", first_year=2030, last_year=2031)
    make_activity(plan, number="1", title="Ansluta kommunerna till NPO")
    make_activity(plan, number="2", title="Införa e-tjänst för café och idéer")
    publish(plan)
    return plan


@pytest.mark.parametrize("words", ["npo", "NPO", "npö", "NPÖ", "Npö"])
def test_npo_and_npo_with_its_accent_find_each_other_whatever_their_case(client, spelled_plainly, words):
    found = activity_titles(client.get(SEARCH, {"q": words, "per_page": 100}))
    assert "Ansluta kommunerna till NPO" in found
    assert "Nationell Patientöversikt (NPÖ) 2.0" in found  # activity 1 of the 2016–2017 plan


def test_an_acute_accent_is_ignored_both_ways(client, spelled_plainly):
    assert activity_titles(client.get(SEARCH, {"q": "cafe idEer"})) == ["Införa e-tjänst för café och idéer"]
    assert activity_titles(client.get(SEARCH, {"q": "CAFÉ"})) == ["Införa e-tjänst för café och idéer"]


def test_each_word_must_still_be_found(client, spelled_plainly):
    assert activity_titles(client.get(SEARCH, {"q": "npo cafe"})) == []


def test_a_percent_sign_is_looked_for_as_written_not_as_a_wildcard(client, spelled_plainly):
    assert activity_titles(client.get(SEARCH, {"q": "n%o"})) == []
    assert activity_titles(client.get(SEARCH, {"q": "n_o"})) == []


def test_the_responsible_filter_ignores_accents_too(client, plan_2016):
    plan = make_plan(title="Plan med ansvariga", first_year=2030, last_year=2031)
    make_activity(plan, number="1", title="Något", owner="Lena Ågren, Linköping")
    publish(plan)
    assert activity_titles(client.get(SEARCH, {"owner": "agren linkoping"})) == []  # one phrase, not words
    assert activity_titles(client.get(SEARCH, {"owner": "AGREN, LINKOPING"})) == ["Något"]


def test_the_plan_list_search_ignores_accents(client, plan_2016):
    page = client.get(reverse("plans:actionplan_list"), {"q": "ehalsa OSTERGOTLAND"}).content.decode()
    assert plan_2016.title in page


def test_the_plans_own_activity_search_ignores_accents(client, plan_2016):
    page = client.get(plan_2016.get_absolute_url(), {"q": "npo"}).content.decode()
    assert "Nationell Patientöversikt (NPÖ) 2.0" in page


def test_the_organisation_register_search_ignores_accents():
    found = OrganisationFilter({"q": "molndal"}, queryset=Organisation.objects.all()).qs
    assert "Mölndals kommun" in [organisation.name for organisation in found]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("NPÖ", "NPO"), ("e-hälsa", "e-halsa"), ("Åre", "Are"), ("café", "cafe"), ("Ærø", "AEro"), ("Straße", "Strasse")],
)
def test_the_database_folds_accents_as_python_does(text, expected):
    """The same folding on both sides of every comparison, on either database."""
    assert unaccent(text) == expected
    with connection.cursor() as cursor:
        cursor.execute("SELECT ehalsa_unaccent(%s)", [text])
        assert cursor.fetchone()[0] == expected
