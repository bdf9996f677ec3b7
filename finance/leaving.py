"""What a member leaving a cooperation means for the budgets of its plans (``governance.leaving``).

An adopted plan divides its costs among the members it was adopted with (``sharing_municipalities``),
unless it was adopted before its version recorded them: then, as a draft's, among today's members."""

from django.db.models import Q
from django.utils.translation import ngettext

from governance.leaving import plan_titles
from plans.leaving import unfinished
from plans.models import ActionPlan

from .budget import recorded_members
from .models import FinancingParty, MunicipalAmount


def budgets_affected(cooperation, leaving):
    plans = unfinished(cooperation)
    # Adopted plans divide among the members they recorded; those that recorded none, among today's.
    public = shared_by_every_member(ActionPlan.objects.filter(cooperation=cooperation).public())
    unrecorded = [plan for plan in public if recorded_members(plan) is None]
    for organisation in leaving:
        named = plans.filter(
            Q(pk__in=FinancingParty.objects.filter(organisation=organisation).values("plan"))
            | Q(pk__in=FinancingParty.objects.filter(municipalities=organisation).values("plan"))
            | Q(pk__in=MunicipalAmount.objects.filter(organisation=organisation).values("key__plan"))
        ).order_by("title")
        if named:
            yield (
                organisation,
                ngettext(
                    "The budget of %(plans)s names it and keeps it until the plan's coordinator changes it.",
                    "The budgets of %(plans)s name it and keep it until the plans' coordinators change them.",
                    len(named),
                )
                % {"plans": plan_titles(named)},
            )
        if organisation.kind != organisation.Kind.MUNICIPALITY:
            continue
        shared = [
            *shared_by_every_member(plans.exclude(pk__in=named.values("pk"))),
            *unrecorded,
        ]
        if shared:
            yield (
                organisation,
                ngettext(
                    "The municipalities' part of the costs in %(plans)s is then divided among the other "
                    "member municipalities.",
                    "The municipalities' part of the costs in %(plans)s is then divided among the other "
                    "member municipalities.",
                    len(shared),
                )
                % {"plans": plan_titles(sorted(shared, key=lambda plan: plan.title))},
            )


def shared_by_every_member(plans):
    """Of ``plans``, those with costs whose municipalities' party stands for every member
    municipality (not for some named ones)."""
    return plans.filter(
        parties__is_municipalities=True, parties__municipalities__isnull=True, budget_entries__isnull=False
    ).distinct()
