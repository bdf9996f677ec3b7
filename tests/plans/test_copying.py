"""One copy rule (issue 14, item 6): the next period's plan and a revision copy every field of every
row they copy, except the fields ``plans.services.NOT_COPIED`` names with a reason. A field added to
a model later is copied without anyone remembering to add it to a list."""

import pytest
from django.apps import apps

from plans import services
from plans.services import NOT_COPIED, copied_values

pytestmark = pytest.mark.django_db


def own_values(row) -> dict:
    """What a copy must share with ``row`` (the link to the plan or activity it moved to is not copied;
    a link to a row of the same plan, a budget line's party or heading, is to the copy's own row)."""
    values = copied_values(row)
    for name in ("party", "heading"):
        if f"{name}_id" in values:
            values[f"{name}_id"] = str(getattr(row, name) or "")
    return values


def pairs(originals, copies):
    originals, copies = list(originals), list(copies)
    assert len(originals) == len(copies)
    return zip(originals, copies, strict=True)


def test_every_field_named_as_not_copied_exists():
    for label, fields in NOT_COPIED.items():
        names = {field.name for field in apps.get_model(label)._meta.concrete_fields}
        assert set(fields) <= names, f"{label}: {set(fields) - names} are no fields"


def test_the_activitys_links_are_those_the_copy_carries():
    from activities.models import Activity
    from activities.parts import ACTIVITY_LINKS

    assert {field.name for field in Activity._meta.many_to_many} == set(ACTIVITY_LINKS)


def test_a_revision_copies_every_field_of_every_row(plan_2016, coordinator):
    revision = services.plan_start_revision(plan=plan_2016, reason="Ny kostnadsbild", user=coordinator)
    assert own_values(revision) == own_values(plan_2016)
    for name in ("sections", "goals", "parties", "budget_headings", "budget_entries", "cost_keys"):
        for original, copy in pairs(getattr(plan_2016, name).order_by("pk"), getattr(revision, name).order_by("pk")):
            assert own_values(original) == own_values(copy), name
    for original, copy in pairs(plan_2016.cost_keys.order_by("pk"), revision.cost_keys.order_by("pk")):
        shares = [(str(share.party), share.percent) for share in original.shares.all()]
        assert shares and shares == [(str(share.party), share.percent) for share in copy.shares.all()]
    activities = pairs(plan_2016.activities.order_by("pk"), revision.activities.order_by("pk"))
    for original, copy in activities:
        assert own_values(original) == own_values(copy)
        assert list(original.lika_indicators.all()) == list(copy.lika_indicators.all())
        assert [g.title for g in original.goals.all()] == [g.title for g in copy.goals.all()]
        for name in ("references", "effort_shares", "measures"):
            for a, b in pairs(getattr(original, name).order_by("pk"), getattr(copy, name).order_by("pk")):
                assert own_values(a) == own_values(b), name
        for a, b in pairs(original.measures.order_by("pk"), copy.measures.order_by("pk")):
            for target_a, target_b in pairs(a.targets.all(), b.targets.all()):
                assert own_values(target_a) == own_values(target_b)
    for original, copy in pairs(plan_2016.goals.order_by("pk"), revision.goals.order_by("pk")):
        for a, b in pairs(original.measures.order_by("pk"), copy.measures.order_by("pk")):
            assert own_values(a) == own_values(b)
            assert [own_values(t) for t in a.targets.all()] == [own_values(t) for t in b.targets.all()]


def test_the_next_periods_plan_copies_every_field_but_the_period_of_its_activities(plan_2016, coordinator):
    new_plan = services.plan_create_next_period(plan=plan_2016, user=coordinator)
    assert new_plan.subtitle == plan_2016.subtitle and new_plan.cooperation == plan_2016.cooperation
    anew = {"start_year", "end_year", "period_note", "status", "continues_id", "to_review"}
    for copy in new_plan.activities.select_related("continues"):
        original = copy.continues
        assert original.plan == plan_2016
        assert copy.to_review  # written for 2016–2017: to be reviewed, as the sections and goals below
        mine = {k: v for k, v in own_values(copy).items() if k not in anew}
        theirs = {k: v for k, v in own_values(original).items() if k not in anew}
        assert mine == theirs
    # Their texts were written for 2016–2017: each copy is to be reviewed for the new period.
    for name in ("sections", "goals"):
        for original, copy in pairs(getattr(plan_2016, name).order_by("pk"), getattr(new_plan, name).order_by("pk")):
            assert own_values(original) | {"to_review": True} == own_values(copy)
