"""What is due for one user, in one list: the start page shows it and the daily reminder mails it.

Due within ``DUE_WITHIN`` or late: the decisions awaited from the bodies the user may record for
(``plans.awaiting``, as the start page has always listed them), and what the parts of the plans the
user coordinates add (``PlanPart.due``: milestones, follow-ups not recorded for this year, stale
progress). Plans never name those parts (apps depend one way); each part says what is due in it.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from governance.access import bodies_user_may_record_for

from .access import cooperations_coordinated_by
from .awaiting import work_for
from .models import ActionPlan
from .parts import PARTS
from .report_models import ReportRecipient

DUE_WITHIN = timedelta(days=14)
# At most this many items of one kind are listed; the rest are counted.
LISTED = 20


@dataclass
class DueItem:
    """One thing due: what (the link's text, with its address), where it belongs, by when, whether late."""

    text: str
    url: str
    context: str = ""
    due: date | None = None
    late: bool = False


@dataclass
class DueGroup:
    """Things of one kind under a heading ("Försenade delmål"), the first ``LISTED`` of ``count``."""

    key: str
    heading: str
    items: list[DueItem] = field(default_factory=list)
    count: int = 0
    # Decisions awaited: the start page lists them in its own way (with the cost shares).
    decisions: bool = False

    @property
    def more(self) -> int:
        return self.count - len(self.items)


def group(key: str, heading: str, items: list[DueItem], *, count: int | None = None, **kwargs) -> DueGroup | None:
    """A group of the first ``LISTED`` items, or None when there are none."""
    count = len(items) if count is None else count
    return DueGroup(key, heading, items[:LISTED], count, **kwargs) if count else None


def due_for(user, *, today: date | None = None, work: dict | None = None) -> list[DueGroup]:
    """Everything due for ``user`` within ``DUE_WITHIN`` of ``today``, or late, by kind; empty when
    nothing is (no empty groups). In the active language. ``work``: ``work_for(user)``, when the
    caller has it already."""
    if not user.is_authenticated:
        return []
    today = today or timezone.localdate()
    groups: list[DueGroup | None] = []
    # The adopted plans the user coordinates; their parts say what is due in them.
    plans = ActionPlan.objects.adopted().filter(
        cooperation__in=cooperations_coordinated_by(user),
        municipality=None,  # a local plan is its municipality's
    )
    if plans.exists():
        for part in PARTS:
            groups += part.due(plans, today=today, within=DUE_WITHIN)
        groups.append(reports_to_compile(plans, today))
    groups.append(report_decisions_awaited(user))
    groups += decisions_awaited(work_for(user) if work is None else work)
    return [g for g in groups if g is not None]


def reports_to_compile(plans, today: date) -> DueGroup | None:
    """The yearly follow-up of last year, for each plan that ran then and has no report of it yet."""
    year = today.year - 1
    plans = plans.filter(first_year__lte=year, last_year__gte=year).exclude(reports__year=year)
    items = [
        DueItem(
            _("Yearly follow-up %(year)s") % {"year": year},
            reverse("plans:report_create", args=[plan.pk]),
            plan.title,
        )
        for plan in plans.order_by("cooperation__name", "first_year", "pk")
    ]
    return group("reports_to_compile", _("Yearly follow-ups to compile"), items)


def report_decisions_awaited(user) -> DueGroup | None:
    """Reports sent to a body the user records decisions for, on which that body has not decided."""
    bodies = bodies_user_may_record_for(user)
    sendings = (
        ReportRecipient.objects.filter(body__in=bodies)
        .exclude(report__decisions__body=F("body"))
        .select_related("report__plan", "body")
        .order_by("sent_on", "pk")
    )
    items = [
        DueItem(
            _("Yearly follow-up %(year)s of %(plan)s")
            % {"year": sending.report.year, "plan": sending.report.plan.title},
            reverse("plans:report_detail", args=[sending.report_id]),
            sending.body.display_name,
        )
        for sending in sendings
    ]
    return group("report_decisions", _("Follow-up reports awaiting a decision"), items)


def decisions_awaited(work: dict) -> list[DueGroup | None]:
    """The decisions the start page has always listed as awaited (``work_for``), as due items."""
    steps = []
    for step in work.get("out_for_adoption", []):
        waiting = [body.display_name for body in step["bodies"]]
        if step["municipalities"]:
            waiting.append(
                ngettext(
                    "%(count)s municipality has not decided",
                    "%(count)s municipalities have not decided",
                    len(step["municipalities"]),
                )
                % {"count": len(step["municipalities"])}
            )
        if waiting:
            url = reverse("adoption:adoption_status", args=[step["plan"].pk])
            steps.append(DueItem(step["plan"].title, url, ", ".join(waiting)))
    awaiting = [
        DueItem(plan.title, reverse("adoption:decision_create", args=[plan.pk]), plan.cooperation.display_name)
        for plan in work.get("awaiting_decision", [])
    ]
    return [
        group("adoption_steps", _("Adoption steps still open"), steps, decisions=True),
        group("awaiting_decision", _("Plans awaiting your organisation's decision"), awaiting, decisions=True),
    ]
