"""A public plan's page is rendered once per version; every change shows at once all the same."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.models import LikaIndicator

pytestmark = pytest.mark.django_db


def page(client, plan, **params):
    return client.get(plan.get_absolute_url(), params).content.decode()


def test_the_second_view_of_an_adopted_plan_comes_from_the_cache(client, plan_2016):
    first = page(client, plan_2016)
    with CaptureQueriesContext(connection) as queries:
        second = page(client, plan_2016)
    assert len(queries) == 1  # the plan itself, to check access and version
    without_tokens = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert without_tokens.sub("", first) == without_tokens.sub("", second)


def test_a_new_decision_shows_at_once(client, plan_2016):
    from governance.models import Body, Decision

    page(client, plan_2016)
    board = Body.objects.get(organisation__name="Mjölby kommun", name="Kommunstyrelsen")
    Decision.objects.create(
        plan=plan_2016,
        body=board,
        meeting_date=date(2016, 3, 14),
        paragraph=52,
        diary_number="KS/2016:51",
        kind="adopt",
        text="Kommunstyrelsen antar planen.",
    )
    assert "Kommunstyrelsen antar planen." in page(client, plan_2016)


def test_a_renamed_lika_indicator_shows_at_once(client, vastkom_plan):
    page(client, vastkom_plan)
    LikaIndicator.objects.filter(code="L19").update(text="Ny text")  # a bulk update sends no signal …
    indicator = LikaIndicator.objects.get(code="L19")
    indicator.text = "Förvaltningen följer upp nyttan"
    indicator.save()  # … a save does
    page_now = client.get(vastkom_plan.activities.get(number="10").get_absolute_url()).content.decode()
    assert "Förvaltningen följer upp nyttan" in page_now


def test_filtered_views_are_not_cached_and_drafts_never_are(client, plan_2016, h2o_plan, official_elsewhere):
    page(client, plan_2016)
    assert "7b" not in page(client, plan_2016, q="videokonferens").split('id="aktiviteter"')[1].split("</table>")[0]
    client.force_login(official_elsewhere)
    page(client, h2o_plan)
    h2o_plan.sections.create(order=99, heading="Nytt avsnitt i utkastet")
    assert "Nytt avsnitt i utkastet" in page(client, h2o_plan)


def test_english_and_swedish_pages_are_cached_apart(client, plan_2016):
    assert "Uppföljning av föregående plan" in page(client, plan_2016)
    client.cookies["django_language"] = "en"
    assert "Follow-up of the previous plan" in page(client, plan_2016)


def test_anonymous_lists_and_searches_are_served_from_the_cache_until_something_changes(client, plan_2016):
    list_url = "/planer/?status=adopted"
    first = client.get(list_url).content.decode()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(list_url).content.decode() == first
    assert len(queries) == 1  # the content version
    plan_2016.title = "Handlingsplan för ehälsa i Östergötland 2016-2017 (rev.)"
    plan_2016.save()
    assert "(rev.)" in client.get(list_url).content.decode()


def test_a_deleted_plan_leaves_the_cached_list_at_once(client, plan_2014):
    assert plan_2014.title in client.get("/planer/").content.decode()
    plan_2014.next_plans.update(previous_plan=None)
    plan_2014.delete()
    assert "Handlingsplan för ehälsa 2014-2015" not in client.get("/planer/").content.decode()


def test_signed_in_readers_never_get_the_anonymous_page(client, plan_2016, coordinator):
    client.get(plan_2016.get_absolute_url())
    client.force_login(coordinator)
    assert "Inloggad som" in client.get(plan_2016.get_absolute_url()).content.decode()


def test_spreadsheet_downloads_are_never_cached_as_pages(client):
    assert client.get("/aktiviteter/").status_code == 200
    response = client.get("/aktiviteter/", {"export": "csv"})
    assert response["Content-Type"].startswith("text/csv")


def test_a_content_change_lets_go_of_everything_cached_from_older_content(client, plan_2016, plan_2014):
    from django.core.cache import cache

    page(client, plan_2016)
    page(client, plan_2014)
    cache.set("sentinel", "made from the old content")
    assert page(client, plan_2016)  # same content: the cache is kept
    assert cache.get("sentinel") == "made from the old content"
    plan_2014.title = "Handlingsplan för ehälsa 2014-2015 (ny titel)"
    plan_2014.save()
    assert "(ny titel)" in page(client, plan_2014)
    assert cache.get("sentinel") is None
