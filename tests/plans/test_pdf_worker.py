"""PDFs made by a worker, never in a request (issue 14, item 2).

Adopting a plan queues its PDF; a draft's reader asks for the PDF of the draft as it is now with a
POST ("Skapa PDF") and is shown "PDF:en skapas …" until the file is ready. A failed attempt is tried
again, then shown to the coordinator with the reason in Swedish; a worker killed mid-render leaves
no file, and its work is taken up again. Here the queue is the real one (the database backend) and
``work_off_the_queue`` runs what a worker would; tests/test_worker_process.py runs ``db_worker``.
"""

import errno
import io
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from plans import adoption as governance_services
from plans import pdf as plan_pdfs
from plans import tasks
from plans.models import PdfJob, StoredPdf
from tests.helpers import files_in, make_plan, work_off_the_queue

# Stored PDFs go to a directory of each test's own (``media``).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


@pytest.fixture
def fake_rendering(monkeypatch):
    """Rendering replaced by a few bytes per plan and content: for what happens around it."""
    rendered = []

    def render(plan, stamp=""):
        rendered.append(plan.pk)
        return f"%PDF-plan {plan.pk} {plan.title}".encode()

    monkeypatch.setattr(plan_pdfs, "plan_pdf_bytes", render)
    return rendered


def status_url(plan):
    return reverse("plans:actionplan_pdf_status", args=[plan.pk])


def request_url(plan):
    return reverse("plans:actionplan_pdf_request", args=[plan.pk])


def pdf_url(plan):
    return reverse("plans:actionplan_pdf", args=[plan.pk])


def ask_for_pdf(client, plan, capture):
    with capture(execute=True):  # the task is queued once the request's transaction commits
        response = client.post(request_url(plan))
    assert response.status_code == 302 and response["Location"] == status_url(plan)
    return response


def make_due():
    """Time passes: tasks queued to run later (a retry after a pause) are due now."""
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


def test_a_drafts_reader_asks_for_its_pdf_and_gets_the_file_when_it_is_ready(
    client, h2o_plan, official_elsewhere, media, django_capture_on_commit_callbacks
):
    client.force_login(official_elsewhere)
    page = client.get(h2o_plan.get_absolute_url()).content.decode()
    assert f'action="{request_url(h2o_plan)}"' in page and ">Skapa PDF</button>" in page
    assert client.get(pdf_url(h2o_plan))["Location"] == status_url(h2o_plan)  # nothing made yet, nothing queued
    before = client.get(status_url(h2o_plan)).content.decode()
    assert "Ingen PDF har skapats av utkastet som det ser ut nu." in before and ">Skapa PDF</button>" in before
    assert not PdfJob.objects.exists() and not DBTaskResult.objects.exists()

    ask_for_pdf(client, h2o_plan, django_capture_on_commit_callbacks)
    waiting = client.get(status_url(h2o_plan))
    assert waiting.status_code == 202 and "no-store" in waiting["Cache-Control"]
    text = waiting.content.decode()
    assert "PDF:en skapas …" in text
    assert '<meta http-equiv="refresh" content="3">' in text  # no script needed
    assert f'href="{status_url(h2o_plan)}"' in text  # and a link to reload by hand
    assert client.get(pdf_url(h2o_plan))["Location"] == status_url(h2o_plan)
    assert files_in(media) == []  # the request rendered nothing

    assert work_off_the_queue() == 1
    ready = client.get(status_url(h2o_plan))
    assert ready.status_code == 200
    assert "PDF:en är klar." in ready.content.decode() and "http-equiv" not in ready.content.decode()
    assert f'href="{pdf_url(h2o_plan)}"' in ready.content.decode()
    download = client.get(pdf_url(h2o_plan))
    content = b"".join(download.streaming_content)
    assert download["Content-Disposition"] == (
        'attachment; filename="strategi-handlingsplan-e-halsa-inom-h2o-2017-2019-utkast.pdf"'
    )
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "UTKAST" in text and "Planen har inga aktiviteter." in text
    job = PdfJob.objects.get(plan=h2o_plan)
    assert (job.status, job.attempts, job.size, files_in(media)) == ("ready", 1, len(content), [job.path])
    assert not StoredPdf.objects.filter(plan=h2o_plan).exists()  # a draft is no adopted version


def test_an_unchanged_draft_reuses_its_pdf_a_changed_one_gets_a_new_one_and_the_old_file_goes(
    client, h2o_plan, official_elsewhere, media, fake_rendering, django_capture_on_commit_callbacks
):
    client.force_login(official_elsewhere)
    ask_for_pdf(client, h2o_plan, django_capture_on_commit_callbacks)
    ask_for_pdf(client, h2o_plan, django_capture_on_commit_callbacks)  # asked twice before it is made
    assert work_off_the_queue() == 1 and fake_rendering == [h2o_plan.pk]  # queued and made once
    first = PdfJob.objects.get(plan=h2o_plan)
    ask_for_pdf(client, h2o_plan, django_capture_on_commit_callbacks)  # unchanged since: the same file
    assert work_off_the_queue() == 0 and fake_rendering == [h2o_plan.pk]

    h2o_plan.title = "H2O:s plan, omarbetad"
    h2o_plan.save()
    assert client.get(status_url(h2o_plan)).content.decode().count("Skapa PDF") == 1  # the new content has none
    assert client.get(pdf_url(h2o_plan))["Location"] == status_url(h2o_plan)  # the old file is not served for it
    ask_for_pdf(client, h2o_plan, django_capture_on_commit_callbacks)
    work_off_the_queue()
    second = PdfJob.objects.get(plan=h2o_plan)  # one draft PDF kept per plan: the latest
    assert second.pk != first.pk and files_in(media) == [second.path]
    assert b"omarbetad" in b"".join(client.get(pdf_url(h2o_plan)).streaming_content)


def test_a_draft_changed_before_the_worker_came_to_it_is_not_rendered(
    client, h2o_plan, official_elsewhere, media, fake_rendering, django_capture_on_commit_callbacks
):
    client.force_login(official_elsewhere)
    ask_for_pdf(client, h2o_plan, django_capture_on_commit_callbacks)
    h2o_plan.subtitle = "Ändrad medan den väntade"
    h2o_plan.save()
    work_off_the_queue()
    assert fake_rendering == [] and not PdfJob.objects.exists() and files_in(media) == []


def test_who_may_ask_for_a_pdf(client, h2o_plan, plan_2016, viewer, official_elsewhere, coordinator):
    anonymous = client.post(request_url(plan_2016))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
    assert f"next={status_url(plan_2016)}" in anonymous["Location"]  # after signing in: the PDF's page
    client.force_login(official_elsewhere)
    assert client.post(request_url(plan_2016)).status_code == 403  # an adopted plan: its coordinators
    client.force_login(viewer)
    assert client.post(request_url(h2o_plan)).status_code == 404  # another cooperation's draft
    assert client.get(request_url(plan_2016)).status_code == 403
    client.force_login(coordinator)
    assert client.get(request_url(plan_2016)).status_code == 405  # a POST only
    assert client.post(request_url(plan_2016)).status_code == 302
    assert PdfJob.objects.filter(plan=plan_2016, version_number=1, status="queued").count() == 1


def test_adopting_a_plan_queues_its_pdf_and_a_worker_stores_it(
    client, coordinator, ostergotland, media, fake_rendering, django_capture_on_commit_callbacks
):
    plan = make_plan(ostergotland, title="Liten plan")
    ssvo = ostergotland.bodies.get(name="Sakområdessamråd vård och omsorg")
    governance_services.plan_send_for_adoption(plan=plan, bodies=[ssvo], municipalities=[])
    with django_capture_on_commit_callbacks(execute=True):
        governance_services.decision_record(
            plan=plan, user=coordinator, body=ssvo, meeting_date=timezone.localdate(), kind="adopt", text="Antas."
        )
    assert fake_rendering == [] and DBTaskResult.objects.count() == 1  # queued, not rendered by the request
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "PDF:en skapas …" in page and "Ladda ner som PDF" not in page  # anonymous: the public page
    assert client.get(pdf_url(plan))["Location"] == status_url(plan)
    assert "PDF:en skapas …" in client.get(status_url(plan)).content.decode()
    assert PdfJob.objects.count() == 1 and DBTaskResult.objects.count() == 1  # the GETs queued nothing more

    work_off_the_queue()
    stored = StoredPdf.objects.get(plan=plan)
    assert files_in(media) == [stored.path]
    assert "Ladda ner som PDF" in client.get(plan.get_absolute_url()).content.decode()
    download = client.get(pdf_url(plan))
    assert download["X-Content-SHA256"] == stored.sha256
    assert b"".join(download.streaming_content) == b"%%PDF-plan %d Liten plan" % plan.pk


def test_a_failing_rendering_is_tried_again_then_shown_to_the_coordinator_as_failed_in_swedish(
    client, plan_2016, coordinator, viewer, media, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(plan, stamp=""):
        raise ValueError("WeasyPrint: unsupported image")

    monkeypatch.setattr(plan_pdfs, "plan_pdf_bytes", broken)
    client.force_login(coordinator)
    ask_for_pdf(client, plan_2016, django_capture_on_commit_callbacks)
    work_off_the_queue()
    job = PdfJob.objects.get(plan=plan_2016)
    assert (job.status, job.attempts, job.problem) == ("queued", 1, "render")
    assert "ValueError: WeasyPrint: unsupported image" in job.error  # for the administrator
    assert work_off_the_queue() == 0  # the next attempt waits a while
    retry_at = DBTaskResult.objects.get(status="READY").run_after
    assert timezone.now() + timedelta(seconds=20) < retry_at < timezone.now() + timedelta(seconds=40)
    waiting = client.get(status_url(plan_2016)).content.decode()
    assert "PDF:en skapas …" in waiting
    assert "Försök 1 misslyckades: Dokumentet kunde inte sättas (ett fel när PDF:en skapades)." in waiting

    for _ in range(2):
        make_due()
        work_off_the_queue()
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("failed", 3)
    assert not DBTaskResult.objects.filter(status="READY").exists()  # tried three times, then it stops
    failed = client.get(status_url(plan_2016)).content.decode()
    assert "PDF:en kunde inte skapas. Dokumentet kunde inte sättas (ett fel när PDF:en skapades)." in failed
    assert "Den försöktes 3 gånger." in failed and ">Försök igen</button>" in failed
    assert "PDF:en kunde inte skapas." in client.get(plan_2016.get_absolute_url()).content.decode()
    client.force_login(viewer)
    for page in (client.get(status_url(plan_2016)), client.get(plan_2016.get_absolute_url())):
        assert "Försök igen" not in page.content.decode() and "PDF:en kunde inte" not in page.content.decode()
    assert "PDF:en är inte klar än." in client.get(status_url(plan_2016)).content.decode()
    assert files_in(media) == [] and not StoredPdf.objects.exists()

    monkeypatch.setattr(plan_pdfs, "plan_pdf_bytes", lambda plan, stamp="": b"%PDF-fixed")
    client.force_login(coordinator)
    ask_for_pdf(client, plan_2016, django_capture_on_commit_callbacks)  # "Försök igen"
    work_off_the_queue()
    assert StoredPdf.objects.get(plan=plan_2016).size == len(b"%PDF-fixed")
    assert "PDF:en är klar." in client.get(status_url(plan_2016)).content.decode()


def test_a_full_storage_is_named_as_the_reason(
    client, plan_2016, coordinator, media, fake_rendering, monkeypatch, django_capture_on_commit_callbacks
):
    def full(name, content, max_length=None):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(default_storage, "save", full)
    client.force_login(coordinator)
    ask_for_pdf(client, plan_2016, django_capture_on_commit_callbacks)
    for _ in range(3):
        make_due()
        work_off_the_queue()
    job = PdfJob.objects.get(plan=plan_2016)
    assert (job.status, job.problem, job.attempts) == ("failed", "storage", 3)
    assert "Filen kunde inte sparas (lagringen är full eller går inte att skriva till)." in (
        client.get(status_url(plan_2016)).content.decode()
    )
    assert not StoredPdf.objects.exists() and files_in(media) == []


def test_a_failure_after_the_file_was_written_leaves_no_file(
    client, h2o_plan, official_elsewhere, media, fake_rendering, monkeypatch, django_capture_on_commit_callbacks
):
    def lost_database(job_id, **file):
        assert files_in(media) == [file["path"]]  # the file is whole and written ...
        raise OperationalError("server closed the connection unexpectedly")  # ... its row is not

    monkeypatch.setattr(tasks, "mark_ready", lost_database)
    client.force_login(official_elsewhere)
    ask_for_pdf(client, h2o_plan, django_capture_on_commit_callbacks)
    work_off_the_queue()
    job = PdfJob.objects.get(plan=h2o_plan)
    assert (job.status, job.problem, job.path) == ("queued", "storage", "")  # to be tried again
    assert files_in(media) == []  # no file without its row
    monkeypatch.undo()
    monkeypatch.setattr(plan_pdfs, "plan_pdf_bytes", lambda plan, stamp="": b"%PDF-second")
    make_due()
    work_off_the_queue()
    job.refresh_from_db()
    assert (job.status, job.attempts, files_in(media)) == ("ready", 2, [job.path])


class Killed(BaseException):
    """What a worker process killed mid-render amounts to: nothing after this point runs."""


def test_a_worker_killed_mid_render_leaves_no_file_and_its_work_is_taken_up_again(
    client, plan_2016, h2o_plan, coordinator, media, monkeypatch, django_capture_on_commit_callbacks
):
    def killed(plan, stamp=""):
        raise Killed

    monkeypatch.setattr(plan_pdfs, "plan_pdf_bytes", killed)
    client.force_login(coordinator)
    ask_for_pdf(client, plan_2016, django_capture_on_commit_callbacks)
    work_off_the_queue()
    job = PdfJob.objects.get(plan=plan_2016)
    assert (job.status, job.attempts) == ("running", 1) and files_in(media) == []
    assert "PDF:en skapas …" in client.get(status_url(plan_2016)).content.decode()

    PdfJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(minutes=16))  # nothing since
    stalled = client.get(status_url(plan_2016)).content.decode()
    assert "PDF:en kunde inte skapas. Arbetet avbröts innan det var klart (arbetsprocessen stoppades)." in stalled
    assert ">Försök igen</button>" in stalled

    monkeypatch.setattr(plan_pdfs, "plan_pdf_bytes", lambda plan, stamp="": b"%%PDF-%d" % plan.pk)
    tasks.enqueue(PdfJob.objects.create(plan=h2o_plan, content_digest="0" * 64).pk)  # any task a worker runs ...
    work_off_the_queue()  # ... takes stalled work up again
    job.refresh_from_db()
    assert (job.status, job.attempts, job.problem) == ("ready", 2, "")
    assert files_in(media) == [StoredPdf.objects.get(plan=plan_2016).path]


def test_work_that_no_worker_took_up_is_shown_as_failed_with_a_hint(client, plan_2016, coordinator):
    job = PdfJob.objects.create(plan=plan_2016, version_number=1)
    PdfJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    client.force_login(coordinator)
    page = client.get(status_url(plan_2016)).content.decode()
    assert "Ingen arbetsprocess tog sig an arbetet (körs PDF-arbetaren?)." in page
    assert tasks.requeue_stalled() == 1 and PdfJob.objects.get(pk=job.pk).status == "queued"


def test_a_plan_entered_as_adopted_without_a_version_gets_its_pdf_like_a_draft(
    client, plan_2014, viewer, media, fake_rendering, django_capture_on_commit_callbacks
):
    assert plan_2014.is_public and not plan_2014.versions.exists()  # adopted before the product
    assert client.get(pdf_url(plan_2014))["Location"] == status_url(plan_2014)
    assert "har inte skapats än" in client.get(status_url(plan_2014)).content.decode()
    assert client.post(request_url(plan_2014)).status_code == 302  # to sign in
    assert not PdfJob.objects.exists()
    client.force_login(viewer)  # any signed-in reader: its content is no frozen version
    assert ">Skapa PDF</button>" in client.get(status_url(plan_2014)).content.decode()
    ask_for_pdf(client, plan_2014, django_capture_on_commit_callbacks)
    work_off_the_queue()
    client.logout()
    assert "PDF:en är klar." in client.get(status_url(plan_2014)).content.decode()  # not a cached page
    download = client.get(pdf_url(plan_2014))  # then anyone reads it
    assert b"".join(download.streaming_content) == f"%PDF-plan {plan_2014.pk} {plan_2014.title}".encode()
    assert not StoredPdf.objects.exists()


def test_a_drafts_pdf_job_leaves_kept_pages_be_and_an_adopted_versions_job_renews_them(h2o_plan, plan_2016):
    """A draft's PDF shows only on its status page (never kept); the adopted plan's page shows its own."""
    from ehalsa.freshness import data_version

    before = data_version()
    PdfJob.objects.create(plan=h2o_plan, content_digest="a" * 64)
    assert data_version() == before
    PdfJob.objects.create(plan=plan_2016, version_number=plan_2016.versions.get().number)
    assert data_version() != before
