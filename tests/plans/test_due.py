"""What is due for each user (``plans.due.due_for``), as the start page shows it: milestones late or
due within 14 days, follow-ups not recorded for this year, stale progress, decisions awaited."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import FollowUp, Milestone
from governance.models import Body
from plans.due import due_for
from plans.report_models import FollowUpReport, ReportDecision, ReportRecipient
from tests.helpers import make_activity, make_plan, make_user

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


@pytest.fixture
def in_force(ostergotland, plan_2016):
    """Östergötland's adopted plan for this year and the next, with two activities; the demo's own
    progress and milestones on the 2016–2017 plan are set aside, so only this plan's are due."""
    Milestone.objects.all().delete()
    FollowUp.objects.filter(activity__plan=plan_2016).delete()
    year = today().year
    plan = make_plan(ostergotland, title="Plan i kraft", first_year=year, last_year=year + 1)
    for number in ("1", "2"):
        make_activity(plan, number=number, title=f"Insats {number}", start_year=year, end_year=year + 1)
    plan.status = plan.Status.ADOPTED
    plan.save()
    return plan


def groups_of(user) -> dict:
    return {group.key: group for group in due_for(user)}


def texts(group) -> list[str]:
    return [item.text for item in group.items]


def test_milestones_late_or_due_within_14_days_are_due_for_the_coordinator(coordinator, in_force):
    activity = in_force.activities.get(number="1")
    activity.milestones.create(title="Försenat", due_date=today() - timedelta(days=1))
    activity.milestones.create(title="Snart", due_date=today() + timedelta(days=14))
    activity.milestones.create(title="Senare", due_date=today() + timedelta(days=15))
    activity.milestones.create(title="Klart", due_date=today() - timedelta(days=5), reached=today())
    due = groups_of(coordinator)
    assert texts(due["late_milestones"]) == ["Försenat"] and due["late_milestones"].items[0].late
    assert texts(due["milestones_soon"]) == ["Snart"]
    assert due["late_milestones"].items[0].url == f"{activity.get_absolute_url()}#delmal"


def test_a_finished_activity_owes_nothing(coordinator, in_force):
    activity = in_force.activities.get(number="1")
    activity.milestones.create(title="Glömt", due_date=today() - timedelta(days=1))
    activity.follow_ups.create(date=today(), period=today().year, phase="cancelled", text="Avbruten")
    due = groups_of(coordinator)
    assert "late_milestones" not in due
    assert due["follow_ups_missing"].items[0].context == f"1 aktivitet saknar uppföljning för {today().year}"


def test_follow_ups_not_recorded_for_this_year_are_due_until_every_activity_has_one(coordinator, in_force):
    year = today().year
    due = groups_of(coordinator)["follow_ups_missing"]
    assert due.heading == f"Uppföljningar som inte registrerats för {year}"
    assert (due.items[0].text, due.items[0].context) == ("Plan i kraft", f"2 aktiviteter saknar uppföljning för {year}")
    for activity in in_force.activities.all():
        activity.follow_ups.create(date=today(), period=year, phase="ongoing", text="Pågår")
    assert "follow_ups_missing" not in groups_of(coordinator)


def test_progress_not_updated_for_180_days_is_due_as_stale(coordinator, in_force):
    year = today().year
    stale, recent = in_force.activities.get(number="1"), in_force.activities.get(number="2")
    stale.follow_ups.create(date=today() - timedelta(days=200), period=year, phase="ongoing", text="Pågår")
    recent.follow_ups.create(date=today() - timedelta(days=20), period=year, phase="ongoing", text="Pågår")
    due = groups_of(coordinator)["stale"]
    assert texts(due) == ["Aktivitet 1 Insats 1"]
    assert "läget registrerades senast" in due.items[0].context


def test_the_official_is_due_their_bodies_decisions_and_not_the_coordinators_milestones(official, in_force):
    in_force.activities.first().milestones.create(title="Försenat", due_date=today() - timedelta(days=1))
    due = groups_of(official)
    assert set(due) == {"awaiting_decision"}
    assert "Handlingsplan för ehälsa i Östergötland 2016-2017" in texts(due["awaiting_decision"])


def test_readers_and_other_cooperations_coordinators_have_nothing_due(viewer, in_force):
    in_force.activities.first().milestones.create(title="Försenat", due_date=today() - timedelta(days=1))
    assert due_for(viewer) == []
    assert due_for(make_user("h2o-samordnare", "coordinator", "Oskarshamns kommun")) == []


def test_the_start_page_lists_what_is_due_with_links(client, coordinator, in_force):
    activity = in_force.activities.get(number="1")
    activity.milestones.create(title="Upphandling klar", due_date=today() - timedelta(days=3))
    client.force_login(coordinator)
    page = client.get(reverse("home")).content.decode()
    region = page.split('id="arbete-rubrik"')[1].split("</section>")[0]
    assert "Försenade delmål" in region
    late_since = (today() - timedelta(days=3)).isoformat()
    assert re.search(
        rf'<a href="{activity.get_absolute_url()}#delmal">Upphandling klar</a> – Aktivitet 1 Insats 1 – Plan i kraft'
        rf' – <span class="badge badge--warn">försenat sedan {late_since}</span>',
        region,
    )
    assert "Uppföljningar som inte registrerats för" in region


def test_no_empty_headings_for_users_with_nothing_due(client, viewer):
    client.force_login(viewer)
    page = client.get(reverse("home")).content.decode()
    assert "Det här väntar på dig" not in page
    assert "<h3>" not in page


def test_last_year_s_follow_up_report_is_due_until_it_is_compiled(ostergotland, coordinator, plan_2016):
    year = today().year
    plan = make_plan(ostergotland, title="Plan förra och i år", first_year=year - 1, last_year=year)
    plan.status = plan.Status.ADOPTED
    plan.save()
    group = groups_of(coordinator)["reports_to_compile"]
    assert [(item.text, item.context) for item in group.items] == [(f"Årlig uppföljning {year - 1}", plan.title)]
    assert group.items[0].url == reverse("plans:report_create", args=[plan.pk])
    FollowUpReport.objects.create(plan=plan, year=year - 1)
    assert "reports_to_compile" not in groups_of(coordinator)


def test_a_report_sent_to_a_body_is_due_for_those_who_record_its_decisions_until_it_decides(
    plan_2016, coordinator, official
):
    lgvo = Body.objects.get(cooperation=plan_2016.cooperation, short_name="LGVO")
    report = FollowUpReport.objects.create(plan=plan_2016, year=2016, summary="Enligt plan.")
    ReportRecipient.objects.create(report=report, body=lgvo, sent_on=today())
    (item,) = groups_of(coordinator)["report_decisions"].items
    assert item.context == "LGVO" and item.url == reverse("plans:report_detail", args=[report.pk])
    assert "report_decisions" not in groups_of(official)  # Mjölby's official records for Mjölby's bodies
    ReportDecision.objects.create(
        report=report,
        body=lgvo,
        meeting_date=today(),
        kind=ReportDecision.Kind.NOTED,
        text="Lägger den till handlingarna.",
    )
    assert "report_decisions" not in groups_of(coordinator)
