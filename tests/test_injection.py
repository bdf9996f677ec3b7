"""Script injection and spreadsheet formulas: whatever people type into any text field is shown as
text — escaped in every page, plain text in spreadsheets (formulas defused) and in the PDF.

Every text field of every object a plan page shows is filled with a probe carrying a script tag,
bypassing the forms (which would accept it anyway: it is legitimate text).
"""

import io
import re

import openpyxl
import pytest
from django.db import models
from django.urls import reverse
from pypdf import PdfReader

from activities.models import Activity, ActivityReference, EffortShare, FollowUp, MunicipalStatus
from finance.models import BudgetEntry, CostSharingKey
from governance.models import Body, Cooperation, Decision, Organisation
from plans.models import ActionPlan, Goal, Section
from plans.pdf import store_plan_pdf
from tests.helpers import as_draft, csv_rows, publish

pytestmark = pytest.mark.django_db

RAW = "<script>x()</script>"
ESCAPED = "&lt;script&gt;x()&lt;/script&gt;"


def text_fields(model):
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, (models.CharField, models.TextField))
        and not field.choices
        and (field.max_length is None or field.max_length >= len(RAW) + 6)
    ]


def poison(queryset):
    """Every free-text field of every row: the probe, numbered so unique fields stay unique."""
    fields = text_fields(queryset.model)
    for row in queryset:
        queryset.model.objects.filter(pk=row.pk).update(**{f.name: f"{RAW}{row.pk}" for f in fields})
    return [f.name for f in fields]


@pytest.fixture
def poisoned(plan_2016):
    as_draft(plan_2016)
    plan = plan_2016
    activities = Activity.objects.filter(plan=plan)
    poisoned_fields = {
        "plan": poison(ActionPlan.objects.filter(pk=plan.pk)),
        "sections": poison(Section.objects.filter(plan=plan)),
        "goals": poison(Goal.objects.filter(plan=plan)),
        "activities": poison(activities),
        "follow-ups": poison(FollowUp.objects.filter(activity__in=activities)),
        "references": poison(ActivityReference.objects.filter(activity__in=activities)),
        "effort": poison(EffortShare.objects.filter(activity__in=activities)),
        "statuses per municipality": poison(MunicipalStatus.objects.filter(activity__in=activities)),
        "budget": poison(BudgetEntry.objects.filter(plan=plan)),
        "keys": poison(CostSharingKey.objects.filter(plan=plan)),
        "decisions": poison(Decision.objects.filter(plan=plan)),
        "bodies": poison(Body.objects.filter(cooperation=plan.cooperation)),
        "cooperation": poison(Cooperation.objects.filter(pk=plan.cooperation_id)),
        "organisations": poison(Organisation.objects.filter(cooperations=plan.cooperation)),
    }
    assert len([name for name, fields in poisoned_fields.items() if fields]) >= 12, poisoned_fields
    plan.refresh_from_db()
    publish(plan)  # adopted again: a new version frozen from the poisoned rows
    return plan


def pages_of(plan):
    activity = plan.activities.first()
    decision = plan.decisions.first()
    return [
        reverse("home"),
        reverse("plans:actionplan_list"),
        plan.get_absolute_url(),
        reverse("lika:plan", args=[plan.pk]),
        reverse("lika:cooperation", args=[plan.cooperation_id]),
        reverse("plans:actionplan_history", args=[plan.pk]),
        reverse("plans:actionplan_appendix", args=[plan.pk]),
        reverse("activities:activity_detail", args=[activity.pk]),
        reverse("activities:activity_search") + "?q=script",
        reverse("finance:budget", args=[plan.pk]),
        reverse("governance:cooperation_list"),
        reverse("governance:cooperation_bodies", args=[plan.cooperation_id]),
        reverse("adoption:adoption_status", args=[plan.pk]),
        reverse("adoption:decision_excerpt", args=[decision.pk]),
        reverse("adoption:decision_create", args=[plan.pk]),
        reverse("adoption:compare", args=[plan.pk]),
    ]


def test_script_tags_typed_anywhere_are_escaped_on_every_page(client, poisoned, official, coordinator):
    for user in (None, official, coordinator):
        client.logout()
        if user:
            client.force_login(user)
        for url in pages_of(poisoned):
            response = client.get(url, follow=True)
            assert response.status_code in (200, 403), url
            page = response.content.decode()
            assert RAW not in page, f"{url}: unescaped script tag"
            assert re.search(r"<script(?![^>]*\bsrc=)", page) is None, url
    # The probes are shown (escaped), not dropped: the plan page carries every kind of object.
    client.logout()
    page = client.get(poisoned.get_absolute_url()).content.decode()
    assert page.count(ESCAPED) >= poisoned.activities.count()


def test_edit_forms_show_the_probe_escaped_in_their_fields(client, poisoned, coordinator):
    plan = as_draft(poisoned)
    client.force_login(coordinator)
    for url in (
        reverse("plans:actionplan_update", args=[plan.pk]),
        reverse("plans:section_update", args=[plan.sections.first().pk]),
        reverse("plans:goal_update", args=[plan.goals.first().pk]),
        reverse("activities:activity_update", args=[plan.activities.first().pk]),
        reverse("finance:budgetentry_update", args=[plan.budget_entries.first().pk]),
        reverse("adoption:send_for_adoption", args=[plan.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert RAW not in page, url
        assert ESCAPED in page, url


@pytest.mark.parametrize("export", ["csv", "xlsx"])
def test_exports_carry_the_probe_as_plain_text(client, poisoned, export):
    for url in (
        reverse("plans:actionplan_list"),
        poisoned.get_absolute_url(),
        reverse("activities:activity_search"),
        reverse("finance:budget", args=[poisoned.pk]),
    ):
        response = client.get(url, {"export": export})
        assert response.status_code == 200
        cells = cells_of(response.content, export)
        assert any(cell.startswith(RAW) for cell in cells), url
        assert not any(cell.startswith(("&lt;", "&amp;")) for cell in cells), f"{url}: HTML-escaped in a spreadsheet"


def cells_of(content: bytes, export: str) -> list[str]:
    if export == "csv":
        rows = csv_rows(content)
    else:
        rows = openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)
    return [cell for row in rows for cell in row if isinstance(cell, str)]


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@"])
@pytest.mark.parametrize("export", ["csv", "xlsx"])
def test_formula_cells_are_defused_in_every_export(client, plan_2016, prefix, export):
    as_draft(plan_2016)
    formula = f'{prefix}HYPERLINK("http://angripare.example","klicka")'
    activity = plan_2016.activities.first()
    Activity.objects.filter(pk=activity.pk).update(title=formula, owner=formula)
    BudgetEntry.objects.filter(pk=plan_2016.budget_entries.first().pk).update(description=formula)
    ActionPlan.objects.filter(pk=plan_2016.pk).update(title=formula)
    plan_2016.refresh_from_db()
    publish(plan_2016)
    for url in (
        reverse("plans:actionplan_list"),
        plan_2016.get_absolute_url(),
        reverse("activities:activity_search"),
        reverse("finance:budget", args=[plan_2016.pk]),
    ):
        cells = cells_of(client.get(url, {"export": export}).content, export)
        assert not [cell for cell in cells if cell.startswith(prefix) and "HYPERLINK" in cell], url
        assert any(cell == "'" + formula for cell in cells), url


def test_the_pdf_prints_the_probe_as_text(client, poisoned, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    store_plan_pdf(poisoned)  # as the worker does when a plan is adopted
    response = client.get(reverse("plans:actionplan_pdf", args=[poisoned.pk]))
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert text.count("<script>x()</script>") >= poisoned.activities.count()


CONTROL = "Rad ett\x0bRad två\x07\x1b"  # Word's Shift+Enter (a vertical tab), a bell and an escape


@pytest.mark.parametrize("export", ["csv", "xlsx"])
def test_control_characters_in_stored_text_never_break_an_export(client, plan_2016, export):
    as_draft(plan_2016)
    Activity.objects.filter(pk=plan_2016.activities.first().pk).update(title=CONTROL, owner=CONTROL)
    BudgetEntry.objects.filter(pk=plan_2016.budget_entries.first().pk).update(description=CONTROL)
    ActionPlan.objects.filter(pk=plan_2016.pk).update(title=CONTROL)
    plan_2016.refresh_from_db()
    publish(plan_2016)
    for url in (
        reverse("plans:actionplan_list"),
        plan_2016.get_absolute_url(),
        reverse("activities:activity_search"),
        reverse("finance:budget", args=[plan_2016.pk]),
    ):
        response = client.get(url, {"export": export})
        assert response.status_code == 200, url
        assert "Rad ett\nRad två" in cells_of(response.content, export), url
