"""The plan as a PDF for the protocol: rendered from the same document as the page.

The unstamped PDF of an adopted version is rendered once, by a worker when the version is adopted
(``plans.tasks``; or by ``manage.py store_adopted_pdfs``), and stored through Django's
storage API with its SHA-256; downloads only read that file, byte for byte. An appendix stamp
is laid onto the PDF (``ehalsa.pdf.stamped``) for the one download that asks for it and never
stored: a GET never writes.
"""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from ehalsa.pdf import render_pdf, sha256_of
from governance.models import Decision

from .document import frozen_document, plan_document
from .models import ActionPlan, PlanVersion, StoredPdf


def appendix_stamp(*, body_name: str, meeting_date, paragraph, diary_number: str) -> str:
    """ "Bilaga till Omsorgs- och socialnämnden 2016-01-26 § 17, Dnr OSN/2015:169", in Swedish like the
    document it is laid on (a Swedish protocol's appendix)."""
    with translation.override("sv"):
        stamp = _("Appendix to %(body)s %(date)s") % {"body": body_name, "date": f"{meeting_date:%Y-%m-%d}"}
        if paragraph:
            stamp += f" § {paragraph}"
        if diary_number:
            stamp += ", " + _("Ref. no. %(number)s") % {"number": diary_number}
    return stamp


def plan_pdf_html(plan: ActionPlan) -> str:
    """The PDF's HTML: an adopted plan's from its version's snapshot, a draft's from its rows."""
    version = adopted_version(plan)
    document = frozen_document(version) if version else None
    if document is None:
        document = plan_document(plan) | {"plan": plan, "adopted_by": version.decision if version else None}
    return document_pdf_html(plan, document, version=version)


def document_pdf_html(plan: ActionPlan, document: dict, *, version: PlanVersion | None) -> str:
    """The PDF's HTML of ``document`` (``plan_document``'s or ``frozen_document``'s, with ``plan``
    and ``adopted_by``)."""
    sections = list(document["sections"])
    placed = placed_parts(sections)
    context = {
        "version": version,
        "is_draft": plan.status in (ActionPlan.Status.DRAFT, ActionPlan.Status.OUT_FOR_ADOPTION),
        **document,
        "sections": [(section, placed.get(section.shows) == section.pk and section.shows) for section in sections],
        "placed": set(placed),
        "adoption_route": adoption_route(document["decisions"], document["adopted_by"]),
    }
    with translation.override("sv"):  # a document for a Swedish protocol
        return render_to_string("plans/pdf/actionplan.html", context)


def placed_parts(sections) -> dict[str, int]:
    """The parts of the plan that sections name (``Section.shows``), each by the first section that
    names it: the document shows the part right after that section's text, where the text refers to
    it ("I tabellen nedan"). The other parts follow the sections."""
    placed = {}
    for section in sections:
        if section.shows and section.shows not in placed:
            placed[section.shows] = section.pk
    return placed


FORWARDING = (Decision.Kind.ADOPT, Decision.Kind.ENDORSE, Decision.Kind.PROPOSE)


def adoption_route(decisions, adopted_by) -> list:
    """The decisions that carried the plan to its adoption, in order, for the cover: each body's
    latest decision to adopt, endorse or propose it, up to the adopting decision itself (the one a
    decision that sent the plan back was followed by)."""
    if adopted_by is None:
        return []
    route = {}
    for decision in decisions:
        if decision.pk == adopted_by.pk or decision.meeting_date > adopted_by.meeting_date:
            break
        if decision.kind in FORWARDING:
            route.pop(body_key(decision), None)  # the body's latest decision, in its place
            route[body_key(decision)] = decision
    return [*(decision for key, decision in route.items() if key != body_key(adopted_by)), adopted_by]


def body_key(decision) -> tuple[str, str]:
    """The deciding body, alike in a decision read from its row and one frozen in a snapshot."""
    organisation = decision.body.organisation
    return decision.body.name, organisation.name if organisation else ""


def plan_pdf_bytes(plan: ActionPlan) -> bytes:
    return render_pdf(plan_pdf_html(plan))


def adopted_version(plan: ActionPlan) -> PlanVersion | None:
    """The version a public plan's PDF shows: its latest adopted one (None for drafts)."""
    if not plan.is_public:
        return None
    return plan.versions.defer("snapshot").order_by("-number").first()  # the snapshot read when rendering


def stored_plan_pdf(plan: ActionPlan, *, version: PlanVersion | None = None) -> StoredPdf | None:
    """The stored PDF of the plan's adopted version (``version``, when the caller has read it), if it
    has been stored. Reads only."""
    version = version or adopted_version(plan)
    if version is None:
        return None
    return StoredPdf.objects.filter(plan=plan, version_number=version.number).first()


def store_plan_pdf(plan: ActionPlan, *, content: bytes | None = None) -> StoredPdf | None:
    """Render (unless ``content`` is given) and store the PDF of the plan's adopted version, unless it
    is stored already.

    Never called by a request: by the worker's task (``plans.tasks``) and by commands.
    The row goes in first and only the process whose insert wins writes the file (the database
    keeps one row per version); a failure after the file was written deletes it again, so no
    file is ever left without its row.
    """
    version = adopted_version(plan)
    if version is None:
        return None
    stored = stored_plan_pdf(plan)
    if stored is not None:
        return stored
    if content is None:
        content = plan_pdf_bytes(plan)
    digest = sha256_of(content)
    name = f"pdf/plan-{plan.pk}-v{version.number}-{digest[:16]}.pdf"
    path = ""
    try:
        with transaction.atomic():
            stored = StoredPdf.objects.create(
                plan=plan, version_number=version.number, path=name, sha256=digest, size=len(content)
            )
            path = default_storage.save(name, ContentFile(content))
            if path != name:  # the storage chose another name: the row names the file it wrote
                stored.path = path
                stored.save(update_fields=["path"])
    except Exception as error:
        if path:
            default_storage.delete(path)
        if isinstance(error, IntegrityError):  # another process stored it first: theirs it is
            return StoredPdf.objects.get(plan=plan, version_number=version.number)
        raise
    return stored


def store_missing_plan_pdfs() -> list[StoredPdf]:
    """Store the PDF of every public plan's adopted version that has none yet (older data)."""
    plans = ActionPlan.objects.public().filter(versions__isnull=False).distinct().order_by("pk")
    return [store_plan_pdf(plan) for plan in plans if stored_plan_pdf(plan) is None]
