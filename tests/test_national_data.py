"""generate_national_data: the national data set for scale tests."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from activities.models import Activity
from governance.models import Cooperation, Organisation
from plans.models import ActionPlan, PlanVersion

pytestmark = pytest.mark.django_db


def generated(size, seed=7):
    """Generate in a transaction that is rolled back; return a fingerprint of what was made, and what
    a second run said (it must refuse: the data set is there already)."""
    with transaction.atomic():
        call_command("generate_national_data", activities=size, seed=seed, stdout=io.StringIO())
        try:
            call_command("generate_national_data", activities=10, stdout=io.StringIO())
            second_run = "ran again"
        except CommandError as refusal:
            second_run = str(refusal)
        national = Cooperation.objects.filter(name__startswith="Ehälsosamverkan i ")
        fingerprint = {
            "regions": Organisation.objects.filter(kind="region", cooperations__in=national).distinct().count(),
            "municipalities": Organisation.objects.filter(kind="municipality", cooperations__in=national)
            .distinct()
            .count(),
            "cooperations": national.count(),
            "activities": Activity.objects.filter(plan__cooperation__in=national).count(),
            "titles": list(
                Activity.objects.filter(plan__cooperation__in=national).order_by("pk").values_list("title", flat=True)
            ),
            "statuses": sorted(
                set(ActionPlan.objects.filter(cooperation__in=national).values_list("status", flat=True))
            ),
            "versions": PlanVersion.objects.filter(plan__cooperation__in=national).count(),
            "years": (
                min(ActionPlan.objects.filter(cooperation__in=national).values_list("first_year", flat=True)),
                max(ActionPlan.objects.filter(cooperation__in=national).values_list("last_year", flat=True)),
            ),
            "second_run": second_run,
        }
        transaction.set_rollback(True)
    return fingerprint


def test_the_national_data_set_covers_sweden_deterministically_and_once():
    first = generated(300)
    assert first["regions"] == 21
    assert first["municipalities"] == 290
    assert first["cooperations"] == 21
    assert first["activities"] == 300
    assert first["statuses"] == ["adopted", "draft", "out_for_adoption", "superseded"]
    assert first["versions"] == 21 * 5
    assert first["years"][1] - first["years"][0] >= 9  # ten years of plans
    assert "already been generated" in first["second_run"]
    assert generated(300) == first  # the same seed gives the same data
    assert generated(300, seed=8)["titles"] != first["titles"]


def test_it_refuses_bad_sizes():
    with pytest.raises(CommandError, match="0 or more"):
        call_command("generate_national_data", activities=-1)
