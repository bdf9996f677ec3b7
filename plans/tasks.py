"""PDFs made in the background: asking for one (``pdf_request``) and the worker's side (``render_plan_pdf``).

A request writes a ``PdfJob`` and, once its transaction commits, queues the task; a worker process
(``manage.py db_worker``) renders the PDF to bytes, then stores file and row together. A failure is
recorded on the job (what failed, the error) and the task is queued again later, up to
``MAX_ATTEMPTS``; then the job is failed and its coordinator sees why. Work that a killed worker left
unfinished is found by the next task any worker runs (``requeue_stalled``) and tried again.
"""

import logging
from datetime import timedelta
from functools import partial

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.tasks import task
from django.utils import timezone

from ehalsa.pdf import sha256_of

from . import pdf as plan_pdfs
from .models import ActionPlan, PdfJob
from .pdf_jobs import MAX_ATTEMPTS, STALLED_AFTER, draft_digest, pdf_state

logger = logging.getLogger(__name__)

# Wait before the second and the third attempt: a full disk or a restarting database may recover.
RETRY_AFTER = (timedelta(seconds=30), timedelta(minutes=2))


def queue_render(job_id: int, *, delay: timedelta | None = None) -> None:
    """Queue the job's rendering once the current transaction commits (at once outside one)."""
    transaction.on_commit(partial(enqueue, job_id, delay=delay), robust=True)


def enqueue(job_id: int, *, delay: timedelta | None = None) -> None:
    queued = render_plan_pdf
    if delay and queued.get_backend().supports_defer:
        queued = queued.using(run_after=timezone.now() + delay)
    queued.enqueue(job_id)


@transaction.atomic
def pdf_request(*, plan: ActionPlan) -> PdfJob | None:
    """Ask for the PDF of the plan as it is now: its adopted version's, or the draft's current content.

    Nothing new when it is made or being made already; a failed or stopped one is tried afresh.
    The plan's row is locked, so simultaneous requests make one job. None when the file is stored.
    """
    plan = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    version = plan_pdfs.adopted_version(plan)
    if version is not None:
        if plan_pdfs.stored_plan_pdf(plan) is not None:
            return None
        key = {"version_number": version.number, "content_digest": ""}
    else:
        key = {"version_number": None, "content_digest": draft_digest(plan)}
    job, created = PdfJob.objects.get_or_create(plan=plan, **key)
    state = pdf_state(plan, digest=key["content_digest"] or None)
    if created or state.failed or state.missing:
        PdfJob.objects.filter(pk=job.pk).update(
            status=PdfJob.Status.QUEUED, attempts=0, problem="", error="", updated_at=timezone.now()
        )
        job.refresh_from_db()
        queue_render(job.pk)
    return job


@task()
def render_plan_pdf(job_id: int) -> str:
    """Render and store one PDF of a plan (a ``PdfJob``); a failure is recorded and tried again."""
    requeue_stalled()
    job = claim(job_id)
    if job is None:
        return "not queued"  # made, being made by another worker, or no longer wanted
    problem = PdfJob.Problem.RENDER
    try:
        content = rendered(job)
        if content is None:
            return "no longer wanted"
        problem = PdfJob.Problem.STORAGE
        stored = store(job, content)
    except Exception as error:
        record_failure(job, problem, error)
        raise
    if stored:
        remove_older_drafts(job)
    return "stored" if stored else "no longer wanted"


def claim(job_id: int) -> PdfJob | None:
    """The job, marked as being made by this worker, if it is queued (one worker takes it)."""
    claimed = PdfJob.objects.filter(pk=job_id, status=PdfJob.Status.QUEUED).update(
        status=PdfJob.Status.RUNNING, attempts=F("attempts") + 1, updated_at=timezone.now()
    )
    return PdfJob.objects.select_related("plan").filter(pk=job_id).first() if claimed else None


def rendered(job: PdfJob) -> bytes | None:
    """The PDF's bytes; None for a draft that changed (or was adopted) since: that job is dropped."""
    plan = job.plan
    if job.is_draft and (plan_pdfs.adopted_version(plan) is not None or draft_digest(plan) != job.content_digest):
        job.delete()  # nobody can ask for this content any more
        return None
    if not job.is_draft and plan_pdfs.stored_plan_pdf(plan) is not None:
        return b""  # stored meanwhile (``store_adopted_pdfs``)
    return plan_pdfs.plan_pdf_bytes(plan)


def store(job: PdfJob, content: bytes) -> bool:
    if not job.is_draft:
        if content:
            plan_pdfs.store_plan_pdf(job.plan, content=content)
        mark_ready(job.pk)
        return True
    return store_draft_pdf(job, content)


def store_draft_pdf(job: PdfJob, content: bytes) -> bool:
    """The draft's file and its job together: the job names the file only once the file is whole,
    in the same transaction; a failure after the file was written deletes it again."""
    name = f"pdf/utkast/plan-{job.plan_id}-{job.content_digest[:16]}.pdf"
    path = ""
    try:
        with transaction.atomic():
            current = PdfJob.objects.select_for_update().filter(pk=job.pk).first()
            if current is None or current.status != PdfJob.Status.RUNNING:
                return False  # dropped, or finished by another worker meanwhile
            if draft_digest(ActionPlan.objects.get(pk=job.plan_id)) != job.content_digest:
                current.delete()  # changed while it was being rendered
                return False
            path = default_storage.save(name, ContentFile(content))
            mark_ready(job.pk, path=path, sha256=sha256_of(content), size=len(content))
    except Exception:
        if path:
            default_storage.delete(path)
        raise
    return True


def mark_ready(job_id: int, **file) -> None:
    PdfJob.objects.filter(pk=job_id).update(
        status=PdfJob.Status.READY, problem="", error="", updated_at=timezone.now(), **file
    )


def record_failure(job: PdfJob, problem: str, error: Exception) -> None:
    """What went wrong, kept on the job; tried again later while attempts are left."""
    logger.warning("PDF job %s (%s) failed, attempt %s: %r", job.pk, job.plan, job.attempts, error)
    retry = job.attempts < MAX_ATTEMPTS
    with transaction.atomic():
        PdfJob.objects.filter(pk=job.pk).update(
            status=PdfJob.Status.QUEUED if retry else PdfJob.Status.FAILED,
            problem=problem,
            error=f"{type(error).__name__}: {error}"[:2000],
            updated_at=timezone.now(),
        )
        if retry:
            queue_render(job.pk, delay=RETRY_AFTER[min(job.attempts, len(RETRY_AFTER)) - 1])


def requeue_stalled() -> int:
    """Work nobody finished (a worker killed mid-render, a queue entry lost): queued again while
    attempts are left, otherwise failed with the reason. Every task runs it, so any worker that
    runs picks stalled work up."""
    requeued = 0
    for job in PdfJob.objects.filter(
        status__in=[PdfJob.Status.QUEUED, PdfJob.Status.RUNNING], updated_at__lt=timezone.now() - STALLED_AFTER
    ):
        stopped = job.status == PdfJob.Status.RUNNING
        attempts = job.attempts if stopped else job.attempts + 1  # a start counts it already
        retry = attempts < MAX_ATTEMPTS
        with transaction.atomic():
            updated = PdfJob.objects.filter(pk=job.pk, status=job.status, updated_at=job.updated_at).update(
                status=PdfJob.Status.QUEUED if retry else PdfJob.Status.FAILED,
                attempts=attempts,
                problem=PdfJob.Problem.STOPPED if stopped else PdfJob.Problem.NOT_STARTED,
                updated_at=timezone.now(),
            )
            if updated and retry:
                queue_render(job.pk)
                requeued += 1
    return requeued


def remove_older_drafts(job: PdfJob) -> None:
    """One draft PDF is kept per plan, the latest made (none once the plan is adopted): the others
    that are done with go, with their files."""
    older = PdfJob.objects.filter(
        plan=job.plan_id, version_number__isnull=True, status__in=[PdfJob.Status.READY, PdfJob.Status.FAILED]
    ).exclude(pk=job.pk)
    paths = [path for path in older.values_list("path", flat=True) if path]
    older.delete()
    for path in paths:
        try:
            default_storage.delete(path)
        except OSError:
            logger.warning("Could not delete the older draft PDF %s", path)
