"""Where a plan's PDF stands: made by a worker (``plans.tasks``), read here by pages that never write.

An adopted version's PDF is asked for when the plan is adopted; a draft's when one of its readers
asks ("Skapa PDF"), for the content the draft has then (so is the PDF of a plan entered as adopted
without a recorded version: its content is not frozen either). A draft's content is identified by a digest
of what its PDF shows, so an unchanged draft is served the file made before and a changed one gets
a new one.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta

from django.core.files.storage import default_storage
from django.utils import timezone

from ehalsa.freshness import code_version, data_version, kept

from .access import can_edit_plan
from .models import ActionPlan, PdfJob, StoredPdf
from .pdf import adopted_version, stored_plan_pdf
from .versions import snapshot_of

# Tries per PDF before it is shown as failed; a failed PDF is tried again when someone asks.
MAX_ATTEMPTS = 3
# Work queued or running without news for this long has stopped (a worker killed mid-render, a queue
# entry lost): it is shown as failed and tried again. Far longer than the largest plan takes.
STALLED_AFTER = timedelta(minutes=15)


def draft_digest(plan: ActionPlan) -> str:
    """What a draft's PDF shows, as a SHA-256: its snapshot (its content, the decisions on it and the
    previous plan's follow-up, ``plans.versions``) and its status. The same digest, the same PDF."""
    shown = {"content": snapshot_of(plan), "status": plan.status}
    return hashlib.sha256(json.dumps(shown, sort_keys=True, default=str).encode()).hexdigest()


def current_draft_digest(plan: ActionPlan) -> str:
    """``draft_digest`` of the draft as it is now, kept until anything changes (``ehalsa.freshness``):
    a reader waiting for the PDF asks every three seconds, and reading a large draft takes a while."""
    return kept(f"draft-digest:{plan.pk}:{data_version()}:{code_version()}", lambda: draft_digest(plan))


@dataclass(frozen=True)
class PdfState:
    """A plan's PDF for its reader: ``ready`` (a file), ``pending``, ``failed`` (with the reason) or
    ``missing`` (nobody asked for it yet)."""

    state: str
    job: PdfJob | None = None
    stored: StoredPdf | None = None
    problem: str = ""

    @property
    def ready(self) -> bool:
        return self.state == "ready"

    @property
    def pending(self) -> bool:
        return self.state == "pending"

    @property
    def failed(self) -> bool:
        return self.state == "failed"

    @property
    def missing(self) -> bool:
        return self.state == "missing"

    @property
    def problem_text(self) -> str:
        return str(PdfJob.Problem(self.problem).label) if self.problem else ""

    @property
    def earlier_attempt_failed(self) -> bool:
        return self.pending and bool(self.job and self.job.problem and self.job.attempts)

    @property
    def sha256(self) -> str:
        return self.stored.sha256 if self.stored else (self.job.sha256 if self.job else "")


def is_stalled(job: PdfJob) -> bool:
    return job.status in (PdfJob.Status.QUEUED, PdfJob.Status.RUNNING) and (
        job.updated_at < timezone.now() - STALLED_AFTER
    )


def state_of(job: PdfJob | None) -> PdfState:
    if job is None:
        return PdfState("missing")
    if job.status == PdfJob.Status.FAILED:
        return PdfState("failed", job=job, problem=job.problem or PdfJob.Problem.RENDER)
    if is_stalled(job):
        stopped = PdfJob.Problem.STOPPED if job.status == PdfJob.Status.RUNNING else PdfJob.Problem.NOT_STARTED
        return PdfState("failed", job=job, problem=stopped)
    if job.status == PdfJob.Status.READY:
        if job.is_draft and default_storage.exists(job.path):
            return PdfState("ready", job=job)
        return PdfState("missing", job=job)  # its file (or the adopted version's) is gone
    return PdfState("pending", job=job)


def pdf_state(plan: ActionPlan, *, digest: str | None = None) -> PdfState:
    """The PDF of the plan's adopted version, or of the draft's current content. Reads only."""
    version = adopted_version(plan)
    if version is not None:
        stored = stored_plan_pdf(plan, version=version)
        if stored is not None:
            return PdfState("ready", stored=stored)
        return state_of(plan.pdf_jobs.filter(version_number=version.number).first())
    digest = digest or current_draft_digest(plan)
    return state_of(plan.pdf_jobs.filter(version_number__isnull=True, content_digest=digest).first())


def may_request_pdf(user, plan: ActionPlan) -> bool:
    """An adopted version's PDF is made at adoption, and its coordinators ask again when that failed.
    Other content (a draft; a plan entered as adopted without a recorded version) is asked for by
    its signed-in readers."""
    if not user.is_authenticated:
        return False
    if adopted_version(plan) is not None:
        return can_edit_plan(user, plan)
    return ActionPlan.objects.visible_to(user).filter(pk=plan.pk).exists()
