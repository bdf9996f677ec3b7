from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from activities.as_written import parse_effort, parse_period, parse_references
from activities.models import Activity, EffortShare
from tests.helpers import as_draft, make_activity, make_plan

pytestmark = pytest.mark.django_db


def test_a_duplicate_activity_number_in_a_plan_is_refused_in_swedish(plan_2016):
    as_draft(plan_2016)
    duplicate = Activity(plan=plan_2016, number="7a", title="Ännu en 7a")
    with translation.override("sv"), pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "En annan aktivitet i planen har redan detta nummer." in error.value.messages


def test_the_database_refuses_a_duplicate_activity_number(plan_2016):
    as_draft(plan_2016)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_activity(plan_2016, number="7a")


def test_activities_without_numbers_may_be_many(vastkom_plan):
    as_draft(vastkom_plan)
    make_activity(vastkom_plan, number="")
    assert vastkom_plan.activities.filter(number="").count() == 4


def test_the_same_number_may_appear_in_another_plan(plan_2014):
    assert make_activity(make_plan(), number="1").pk


def test_a_period_ending_before_it_starts_is_refused(plan_2016):
    as_draft(plan_2016)
    activity = Activity(plan=plan_2016, number="99", title="Baklänges", start_year=2017, end_year=2016)
    with translation.override("sv"), pytest.raises(ValidationError) as error:
        activity.full_clean()
    assert "Perioden kan inte sluta innan den börjar." in error.value.messages
    with pytest.raises(IntegrityError), transaction.atomic():
        activity.save()


def test_negative_effort_hours_are_refused(plan_2016):
    as_draft(plan_2016)
    activity = Activity(plan=plan_2016, number="99", title="Minus", effort_hours=Decimal("-1"))
    with pytest.raises(ValidationError) as error:
        activity.full_clean()
    assert "effort_hours" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        activity.save()


def test_negative_effort_per_party_is_refused_by_the_database(plan_2016):
    as_draft(plan_2016)
    activity = plan_2016.activities.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        EffortShare.objects.create(activity=activity, party="Konsulter", hours=Decimal("-5"))


def test_an_effort_share_needs_a_party(plan_2016):
    as_draft(plan_2016)
    share = EffortShare(activity=plan_2016.activities.first(), hours=Decimal(5))
    with translation.override("sv"), pytest.raises(ValidationError) as error:
        share.full_clean()
    assert "Välj en organisation eller ange parten." in error.value.messages


@pytest.mark.parametrize(
    ("written", "hours", "basis"),
    [
        ("50 timmar", Decimal(50), "total"),
        ("24 timmar/ person", Decimal(24), "per_person"),
        ("8 timmar/ system", Decimal(8), "per_system"),
        ("3 timmar / medarb.", Decimal(3), "per_employee"),
        ("100 timmar/ Tjänst, Produkt eller IT-system", Decimal(100), "per_service"),
        ("200 timmar eller 3 tillfällen/nämndsmöte", Decimal(200), "other"),
        ("Minst 1 heltidstjänst", None, "full_time"),
        ("Egen uträkning", None, "own_calculation"),
        ("Del av ordinarie verksamhet", None, "ordinary_work"),
    ],
)
def test_effort_as_written_is_read_into_hours_and_basis(written, hours, basis):
    effort = parse_effort(written)
    assert (effort.hours, effort.basis) == (hours, basis)


def test_periods_as_written_are_read_into_years():
    assert parse_period("2016-2018") == (2016, 2018, "")
    assert parse_period("2017") == (2017, 2017, "")
    assert parse_period("Utifrån behov") == (None, None, "Utifrån behov")


def test_references_keep_their_page_numbers():
    assert parse_references(
        "Insatsområden: Standarder.(sid 8) Nationellt forum för standardisering inom e-hälsa (sid 10)"
    ) == [
        ("Insatsområden: Standarder", "8"),
        ("Nationellt forum för standardisering inom e-hälsa", "10"),
    ]
    assert parse_references("Ta fram en strategi (sid 10 – 11)") == [("Ta fram en strategi", "10–11")]
    assert parse_references("Utifrån individens behov (s10)") == [("Utifrån individens behov", "10")]


def test_the_content_of_an_adopted_plan_cannot_change_in_place(plan_2016):
    activity = plan_2016.activities.get(number="3")
    activity.title = "Ändrad i smyg"
    with translation.override("sv"), pytest.raises(ValidationError) as error:
        activity.full_clean()
    assert "Planen är antagen och kan inte ändras direkt." in error.value.messages
    with pytest.raises(ValidationError):
        activity.save()
    with pytest.raises(ValidationError):
        activity.delete()
    with pytest.raises(ValidationError):
        make_activity(plan_2016, number="99")
    with pytest.raises(ValidationError):
        plan_2016.sections.first().delete()
    assert plan_2016.activities.get(number="3").title == "Strategi och utveckling"


def test_follow_ups_are_recorded_on_adopted_plans(plan_2014):
    from datetime import date

    activity = plan_2014.activities.get(number="6")
    follow_up = activity.follow_ups.create(date=date(2016, 5, 1), phase="completed", text="Klar.")
    assert follow_up.pk
