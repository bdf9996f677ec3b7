"""The follow-up report's pages: the coordinator compiles, writes and sends; the bodies' decisions
are recorded; the secretary downloads the stamped PDF. Allowed and refused, in Swedish."""

import io
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from activities.models import FollowUp
from governance.models import Body
from plans.report_models import FollowUpReport, ReportDecision, ReportPdf, ReportVersion
from plans.report_pdf import store_missing_report_pdfs

pytestmark = pytest.mark.django_db


@pytest.fixture
def progress(plan_2016):
    activity = plan_2016.activities.get(number="2")
    return FollowUp.objects.create(
        activity=activity, period=2016, date=date(2016, 12, 1), phase="completed", text="Cosmic Link är infört."
    )


@pytest.fixture
def lgvo(ostergotland):
    return Body.objects.get(cooperation=ostergotland, short_name="LGVO")


def compile_form(client, plan, year):
    page = client.get(reverse("plans:report_create", args=[plan.pk]))
    token = page.context["form"]["submission"].value()
    return {"year": str(year), "submission": str(token)}


def page_text(response) -> str:
    return " ".join(response.content.decode().split())


def test_the_plan_page_links_to_its_follow_ups(client, plan_2016):
    page = page_text(client.get(plan_2016.get_absolute_url()))
    assert reverse("plans:report_list", args=[plan_2016.pk]) in page and "Uppföljningar" in page


def test_the_coordinator_compiles_a_report_once_however_often_the_form_is_sent(signed_in, plan_2016, progress):
    data = compile_form(signed_in, plan_2016, 2016)
    first = signed_in.post(reverse("plans:report_create", args=[plan_2016.pk]), data)
    report = FollowUpReport.objects.get(plan=plan_2016, year=2016)
    assert first.status_code == 302 and first["Location"] == report.get_absolute_url()
    again = signed_in.post(reverse("plans:report_create", args=[plan_2016.pk]), data, follow=True)
    assert again.redirect_chain[-1][0] == report.get_absolute_url()
    assert "Formuläret var redan sparat" in page_text(again)
    assert FollowUpReport.objects.filter(plan=plan_2016).count() == 1
    page = page_text(signed_in.get(report.get_absolute_url()))
    assert "Årlig uppföljning 2016" in page and "Cosmic Link är infört." in page and "Utkast." in page


@pytest.mark.parametrize(
    ("year", "message"),
    [
        (2019, "Året måste ligga inom planens period, 2016–2017."),
        (2017, "Inget läge är registrerat för 2017. Registrera först läget för planens insatser 2017"),
        ("tjugo", "Skriv året med fyra siffror, t.ex. 2017."),
    ],
)
def test_a_report_for_a_bad_year_is_refused_with_a_swedish_message(signed_in, plan_2016, progress, year, message):
    FollowUp.objects.filter(activity__plan=plan_2016, period=2017).delete()  # the demo records some
    data = compile_form(signed_in, plan_2016, 2016) | {"year": str(year)}
    answer = signed_in.post(reverse("plans:report_create", args=[plan_2016.pk]), data)
    assert answer.status_code == 200 and message in page_text(answer)
    assert not FollowUpReport.objects.filter(plan=plan_2016).exists()


def test_a_second_report_for_the_year_is_refused_and_the_first_named(signed_in, plan_2014):
    data = compile_form(signed_in, plan_2014, 2015)
    answer = signed_in.post(reverse("plans:report_create", args=[plan_2014.pk]), data)
    assert "Planen har redan en årlig uppföljning för 2015." in page_text(answer)


def test_officials_and_viewers_do_not_compile_reports(client, official, viewer, plan_2016, progress):
    for user in (official, viewer):
        client.force_login(user)
        answer = client.post(reverse("plans:report_create", args=[plan_2016.pk]), {"year": "2016"})
        assert answer.status_code == 403
    assert not FollowUpReport.objects.filter(plan=plan_2016).exists()


def test_a_report_under_way_is_read_by_the_cooperations_members_only(client, viewer, official_elsewhere, plan_2016):
    FollowUp.objects.create(
        activity=plan_2016.activities.first(), period=2016, date=date(2016, 12, 1), phase="ongoing", text="x"
    )
    report = FollowUpReport.objects.create(plan=plan_2016, year=2016)
    assert client.get(report.get_absolute_url()).status_code == 404
    client.force_login(official_elsewhere)
    assert client.get(report.get_absolute_url()).status_code == 404
    client.force_login(viewer)
    assert client.get(report.get_absolute_url()).status_code == 200


def test_the_coordinator_writes_sends_and_records_the_decision_that_freezes_it(signed_in, plan_2016, progress, lgvo):
    report = FollowUpReport.objects.create(plan=plan_2016, year=2016)
    url = reverse("plans:report_update", args=[report.pk])
    saved = signed_in.post(url, {"summary": "Arbetet följer planen.", "further": "", "version": "1"})
    assert saved.status_code == 302
    sent = signed_in.post(
        reverse("plans:report_send", args=[report.pk]), {"bodies": [lgvo.pk], "sent_on": "2017-01-20"}, follow=True
    )
    assert "Uppföljningen är skickad till LGVO." in page_text(sent)
    decision = {
        "body": lgvo.pk,
        "meeting_date": "2017-02-10",
        "paragraph": "12",
        "diary_number": "LGVO 2017/3",
        "kind": "noted",
        "text": "Ledningsgruppen lägger uppföljningen till handlingarna.",
    }
    recorded = signed_in.post(reverse("plans:report_decision_create", args=[report.pk]), decision, follow=True)
    assert "Beslutet registrerades. Det fastställde uppföljningen; dess PDF skapas." in page_text(recorded)
    assert ReportVersion.objects.filter(report=report).exists()
    again = signed_in.post(reverse("plans:report_decision_create", args=[report.pk]), decision, follow=True)
    assert "Beslutet var redan registrerat; det sparas bara en gång." in page_text(again)
    assert ReportDecision.objects.filter(report=report).count() == 1


def test_editing_a_frozen_report_is_refused_and_keeps_the_input(signed_in, plan_2014):
    report = FollowUpReport.objects.get(plan=plan_2014)
    url = reverse("plans:report_update", args=[report.pk])
    assert signed_in.get(url).status_code == 302
    answer = signed_in.post(url, {"summary": "Ny text i efterhand", "further": "", "version": str(report.version)})
    assert answer.status_code == 409
    page = page_text(answer)
    assert "Uppföljningen är fastställd genom ett beslut och kan inte längre ändras." in page
    assert "Ny text i efterhand" in page
    report.refresh_from_db()
    assert report.summary.startswith("I uppföljningen redovisas")


def test_a_decision_for_a_body_the_report_was_not_sent_to_is_not_offered(signed_in, plan_2016, progress, lgvo):
    report = FollowUpReport.objects.create(plan=plan_2016, year=2016, summary="Enligt plan.")
    assert signed_in.get(reverse("plans:report_decision_create", args=[report.pk])).status_code == 403
    report.sendings.create(body=lgvo, sent_on=date(2017, 1, 20))
    ssvo = Body.objects.get(short_name="SSVO")
    form = signed_in.get(reverse("plans:report_decision_create", args=[report.pk])).context["form"]
    assert list(form.fields["body"].queryset) == [lgvo]
    answer = signed_in.post(
        reverse("plans:report_decision_create", args=[report.pk]),
        {"body": ssvo.pk, "meeting_date": "2017-02-10", "kind": "noted", "text": "Läggs till handlingarna."},
    )
    assert answer.status_code == 200 and "Välj ett giltigt alternativ" in page_text(answer)
    assert not report.decisions.exists()


def test_the_secretary_downloads_the_frozen_report_stamped_as_an_appendix(
    client, secretary, plan_2014, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    store_missing_report_pdfs()
    report = FollowUpReport.objects.get(plan=plan_2014)
    decision = report.decisions.get(body__short_name="SSVO")
    client.force_login(secretary)
    page = page_text(client.get(report.get_absolute_url()))
    assert "PDF med bilagestämpel för SSVO" in page and "Fastställd genom beslut av LGVO 2015-11-13" in page
    plain = client.get(reverse("plans:report_pdf", args=[report.pk]))
    assert plain["Content-Type"] == "application/pdf" and plain["X-Content-SHA256"] == report.pdf.sha256
    stamped = client.get(reverse("plans:report_pdf", args=[report.pk]) + f"?beslut={decision.pk}")
    text = " ".join(PdfReader(io.BytesIO(stamped.content)).pages[1].extract_text().split())
    assert "Bilaga till Sakområdessamråd vård och omsorg 2015-11-27" in text
    assert client.get(reverse("plans:report_pdf", args=[report.pk]) + "?beslut=999999").status_code == 404


def test_a_report_pdf_not_made_yet_says_so_and_its_coordinator_asks_for_it(client, coordinator, plan_2014):
    report = FollowUpReport.objects.get(plan=plan_2014)
    url = reverse("plans:report_pdf", args=[report.pk])
    assert "PDF:en av den fastställda uppföljningen har inte skapats ännu." in page_text(client.get(url))
    assert client.post(url).status_code == 302  # to sign in
    assert not ReportPdf.objects.filter(report=report).exists()
    client.force_login(coordinator)
    asked = client.post(url, follow=True)
    assert asked.status_code == 202 and "PDF:en skapas" in page_text(asked)
