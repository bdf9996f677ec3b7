"""Effort per party: hours that add up per activity, party and area, and effort as written that does not."""

import io
import json
import re
import subprocess
import sys
import textwrap
from decimal import Decimal

import openpyxl
import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from activities.effort import effort_summary
from activities.models import Activity, Area, EffortShare
from governance.models import Organisation
from plans.pdf import plan_pdf_html
from tests.activities.test_editing import post_new
from tests.helpers import csv_rows, make_activity, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(coordinator):
    """A draft with three activities in two areas and one without an area; the region, Mjölby and
    consultants share the work, Mjölby once "enligt överenskommelse"."""
    first, second = Area.objects.filter(cooperation=None).order_by("order")[:2]
    region = Organisation.objects.get(name="Region Östergötland")
    mjolby = Organisation.objects.get(name="Mjölby kommun")
    plan = make_plan(title="Insatsplan 2026-2027")
    one = make_activity(plan, number="1", title="Trygghetslarm", area=first, order=1)
    two = make_activity(plan, number="2", title="Digital signering", area=second, order=2)
    three = make_activity(plan, number="3", title="Informationsklassning", order=3)
    EffortShare.objects.create(activity=one, organisation=region, hours=Decimal("100"))
    EffortShare.objects.create(activity=one, organisation=mjolby, as_written="enligt överenskommelse")
    EffortShare.objects.create(activity=one, party="Konsulter", hours=Decimal("12.5"))
    EffortShare.objects.create(activity=two, organisation=region, hours=Decimal("1100"))
    EffortShare.objects.create(activity=two, organisation=mjolby, hours=Decimal("40"))
    EffortShare.objects.create(activity=three, party="Konsulter", as_written="24 timmar/person")
    plan.areas = (first.name, second.name)
    return plan


def summary_of(plan):
    return effort_summary(plan.activities.select_related("area").prefetch_related("effort_shares__organisation"))


def text(html: str) -> str:
    """The page as read: tags gone, spaces collapsed (the thousands' space is a space)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.replace("&nbsp;", " ").replace("\xa0", " ")))


# --- The sums ------------------------------------------------------------------------------------


def test_totals_per_activity_party_and_area_add_up_and_leave_effort_as_written_out(plan):
    effort = summary_of(plan)
    assert [row.party_hours for row in effort.activities] == [Decimal("112.5"), Decimal("1140"), None]
    parties = {party.name: party.hours for party in effort.parties}
    assert parties == {"Region Östergötland": 1200, "Mjölby kommun": 40, "Konsulter": Decimal("12.5")}
    first, second = plan.areas
    assert [(area.name, area.hours) for area in effort.areas] == [
        (first, Decimal("112.5")),
        (second, Decimal("1140")),
        ("", None),  # only "24 timmar/person": listed, not summed as 0
    ]
    assert effort.total_party_hours == Decimal("1252.5")
    assert sum(row.party_hours or 0 for row in effort.activities) == effort.total_party_hours
    assert sum(area.hours or 0 for area in effort.areas) == effort.total_party_hours
    assert [(w.party, w.text) for w in effort.as_written] == [
        ("Mjölby kommun", "enligt överenskommelse"),
        ("Konsulter", "24 timmar/person"),
    ]


def test_a_party_with_only_effort_as_written_is_listed_without_hours(plan):
    EffortShare.objects.filter(organisation__name="Mjölby kommun", hours__isnull=False).delete()
    mjolby = next(party for party in summary_of(plan).parties if party.name == "Mjölby kommun")
    assert mjolby.hours is None and [w.text for w in mjolby.as_written] == ["enligt överenskommelse"]


# --- What people see ----------------------------------------------------------------------------


def test_the_budget_page_shows_effort_as_written_as_written_and_its_totals_without_it(signed_in, plan):
    page = signed_in.get(reverse("finance:budget", args=[plan.pk])).content.decode()
    shown = text(page)
    assert "Insats per part" in shown and "Parternas insats per område" in shown
    # per party, with the total row; Mjölby's agreed effort beside its 40 hours, marked
    assert re.search(r"<th scope=\"row\">Region Östergötland</th><td class=\"num\">1\xa0200</td>", page)
    assert "Mjölby kommun 40 enligt överenskommelse (aktivitet 1) ingår inte i summan" in shown
    assert "Konsulter 12,5 24 timmar/person (aktivitet 3) ingår inte i summan" in shown
    assert shown.count("Totalt 1 252,5") == 2  # per party and per area
    # per area: the area without hours says so, not 0
    first, second = plan.areas
    assert f"{first} 112,5 Mjölby kommun: enligt överenskommelse (aktivitet 1) ingår inte i summan" in shown
    assert "Utan område – Konsulter: 24 timmar/person (aktivitet 3) ingår inte i summan" in shown
    assert "2 rader i insats per part anges i text i stället för timmar" in shown


def test_the_plan_page_shows_each_activitys_total_and_the_totals_per_party(signed_in, plan):
    shown = text(signed_in.get(plan.get_absolute_url()).content.decode())
    assert "Timmar, alla parter" in shown
    assert "Trygghetslarm – – 112,5 h Mjölby kommun: enligt överenskommelse ingår inte i summan –" in shown
    assert "Digital signering – – 1 140 h –" in shown
    assert "Informationsklassning – – – Konsulter: 24 timmar/person ingår inte i summan –" in shown
    assert "Region Östergötland 1 200" in shown and "Totalt 1 252,5" in shown


def test_the_activity_page_shows_its_total_and_effort_as_written_apart(client, signed_in, plan):
    activity = plan.activities.get(number="1")
    shown = text(signed_in.get(activity.get_absolute_url()).content.decode())
    assert "Timmar, alla parter 112,5 h och en parts insats i text, ingår inte i summan" in shown
    assert "Mjölby kommun – enligt överenskommelse ingår inte i summan" in shown
    assert "Totalt 112,5" in shown


def test_the_plans_pdf_shows_the_totals_and_effort_as_written(plan):
    shown = text(plan_pdf_html(plan))
    assert "Region Östergötland 1 200" in shown and shown.count("Totalt 1 252,5") == 3
    assert "Mjölby kommun 40 enligt överenskommelse (aktivitet 1) ingår inte i summan" in shown
    assert "1 Trygghetslarm 112,5 Mjölby kommun: enligt överenskommelse ingår inte i summan" in shown
    assert "3 Informationsklassning – Konsulter: 24 timmar/person ingår inte i summan" in shown
    first, _ = plan.areas
    assert f"{first} 112,5" in shown


def test_an_adopted_versions_document_keeps_effort_as_written_out_of_the_sums(plan):
    """The adopted page and PDF are read from the snapshot: the same sums, the same texts."""
    from activities.parts import ActivitiesPart
    from plans.versions import snapshot_of

    snapshot = json.loads(json.dumps(snapshot_of(plan)))
    effort = ActivitiesPart().frozen_document(snapshot)["effort"]
    assert effort.total_party_hours == Decimal("1252.5")
    assert [row.party_hours for row in effort.activities] == [Decimal("112.5"), Decimal("1140"), None]
    assert [(w.party, w.text) for w in effort.as_written] == [
        ("Mjölby kommun", "enligt överenskommelse"),
        ("Konsulter", "24 timmar/person"),
    ]


# --- Exports ------------------------------------------------------------------------------------


def test_the_plan_pages_exports_carry_each_activitys_total_as_a_number(signed_in, plan):
    response = signed_in.get(plan.get_absolute_url(), {"export": "xlsx"})
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    header = rows[0]
    total, written = header.index("Timmar, alla parter"), header.index("Insats i text, ingår inte i summan")
    assert [(row[0], row[total], row[written]) for row in rows[1:]] == [
        ("1", 112.5, "Mjölby kommun: enligt överenskommelse"),
        ("2", 1140, None),
        ("3", None, "Konsulter: 24 timmar/person"),
    ]
    text_rows = csv_rows(signed_in.get(plan.get_absolute_url(), {"export": "csv"}).content)
    assert [(row[0], row[total]) for row in text_rows[1:]] == [
        ("1", "112,5"),
        ("2", "1140,0"),
        ("3", ""),
    ]  # one format per column


def test_the_activity_search_exports_each_activitys_total(signed_in, plan):
    response = signed_in.get(reverse("activities:activity_search"), {"q": "Digital signering", "export": "csv"})
    rows = csv_rows(response.content)
    total = rows[0].index("Timmar, alla parter")
    assert [row[total] for row in rows[1:] if "Digital signering" in row] == ["1140"]


# --- Entering it --------------------------------------------------------------------------------


def test_a_coordinator_enters_effort_by_agreement_on_a_partys_row(signed_in, draft):
    response = post_new(signed_in, draft, **{"effort-0-hours": "", "effort-0-as_written": "enligt överenskommelse"})
    assert response.status_code == 302
    share = Activity.objects.get(plan=draft, number="12").effort_shares.get()
    assert (share.hours, share.as_written) == (None, "enligt överenskommelse")


@pytest.mark.parametrize(
    ("hours", "as_written", "message"),
    [
        ("", "", "Ange timmarna, eller insatsen som den skrivs om den inte är timmar totalt"),
        ("24", "24 timmar/person", "Ange timmar eller insatsen som den skrivs, inte båda"),
    ],
)
def test_a_partys_row_needs_hours_or_effort_as_written_and_keeps_what_was_typed(
    signed_in, draft, hours, as_written, message
):
    before = EffortShare.objects.count()
    data = {"effort-0-hours": hours, "effort-0-as_written": as_written, "effort-0-note": "Upphandlas"}
    response = post_new(signed_in, draft, **data)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page.replace("&#x27;", "'")
    assert EffortShare.objects.count() == before
    assert 'value="Konsulter"' in page and 'value="Upphandlas"' in page


@pytest.mark.parametrize(("hours", "as_written"), [(None, ""), (Decimal(24), "24 timmar/person")])
def test_the_database_refuses_a_row_with_neither_or_both(plan, hours, as_written):
    with pytest.raises(IntegrityError), transaction.atomic():
        EffortShare.objects.create(
            activity=plan.activities.first(), party="Konsulter", hours=hours, as_written=as_written
        )


# --- Existing data ------------------------------------------------------------------------------

MIGRATION_CHECK = textwrap.dedent(
    """
    import django
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    django.setup()
    executor = MigrationExecutor(connection)
    executor.migrate([("activities", "0009_history_of_reference_data")])
    old = executor.loader.project_state([("activities", "0009_history_of_reference_data")]).apps
    cooperation = old.get_model("governance", "Cooperation").objects.create(name="Samverkan", short_name="S")
    plan = old.get_model("plans", "ActionPlan").objects.create(
        cooperation=cooperation, title="Plan", first_year=2016, last_year=2017
    )
    activity = old.get_model("activities", "Activity").objects.create(plan=plan, title="Insats")
    old.get_model("activities", "EffortShare").objects.create(
        activity=activity, party="Konsulter", hours="80.5", note="Upphandlas"
    )
    executor = MigrationExecutor(connection)
    executor.migrate([("activities", "0010_effort_share_as_written")])
    from activities.models import EffortShare

    share = EffortShare.objects.get()
    print(share.party, share.hours, repr(share.as_written), share.note, share.effort_display)
    """
)


def test_the_migration_keeps_every_existing_rows_hours(tmp_path):
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
    assert result.stdout.strip() == "Konsulter 80.5 '' Upphandlas 80,5 h"
