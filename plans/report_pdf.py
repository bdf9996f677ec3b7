"""The PDF of a frozen follow-up report, made by a worker like an adopted plan's (``plans.tasks``).

Freezing a report asks for its PDF (``report_pdf_request``); once that commits, a worker process
renders it from the frozen snapshot (PDF/A, tagged, "Sida X (Y)": ``ehalsa.pdf`` and the print base)
and stores the file with its row. A failure is recorded and tried again after a while, up to
``MAX_ATTEMPTS``; then the report's coordinators see why and can ask again. Downloads only read the
file; an appendix stamp from a recorded decision is laid on for the download and never stored.
"""

import logging
from datetime import timedelta
from functools import partial

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone, translation

from ehalsa.pdf import render_pdf, sha256_of

from .pdf_jobs import MAX_ATTEMPTS, STALLED_AFTER
from .report_document import report_document
from .report_models import FollowUpReport, ReportPdf
from .tasks import RETRY_AFTER

logger = logging.getLogger(__name__)


def report_pdf_html(report: FollowUpReport) -> str:
    with translation.override("sv"):  # a document for a Swedish protocol, like the plan's
        return render_to_string("plans/pdf/report.html", report_document(report))


@transaction.atomic
def report_pdf_request(*, report: FollowUpReport) -> ReportPdf | None:
    """Ask for the frozen report's PDF: nothing new when it is made or being made; a failed or
    stalled one is tried afresh. None for a report that is not frozen (its PDF would change)."""
    report = FollowUpReport.objects.select_for_update().get(pk=report.pk)
    if not report.is_frozen:
        return None
    job, created = ReportPdf.objects.get_or_create(report=report, defaults={"updated_at": timezone.now()})
    if created or job.failed or is_stalled(job):
        ReportPdf.objects.filter(pk=job.pk).update(
            status=ReportPdf.Status.QUEUED, attempts=0, problem="", error="", updated_at=timezone.now()
        )
        job.refresh_from_db()
        queue_render(job.pk)
    return job


def queue_render(job_id: int, *, delay: timedelta | None = None) -> None:
    transaction.on_commit(partial(enqueue, job_id, delay=delay), robust=True)


def enqueue(job_id: int, *, delay: timedelta | None = None) -> None:
    queued = render_report_pdf
    if delay and queued.get_backend().supports_defer:
        queued = queued.using(run_after=timezone.now() + delay)
    queued.enqueue(job_id)


def is_stalled(job: ReportPdf) -> bool:
    """Queued or being made without news for far longer than any report takes (a worker killed)."""
    waiting = job.status in (ReportPdf.Status.QUEUED, ReportPdf.Status.RUNNING)
    return waiting and job.updated_at < timezone.now() - STALLED_AFTER


@task()
def render_report_pdf(job_id: int) -> str:
    """Render and store a frozen report's PDF (a ``ReportPdf``); a failure is recorded and tried again."""
    claimed = ReportPdf.objects.filter(pk=job_id, status=ReportPdf.Status.QUEUED).update(
        status=ReportPdf.Status.RUNNING, attempts=F("attempts") + 1, updated_at=timezone.now()
    )
    if not claimed:
        return "not queued"  # made, or being made by another worker
    job = ReportPdf.objects.select_related("report__plan__cooperation").get(pk=job_id)
    problem = ReportPdf.Problem.RENDER
    try:
        content = render_pdf(report_pdf_html(job.report))
        problem = ReportPdf.Problem.STORAGE
        store(job, content)
    except Exception as error:
        record_failure(job, problem, error)
        raise
    return "stored"


def store(job: ReportPdf, content: bytes) -> None:
    """The file and its row together: the row names the file only once it is whole; a failure after
    the file was written deletes it again."""
    name = f"pdf/uppfoljning/plan-{job.report.plan_id}-{job.report.year}-{sha256_of(content)[:16]}.pdf"
    path = ""
    try:
        with transaction.atomic():
            path = default_storage.save(name, ContentFile(content))
            ReportPdf.objects.filter(pk=job.pk).update(
                status=ReportPdf.Status.READY,
                problem="",
                error="",
                path=path,
                sha256=sha256_of(content),
                size=len(content),
                updated_at=timezone.now(),
            )
    except Exception:
        if path:
            default_storage.delete(path)
        raise


def record_failure(job: ReportPdf, problem: str, error: Exception) -> None:
    logger.warning("Report PDF %s (%s) failed, attempt %s: %r", job.pk, job.report, job.attempts, error)
    retry = job.attempts < MAX_ATTEMPTS
    with transaction.atomic():
        ReportPdf.objects.filter(pk=job.pk).update(
            status=ReportPdf.Status.QUEUED if retry else ReportPdf.Status.FAILED,
            problem=problem,
            error=f"{type(error).__name__}: {error}"[:2000],
            updated_at=timezone.now(),
        )
        if retry:
            queue_render(job.pk, delay=RETRY_AFTER[min(job.attempts, len(RETRY_AFTER)) - 1])


def store_missing_report_pdfs() -> list[ReportPdf]:
    """Render and store, now, the PDF of every frozen report that has none (the demo data's, or one
    whose making failed). For commands (``store_adopted_pdfs``), never for requests."""
    stored = []
    frozen = FollowUpReport.objects.filter(frozen_version__isnull=False).select_related("plan__cooperation")
    for report in frozen.order_by("pk"):
        job, _created = ReportPdf.objects.get_or_create(report=report, defaults={"updated_at": timezone.now()})
        if job.ready:
            continue
        store(job, render_pdf(report_pdf_html(report)))
        job.refresh_from_db()
        stored.append(job)
    return stored
