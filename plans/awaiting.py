"""What awaits each person on the start page: their own work, by their roles."""

from django.db.models import Q

from governance.models import Decision, Membership

from .models import ActionPlan
from .parts import organisation_share


def work_for(user) -> dict:
    if not user.is_authenticated:
        return {}
    memberships = list(user.memberships.select_related("organisation"))
    roles = {m.role for m in memberships}
    organisations = [m.organisation for m in memberships]
    work = {}
    if Membership.Role.COORDINATOR in roles or user.is_superuser:
        coordinated = (
            ActionPlan.objects.all()
            if user.is_superuser
            else ActionPlan.objects.filter(
                cooperation__members__in=[m.organisation for m in memberships if m.role == Membership.Role.COORDINATOR]
            )
        )
        coordinated = coordinated.distinct().select_related("cooperation")
        work["drafts"] = coordinated.filter(status=ActionPlan.Status.DRAFT)
        work["out_for_adoption"] = [
            open_steps(plan) for plan in coordinated.filter(status=ActionPlan.Status.OUT_FOR_ADOPTION)
        ]
    if roles & {Membership.Role.OFFICIAL, Membership.Role.SECRETARY}:
        deciding = [
            m.organisation for m in memberships if m.role in (Membership.Role.OFFICIAL, Membership.Role.SECRETARY)
        ]
        decided = Decision.objects.filter(body__organisation__in=deciding, kind=Decision.Kind.ADOPT).values("plan")
        work["awaiting_decision"] = with_shares(
            ActionPlan.objects.filter(
                status__in=[ActionPlan.Status.OUT_FOR_ADOPTION, ActionPlan.Status.ADOPTED],
                municipalities_to_decide__in=deciding,
            )
            .exclude(pk__in=decided)
            .distinct()
            .select_related("cooperation"),
            deciding,
        )
        work["recent_decisions"] = (
            Decision.objects.filter(body__organisation__in=deciding)
            .select_related("plan", "body")
            .order_by("-meeting_date", "-pk")[:10]
        )
    work["organisations"] = organisations
    return work


def with_shares(plans, organisations) -> list:
    """The plans, each with ``shares``: the reader's organisation and its amount per year (the
    parts' ``organisation_share``), or None where the plan's budget names no share of it."""
    plans = list(plans)
    for plan in plans:
        plan.shares = None
        for organisation in organisations:
            years = organisation_share(plan, organisation)
            if years:
                plan.shares = (organisation, years)
                break
    return plans


def open_steps(plan):
    """The plan with the route bodies and municipalities that have not yet decided."""
    decided_bodies = set(plan.decisions.values_list("body_id", flat=True))
    decided_organisations = set(
        plan.decisions.filter(~Q(body__organisation=None)).values_list("body__organisation_id", flat=True)
    )
    steps = [step.body for step in plan.adoption_steps.select_related("body") if step.body_id not in decided_bodies]
    municipalities = [m for m in plan.municipalities_to_decide.all() if m.pk not in decided_organisations]
    return {"plan": plan, "bodies": steps, "municipalities": municipalities}
