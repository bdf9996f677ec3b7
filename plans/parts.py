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

    def page(self, request, plan, document: dict) -> dict:
        """What the plan's page adds to the document for this request (tables filtered, paged)."""
        return {}

    def copy(self, *, source, target, goals: dict, next_period: bool) -> None:
        """Copy the part of ``source`` into ``target``: the next period's plan, else a revision.
        ``goals`` maps each goal of ``source`` (by id) to its copy in ``target``."""

    def history(self, plan) -> list:
        """Querysets of historical records of the part's rows, for the plan's history page."""
        return []


PARTS: list[PlanPart] = []


def register(part: PlanPart) -> None:
    PARTS.append(part)
