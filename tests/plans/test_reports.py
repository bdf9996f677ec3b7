"""The yearly follow-up report: compiled from what is recorded, sent to the bodies that receive
reports, decided on, frozen with a snapshot that never changes, its PDF made by a worker."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import translation
from pypdf import PdfReader

from activities.models import FollowUp
from governance.models import Body, Decision
from plans import reports as services
from plans.report_document import proposed_recipients, report_document, report_snapshot
from plans.report_models import FollowUpReport, ReportDecision, ReportPdf, ReportVersion
from plans.report_pdf import report_pdf_request
from tests.helpers import as_draft, make_budget_entry, publish, work_off_the_queue

pytestmark = pytest.mark.django_db

SENT = date(2017, 1, 20)


@pytest.fixture
def lgvo(ostergotland):
    return Body.objects.get(cooperation=ostergotland, short_name="LGVO")


@pytest.fixture
def ssvo(ostergotland):
    return Body.objects.get(cooperation=ostergotland, short_name="SSVO")


def record_progress(plan, number, phase, text, *, year=2016, on=date(2016, 12, 10)):
    activity = plan.activities.get(number=number)
    return FollowUp.objects.create(activity=activity, period=year, date=on, phase=phase, text=text)


@pytest.fixture
def progress_2016(plan_2016):
    record_progress(plan_2016, "1", "pre_study", "Förstudien om NPÖ 2.0 pågår.", on=date(2016, 6, 1))
    record_progress(plan_2016, "1", "ongoing", "Förstudien är klar; projektet har startat.")
    record_progress(plan_2016, "2", "completed", "Cosmic Link är infört i alla kommuner.")
    return plan_2016


@pytest.fixture
def report(progress_2016, coordinator):
    return services.report_compile(plan=progress_2016, year=2016, user=coordinator)


def sent(report, *bodies, summary="Arbetet följer planen."):
    FollowUpReport.objects.filter(pk=report.pk).update(summary=summary)
    report.refresh_from_db()
    services.report_send(report=report, bodies=list(bodies), sent_on=SENT)
    return report


def decide(report, body, user, *, kind=ReportDecision.Kind.NOTED, on=date(2017, 2, 10), **fields):
    fields.setdefault("text", f"{body.display_name} lägger uppföljningen till handlingarna.")
    return services.report_decision_record(report=report, user=user, body=body, meeting_date=on, kind=kind, **fields)


def messages_of(error: ValidationError) -> str:
    return " ".join(error.value.messages)


def test_a_report_gathers_each_activitys_latest_progress_of_its_year(report):
    document = report_document(report)
    progress = next(s for s in document["sections"] if s.anchor == "insatser").context
    rows = {row["number"]: row for row in progress["rows"]}
    with translation.override("sv"):
        rows = {number: {k: str(v) for k, v in row.items()} for number, row in rows.items()}
    assert rows["1"]["phase"] == "Pågår" and rows["1"]["comment"] == "Förstudien är klar; projektet har startat."
    assert rows["1"]["timeliness"] == "I tid"  # it ends in 2017
    assert rows["2"]["phase"] == "Genomförd"
    assert rows["3"]["phase"] == "Inte uppföljd"
    assert (progress["followed_up"], progress["total"]) == (2, 11)


def test_an_activity_not_finished_by_its_end_year_is_late_in_that_years_report(plan_2014, coordinator):
    report = FollowUpReport.objects.get(plan=plan_2014, year=2015)
    progress = next(s for s in report_document(report)["sections"] if s.anchor == "insatser").context
    rows = {row["number"]: row for row in progress["rows"]}
    with translation.override("sv"):
        assert str(rows["13"]["timeliness"]) == "Försenad"  # ongoing, and the plan ended in 2015
        assert str(rows["1"]["timeliness"]) == "I tid"  # completed


def test_the_budget_section_sets_the_outcome_against_the_budget_per_line(report, plan_2016):
    line = plan_2016.budget_entries.get(year=2016, category="activities")
    as_draft(plan_2016)
    line.outcome = Decimal("3500000")
    line.save()
    publish(plan_2016)
    budget = next(s for s in report_document(report)["sections"] if s.anchor == "ekonomi").context
    rows = {str(row["line"]): row for row in budget["rows"]}
    assert rows["Insatser enligt handlingsplan"]["budget"] == Decimal("3745000")
    assert rows["Insatser enligt handlingsplan"]["outcome"] == Decimal("3500000")
    assert rows["Insatser enligt handlingsplan"]["difference"] == Decimal("-245000")
    assert rows["E-hälsosamordnare, konferenser och övriga kostnader"]["outcome"] is None  # estimated, none entered
    assert budget["missing_outcomes"] == 1


def test_a_plan_without_its_own_budget_for_the_year_is_followed_up_by_the_next_plans(plan_2014):
    report = FollowUpReport.objects.get(plan=plan_2014, year=2015)
    budget = next(s for s in report_document(report)["sections"] if s.anchor == "ekonomi").context
    rows = {str(row["line"]): row for row in budget["rows"]}
    assert budget["source"] == "Handlingsplan för ehälsa i Östergötland 2016-2017"
    assert rows["Kostnader 1 januari – 30 september 2015"]["outcome"] == Decimal("1049850")  # entered as actual
    assert rows["Miljöpris"]["outcome"] == Decimal("75000")
    assert rows["Beräknade kostnader 1 oktober – 31 december 2015"]["outcome"] is None


def test_a_report_for_a_year_outside_the_plan_is_refused_in_swedish(progress_2016, coordinator):
    with translation.override("sv"), pytest.raises(ValidationError) as error:
        services.report_compile(plan=progress_2016, year=2018, user=coordinator)
    assert "Året måste ligga inom planens period, 2016–2017." in messages_of(error)
    assert not FollowUpReport.objects.filter(plan=progress_2016).exists()


def test_a_report_for_a_year_with_nothing_recorded_says_to_record_progress_first(plan_2016, coordinator):
    FollowUp.objects.filter(activity__plan=plan_2016, period=2017).delete()  # the demo records some
    with translation.override("sv"), pytest.raises(ValidationError) as error:
        services.report_compile(plan=plan_2016, year=2017, user=coordinator)
    assert "Inget läge är registrerat för 2017. Registrera först läget för planens insatser 2017" in messages_of(error)


def test_a_second_report_for_the_same_plan_and_year_is_refused(report, coordinator):
    with translation.override("sv"), pytest.raises(ValidationError) as error:
        services.report_compile(plan=report.plan, year=2016, user=coordinator)
    assert "Planen har redan en årlig uppföljning för 2016." in messages_of(error)
    assert FollowUpReport.objects.filter(plan=report.plan).count() == 1


def test_the_database_keeps_one_report_per_plan_and_year(report):
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUpReport.objects.create(plan=report.plan, year=2016)


def test_a_draft_plan_has_no_yearly_report(draft, coordinator):
    with translation.override("sv"), pytest.raises(ValidationError) as error:
        services.report_compile(plan=draft, year=2018, user=coordinator)
    assert "Bara en antagen plan följs upp i en årlig uppföljning; denna plan är utkast." in messages_of(error)


def test_sending_needs_a_summary(report, lgvo):
    with translation.override("sv"), pytest.raises(ValidationError) as error:
        services.report_send(report=report, bodies=[lgvo], sent_on=SENT)
    assert "Skriv uppföljningens sammanfattning innan den skickas" in messages_of(error)
    assert not report.sendings.exists()


def test_a_report_is_sent_only_to_bodies_of_the_plans_cooperation(report, h2o):
    foreign = h2o.bodies.first()
    with translation.override("sv"), pytest.raises(ValidationError) as error:
        sent(report, foreign)
    assert "är inte ett organ i planens samverkan" in messages_of(error)


def test_the_proposed_recipients_are_the_previous_reports_else_the_top_bodies(report, lgvo, ssvo, plan_2014):
    previous = FollowUpReport.objects.get(plan=plan_2014)
    previous.sendings.filter(body=ssvo).delete()
    assert set(proposed_recipients(report)) == {lgvo}  # as the previous plan's report went
    FollowUpReport.objects.filter(pk=previous.pk).update(plan=report.plan, year=2014)  # none before this one now
    assert set(proposed_recipients(FollowUpReport(plan=report.plan, year=2014))) == {lgvo, ssvo}


def test_a_decision_on_a_report_not_sent_to_that_body_is_refused(report, lgvo, ssvo, coordinator):
    sent(report, lgvo)
    with translation.override("sv"), pytest.raises(ValidationError) as error:
        decide(report, ssvo, coordinator)
    assert "Uppföljningen är inte skickad till SSVO. Skicka den först till organet" in messages_of(error)
    assert not report.decisions.exists()


def test_only_those_who_record_for_the_body_record_its_decision(report, lgvo, official):
    sent(report, lgvo)
    with translation.override("sv"), pytest.raises(ValidationError) as error:
        decide(report, lgvo, official)
    assert "Du kan bara registrera beslut för din egen organisations organ." in messages_of(error)


def test_a_meeting_before_the_sending_or_in_the_future_is_refused(report, lgvo, coordinator):
    sent(report, lgvo)
    with translation.override("sv"), pytest.raises(ValidationError) as error:
        decide(report, lgvo, coordinator, on=date(2017, 1, 2))
    assert "Sammanträdesdatumet ligger före den dag uppföljningen skickades till organet (2017-01-20)." in messages_of(
        error
    )
    with pytest.raises(ValidationError):
        decide(report, lgvo, coordinator, on=date(2999, 1, 1))


def test_the_first_decision_that_takes_the_report_freezes_it_and_asks_for_its_pdf(
    report, lgvo, ssvo, coordinator, django_capture_on_commit_callbacks
):
    sent(report, lgvo, ssvo)
    with django_capture_on_commit_callbacks() as callbacks:
        decision, created = decide(report, lgvo, coordinator, paragraph=12, diary_number="LGVO 2017/3")
    assert created and report.is_frozen
    version = ReportVersion.objects.get(report=report)
    assert version.decision == decision and version.frozen_on == date(2017, 2, 10)
    assert version.snapshot["frozen_by"]["body"] == "LGVO" and version.snapshot["frozen_by"]["kind"] == "noted"
    assert ReportPdf.objects.get(report=report).status == ReportPdf.Status.QUEUED
    assert len(callbacks) == 1  # the worker's task, queued once the decision is committed
    later, _ = decide(report, ssvo, coordinator, on=date(2017, 2, 24))
    assert ReportVersion.objects.get(report=report).decision == decision  # the later decision is kept beside it


def test_a_refer_back_leaves_the_report_editable(report, lgvo, coordinator):
    sent(report, lgvo)
    decide(report, lgvo, coordinator, kind=ReportDecision.Kind.RETURN, text="LGVO återremitterar uppföljningen.")
    assert not report.is_frozen
    report.summary = "Kompletterad efter återremissen."
    report.save()
    decide(report, lgvo, coordinator, on=date(2017, 3, 10))
    assert ReportVersion.objects.get(report=report).snapshot["summary"] == "Kompletterad efter återremissen."


def test_the_same_decision_posted_twice_is_stored_once(report, lgvo, coordinator):
    sent(report, lgvo)
    first, created = decide(report, lgvo, coordinator, paragraph=12)
    again, created_again = decide(report, lgvo, coordinator, paragraph=12)
    assert created and not created_again and again == first
    assert report.decisions.count() == 1
    with pytest.raises(ValidationError):  # the same meeting and kind, minuted otherwise
        decide(report, lgvo, coordinator, paragraph=13)


def test_a_paragraph_taken_by_the_bodys_decision_on_a_plan_is_refused(report, lgvo, coordinator, plan_2016):
    taken = Decision.objects.create(
        plan=plan_2016, body=lgvo, meeting_date=date(2017, 2, 10), paragraph=12, kind="endorse", text="x"
    )
    sent(report, lgvo)
    with translation.override("sv"), pytest.raises(ValidationError) as error:
        decide(report, lgvo, coordinator, paragraph=taken.paragraph)
    assert "Organet har redan ett beslut med denna § vid detta sammanträde." in messages_of(error)


def test_a_frozen_report_cannot_be_edited_or_sent_again(report, lgvo, ssvo, coordinator):
    sent(report, lgvo)
    decide(report, lgvo, coordinator)
    report.summary = "Ändrad i efterhand."
    with translation.override("sv"), pytest.raises(ValidationError) as error:
        report.save()
    assert "Uppföljningen är fastställd genom ett beslut och kan inte längre ändras." in messages_of(error)
    with pytest.raises(ValidationError):
        services.report_send(report=report, bodies=[ssvo], sent_on=SENT)
    version = ReportVersion.objects.get(report=report)
    with pytest.raises(ValidationError):
        version.save()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:  # nor does the database
        cursor.execute("UPDATE plans_reportversion SET frozen_on = '2000-01-01' WHERE id = %s", [version.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM plans_reportversion WHERE id = %s", [version.pk])


def test_a_frozen_report_is_unchanged_after_new_follow_ups_and_budget_changes(report, lgvo, coordinator, plan_2016):
    sent(report, lgvo)
    decide(report, lgvo, coordinator)
    before = ReportVersion.objects.get(report=report).snapshot
    with translation.override("sv"):
        page_before = [s.context["rows"] for s in report_document(report)["sections"]]
    record_progress(plan_2016, "3", "cancelled", "Insatsen avbröts.", on=date(2016, 12, 20))
    record_progress(plan_2016, "2", "partly_completed", "Rättat i efterhand.", on=date(2016, 12, 30))
    as_draft(plan_2016)
    make_budget_entry(plan_2016, year=2016, amount="100000", description="Tillkommen kostnad")
    publish(plan_2016)
    assert ReportVersion.objects.get(report=report).snapshot == before
    with translation.override("sv"):
        assert [s.context["rows"] for s in report_document(report)["sections"]] == page_before
    assert report_snapshot(report)["sections"] != before["sections"]  # compiled now, it would differ


def test_the_snapshot_holds_values_in_no_language(report):
    with translation.override("en"):
        english = report_snapshot(report)
    with translation.override("sv"):
        swedish = report_snapshot(report)
    assert english == swedish
    progress = english["sections"]["progress"]["activities"]
    assert progress[0]["follow_up"]["phase"] == "ongoing"


def test_the_demo_holds_seed_000s_follow_up_of_2014_2015_as_its_first_report(plan_2014):
    report = FollowUpReport.objects.get(plan=plan_2014)
    assert report.year == 2015 and report.is_frozen
    assert {s.body.short_name for s in report.sendings.all()} == {"LGVO", "SSVO"}
    decisions = list(report.decisions.order_by("meeting_date").values_list("body__short_name", "meeting_date"))
    assert decisions == [("LGVO", date(2015, 11, 13)), ("SSVO", date(2015, 11, 27))]
    snapshot = report.frozen_version.snapshot
    assert len(snapshot["sections"]["progress"]["activities"]) == 14
    assert all(row["follow_up"] for row in snapshot["sections"]["progress"]["activities"])


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def test_the_frozen_reports_pdf_is_made_by_a_worker_to_the_plans_standard(
    report, lgvo, coordinator, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    sent(report, lgvo)
    with django_capture_on_commit_callbacks(execute=True):
        decide(report, lgvo, coordinator, paragraph=12)
    assert ReportPdf.objects.get(report=report).status == ReportPdf.Status.QUEUED  # not made by the request
    assert work_off_the_queue() == 1
    pdf = ReportPdf.objects.get(report=report)
    assert pdf.ready and pdf.attempts == 1
    content = (tmp_path / pdf.path).read_bytes()
    text = pdf_text(content)
    assert "Årlig uppföljning 2016" in text and "Sida 1 (" in text
    assert "Förstudien är klar; projektet har startat." in text and "Budget och utfall 2016" in text
    root = PdfReader(io.BytesIO(content)).trailer["/Root"]
    assert root["/Lang"] == "sv" and "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]  # tagged
    assert 'pdfaid:part="2"' in root["/Metadata"].get_object().get_data().decode()  # PDF/A-2b
    assert report_pdf_request(report=report) == pdf  # made: nothing asked again
    assert work_off_the_queue() == 0
