"""Progress of an activity ("läge"): recorded per year on adopted plans, shown live, never frozen."""

import json
import re
import subprocess
import sys
import textwrap
from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity, FollowUp
from plans.models import PlanVersion
from tests.helpers import csv_rows as rows_of
from tests.test_once import token_of

pytestmark = pytest.mark.django_db


def text(response) -> str:
    """The page as read: tags gone, spaces collapsed."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.replace("&nbsp;", " ")))


def csv_rows(response) -> list[dict]:
    header, *rows = rows_of(response.content)
    return [dict(zip(header, row, strict=True)) for row in rows]


def record(client, activity, **data):
    url = reverse("activities:followup_create", args=[activity.pk])
    form = {"submission": token_of(client.get(url)), "date": "2017-11-01", "period": "2017", "text": "Klart."}
    return client.post(url, form | data)


def test_completed_on_an_adopted_plan_shows_everywhere_and_the_adopted_version_is_unchanged(
    client, signed_in, plan_2016
):
    activity = plan_2016.activities.get(number="2")
    version = plan_2016.versions.order_by("-number").first()
    frozen = json.dumps(version.snapshot, sort_keys=True)
    client.get(plan_2016.get_absolute_url())  # the adopted body is rendered and kept
    search = reverse("activities:activity_search")
    assert activity.get_absolute_url() not in client.get(search, {"phase": "completed"}).content.decode()
    assert "Genomförd" not in text(signed_in.get(activity.get_absolute_url())).split("Status i planen")[0]

    response = record(signed_in, activity, phase="completed", text="Tjänsten är införd i alla kommuner.")
    assert response.status_code == 302

    page = text(signed_in.get(activity.get_absolute_url()))
    progress = page.split(" Läge ")[1].split("Status i planen")[0]
    assert "Genomförd , i tid" in progress and "För 2017, registrerat 2017-11-01" in progress
    assert "Tjänsten är införd i alla kommuner." in progress
    client.logout()
    plan_page = client.get(plan_2016.get_absolute_url()).content.decode()
    row = next(r for r in plan_page.split("<tr") if activity.get_absolute_url() in r)
    assert "Genomförd" in row
    exported = csv_rows(client.get(plan_2016.get_absolute_url(), {"export": "csv"}))
    assert next(r for r in exported if r["Nr"] == "2")["Läge"] == "Genomförd"
    search = reverse("activities:activity_search")
    found = {
        (r["Handlingsplan"], r["Nr"]) for r in csv_rows(client.get(search, {"phase": "completed", "export": "csv"}))
    }
    assert (plan_2016.title, "2") in found
    assert all(r["Läge"] == "Genomförd" for r in csv_rows(client.get(search, {"phase": "completed", "export": "csv"})))
    assert activity.title in client.get(search, {"phase": "completed"}).content.decode()
    version = PlanVersion.objects.get(pk=version.pk)
    assert json.dumps(version.snapshot, sort_keys=True) == frozen


def test_an_activity_is_late_when_its_end_year_has_passed_and_its_phase_is_not_finished(plan_2016):
    activity = plan_2016.activities.get(number="2")
    assert activity.end_year < timezone.localdate().year
    assert not Activity.objects.get(pk=activity.pk).is_late  # no progress recorded: no timeliness
    activity.follow_ups.create(date=date(2017, 6, 1), period=2017, phase="ongoing", text="Pågår")
    assert Activity.objects.get(pk=activity.pk).is_late
    assert activity.pk in Activity.objects.late().values_list("pk", flat=True)
    for finished in ("completed", "cancelled"):
        activity.follow_ups.create(date=date(2017, 12, 1), period=2017, phase=finished, text="Slut")
        assert not Activity.objects.get(pk=activity.pk).is_late
        assert activity.pk not in Activity.objects.late().values_list("pk", flat=True)
        assert activity.pk in Activity.objects.in_time().values_list("pk", flat=True)


def test_an_activity_ending_this_year_is_in_time(plan_2016):
    activity = plan_2016.activities.get(number="2")
    activity.follow_ups.create(date=date(2017, 6, 1), period=2017, phase="postponed", text="Väntar")
    Activity.objects.filter(pk=activity.pk).update(end_year=timezone.localdate().year)
    assert not Activity.objects.get(pk=activity.pk).is_late
    assert activity.pk not in Activity.objects.late().values_list("pk", flat=True)


def test_the_search_finds_late_activities_and_says_late_in_words(client, plan_2016):
    activity = plan_2016.activities.get(number="2")
    activity.follow_ups.create(date=date(2017, 6, 1), period=2017, phase="pre_study", text="Utreds")
    page = client.get(reverse("activities:activity_search"), {"late": "true"})
    rows = [r for r in page.content.decode().split("<tr") if "/aktiviteter/" in r and "<td" in r]
    assert rows and all('<span class="badge badge--warn">försenad</span>' in row for row in rows)
    row = next(row for row in rows if activity.get_absolute_url() in row)
    assert re.search(
        r'<span class="badge badge--info">Förstudie</span>\s*<span class="badge badge--warn">försenad</span>', row
    )
    assert (
        client.get(reverse("activities:activity_search"), {"late": "false"})
        .content.decode()
        .count(activity.get_absolute_url())
        == 0
    )


def test_a_year_outside_the_plan_is_refused_in_swedish_and_what_was_typed_is_kept(signed_in, plan_2016):
    activity = plan_2016.activities.get(number="2")
    response = record(signed_in, activity, period="2019", phase="ongoing", text="Fortsätter nästa år.")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Året måste ligga inom planens period, 2016–2017." in page
    assert "Fortsätter nästa år." in page
    assert not activity.follow_ups.exists()


def test_the_form_offers_the_seven_phases(signed_in, plan_2016):
    activity = plan_2016.activities.get(number="2")
    page = signed_in.get(reverse("activities:followup_create", args=[activity.pk])).content.decode()
    phases = re.findall(r'<option value="(\w+)"', page.split('name="phase"')[1].split("</select>")[0])
    assert phases == [
        "not_started",
        "pre_study",
        "ongoing",
        "completed",
        "partly_completed",
        "postponed",
        "cancelled",
    ]
    for label in ("Ej påbörjad", "Förstudie", "Pågår", "Genomförd", "Delvis genomförd", "Uppskjuten", "Avbruten"):
        assert f">{label}</option>" in page


def test_a_version_frozen_before_phases_shows_the_previous_plans_status_as_its_phase():
    from activities.parts import frozen_previous

    values = {
        "id": 1,
        "number": "7",
        "title": "Trygghetslarm",
        "status": "planned",
        "follow_up": {"date": "2015-10-01", "status": "partly_completed", "text": "Hälften klart"},
    }
    assert frozen_previous(values).latest_follow_up.get_phase_display() == "Delvis genomförd"


MIGRATION_CHECK = textwrap.dedent(
    """
    import datetime
    import django
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    django.setup()
    before = [("activities", "0010_effort_share_as_written")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    cooperation = old.get_model("governance", "Cooperation").objects.create(name="Samverkan", short_name="S")
    plan = old.get_model("plans", "ActionPlan").objects.create(
        cooperation=cooperation, title="Plan", first_year=2016, last_year=2017
    )
    activity = old.get_model("activities", "Activity").objects.create(plan=plan, title="Insats")
    FollowUp = old.get_model("activities", "FollowUp")
    statuses = ["planned", "ongoing", "completed", "partly_completed", "postponed", "cancelled"]
    for day, status in enumerate(statuses, start=1):
        FollowUp.objects.create(activity=activity, date=datetime.date(2017, 1, day), status=status, text=status)
    FollowUp.objects.create(activity=activity, date=datetime.date(2018, 3, 1), status="completed", text="sent")
    executor = MigrationExecutor(connection)
    executor.migrate([("activities", "0011_follow_up_progress")])
    from activities.models import FollowUp

    for follow_up in FollowUp.objects.order_by("pk"):
        print(follow_up.text, follow_up.phase, follow_up.period)
    """
)


def test_the_migration_maps_every_old_status_to_its_phase(tmp_path):
    """On a database of its own (a schema change cannot run inside the tests' transaction)."""
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'old.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "ehalsa.settings",
        "DJANGO_DEBUG": "1",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "-c", MIGRATION_CHECK],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split("\n")[:-1] == [
        "planned not_started 2017",
        "ongoing ongoing 2017",
        "completed completed 2017",
        "partly_completed partly_completed 2017",
        "postponed postponed 2017",
        "cancelled cancelled 2017",
        "sent completed None",  # dated after the plan: its year is not guessed
    ]
    assert FollowUp  # the model the migration leads to
