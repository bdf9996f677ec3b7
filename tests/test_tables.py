"""Tables render their own cells (django-tables2, the site's ``includes/table.html``): no page
template writes a table by hand, so no row template drifts from its headers. The PDF templates are
print documents with their own tables."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
SITE_TABLE = TEMPLATES / "includes" / "table.html"
PRINT_TEMPLATES = {TEMPLATES / "pdf" / "base.html", TEMPLATES / "includes" / "budget_tables.html"}


def test_no_page_template_writes_a_table_by_hand():
    for template in TEMPLATES.rglob("*.html"):
        if template == SITE_TABLE or template in PRINT_TEMPLATES or "pdf" in template.relative_to(TEMPLATES).parts:
            continue
        assert "<table" not in template.read_text(), f"{template.relative_to(TEMPLATES)}: render a table class"


def tables_of(page) -> list[str]:
    return re.findall(r"<table.*?</table>", page, re.S)


@pytest.mark.parametrize(
    "url",
    ["plan", "plan_2014", "budget", "adoption", "lika", "cooperation_lika", "activity", "search", "list"],
)
def test_every_row_has_a_cell_for_every_column_and_headers_have_scope(client, url, plan_2016, vastkom_plan):
    from activities.models import EffortShare
    from governance.models import Organisation
    from tests.helpers import as_draft, publish

    activity = vastkom_plan.activities.get(number="10")
    as_draft(vastkom_plan)
    EffortShare.objects.create(activity=activity, organisation=Organisation.objects.get(name="Ale kommun"), hours=12)
    publish(vastkom_plan)
    urls = {
        "plan": plan_2016.get_absolute_url(),
        "plan_2014": plan_2016.previous_plan.get_absolute_url(),
        "budget": reverse("finance:budget", args=[plan_2016.pk]),
        "adoption": reverse("adoption:adoption_status", args=[plan_2016.pk]),
        "lika": reverse("lika:plan", args=[vastkom_plan.pk]),
        "cooperation_lika": reverse("lika:cooperation", args=[plan_2016.cooperation.pk]),
        "activity": activity.get_absolute_url(),
        "search": "/aktiviteter/",
        "list": "/planer/",
    }
    page = client.get(urls[url]).content.decode()
    tables = tables_of(page)
    assert tables
    for table in tables:
        head = table.split("</thead>")[0]
        columns = len(re.findall(r"<th scope=\"col\"", head))
        assert columns and "<th>" not in table and "<th " not in table.replace('<th scope="', ""), table[:300]
        for part in ("tbody", "tfoot"):
            for body in re.findall(rf"<{part}>(.*?)</{part}>", table, re.S):
                for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S):
                    assert len(re.findall(r"<t[dh][ >]", row)) == columns or "colspan" in row, row


def test_the_follow_up_table_offers_recording_a_follow_up_to_the_coordinator_only(client, draft, coordinator, viewer):
    client.force_login(viewer)
    assert "Registrera uppföljning" not in client.get(draft.get_absolute_url()).content.decode()
    client.force_login(coordinator)
    page = client.get(draft.get_absolute_url()).content.decode()
    follow_ups = page.split('id="foregaende-plan"')[1].split("</table>")[0]
    assert follow_ups.count("Registrera uppföljning") == draft.previous_plan.activities.count()


def test_an_edit_conflict_shows_both_versions_in_a_table(client, draft, coordinator, administrator):
    url = reverse("plans:actionplan_update", args=[draft.pk])
    client.force_login(administrator)
    client.post(url, {"version": draft.version, "title": "Admins titel", "first_year": "2018", "last_year": "2019"})
    client.force_login(coordinator)
    page = client.post(
        url, {"version": draft.version, "title": "Samordnarens titel", "first_year": "2018", "last_year": "2019"}
    ).content.decode()
    conflict = page.split("Det som skiljer från den sparade versionen")[1].split("</table>")[0]
    assert re.search(r'<th scope="row">Titel</th><td>Samordnarens titel</td><td>Admins titel</td>', conflict)
