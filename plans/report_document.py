"""A follow-up report as it is read: by whom, and what its page and PDF show (``plans.reports``).

A report that is not frozen is compiled when shown, from the rows as they are; a frozen one is read
from its snapshot alone, which holds values (codes, numbers, texts as written), never display text.
"""

from django.db.models import Q

from governance.models import Body, Cooperation

from .access import plans_visible_to
from .models import ActionPlan
from .parts import report_sections, report_values
from .report_models import FollowUpReport, ReportDecision, ReportVersion

SNAPSHOT_FORMAT = 1


def reports_visible_to(user):
    """Frozen reports of the plans the user may read (public documents, like adopted plans); every
    report of their own cooperations' plans; administrators: all."""
    reports = FollowUpReport.objects.filter(plan__in=plans_visible_to(user))
    if user.is_authenticated and user.is_superuser:
        return reports
    readable = Q(frozen_version__isnull=False)
    if user.is_authenticated:
        readable |= Q(plan__cooperation__in=Cooperation.objects.filter(members__memberships__user=user).values("pk"))
    return reports.filter(readable)


def frozen_version_of(report: FollowUpReport) -> ReportVersion | None:
    return ReportVersion.objects.filter(report=report).select_related("decision__body").first()


def decision_values(decision: ReportDecision) -> dict:
    return {
        "id": decision.pk,
        "body": decision.body.display_name,
        "body_name": decision.body.name,
        "meeting_date": decision.meeting_date.isoformat(),
        "paragraph": decision.paragraph,
        "diary_number": decision.diary_number,
        "kind": decision.kind,
    }


def report_snapshot(report: FollowUpReport, *, decision: ReportDecision | None = None) -> dict:
    """Everything the report says, as language-neutral values: its plan, year, texts and sections."""
    plan = report.plan
    return {
        "format": SNAPSHOT_FORMAT,
        "cooperation": plan.cooperation.name,
        "plan": {"id": plan.pk, "title": plan.title, "first_year": plan.first_year, "last_year": plan.last_year},
        "year": report.year,
        "summary": report.summary,
        "further": report.further,
        "sections": report_values(plan, report.year),
        "frozen_by": decision and decision_values(decision),
    }


def report_document(report: FollowUpReport) -> dict:
    """What the report's page and PDF show: a frozen report's snapshot, else the report compiled now."""
    version = frozen_version_of(report)
    snapshot = version.snapshot if version is not None else report_snapshot(report)
    frozen_by = snapshot.get("frozen_by")
    if frozen_by:
        kinds = dict(ReportDecision.Kind.choices)
        frozen_by = frozen_by | {"kind_label": kinds.get(frozen_by["kind"], frozen_by["kind"])}
    return {
        "report": report,
        "version": version,
        "cooperation_name": snapshot["cooperation"],
        "plan_title": snapshot["plan"]["title"],
        "plan_period": period_of(snapshot["plan"]),
        "year": str(snapshot["year"]),
        "summary": snapshot["summary"],
        "further": snapshot["further"],
        "sections": report_sections(snapshot["sections"]),
        "frozen_by": frozen_by,
    }


def period_of(plan: dict) -> str:
    first, last = plan["first_year"], plan["last_year"]
    return str(first) if first == last else f"{first}–{last}"


def proposed_recipients(report: FollowUpReport):
    """The bodies that received the plan's previous report (or the previous plan's latest one), else
    the cooperation's bodies at the two top levels (political and strategic management)."""
    plan = report.plan
    earlier = (
        FollowUpReport.objects.filter(plan=plan, year__lt=report.year).order_by("-year").first()
        or FollowUpReport.objects.filter(plan=plan.previous_plan_id).order_by("-year").first()
    )
    if earlier is not None and earlier.sendings.exists():
        return Body.objects.filter(pk__in=earlier.sendings.values("body"))
    return plan.cooperation.bodies.filter(level__lte=Body.Level.STRATEGIC)


def years_to_report(plan: ActionPlan) -> list[int]:
    """The plan's years without a report yet."""
    done = set(plan.reports.values_list("year", flat=True))
    return [year for year in plan.years if year not in done]
