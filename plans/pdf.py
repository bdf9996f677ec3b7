"""The plan as a PDF for the protocol: rendered from the same document as the page.

An adopted plan's PDF (with or without an appendix stamp) is rendered once and stored through
Django's storage API with its SHA-256; later downloads serve that file, byte for byte.
"""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation

from ehalsa.pdf import render_pdf, sha256_of

from .document import plan_document
from .models import ActionPlan, StoredPdf
from .signals import touch_plans


def appendix_stamp(*, body_name: str, meeting_date, paragraph, diary_number: str) -> str:
    """ "Bilaga till Omsorgs- och socialnämnden 2016-01-26 § 17, Dnr OSN/2015:169"."""
    stamp = f"Bilaga till {body_name} {meeting_date:%Y-%m-%d}"
    if paragraph:
        stamp += f" § {paragraph}"
    if diary_number:
        stamp += f", Dnr {diary_number}"
    return stamp


def plan_pdf_html(plan: ActionPlan, *, stamp: str = "") -> str:
    version = plan.versions.order_by("-number").first()
    adopted_by = version.decision if version else None
    context = {
        "plan": plan,
        "stamp": stamp,
        "version": version,
        "adopted_by": adopted_by,
        "is_draft": plan.status in (ActionPlan.Status.DRAFT, ActionPlan.Status.OUT_FOR_ADOPTION),
        **plan_document(plan),
    }
    with translation.override("sv"):  # a document for a Swedish protocol
        return render_to_string("plans/pdf/actionplan.html", context)


def plan_pdf_bytes(plan: ActionPlan, *, stamp: str = "") -> bytes:
    return render_pdf(plan_pdf_html(plan, stamp=stamp))


def stored_plan_pdf(plan: ActionPlan, *, stamp: str = "") -> StoredPdf:
    """The stored PDF of the plan's adopted version (rendered and stored at the first request)."""
    version = plan.versions.order_by("-number").first()
    number = version.number if version else 0
    existing = StoredPdf.objects.filter(plan=plan, version_number=number, stamp=stamp).first()
    if existing is not None:
        return existing
    content = plan_pdf_bytes(plan, stamp=stamp)
    digest = sha256_of(content)
    path = default_storage.save(f"pdf/plan-{plan.pk}-v{number}-{digest[:16]}.pdf", ContentFile(content))
    try:
        with transaction.atomic():
            stored = StoredPdf.objects.create(
                plan=plan, version_number=number, stamp=stamp, path=path, sha256=digest, size=len(content)
            )
    except IntegrityError:
        # Another process stored it first: serve theirs, so every download stays the same file.
        default_storage.delete(path)
        return StoredPdf.objects.get(plan=plan, version_number=number, stamp=stamp)
    touch_plans([plan.pk])  # the page shows the checksum
    return stored
