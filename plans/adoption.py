"""Adoption: sending a plan for adoption, recording decisions, freezing the adopted version.

Each is one transaction, validated here whatever view or command calls it.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from ehalsa.history import save_time
from governance.access import can_record_decision_for
from governance.models import Body, Decision, Organisation

from .models import ActionPlan, AdoptionStep, PlanVersion
from .tasks import pdf_request
from .versions import snapshot_of

# A body of the route that decides one of these sends the plan back to draft.
SENDS_BACK = {Decision.Kind.RETURN, Decision.Kind.REJECT}
# What makes a repeated post the same decision as the one already recorded (beyond body, meeting, kind).
SAME_DECISION = ("paragraph", "diary_number", "forwarded_to_id", "title", "background", "text", "recipients")


@transaction.atomic
def plan_send_for_adoption(*, plan: ActionPlan, bodies: list[Body], municipalities: list[Organisation]) -> None:
    """The route through the cooperation's bodies, in order, and the municipalities that must decide."""
    plan = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != ActionPlan.Status.DRAFT:
        raise ValidationError(_("Only a draft can be sent for adoption."))
    if not bodies:
        raise ValidationError(_("Choose at least one body to adopt the plan."))
    foreign = [body for body in bodies if not plan.is_route_body(body)]
    if foreign and plan.is_local:
        raise ValidationError(
            _("%(body)s is not a body of %(municipality)s.") % {"body": foreign[0], "municipality": plan.municipality}
        )
    if foreign:
        raise ValidationError(_("%(body)s is not a body of the plan's cooperation.") % {"body": foreign[0]})
    if plan.is_local and municipalities:
        raise ValidationError(_("A local plan is decided by the municipality's own bodies only."))
    members = set(plan.cooperation.members.municipalities().values_list("pk", flat=True))
    outsiders = [m for m in municipalities if m.pk not in members]
    if outsiders:
        raise ValidationError(_("%(name)s is not a member of the cooperation.") % {"name": outsiders[0]})
    plan.adoption_steps.all().delete()
    steps = [AdoptionStep(plan=plan, order=n, body=body) for n, body in enumerate(bodies, 1)]
    # In the history like every change a page shows, dated with the rest of the request (one save).
    bulk_create_with_history(steps, AdoptionStep, default_date=save_time())
    plan.municipalities_to_decide.set(municipalities)
    plan.status = ActionPlan.Status.OUT_FOR_ADOPTION
    plan.returned_reason = ""
    plan.save()


def previous_route(plan: ActionPlan) -> tuple[ActionPlan | None, list[Body]]:
    """The plan before ``plan`` (the adopted plan a revision revises, else the previous period's) and
    the route it took through bodies ``plan``'s route may take, in order: what its form offers."""
    before = plan.revision_of or plan.previous_plan
    if before is None:
        return None, []
    bodies = [step.body for step in before.adoption_steps.select_related("body") if plan.is_route_body(step.body)]
    return (before, bodies) if bodies else (None, [])


@transaction.atomic
def decision_record(*, plan: ActionPlan, user, **fields) -> tuple[Decision, bool]:
    """Record a body's decision on a plan, with its effect on the plan; ``(decision, created)``.

    - a route body that refers the plan back or rejects it returns it to draft, with the reason;
    - the route's final body adopting it freezes the adopted version and adopts the plan;
    - municipalities decide on the plan once it is out for adoption or adopted, which never
      changes the plan; the cooperation's bodies are done with an adopted plan (a change to it is a
      revision, which goes through adoption again).

    The same decision posted twice (a double click, a repeated request) is stored once: a body
    decides once of each kind on a plan at a meeting. The plan's row is locked first, so decisions
    on one plan are taken one at a time.
    """
    plan = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    decision = Decision(plan=plan, recorded_by=user, **fields)
    body = decision.body
    if not can_record_decision_for(user, body):
        raise ValidationError({"body": _("You can only record decisions for the bodies of your own organisation.")})
    earlier = Decision.objects.filter(
        plan=plan, body=body, meeting_date=decision.meeting_date, kind=decision.kind
    ).first()
    if earlier:
        if all(getattr(earlier, name) == getattr(decision, name) for name in SAME_DECISION):
            return earlier, False
        raise ValidationError(
            _(
                "%(body)s already has a decision of that kind from the meeting on %(date)s on this plan. "
                "Open it to read it; a decision that was minuted differently is corrected in the protocol."
            )
            % {"body": body.display_name, "date": f"{decision.meeting_date:%Y-%m-%d}"}
        )
    errors = {}
    today = timezone.localdate()
    if decision.meeting_date and decision.meeting_date > today:
        errors["meeting_date"] = _("The meeting date cannot be in the future.")
    # The bodies that own the plan's adoption: the cooperation's, or a local plan's municipality's.
    owners_body = plan.is_route_body(body) if plan.is_local else bool(body.cooperation_id)
    if (plan.status == ActionPlan.Status.ADOPTED and owners_body) or plan.status not in (
        ActionPlan.Status.OUT_FOR_ADOPTION,
        ActionPlan.Status.ADOPTED,
    ):
        errors["__all__"] = why_no_decisions(plan)
    route = list(plan.adoption_steps.select_related("body"))
    on_route = plan.status == ActionPlan.Status.OUT_FOR_ADOPTION and any(step.body_id == body.pk for step in route)
    if owners_body and not on_route and "__all__" not in errors:
        errors["body"] = _("The body is not on the plan's adoption route.")
    if plan.is_local and not owners_body:
        errors["body"] = _("A local plan is decided by the municipality's own bodies only.")
    if on_route and decision.meeting_date and "meeting_date" not in errors:
        if problem := out_of_route_order(plan, route, body, decision.meeting_date):
            errors["meeting_date"] = problem
    if (
        body.organisation_id
        and not owners_body
        and not plan.municipalities_to_decide.filter(pk=body.organisation_id).exists()
    ):
        if not plan.cooperation.members.filter(pk=body.organisation_id).exists():
            errors["body"] = _("The body's organisation is not a member of the plan's cooperation.")
    if errors:
        raise ValidationError(errors)
    decision.full_clean()
    decision.save()
    if on_route and decision.kind in SENDS_BACK:
        plan.status = ActionPlan.Status.DRAFT
        plan.returned_reason = f"{body.display_name} {decision.meeting_date:%Y-%m-%d}: {decision.text}"
        plan.save()
    elif on_route and decision.kind == Decision.Kind.ADOPT and route[-1].body_id == body.pk:
        plan_freeze(plan=plan, decision=decision)
    return decision, True


def out_of_route_order(plan: ActionPlan, route: list[AdoptionStep], body: Body, meeting_date) -> str | None:
    """Why a route body's decision at ``meeting_date`` breaks the route's order, or None.

    The bodies decide in the route's order: a body meets on the plan no earlier than the bodies
    before it on the route, and no later than those after it, of the decisions recorded in this
    round (since the plan was last referred back). The dates are what counts, not the order the
    decisions were entered in: a plan adopted years ago is registered with its real meetings, in
    any order."""
    decisions = Decision.objects.filter(plan=plan, body__in=plan.route_bodies())
    sent_back = decisions.filter(kind__in=SENDS_BACK).order_by("-meeting_date").values_list("meeting_date", flat=True)
    round_start = sent_back.first()
    if round_start:
        decisions = decisions.filter(meeting_date__gt=round_start)
    position = {step.body_id: step.order for step in route}
    here = position[body.pk]
    others = [d for d in decisions.exclude(kind__in=SENDS_BACK).select_related("body") if d.body_id in position]
    later_before = [d for d in others if position[d.body_id] < here and d.meeting_date > meeting_date]
    earlier_after = [d for d in others if position[d.body_id] > here and d.meeting_date < meeting_date]
    if later_before:
        other = max(later_before, key=lambda d: d.meeting_date)  # the nearest conflict names the date to go by
        return _(
            "%(body)s comes before this body on the adoption route and decided on %(date)s: "
            "the meeting date cannot be earlier."
        ) % {"body": other.body.display_name, "date": f"{other.meeting_date:%Y-%m-%d}"}
    if earlier_after:
        other = min(earlier_after, key=lambda d: d.meeting_date)
        return _(
            "%(body)s comes after this body on the adoption route and decided on %(date)s: "
            "the meeting date cannot be later."
        ) % {"body": other.body.display_name, "date": f"{other.meeting_date:%Y-%m-%d}"}
    return None


def registered_afterwards(plan: ActionPlan) -> dict | None:
    """When a plan was adopted before it was entered here: its adoption, when it was entered, and
    who registered the adoption (shown on the plan: "registrerad i efterhand")."""
    versions = plan.versions.select_related("decision__recorded_by").defer("snapshot")  # the header reads no document
    version = versions.order_by("number").first()
    if version is None or version.adopted_on >= timezone.localtime(plan.created_at).date():
        return None
    by = version.decision.recorded_by if version.decision_id else None
    return {
        "adopted_on": version.adopted_on,
        "entered_on": timezone.localtime(plan.created_at).date(),
        "by": (by.get_full_name() or by.get_username()) if by else "",
    }


def why_no_decisions(plan: ActionPlan) -> str:
    """Why the cooperation's bodies (adopted plan) or every body (draft, superseded) may not decide now."""
    if plan.status == ActionPlan.Status.ADOPTED:
        return _(
            "The plan is adopted and changes only through a revision. The cooperation's bodies no longer "
            "decide on it; start a revision to change it."
        )
    return _("Decisions are recorded on plans that are out for adoption or adopted.")


def plan_freeze(*, plan: ActionPlan, decision: Decision, store_pdf: bool = True) -> PlanVersion:
    """Store the adopted content as a version that never changes, and adopt the plan.

    The version's PDF is queued with it: once that is committed, a worker renders and stores it, so
    downloads only read it. A failed rendering does not undo the adoption: it is tried again, and
    the coordinator sees why it failed and can ask again (``plans.tasks``).
    """
    # Versions are numbered through the plan and every plan it revises, however many revisions back.
    earlier, revised = [plan.pk], plan.revision_of
    while revised is not None:
        earlier.append(revised.pk)
        revised = revised.revision_of
    number = (PlanVersion.objects.filter(plan__in=earlier).aggregate(highest=Max("number"))["highest"] or 0) + 1
    adopted_on = decision.meeting_date
    snapshot = snapshot_of(plan, adopted_on=adopted_on)
    version = PlanVersion.objects.create(
        plan=plan, number=number, adopted_on=adopted_on, decision=decision, snapshot=snapshot
    )
    plan.status = ActionPlan.Status.ADOPTED
    plan.save()
    if plan.revision_of_id:
        replaced = plan.revision_of
        replaced.status = ActionPlan.Status.SUPERSEDED
        replaced.save()
    if store_pdf:
        pdf_request(plan=plan)
    return version
