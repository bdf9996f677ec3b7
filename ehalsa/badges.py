"""A status as pages show it: a badge with its word and a colour ("tone"), never the colour alone.

Every status, phase, decision and mark of the project has one tone here, by its stored value; a
value means the same wherever it is stored ("ongoing", "return"). The colours are in the house CSS
(``.badge--<tone>``), each meeting WCAG AA contrast with its background (tests/test_badges.py).
tests/test_badges.py fails on a status value that has no tone here.
"""

from django.utils.html import format_html

# Done, decided in favour, ready.
OK = "ok"
# Under way, or waiting for someone.
INFO = "info"
# Needs attention: late, postponed, only partly done.
WARN = "warn"
# Stopped or turned down.
DANGER = "danger"
# Not begun, no longer current, or left as it is.
NEUTRAL = "neutral"

TONES = {
    # Plans (plans.ActionPlan.Status)
    "draft": NEUTRAL,
    "out_for_adoption": INFO,
    "adopted": OK,
    "superseded": NEUTRAL,
    # Activities' own status (activities.Activity.Status) and their progress (activities.Phase)
    "planned": NEUTRAL,
    "not_started": NEUTRAL,
    "pre_study": INFO,
    "ongoing": INFO,
    "completed": OK,
    "partly_completed": WARN,
    "postponed": WARN,
    "cancelled": NEUTRAL,
    # Marks on an activity's progress or a milestone (activities.tables)
    "late": WARN,
    "stale": NEUTRAL,
    # Status per municipality (activities.MunicipalStatus.Status)
    "implemented": OK,
    "abstains": NEUTRAL,
    # Decisions on plans (governance.Decision.Kind) and on reports (plans.ReportDecision.Kind)
    "adopt": OK,
    "endorse": OK,
    "approve": OK,
    "noted": OK,
    "propose": INFO,
    "refer": INFO,
    "return": DANGER,
    "reject": DANGER,
    # Follow-up reports (plans.includes.report_state_cell)
    "sent": INFO,
    "frozen": OK,
    # Imports of tables (plans.TableImport.Status)
    "reading": INFO,
    "mapping": INFO,
    "checking": INFO,
    "checked": INFO,
    "creating": INFO,
    "done": OK,
    "refused": DANGER,
    "failed": DANGER,
    # PDFs being made (plans.PdfJob.Status)
    "queued": INFO,
    "running": INFO,
    "ready": OK,
    # Invitations (governance.Invitation.Status)
    "pending": INFO,
    "expired": NEUTRAL,
    "accepted": OK,
    "withdrawn": NEUTRAL,
    # User accounts (governance.administration_tables.UserTable)
    "active": OK,
    "deactivated": DANGER,
    # A member municipality without a local plan of a template (activities.local_tables)
    "undecided": NEUTRAL,
    # A copied section, goal or activity of a next period's plan nobody has reviewed (plans.includes.to_review)
    "to_review": WARN,
}


def tone(value: str) -> str:
    """The tone of a stored status value; a value without one is shown neutral."""
    return TONES.get(str(value), NEUTRAL)


def badge(value: str, text) -> str:
    """``<span class="badge badge--<tone>">text</span>``: the word always, the colour beside it."""
    return format_html('<span class="badge badge--{}">{}</span>', tone(value), text)


def status_badge(obj, field: str = "status") -> str:
    """The badge of a model's choice field, with its label in the current language."""
    value = getattr(obj, field)
    return badge(value, getattr(obj, f"get_{field}_display")())
