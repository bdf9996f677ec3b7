"""The parts of a plan that the apps above plans own: activities, budget.

Apps depend one way, ``governance ← plans ← activities, finance``: plans imports neither. A plan's
document, the copies made of it (next period, revision) and its history still take in every part,
because each of those apps registers a ``PlanPart`` here when Django starts (``AppConfig.ready``),
in the order of ``INSTALLED_APPS``. Plans calls the parts; it never names them.

The yearly follow-up report (``plans.reports``) is made the same way: each part may add a section
(``report_values``, ``report_section``); the activities' progress and the budget's outcome do, and
measures (targets and measured values) can add theirs by registering a part with these methods.
"""

from dataclasses import dataclass, field


@dataclass
class ReportSection:
    """One section of a follow-up report as the page and the PDF show it: a heading, an anchor, the
    templates that show it (with ``section`` in their context) and what they show."""

    heading: str
    anchor: str
    page_template: str
    pdf_template: str
    context: dict = field(default_factory=dict)


class PlanPart:
    """What one app adds to every plan. Every method does nothing unless the app's part says so."""

    def document(self, plan) -> dict:
        """Context for the plan's page and PDF, read from the plan's rows."""
        return {}

    def snapshot(self, plan) -> dict:
        """The part's rows as language-neutral values, for the adopted version (``plans.versions``)."""
        return {}

    def frozen_document(self, snapshot: dict) -> dict:
        """The same context read from an adopted version's snapshot (``plans.versions``)."""
        return {}

    def goals(self, goals: list, snapshot: dict | None = None) -> None:
        """Give each goal of a document what the part holds about it (an activity's app: the goal's
        measures), read from the rows, or from an adopted version's ``snapshot``."""

    def activity_costs(self, document: dict) -> dict:
        """What each activity of the document costs as the part's rows say, by the activity's number
        (or title, without one): the budget lines linked to it."""
        return {}

    def activity_cost_lines(self, activity) -> list:
        """The rows of the part that pay for ``activity``, as (text, amount) for its page."""
        return []

    def organisation_share(self, plan, organisation) -> list | None:
        """``organisation``'s amount per year as (year, amount) by the part's rows, or None."""
        return None

    def page(self, request, plan, document: dict) -> dict:
        """What the plan's page adds to the document for this request (tables filtered, paged)."""
        return {}

    def progress(self, plans: list) -> dict:
        """How each plan is going by the part's live rows, as {plan's pk: {figure: value}} (see
        ``plans.progress``): for a plan's overview and a cooperation's plans over the years."""
        return {}

    def live_stamp(self, plan) -> str:
        """What changes the part's live rows shown with an adopted version's document (which never
        changes itself), as a short string; part of the key the rendered body is kept under."""
        return ""

    def copy(self, *, source, target, goals: dict, next_period: bool) -> None:
        """Copy the part of ``source`` into ``target``: the next period's plan, else a revision.
        ``goals`` maps each goal of ``source`` (by id) to its copy in ``target``."""

    def texts_to_review(self, plan) -> list:
        """The part's rows of ``plan`` copied from the previous plan and not reviewed since
        (``plans.models.CopiedText``), in the plan's order."""
        return []

    def history(self, plan) -> list:
        """Querysets of historical records of the part's rows, for the plan's history page."""
        return []

    def due(self, plans, *, today, within) -> list:
        """What is due in the part's rows of ``plans`` (adopted plans a user coordinates) within
        ``within`` of ``today``, or late: ``plans.due.DueGroup`` objects (or None for an empty one)."""
        return []

    def start_page(self, user) -> dict:
        """Context for the signed-in ``user``'s start page: the part's own small block, if any."""
        return {}

    # The yearly follow-up report. A section is shown from values alone, so a draft report (values
    # read now) and a frozen one (values from its snapshot, never changed) are shown by the same code.

    report_key = ""  # the section's key in a report's snapshot; empty: the part adds no section

    def report_missing(self, plan, year: int) -> str:
        """Why a report of ``plan`` for ``year`` cannot be compiled yet, saying what to do; "" if it can."""
        return ""

    def report_values(self, plan, year: int) -> dict:
        """The part's section of the report for ``year``: language-neutral values (codes, numbers as
        strings, texts as written), which a frozen report keeps as they are."""
        return {}

    def report_section(self, values: dict) -> ReportSection | None:
        """The section as shown, read from ``values`` (what ``report_values`` gave); None: nothing to show."""
        return None


PARTS: list[PlanPart] = []


def register(part: PlanPart) -> None:
    PARTS.append(part)


def activity_costs(document: dict) -> dict:
    costs: dict = {}
    for part in PARTS:
        for key, amount in part.activity_costs(document).items():
            costs[key] = costs.get(key, 0) + amount
    return costs


def activity_cost_lines(activity) -> list:
    return [line for part in PARTS for line in part.activity_cost_lines(activity)]


def progress(plans: list) -> dict:
    """Every part's figures of each plan's progress, by the plan's pk."""
    figures: dict = {plan.pk: {} for plan in plans}
    for part in PARTS:
        for pk, values in part.progress(plans).items():
            figures[pk] |= values
    return figures


def live_stamp(plan) -> str:
    return "-".join(part.live_stamp(plan) for part in PARTS)


def organisation_share(plan, organisation) -> list | None:
    for part in PARTS:
        if (share := part.organisation_share(plan, organisation)) is not None:
            return share
    return None


def start_page(user) -> dict:
    context: dict = {}
    for part in PARTS:
        context |= part.start_page(user)
    return context


def report_missing(plan, year: int) -> list[str]:
    return [reason for part in PARTS if (reason := part.report_missing(plan, year))]


def report_values(plan, year: int) -> dict:
    return {part.report_key: part.report_values(plan, year) for part in PARTS if part.report_key}


def report_sections(values: dict) -> list[ReportSection]:
    """The sections of a report, in the parts' order, from its values (a part whose values are
    missing, say one registered after the report was frozen, shows nothing)."""
    sections = []
    for part in PARTS:
        if part.report_key and part.report_key in values:
            if (section := part.report_section(values[part.report_key])) is not None:
                sections.append(section)
    return sections
