"""How a plan is going: the overview on an adopted plan's page and a cooperation's plans over the years."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import FINISHED_PHASES, FollowUp, Milestone, Phase
from finance.models import BudgetEntry, BudgetOutcome
from plans.models import ActionPlan
from tests.helpers import as_draft

pytestmark = pytest.mark.django_db


def text(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.replace("&nbsp;", " ").replace("\xa0", " ")))


def overview(client, plan) -> str:
    response = client.get(plan.get_absolute_url())
    assert 'id="lage-rubrik"' in response.content.decode()
    return text(response).split(" Läge ", 1)[1].split("hur det går", 1)[0]


def test_seed_000_s_follow_up_is_the_2014_plan_s_progress(client, plan_2014):
    activities = list(plan_2014.activities.all())
    phases = [activity.current_phase for activity in activities]  # each activity's latest follow-up, one by one
    this_year = timezone.localdate().year
    late = [
        a for a in activities if a.current_phase and a.current_phase not in FINISHED_PHASES and a.end_year < this_year
    ]
    part = overview(client, plan_2014)
    assert len(activities) == 14
    assert f"{phases.count(Phase.COMPLETED)} av 14 genomförda" in part
    for phase in {p for p in phases if p}:
        assert re.search(rf"{Phase(phase).label} {phases.count(phase)}\b", part), phase
    assert f"{len(late)} aktiviteter är försenade" in part
    for activity in late:
        assert activity.title in part


def test_progress_recorded_after_adoption_shows_at_once_in_the_overview(client, coordinator, plan_2016):
    activity = plan_2016.activities.filter(follow_ups__isnull=True).order_by("order").first()
    unrecorded = plan_2016.activities.filter(follow_ups__isnull=True).count()
    assert "0 av 11 genomförda" in overview(client, plan_2016)
    FollowUp.objects.create(activity=activity, period=2017, date="2017-11-01", phase=Phase.COMPLETED, text="Klart.")
    part = overview(client, plan_2016)
    assert "1 av 11 genomförda" in part and "Genomförd 1" in part
    assert f"Ingen uppföljning ännu {unrecorded - 1}" in part


def test_the_overview_weighs_the_outcome_so_far_against_the_budget(client, plan_2016):
    line = plan_2016.budget_entries.filter(kind=BudgetEntry.Kind.COST).order_by("year", "pk").first()
    year, amount = line.amounts_by_year(plan_2016.last_year)[0]
    before = overview(client, plan_2016)
    assert "Utfall hittills: 0 kr av de" in before and "utfall registrerat för 0 av" in before
    BudgetOutcome.objects.create(entry=line, year=year, amount=Decimal("123456"))
    assert "Utfall hittills: 123 456 kr av de" in overview(client, plan_2016)


def test_a_draft_has_no_progress_yet(client, coordinator, plan_2016):
    as_draft(plan_2016)
    client.force_login(coordinator)
    assert 'id="lage-rubrik"' not in client.get(plan_2016.get_absolute_url()).content.decode()


def test_a_cooperation_s_plans_over_the_years_and_their_progress(client, coordinator, plan_2014, plan_2016):
    url = reverse("plans:cooperation_progress", args=[plan_2016.cooperation_id])
    page = text(client.get(url))
    assert page.index(plan_2014.title) < page.index(plan_2016.title)  # oldest first
    assert "av 14 genomförda" in page and "0 av 11 genomförda" in page
    draft = ActionPlan.objects.create(
        cooperation=plan_2016.cooperation, title="Utkast till plan 2018-2019", first_year=2018, last_year=2019
    )
    assert draft.title not in text(client.get(url))  # anonymous readers see public plans only
    client.force_login(coordinator)
    assert draft.title in text(client.get(url))


def test_an_unknown_cooperation_is_not_found(client):
    assert client.get(reverse("plans:cooperation_progress", args=[99999])).status_code == 404


def test_overdue_milestones_are_listed_in_the_overview(client, plan_2016):
    activity = plan_2016.activities.get(number="3")
    Milestone.objects.create(activity=activity, title="Upphandling klar", due_date="2017-03-01")
    Milestone.objects.create(activity=activity, title="Avtal tecknat", due_date="2017-02-01", reached="2017-01-20")
    part = overview(client, plan_2016)
    assert "Upphandling klar" in part and "skulle vara klart 2017-03-01" in part
    assert "Avtal tecknat" not in part  # reached in time


def test_a_revision_in_the_overview_says_it_is_one(client, coordinator, plan_2016):
    """Found looking at the page: the adopted plan and its revision were two rows of the same title."""
    from plans.services import plan_start_revision

    plan_start_revision(plan=plan_2016, reason="Ny nationell strategi.", user=coordinator)
    client.force_login(coordinator)
    page = text(client.get(reverse("plans:cooperation_progress", args=[plan_2016.cooperation_id])))
    assert page.count(plan_2016.title) == 2
    assert page.count(f"{plan_2016.title} (revision)") == 1
