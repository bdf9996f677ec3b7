"""What a plan consists of, read once: fed to the plan page and to the PDF alike.

A draft's document is read from its rows (``plan_document``). An adopted version's document is read
from its snapshot (``frozen_document``), so the page, the PDF and what was adopted are one thing:
a decision recorded later, a renamed area or a follow-up written afterwards never enters it. The
snapshot's rows come back as unsaved model instances (``rebuilt``), so the document is computed
(timeline, budget, effort) and shown by the same code and templates as a draft's.

The plan's own parts (sections, goals, decisions) are read here; activities and budget are read by
the parts their apps register (``plans.parts``).
"""

from governance.models import Body, Cooperation, Decision, Organisation

from .models import ActionPlan, Goal, Section
from .parts import PARTS


def plan_document(plan) -> dict:
    """Sections, goals, activities, follow-up, timeline, budget, effort and adoption of ``plan``."""
    goals = list(plan.goals.all())
    for part in PARTS:
        part.goals(goals)
    document = {
        "sections": plan.sections.all(),
        "goals": goals,
        "decisions": Decision.objects.filter(plan=plan).select_related(
            "body", "body__organisation", "body__cooperation"
        ),
    }
    for part in PARTS:
        document |= part.document(plan)
    return document


def frozen_document(version) -> dict | None:
    """The document of an adopted version, from its snapshot alone (``plan_document``'s keys, and
    ``plan``: the plan as adopted). None for versions frozen before the snapshot held the whole
    document (format 3); their plans are fixed, so their rows still say what was adopted."""
    snapshot = version.snapshot
    if snapshot.get("format", 1) < 3:
        return None
    plan = rebuilt(ActionPlan, snapshot["plan"], status=ActionPlan.Status.ADOPTED)
    plan.cooperation = Cooperation(name=snapshot["cooperation"])
    decisions = [frozen_decision(values) for values in snapshot["decisions"]]
    goals = [rebuilt(Goal, values) for values in snapshot["goals"]]
    for part in PARTS:
        part.goals(goals, snapshot)
    document = {
        "plan": plan,
        "sections": [rebuilt(Section, values) for values in snapshot["sections"]],
        "goals": goals,
        "decisions": decisions,
        "adopted_by": next((d for d in decisions if d.pk == version.decision_id), None),
    }
    for part in PARTS:
        document |= part.frozen_document(snapshot)
    return document


def rebuilt(model, values: dict, **extra):
    """An unsaved ``model`` instance holding ``values`` (a snapshot row); relations are set apart."""
    fields = [field for field in model._meta.concrete_fields if not field.is_relation and field.name in values]
    instance = model(**{field.attname: field.to_python(values[field.name]) for field in fields}, **extra)
    instance._state.adding = False  # it stands for a row that exists, or existed when frozen
    return instance


def with_rows(instance, name: str, model, rows: list):
    """``instance.<name>.all()`` answers ``rows`` without asking the database (as a prefetch would)."""
    queryset = model.objects.none()
    queryset._result_cache, queryset._prefetch_done = rows, True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[name] = queryset
    return instance


def frozen_decision(values: dict) -> Decision:
    decision = rebuilt(Decision, values)
    organisation = Organisation(name=values["organisation_name"]) if values["organisation_name"] else None
    decision.body = Body(name=values["body_name"], short_name=values["body"], organisation=organisation)
    return decision
