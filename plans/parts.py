"""The parts of a plan that the apps above plans own: activities, budget.

Apps depend one way, ``governance ← plans ← activities, finance``: plans imports neither. A plan's
document, the copies made of it (next period, revision) and its history still take in every part,
because each of those apps registers a ``PlanPart`` here when Django starts (``AppConfig.ready``),
in the order of ``INSTALLED_APPS``. Plans calls the parts; it never names them.
"""


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
