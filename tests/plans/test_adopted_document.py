"""Issue 14: an adopted version's page and PDF are its snapshot; what happens later is shown around it."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities.filters import PlanActivityFilter
from activities.models import Area, LikaIndicator
from governance.models import Body
from plans.adoption import decision_record
from plans.document import plan_document
from plans.models import ActionPlan
from plans.pdf import document_pdf_html, plan_pdf_html
from tests.helpers import csv_rows

pytestmark = pytest.mark.django_db


def page(client, plan, **params):
    return client.get(plan.get_absolute_url(), params).content.decode()


def document_part(html: str) -> str:
    """The page's document: from the first section to the adoption section (which is read live)."""
    return html.split('<section class="plan-section', 1)[1].split('<section id="antagande"', 1)[0]


def pdf_html_from_rows(plan) -> str:
    version = plan.versions.order_by("-number").first()
    document = plan_document(plan) | {"plan": plan, "adopted_by": version.decision}
    return document_pdf_html(plan, document, version=version)


def test_the_pdf_from_the_snapshot_says_what_the_rows_said_when_adopted(vastkom_plan):
    """The adopted PDF is rendered from the snapshot alone, and nothing was lost in freezing."""
    assert plan_pdf_html(vastkom_plan) == pdf_html_from_rows(vastkom_plan)


def test_decisions_after_the_adoption_are_not_in_the_adopted_document(client, plan_2016, secretary):
    """Seed 000: Mjölby's committees decided in 2016, after SSVO adopted the plan in November 2015."""
    frozen, from_rows = plan_pdf_html(plan_2016), pdf_html_from_rows(plan_2016)
    assert "OSN/2015:169" in from_rows and "OSN/2015:169" not in frozen
    assert "Sakområdessamråd vård och omsorg (SSVO) beslutade att anta" in frozen

    board = Body.objects.get(organisation__name="Mjölby kommun", name="Kommunstyrelsen")
    decision_record(
        plan=plan_2016,
        user=secretary,
        body=board,
        meeting_date=timezone.localdate(),  # the seed's plans entered the product today
        paragraph=52,
        kind="adopt",
        text="Kommunstyrelsen antar handlingsplanen.",
    )
    assert "Kommunstyrelsen antar handlingsplanen." not in plan_pdf_html(plan_2016)
    html = page(client, plan_2016)
    assert "Kommunstyrelsen antar handlingsplanen." not in document_part(html)
    adoption = html.split('<section id="antagande"', 1)[1]
    assert "Kommunstyrelsen antar handlingsplanen." in adoption and "OSN/2015:169" in adoption
    status_page = client.get(f"/planer/{plan_2016.pk}/antagande/").content.decode()
    assert "Kommunstyrelsen, Mjölby kommun" in status_page and "§ 52" in status_page


def test_a_follow_up_written_after_the_adoption_stays_out_of_the_next_plans_document(client, plan_2016, plan_2014):
    activity = plan_2014.activities.get(number="6")
    before = document_part(page(client, plan_2016))
    activity.follow_ups.create(date=date(2016, 6, 1), phase="completed", text="Riktlinjen är antagen.")
    assert document_part(page(client, plan_2016)) == before
    assert "Riktlinjen är antagen." not in plan_pdf_html(plan_2016)
    assert "Riktlinjen är antagen." in client.get(activity.get_absolute_url()).content.decode()


def test_reference_data_changed_later_leaves_the_adopted_document_as_adopted(client, vastkom_plan):
    activity = vastkom_plan.activities.exclude(area=None).first()
    old_name = activity.area.name
    Area.objects.filter(pk=activity.area_id).update(name="Nytt områdesnamn")
    activity.lika_indicators.add(LikaIndicator.objects.get(code="K2"))
    html = document_part(page(client, vastkom_plan, q=activity.title[:20]))
    rows = html.split('id="aktiviteter"', 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert old_name in rows and "Nytt områdesnamn" not in rows
    assert "K2" not in rows.split(activity.title[:30], 1)[1].split("</tr>", 1)[0]
    assert "Nytt områdesnamn" not in plan_pdf_html(vastkom_plan)


def test_the_adopted_page_is_kept_by_version_and_its_header_read_live(client, plan_2016, coordinator):
    first = page(client, plan_2016)
    with CaptureQueriesContext(connection) as queries:
        second = page(client, plan_2016)
    assert not any("plans_planversion" in q["sql"] and "snapshot" in q["sql"] for q in queries)
    tokens = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert tokens.sub("", first) == tokens.sub("", second)
    # The plan goes on living: a next period's plan made public shows in the header at once.
    client.force_login(coordinator)
    client.post(f"/planer/{plan_2016.pk}/nasta-period/")
    successor = ActionPlan.objects.get(previous_plan=plan_2016, revision_of=None)
    ActionPlan.objects.filter(pk=successor.pk).update(status=ActionPlan.Status.ADOPTED)
    client.logout()
    html = page(client, plan_2016)
    assert successor.title in html.split('<header class="page-header">', 1)[1].split("</header>", 1)[0]
    assert document_part(html) == document_part(first)


@pytest.mark.parametrize("sort", ["effort", "-effort", "area", "-period", "status", "lika_indicators", "number"])
def test_the_adopted_activities_filter_sort_and_export_like_a_drafts(client, vastkom_plan, sort):
    response = client.get(vastkom_plan.get_absolute_url(), {"sort": sort})
    assert response.status_code == 200
    table = response.content.decode().split('id="aktiviteter"', 1)[1].split("</table>", 1)[0]
    assert table.count("<tr") == 1 + vastkom_plan.activities.count()  # a header row and every activity


def test_the_adopted_activities_export_as_filtered(client, vastkom_plan):
    words = "Delta i utbildning"
    export = client.get(vastkom_plan.get_absolute_url(), {"export": "csv", "q": words})
    titles = [row[2] for row in csv_rows(export.content)[1:]]
    found = PlanActivityFilter({"q": words}, queryset=vastkom_plan.activities.all()).qs
    assert len(titles) >= 2 and sorted(titles) == sorted(activity.title for activity in found)


def test_the_demo_and_the_national_generator_freeze_through_the_product(plan_2016):
    version = plan_2016.versions.get()
    assert version.snapshot["format"] == 3 and version.snapshot["cooperation"] == plan_2016.cooperation.name
    assert [d["body_name"] for d in version.snapshot["decisions"]] == [
        "Nätverket för ehälsa",
        "Ledningsgrupp för vård och omsorg",
        "Sakområdessamråd vård och omsorg",
    ]
    assert version.snapshot["previous_follow_ups"][0]["follow_up"]["phase"] == "completed"
