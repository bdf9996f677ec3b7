"""Adopted versions: frozen content that no view, model call or SQL statement can change."""

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from plans.models import PlanVersion

pytestmark = pytest.mark.django_db


def test_the_adopted_2016_2017_plan_has_its_frozen_version(plan_2016):
    version = plan_2016.versions.get()
    assert version.number == 1 and version.adopted_on.isoformat() == "2015-11-27"
    assert version.decision.body.short_name == "SSVO"
    assert [a["number"] for a in version.snapshot["activities"]] == [
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
        "7a",
        "7b",
        "8",
        "9a",
        "9b",
    ]
    assert version.snapshot["budget"][0]["amount"] == "3955888.00"


def test_a_version_cannot_be_changed_or_deleted_through_the_models(plan_2016):
    version = plan_2016.versions.get()
    version.snapshot = {}
    with pytest.raises(ValidationError):
        version.save()
    with pytest.raises(ValidationError):
        version.delete()
    with pytest.raises(ValidationError):
        PlanVersion.objects.filter(pk=version.pk).update(snapshot={})
    with pytest.raises(ValidationError):
        PlanVersion.objects.filter(pk=version.pk).delete()


def test_the_database_itself_refuses_to_change_a_version(plan_2016):
    version = plan_2016.versions.get()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE plans_planversion SET adopted_on = '2000-01-01' WHERE id = %s", [version.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM plans_planversion WHERE id = %s", [version.pk])
    version.refresh_from_db()
    assert version.adopted_on.isoformat() == "2015-11-27"


def test_a_snapshot_holds_values_not_words_of_a_language(plan_2016):
    """Issue 14: the same plan frozen under English and under Swedish is the same snapshot."""
    from django.utils import translation

    from plans.versions import compare, snapshot_of

    with translation.override("en"):
        english = snapshot_of(plan_2016)
    with translation.override("sv"):
        swedish = snapshot_of(plan_2016)
    assert english == swedish
    assert compare(english, swedish).unchanged
    activity = next(a for a in swedish["activities"] if a["number"] == "2")
    assert activity["status"] in {"planned", "ongoing", "completed", "partly_completed", "postponed", "cancelled"}
    assert isinstance(activity["whole_municipality"], bool)


def test_every_field_of_every_row_is_in_the_snapshot_or_named_as_left_out(plan_2016):
    from django.apps import apps

    from plans.versions import NOT_IN_SNAPSHOT, snapshot_of

    for label, fields in NOT_IN_SNAPSHOT.items():
        names = {f.name for f in apps.get_model(label)._meta.concrete_fields}
        assert set(fields) <= names, f"{label}: {set(fields) - names} are no fields"
    snapshot = snapshot_of(plan_2016)
    activity = snapshot["activities"][0]
    for label, part in [
        ("plans.ActionPlan", snapshot["plan"]),
        ("plans.Section", snapshot["sections"][0]),
        ("plans.Goal", snapshot["goals"][0]),
        ("activities.Activity", activity),
        ("finance.BudgetEntry", snapshot["budget"][0]),
        ("finance.CostSharingKey", snapshot["keys"][0]),
        ("activities.Measure", snapshot["measures"][0]),
        ("activities.MeasureTarget", snapshot["measures"][0]["targets"][0]),
    ]:
        names = {f.name for f in apps.get_model(label)._meta.concrete_fields} - {"id", "version"}
        assert names - set(NOT_IN_SNAPSHOT[label]) <= set(part), label


def test_a_comparison_names_changes_in_the_readers_language(plan_2016):
    from django.utils import translation

    from plans.versions import compare, snapshot_of

    old = snapshot_of(plan_2016)
    new = snapshot_of(plan_2016)
    changed = next(a for a in new["activities"] if a["number"] == "2")
    changed["status"] = "cancelled" if changed["status"] != "cancelled" else "planned"
    with translation.override("sv"):
        (change,) = compare(old, new).activities_changed
    assert change.fields[0][0] == "Status" and {change.fields[0][2], change.fields[0][1]} & {"Avbruten", "Planerad"}


FORMAT_1 = {  # as versions adopted before snapshot format 2 were stored: display text, in Swedish here
    "plan": {"title": "Handlingsplan", "subtitle": "", "cooperation": "Ö", "period": "2016–2017", "previous_plan": ""},
    "sections": [{"heading": "Inledning", "level": 1, "body": "Text"}],
    "goals": [{"title": "Mål 1", "description": ""}],
    "activities": [
        {
            "number": "2",
            "title": "Trygghetslarm",
            "area": "",
            "status": "Planerad",
            "content": "",
            "benefit": "",
            "effect_goal": "",
            "owner": "",
            "period": "2016–2017",
            "effort": "",
            "regional_support": "",
            "whole_municipality": "Nej",
            "lika": "L2, I3",
            "goals": "Mål 1",
            "references": [],
            "effort_shares": [],
        }
    ],
    "budget": [{"year": 2016, "kind": "Kostnad", "description": "Samordnare", "amount": "100.00"}],
    "keys": [],
}


def test_a_version_frozen_before_format_2_compares_with_a_new_one():
    from plans.versions import compare

    new = {
        "format": 2,
        "plan": {"title": "Handlingsplan", "subtitle": "", "first_year": 2016, "last_year": 2017},
        "sections": FORMAT_1["sections"],
        "goals": FORMAT_1["goals"],
        "activities": [
            FORMAT_1["activities"][0]
            | {
                "status": "cancelled",
                "start_year": 2016,
                "end_year": 2017,
                "period_note": "",
                "effort_hours": None,
                "effort_note": "",
                "whole_municipality": False,
                "lika_indicators": ["L2", "I3"],
                "goals": ["Mål 1"],
            }
        ],
        "budget": [{"year": 2016, "kind": "cost", "description": "Samordnare", "amount": "100.00"}],
    }
    comparison = compare(FORMAT_1, new)
    (change,) = comparison.activities_changed
    assert [label for label, _before, _after in change.fields] == ["Status"]
    assert not comparison.details_changed and not comparison.budget_changes


def test_the_compare_page_reads_a_version_frozen_before_format_2(client, plan_2016, coordinator):
    from plans import services
    from plans.models import PlanVersion

    PlanVersion.objects.create(
        plan=plan_2016, number=2, adopted_on=plan_2016.versions.get().adopted_on, snapshot=FORMAT_1
    )
    revision = services.plan_start_revision(plan=plan_2016, reason="Ny kostnadsbild", user=coordinator)
    client.force_login(coordinator)
    response = client.get(f"/planer/{revision.pk}/jamfor/")
    assert response.status_code == 200


def test_reviewing_the_copied_texts_changes_nothing_an_adopted_version_would_keep(draft):
    """The mark "to review" is for the draft's editors: the snapshot is the same with it and without it."""
    from plans.versions import snapshot_of

    assert draft.activities.filter(to_review=True).exists() and draft.sections.filter(to_review=True).exists()
    before = snapshot_of(draft)
    for rows in (draft.sections, draft.goals, draft.activities):
        rows.update(to_review=False)
    assert snapshot_of(draft) == before


def test_the_comparison_writes_budget_amounts_as_swedish_does():
    """Found on the compare page: "3955888.00 → 1250000.00", as stored, not as read."""
    from plans.versions import budget_differences

    old = [
        {"year": 2016, "kind": "cost", "description": "Samordnare", "amount": "3955888.00"},
        {"year": 2016, "kind": "cost", "description": "Resor", "amount": "862124.50"},
        {"year": 2016, "kind": "cost", "description": "Licenser", "amount": "1000"},
    ]
    new = [
        {"year": 2016, "kind": "cost", "description": "Samordnare", "amount": "1250000.00"},
        {"year": 2016, "kind": "cost", "description": "Resor", "amount": "862124.75"},
        {"year": 2016, "kind": "cost", "description": "Licenser", "amount": "1000.00"},  # the same amount
    ]
    assert budget_differences(old, new) == [
        ("2016 Resor", "862\xa0124,50\xa0kr", "862\xa0124,75\xa0kr"),
        ("2016 Samordnare", "3\xa0955\xa0888\xa0kr", "1\xa0250\xa0000\xa0kr"),
    ]
    assert budget_differences(old[:1], []) == [("2016 Samordnare", "3\xa0955\xa0888\xa0kr", "–")]
