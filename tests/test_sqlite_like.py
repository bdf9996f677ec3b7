"""Searches fold Swedish letters' case on SQLite too, as PostgreSQL does."""

import pytest

from ehalsa.sqlite import like
from plans.models import ActionPlan


def test_like_folds_the_case_of_swedish_letters():
    assert like("%östergötland%", "Handlingsplan för ehälsa i Östergötland")
    assert like("%ÅÄÖ%", "åäö")
    assert not like("%npö%", "NPO")


def test_like_keeps_the_wildcards_and_the_escape_character():
    assert like("a_c", "abc") and not like("a_c", "abbc")
    assert like("100\\%", "100%", "\\") and not like("100\\%", "1000", "\\")
    assert like("%", "") and like(None, "x") is None


@pytest.mark.django_db
def test_icontains_finds_capital_swedish_letters(plan_2016):
    assert ActionPlan.objects.filter(title__icontains="östergötland").get() == plan_2016
