"""Milestones ("delmål") of an activity: kept on adopted plans beside the frozen document, late
when past due and not reached, and making their activity late; stale progress ("inaktuell")."""

import json
import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity, Milestone
from tests.activities.test_progress import csv_rows, text
from tests.helpers import Browser, make_activity, make_plan
from tests.test_once import token_of

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


@pytest.fixture
def current_activity(ostergotland):
    """An activity of an adopted plan running this year and the next, followed up today as ongoing."""
    year = today().year
    plan = make_plan(ostergotland, title="Plan i kraft", first_year=year, last_year=year + 1)
    activity = make_activity(plan, title="Införa e-tjänster", start_year=year, end_year=year + 1)
    plan.status = plan.Status.ADOPTED
    plan.save()
    activity.follow_ups.create(date=today(), period=year, phase="ongoing", text="Pågår enligt plan")
    return activity


def fresh(activity) -> Activity:
    return Activity.objects.prefetch_related("follow_ups", "milestones").get(pk=activity.pk)


def add(client, activity, **data):
    url = reverse("activities:milestone_create", args=[activity.pk])
    form = {"submission": token_of(client.get(url)), "title": "Pilot klar", "due_date": "2017-06-30"}
    return client.post(url, form | data)


def test_a_milestone_past_due_and_not_reached_makes_the_activity_late_and_the_queryset_agrees(current_activity):
    activity = current_activity
    assert not fresh(activity).is_late
    milestone = activity.milestones.create(title="Upphandling klar", due_date=today() - timedelta(days=1))
    assert milestone.is_late
    assert fresh(activity).is_late
    assert Activity.objects.late().filter(pk=activity.pk).exists()
    assert not Activity.objects.in_time().filter(pk=activity.pk).exists()

    milestone.reached = today()
    milestone.save()
    assert not fresh(activity).is_late
    assert not Activity.objects.late().filter(pk=activity.pk).exists()
    assert Activity.objects.in_time().filter(pk=activity.pk).exists()


def test_a_milestone_due_today_or_later_is_not_late(current_activity):
    current_activity.milestones.create(title="Idag", due_date=today())
    current_activity.milestones.create(title="Sedan", due_date=today() + timedelta(days=30))
    assert not fresh(current_activity).is_late
    assert not Activity.objects.late().filter(pk=current_activity.pk).exists()


def test_an_overdue_milestone_of_a_finished_activity_makes_nothing_late(current_activity):
    current_activity.milestones.create(title="Glömt", due_date=today() - timedelta(days=3))
    current_activity.follow_ups.create(date=today(), period=today().year, phase="completed", text="Klart")
    assert not fresh(current_activity).is_late
    assert not Activity.objects.late().filter(pk=current_activity.pk).exists()


def test_the_coordinator_adds_a_milestone_to_an_adopted_plan_and_its_version_is_unchanged(signed_in, plan_2016):
    activity = plan_2016.activities.get(number="2")
    frozen = json.dumps(plan_2016.versions.order_by("-number").first().snapshot, sort_keys=True)
    response = add(signed_in, activity, title="Rutin för SIP klar", due_date="2017-03-31", note="Alla kommuner")
    assert response.status_code == 302
    assert response["Location"] == f"{activity.get_absolute_url()}#delmal"
    milestone = activity.milestones.get()
    assert (milestone.title, milestone.due_date, milestone.reached) == ("Rutin för SIP klar", date(2017, 3, 31), None)
    page = text(signed_in.get(activity.get_absolute_url()))
    section = page.split(" Delmål ")[1]
    assert "Rutin för SIP klar" in section and "Alla kommuner" in section and "2017-03-31" in section
    assert "Försenad" in section  # long past, never reached
    assert json.dumps(plan_2016.versions.order_by("-number").first().snapshot, sort_keys=True) == frozen


def test_a_milestone_after_the_activitys_end_is_refused_in_swedish_with_the_input_kept(signed_in, plan_2016):
    activity = plan_2016.activities.get(number="2")
    response = add(signed_in, activity, title="Utvärdering", due_date="2018-02-01")
    assert response.status_code == 200
    page = text(response)
    assert "Aktiviteten pågår 2016–2017, så ett delmål kan inte infalla efter att den slutat" in page
    assert "senast 2017-12-31" in page
    assert 'value="Utvärdering"' in response.content.decode()
    assert not activity.milestones.exists()


def test_a_milestone_before_the_activitys_start_is_refused_in_swedish(signed_in, plan_2016):
    activity = plan_2016.activities.get(number="2")
    response = add(signed_in, activity, due_date="2015-12-31")
    assert "kan inte infalla innan den börjat" in text(response)
    assert "tidigast 2016-01-01" in text(response)
    assert not activity.milestones.exists()


def test_a_milestone_reached_in_the_future_is_refused_in_swedish(signed_in, plan_2016):
    activity = plan_2016.activities.get(number="2")
    tomorrow = (today() + timedelta(days=1)).isoformat()
    response = add(signed_in, activity, due_date="2017-06-30", reached=tomorrow)
    assert response.status_code == 200
    assert "Ett delmål kan inte vara uppnått i framtiden" in text(response)
    assert not activity.milestones.exists()


def test_a_date_that_is_not_a_date_is_refused_in_swedish(signed_in, plan_2016):
    activity = plan_2016.activities.get(number="2")
    response = add(signed_in, activity, due_date="30/6")
    assert "Skriv datumet som år-månad-dag, t.ex. 2017-06-30." in text(response)
    assert not activity.milestones.exists()


def test_the_same_form_sent_twice_adds_one_milestone(signed_in, plan_2016):
    activity = plan_2016.activities.get(number="2")
    url = reverse("activities:milestone_create", args=[activity.pk])
    form = {"submission": token_of(signed_in.get(url)), "title": "En gång", "due_date": "2016-09-30"}
    assert signed_in.post(url, form).status_code == 302
    assert signed_in.post(url, form).status_code == 302
    assert activity.milestones.count() == 1


def test_marking_reached_records_today_once_and_the_activity_page_says_so(signed_in, plan_2016):
    activity = plan_2016.activities.get(number="2")
    milestone = activity.milestones.create(title="Pilot", due_date=date(2017, 5, 1))
    url = reverse("activities:milestone_reached", args=[milestone.pk])
    assert signed_in.post(url).status_code == 302
    milestone.refresh_from_db()
    assert milestone.reached == today()
    Milestone.objects.filter(pk=milestone.pk).update(reached=date(2017, 4, 20))
    signed_in.post(url)  # sent again (say, from another tab): it stays reached on its day
    milestone.refresh_from_db()
    assert milestone.reached == date(2017, 4, 20)
    assert milestone.history.count() == 2  # created, reached
    section = text(signed_in.get(activity.get_absolute_url())).split(" Delmål ")[1]
    assert "Uppnått 2017-04-20" in section and "Försenad" not in section


def test_the_coordinator_edits_and_removes_a_milestone(signed_in, plan_2016):
    activity = plan_2016.activities.get(number="2")
    milestone = activity.milestones.create(title="Pilot", due_date=date(2017, 5, 1))
    url = reverse("activities:milestone_update", args=[milestone.pk])
    form = {"version": milestone.version, "title": "Pilot i Mjölby", "due_date": "2017-05-15", "reached": "2017-05-10"}
    assert signed_in.post(url, form).status_code == 302
    milestone.refresh_from_db()
    assert (milestone.title, milestone.reached) == ("Pilot i Mjölby", date(2017, 5, 10))
    delete = reverse("activities:milestone_delete", args=[milestone.pk])
    assert "Ta bort ”Pilot i Mjölby”?" in text(signed_in.get(delete)).replace("“", "”")
    assert signed_in.post(delete).status_code == 302
    assert not activity.milestones.exists()
    assert Milestone.history.filter(id=milestone.pk, history_type="-").exists()
    history = text(signed_in.get(reverse("activities:activity_history", args=[activity.pk])))
    assert "Pilot i Mjölby" in history


@pytest.mark.parametrize("persona", ["official", "secretary", "viewer"])
def test_only_the_coordinator_changes_milestones(client, request, persona, plan_2016):
    activity = plan_2016.activities.get(number="2")
    milestone = activity.milestones.create(title="Pilot", due_date=date(2017, 5, 1))
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("activities:milestone_create", args=[activity.pk])).status_code == 403
    assert client.post(reverse("activities:milestone_create", args=[activity.pk]), {"title": "x"}).status_code == 403
    assert client.post(reverse("activities:milestone_update", args=[milestone.pk]), {"title": "x"}).status_code == 403
    assert client.post(reverse("activities:milestone_reached", args=[milestone.pk])).status_code == 403
    assert client.post(reverse("activities:milestone_delete", args=[milestone.pk])).status_code == 403
    milestone.refresh_from_db()
    assert (milestone.title, milestone.reached) == ("Pilot", None)
    page = client.get(activity.get_absolute_url()).content.decode()
    assert "Pilot" in page and reverse("activities:milestone_update", args=[milestone.pk]) not in page


def test_anonymous_visitors_read_milestones_and_are_sent_to_sign_in_to_change_them(client, plan_2016):
    activity = plan_2016.activities.get(number="2")
    milestone = activity.milestones.create(title="Pilot", due_date=date(2017, 5, 1))
    assert "Pilot" in client.get(activity.get_absolute_url()).content.decode()
    response = client.post(reverse("activities:milestone_reached", args=[milestone.pk]))
    assert response.status_code == 302 and "/konto/logga-in/" in response["Location"]
    milestone.refresh_from_db()
    assert milestone.reached is None


def test_the_plan_page_counts_milestones_and_flags_late_ones_in_words(client, plan_2016):
    activity = plan_2016.activities.get(number="2")
    browser = Browser(client)
    browser.get(plan_2016.get_absolute_url())  # the adopted body is rendered and kept
    activity.milestones.create(title="Klart", due_date=date(2016, 6, 1), reached=date(2016, 5, 20))
    activity.milestones.create(title="Försenat", due_date=date(2017, 6, 1))
    page = browser.get(plan_2016.get_absolute_url())
    table = page.split('id="aktiviteter"')[1]  # the plan's activity table (the overview above links late ones)
    row = next(r for r in table.split("<tr") if activity.get_absolute_url() in r)
    assert "1 av 2 uppnådda" in row and '<span class="badge badge--warn">1 försenat</span>' in row
    exported = csv_rows(client.get(plan_2016.get_absolute_url(), {"export": "csv"}))
    assert next(r for r in exported if r["Nr"] == "2")["Delmål"] == "1/2, 1 försenat"


def test_progress_not_updated_for_180_days_is_marked_stale_on_the_activity_and_the_plan(client, plan_2016):
    stale, recent, finished = (plan_2016.activities.get(number=n) for n in ("2", "3", "4"))
    stale.follow_ups.create(date=today() - timedelta(days=181), period=2017, phase="ongoing", text="Pågår")
    recent.follow_ups.create(date=today() - timedelta(days=10), period=2017, phase="ongoing", text="Pågår")
    finished.follow_ups.create(date=date(2017, 12, 1), period=2017, phase="completed", text="Klart")
    assert fresh(stale).is_stale and not fresh(recent).is_stale and not fresh(finished).is_stale
    three = Activity.objects.filter(pk__in=[stale.pk, recent.pk, finished.pk])
    assert set(three.stale().values_list("pk", flat=True)) == {stale.pk}
    progress = text(client.get(stale.get_absolute_url())).split(" Läge ")[1].split("Status i planen")[0]
    assert "inaktuell" in progress and "inte uppdaterat på mer än 180 dagar" in progress
    assert "inaktuell" not in text(client.get(recent.get_absolute_url())).split("Status i planen")[0]
    page = client.get(plan_2016.get_absolute_url()).content.decode()
    table = page.split('id="aktiviteter"')[1]  # the plan's activity table (the overview above links late ones)
    rows = {a.pk: next(r for r in table.split("<tr") if a.get_absolute_url() in r) for a in (stale, recent)}
    assert re.search(r'<span class="badge badge--neutral">inaktuell</span>', rows[stale.pk])
    assert "inaktuell" not in rows[recent.pk]


def test_the_demos_adopted_plan_shows_a_reached_and_a_late_milestone(client, plan_2016):
    activity = plan_2016.activities.get(number="6")
    reached, late = activity.milestones.order_by("due_date")
    assert reached.reached and not reached.is_late and late.is_late
    assert fresh(activity).is_late
    page = client.get(plan_2016.get_absolute_url()).content.decode()
    table = page.split('id="aktiviteter"')[1]  # the plan's activity table (the overview above links late ones)
    row = next(r for r in table.split("<tr") if activity.get_absolute_url() in r)
    assert "1 av 2 uppnådda" in row and "1 försenat" in row
    section = text(client.get(activity.get_absolute_url())).split(" Delmål ")[1]
    assert "Uppnått 2016-06-14" in section and "Försenad" in section
