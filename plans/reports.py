"""The yearly follow-up report ("årlig uppföljning"): compiling it, sending it to the bodies that
receive reports, recording their decisions and freezing it. Each service is one transaction,
validated here whatever view or command calls it.

A report gathers, for a plan and a year of it, what the parts of the plan add (``plans.parts``:
the activities' progress, the budget's outcome; measures may add theirs) and the coordinator's
summary. Until it is frozen its sections are compiled when shown, from the rows as they are.

Freezing: the first decision that takes the report as it is (placed on file, approved) freezes it,
whichever body makes it: the report is then what that body had before it. Its snapshot (values,
never display text) is kept unchanged as a ``ReportVersion`` and a worker makes its PDF. Decisions
recorded after that are kept beside it and change nothing. A refer-back before that leaves the report
editable, for the coordinator to amend and the body to take up again.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.access import can_record_decision_for
from governance.models import Body, Decision

from .models import ActionPlan
from .parts import report_missing
from .report_document import report_snapshot
from .report_models import FROZEN, FollowUpReport, ReportDecision, ReportRecipient, ReportVersion
from .report_pdf import report_pdf_request

# Plans that are followed up: those that were adopted (a superseded plan was adopted before it was replaced).
REPORTED_STATUSES = (ActionPlan.Status.ADOPTED, ActionPlan.Status.SUPERSEDED)
# What makes a repeated post the same decision as the one already recorded (beyond body, meeting, kind).
SAME_DECISION = ("paragraph", "diary_number", "text")


@transaction.atomic
def report_compile(*, plan: ActionPlan, year: int, user) -> FollowUpReport:
    """Start the report of ``plan`` for ``year``: its sections are compiled from what is recorded."""
    plan = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status not in REPORTED_STATUSES:
        raise ValidationError(
            _("Only an adopted plan is followed up in a yearly report; this plan is %(status)s.")
            % {"status": plan.get_status_display().lower()}
        )
    if not plan.first_year <= year <= plan.last_year:
        raise ValidationError(
            {"year": _("The year must lie within the plan's period, %(period)s.") % {"period": plan.period}}
        )
    if plan.reports.filter(year=year).exists():
        raise ValidationError(
            {
                "year": _(
                    "The plan already has a follow-up report for %(year)s. Open it from the plan's follow-ups to "
                    "go on with it."
                )
                % {"year": year}
            }
        )
    if missing := report_missing(plan, year):
        raise ValidationError({"year": missing})
    return FollowUpReport.objects.create(plan=plan, year=year, created_by=user)


@transaction.atomic
def report_send(*, report: FollowUpReport, bodies: list[Body], sent_on=None) -> list[Body]:
    """Send the report to ``bodies`` of the plan's cooperation on ``sent_on`` (today); the bodies it
    was not sent to before. Sending it to a body again changes nothing."""
    report = FollowUpReport.objects.select_for_update().select_related("plan").get(pk=report.pk)
    sent_on = sent_on or timezone.localdate()
    if report.is_frozen:
        raise ValidationError(FROZEN)
    if not report.summary.strip():
        raise ValidationError(_("Write the report's summary before sending it (“Edit the summary”)."))
    if not bodies:
        raise ValidationError({"bodies": _("Choose at least one body to send the report to.")})
    foreign = [body for body in bodies if body.cooperation_id != report.plan.cooperation_id]
    if foreign:
        raise ValidationError({"bodies": _("%(body)s is not a body of the plan's cooperation.") % {"body": foreign[0]}})
    if sent_on > timezone.localdate():
        raise ValidationError({"sent_on": _("The date cannot be in the future.")})
    sent = []
    for body in bodies:
        _sending, created = ReportRecipient.objects.get_or_create(
            report=report, body=body, defaults={"sent_on": sent_on}
        )
        if created:
            sent.append(body)
    return sent


@transaction.atomic
def report_decision_record(*, report: FollowUpReport, user, **fields) -> tuple[ReportDecision, bool]:
    """Record a body's decision on a report it was sent; ``(decision, created)``. The first decision
    that takes the report freezes it (see the module's docstring).

    The same decision posted twice is stored once: a body decides once of each kind on a report at
    a meeting. The report's row is locked first, so decisions on one report are taken one at a time.
    """
    report = FollowUpReport.objects.select_for_update().select_related("plan").get(pk=report.pk)
    decision = ReportDecision(report=report, recorded_by=user, **fields)
    body = decision.body
    if not can_record_decision_for(user, body):
        raise ValidationError({"body": _("You can only record decisions for the bodies of your own organisation.")})
    sending = report.sendings.filter(body=body).first()
    if sending is None:
        raise ValidationError(
            {
                "body": _(
                    "The report was not sent to %(body)s. Send it to the body first (“Send the report”), then "
                    "record the body's decision."
                )
                % {"body": body.display_name}
            }
        )
    earlier = ReportDecision.objects.filter(
        report=report, body=body, meeting_date=decision.meeting_date, kind=decision.kind
    ).first()
    if earlier is not None:
        if all(getattr(earlier, name) == getattr(decision, name) for name in SAME_DECISION):
            return earlier, False
        raise ValidationError(
            _(
                "%(body)s already has a decision of that kind from the meeting on %(date)s on this report. "
                "A decision that was minuted differently is corrected in the protocol."
            )
            % {"body": body.display_name, "date": f"{decision.meeting_date:%Y-%m-%d}"}
        )
    check_meeting(decision, sending)
    decision.full_clean()
    decision.save()
    if decision.kind in ReportDecision.TAKES_THE_REPORT and not report.is_frozen:
        report_freeze(report=report, decision=decision)
    return decision, True


def check_meeting(decision: ReportDecision, sending: ReportRecipient) -> None:
    """The meeting lies between the sending and today, and its § is the body's only one that day."""
    errors = {}
    if decision.meeting_date > timezone.localdate():
        errors["meeting_date"] = _("The meeting date cannot be in the future.")
    elif decision.meeting_date < sending.sent_on:
        errors["meeting_date"] = _("The meeting date is before the report was sent to the body (%(date)s).") % {
            "date": f"{sending.sent_on:%Y-%m-%d}"
        }
    if decision.paragraph:
        same_paragraph = {"body": decision.body, "meeting_date": decision.meeting_date, "paragraph": decision.paragraph}
        if (
            Decision.objects.filter(**same_paragraph).exists()
            or ReportDecision.objects.filter(**same_paragraph).exists()
        ):
            errors["paragraph"] = _("This body already has a decision with this § at this meeting.")
    if errors:
        raise ValidationError(errors)


def report_freeze(*, report: FollowUpReport, decision: ReportDecision, store_pdf: bool = True) -> ReportVersion:
    """Keep the report as it is now, for good, and have a worker make its PDF once this commits
    (``store_pdf`` off: the caller stores it, as ``load_demo_data`` does)."""
    version = ReportVersion.objects.create(
        report=report,
        decision=decision,
        frozen_on=decision.meeting_date,
        snapshot=report_snapshot(report, decision=decision),
    )
    if store_pdf:
        report_pdf_request(report=report)
    return version
