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
