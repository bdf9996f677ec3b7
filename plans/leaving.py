"""What a member leaving a cooperation means for the cooperation's plans (``governance.leaving``)."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from governance.leaving import plan_titles

from .models import ActionPlan, AdoptionStep


def unfinished(cooperation):
    """The cooperation's plans not yet adopted: drafts and plans out for adoption."""
    return ActionPlan.objects.filter(cooperation=cooperation).exclude(status__in=ActionPlan.PUBLIC_STATUSES)


def plans_affected(cooperation, leaving):
    for organisation in leaving:
        local = list(ActionPlan.objects.filter(cooperation=cooperation, municipality=organisation).order_by("title"))
        if local:
            yield (
                organisation,
                ngettext(
                    "Its local plan %(plans)s is kept, but no longer shown among the municipalities' choices "
                    "on the template.",
                    "Its local plans %(plans)s are kept, but no longer shown among the municipalities' choices "
                    "on the template.",
                    len(local),
                )
                % {"plans": plan_titles(local)},
            )
        deciding = list(unfinished(cooperation).filter(municipalities_to_decide=organisation).order_by("title"))
        if deciding:
            yield (
                organisation,
                ngettext(
                    "It is one of the municipalities to decide on %(plans)s, which is not yet adopted.",
                    "It is one of the municipalities to decide on %(plans)s, which are not yet adopted.",
                    len(deciding),
                )
                % {"plans": plan_titles(deciding)},
            )
        steps = (
            AdoptionStep.objects.filter(plan__in=unfinished(cooperation), body__organisation=organisation)
            .select_related("plan", "body")
            .order_by("plan__title", "order")
        )
        for step in steps:
            yield (
                organisation,
                _("Its body %(body)s is on the adoption route of “%(plan)s”, which is not yet adopted.")
                % {"body": step.body.display_name, "plan": step.plan.title},
            )
