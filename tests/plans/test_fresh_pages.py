"""Every page shows the data as it is now, however often it was read before.

A change anywhere a page shows (the plan, its parts, reference data such as a cooperation's members
or an indicator's text) shows at once, to anonymous and signed-in readers alike. Pages are read
through ``Browser``, which keeps what it was given and revalidates it as a browser does: a page
answered "not modified" although it had changed would show here as the stale page a reader sees.
"""

import re
from datetime import date

import pytest

from activities.models import LikaIndicator
from governance.models import Body, Decision, Organisation
from plans.models import ActionPlan
from tests.helpers import Browser, as_draft, make_activity, make_plan, publish

pytestmark = [pytest.mark.django_db, pytest.mark.cache]


@pytest.fixture
def browser(client):
    return Browser(client)


@pytest.fixture(params=["anonymous", "signed in"])
def reader(request, client, viewer):
    """An anonymous reader, and a viewer of the Östergötland cooperation, each with a browser."""
    if request.param == "signed in":
        client.force_login(viewer)
    return Browser(client)


def adoption_counts(page) -> list[str]:
    return re.findall(r"\d+ av \d+ kommuner har antagit", page)


def test_the_plan_list_after_another_municipality_is_asked_shows_the_new_count(reader, ostergotland, plan_2016):
    """One more municipality asked to decide left the anonymous plan list at "0 av 13" against "0 av 14"."""
    for _ in range(3):  # the last read is answered "304 Not Modified": the browser shows its copy
        before = adoption_counts(reader.get("/planer/", {"cooperation": ostergotland.pk}))
    assert reader.not_modified
    assert before and all(count.endswith("av 13 kommuner har antagit") for count in before)
    oskarshamn = Organisation.objects.get(name="Oskarshamns kommun")
    plan_2016.municipalities_to_decide.add(oskarshamn)
    after = adoption_counts(reader.get("/planer/", {"cooperation": ostergotland.pk}))
    assert after == [count.replace("av 13", "av 14") for count in before]
    plan_2016.municipalities_to_decide.remove(oskarshamn)
    assert adoption_counts(reader.get("/planer/", {"cooperation": ostergotland.pk})) == before


def test_a_renamed_cooperation_shows_in_the_plan_list_at_once(reader, ostergotland):
    assert "Östergötland" in reader.get("/planer/")
    ostergotland.short_name = "Ostergotlands samverkan"
    ostergotland.save()
    assert "Ostergotlands samverkan" in reader.get("/planer/")


def test_an_activity_edited_while_the_plan_was_referred_back_shows_at_once(reader, plan_2016):
    reader.get(plan_2016.get_absolute_url())
    as_draft(plan_2016)
    activity = plan_2016.activities.get(number="3")
    activity.title = "Strategi och utveckling, reviderad"
    activity.save()
    publish(plan_2016)
    assert "Strategi och utveckling, reviderad" in reader.get(plan_2016.get_absolute_url())
    assert "Strategi och utveckling, reviderad" in reader.get("/aktiviteter/", {"q": "reviderad"})


def test_a_new_decision_shows_at_once(reader, plan_2016):
    urls = (plan_2016.get_absolute_url(), f"/planer/{plan_2016.pk}/antagande/", "/planer/")
    before = [reader.get(url) for url in urls]
    Decision.objects.create(
        plan=plan_2016,
        body=Body.objects.get(organisation__name="Mjölby kommun", name="Kommunstyrelsen"),
        meeting_date=date(2016, 3, 14),
        paragraph=97,
        diary_number="KS/2016:999",
        kind="adopt",
        text="Kommunstyrelsen antar planen.",
    )
    plan_page, status_page, plan_list = (reader.get(url) for url in urls)
    assert "KS/2016:999" in plan_page and "KS/2016:999" in status_page and "KS/2016:999" not in before[1]
    assert plan_list != before[2]


def test_a_renamed_body_shows_on_the_adoption_status_at_once(reader, plan_2016):
    url = f"/planer/{plan_2016.pk}/antagande/"
    reader.get(url)
    body = plan_2016.adoption_steps.last().body
    body.name = "Samverkansnämnden för vård och omsorg"
    body.save()
    assert "Samverkansnämnden för vård och omsorg" in reader.get(url)


def test_a_renamed_lika_indicator_shows_at_once(reader, vastkom_plan):
    activity_url = vastkom_plan.activities.get(number="10").get_absolute_url()
    reader.get(activity_url)
    indicator = LikaIndicator.objects.get(code="L19")
    indicator.text = "Förvaltningen följer upp nyttan"
    indicator.save()
    assert "Förvaltningen följer upp nyttan" in reader.get(activity_url)


def test_a_new_follow_up_shows_at_once_on_its_activity(reader, plan_2016, plan_2014):
    """The adopted next plan keeps the follow-up it was adopted with (test_adopted_document.py)."""
    activity = plan_2014.activities.get(number="6")
    reader.get(activity.get_absolute_url())
    activity.follow_ups.create(date=date(2016, 6, 1), phase="completed", text="Riktlinjen är antagen.")
    assert "Riktlinjen är antagen." in reader.get(activity.get_absolute_url())


def test_a_new_lika_mapping_shows_at_once(reader, vastkom_plan):
    """On the activity's page and the LIKA coverage; the adopted plan's document keeps its mappings."""
    activity = vastkom_plan.activities.get(number="22")
    coverage_url = f"/planer/{vastkom_plan.pk}/lika/"
    reader.get(activity.get_absolute_url())
    before = reader.get(coverage_url)
    activity.lika_indicators.add(LikaIndicator.objects.get(code="K2"))
    assert "K2" in reader.get(activity.get_absolute_url())
    assert reader.get(coverage_url) != before


def test_budget_changes_show_at_once(reader, plan_2016):
    budget_url = f"/planer/{plan_2016.pk}/budget/"
    reader.get(plan_2016.get_absolute_url())
    reader.get(budget_url)
    as_draft(plan_2016)
    line = plan_2016.budget_entries.get(year=2017, category="activities")
    line.amount = 2400002
    line.save()
    publish(plan_2016)
    assert "2\xa0400\xa0002" in reader.get(plan_2016.get_absolute_url())
    assert "2\xa0400\xa0002" in reader.get(budget_url)


def test_a_new_population_figure_changes_a_drafts_shares_at_once(client, viewer, plan_2016):
    """A draft divides the municipalities' part by today's figures. (An adopted plan keeps the
    members and figures it was adopted with: tests/finance/test_views.py.)"""
    as_draft(plan_2016)
    client.force_login(viewer)  # a member's reader, who may read the cooperation's drafts
    reader = Browser(client)
    budget_url = f"/planer/{plan_2016.pk}/budget/"
    before = reader.get(budget_url)
    municipality = Organisation.objects.get(name="Linköpings kommun")
    municipality.population = municipality.population * 2
    municipality.save()
    after = reader.get(budget_url)
    assert f"{municipality.population:,}".replace(",", "\xa0") in after
    assert after != before


def test_a_new_activity_shows_in_the_search_at_once(reader, h2o_plan, plan_2016):
    reader.get("/aktiviteter/", {"q": "Kvantdator"})
    as_draft(plan_2016)
    make_activity(plan_2016, number="12", title="Kvantdatorer i hemtjänsten")
    publish(plan_2016)
    assert "Kvantdatorer i hemtjänsten" in reader.get("/aktiviteter/", {"q": "Kvantdator"})


def test_filtered_views_show_the_filtered_rows_and_drafts_their_changes(
    browser, client, plan_2016, h2o_plan, official_elsewhere
):
    browser.get(plan_2016.get_absolute_url())
    filtered = browser.get(plan_2016.get_absolute_url(), {"q": "videokonferens"})
    assert "7b" not in filtered.split('id="aktiviteter"')[1].split("</table>")[0]
    client.force_login(official_elsewhere)
    browser.get(h2o_plan.get_absolute_url())
    h2o_plan.sections.create(order=99, heading="Nytt avsnitt i utkastet")
    assert "Nytt avsnitt i utkastet" in browser.get(h2o_plan.get_absolute_url())


def test_english_and_swedish_pages_are_kept_apart(browser, client, plan_2016):
    assert "Uppföljning av föregående plan" in browser.get(plan_2016.get_absolute_url())
    client.cookies["django_language"] = "en"
    assert "Follow-up of the previous plan" in browser.get(plan_2016.get_absolute_url())
    del client.cookies["django_language"]
    assert "Uppföljning av föregående plan" in browser.get(plan_2016.get_absolute_url())


def test_a_deleted_plan_leaves_the_list_at_once(reader):
    # A public plan without records that keep it (an adopted version, a frozen yearly report).
    plan = make_plan(title="Handlingsplan som tas bort", status=ActionPlan.Status.SUPERSEDED)
    assert plan.title in reader.get("/planer/")
    plan.delete()
    assert "Handlingsplan som tas bort" not in reader.get("/planer/")


def test_signing_in_and_out_changes_the_page_at_once(browser, client, plan_2016, coordinator):
    assert "Inloggad som" not in browser.get(plan_2016.get_absolute_url())
    client.force_login(coordinator)
    assert "Inloggad som" in browser.get(plan_2016.get_absolute_url())
    client.logout()
    assert "Inloggad som" not in browser.get(plan_2016.get_absolute_url())


def test_spreadsheet_downloads_are_spreadsheets(browser, client):
    browser.get("/aktiviteter/")
    response = client.get("/aktiviteter/", {"export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
