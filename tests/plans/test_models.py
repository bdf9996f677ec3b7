import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from plans.models import ActionPlan
from tests.helpers import make_plan

pytestmark = pytest.mark.django_db


def test_a_plan_period_ending_before_it_starts_is_refused(ostergotland):
    plan = ActionPlan(cooperation=ostergotland, title="Baklänges", first_year=2019, last_year=2018)
    with translation.override("sv"), pytest.raises(ValidationError) as error:
        plan.full_clean()
    assert "Perioden kan inte sluta innan den börjar." in error.value.messages
    with pytest.raises(IntegrityError), transaction.atomic():
        plan.save()


def test_the_budget_of_a_plan_also_covers_the_previous_plans_years(plan_2016, plan_2014):
    assert plan_2016.budget_first_year == 2014
    assert plan_2014.budget_first_year == 2014


def test_adopted_plans_are_public_and_drafts_are_not(plan_2016, h2o_plan, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    visible = ActionPlan.objects.visible_to(AnonymousUser())
    assert plan_2016 in visible
    assert h2o_plan not in visible


def test_members_of_the_cooperation_see_its_drafts(coordinator, viewer, official_elsewhere, stranger, administrator):
    draft = make_plan(title="Utkast för Östergötland")
    assert draft in ActionPlan.objects.visible_to(coordinator)
    assert draft in ActionPlan.objects.visible_to(viewer)
    assert draft in ActionPlan.objects.visible_to(administrator)
    assert draft not in ActionPlan.objects.visible_to(official_elsewhere)
    assert draft not in ActionPlan.objects.visible_to(stranger)


def test_the_period_reads_as_swedish_documents_write_it(plan_2016):
    assert plan_2016.period == "2016–2017"
    assert make_plan(first_year=2026, last_year=2026).period == "2026"
