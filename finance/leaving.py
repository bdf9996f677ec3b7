"""What a member leaving a cooperation means for the budgets of its unfinished plans
(``governance.leaving``). Adopted plans divide their costs among the members they were adopted with."""

from django.db.models import Q
from django.utils.translation import gettext as _

from governance.leaving import plan_titles
from plans.leaving import unfinished

from .models import FinancingParty, MunicipalAmount


def budgets_affected(cooperation, leaving):
    plans = unfinished(cooperation)
    for organisation in leaving:
        named = plans.filter(
            Q(pk__in=FinancingParty.objects.filter(organisation=organisation).values("plan"))
            | Q(pk__in=FinancingParty.objects.filter(municipalities=organisation).values("plan"))
            | Q(pk__in=MunicipalAmount.objects.filter(organisation=organisation).values("key__plan"))
        ).order_by("title")
        if named:
            yield (
                organisation,
                _("The budget of %(plans)s names it; the budget keeps it until the plan's coordinator changes it.")
                % {"plans": plan_titles(named)},
            )
        if organisation.kind == organisation.Kind.MUNICIPALITY:
            shared = (
                plans.filter(parties__is_municipalities=True, budget_entries__isnull=False)
                .exclude(pk__in=named.values("pk"))
                .distinct()
                .order_by("title")
            )
            if shared:
                yield (
                    organisation,
                    _("The municipalities' share of %(plans)s is then divided among the other member municipalities.")
                    % {"plans": plan_titles(shared)},
                )
