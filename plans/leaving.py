"""What a member leaving a cooperation means for the cooperation's plans (``governance.leaving``)."""

from django.utils.translation import gettext as _

from governance.leaving import plan_titles

from .models import ActionPlan, AdoptionStep


def unfinished(cooperation):
    """The cooperation's plans not yet adopted: drafts and plans out for adoption."""
    return ActionPlan.objects.filter(cooperation=cooperation).exclude(status__in=ActionPlan.PUBLIC_STATUSES)


def plans_affected(cooperation, leaving):
    for organisation in leaving:
        local = ActionPlan.objects.filter(cooperation=cooperation, municipality=organisation).order_by("title")
        if local:
            yield (
                organisation,
                _(
                    "Its local plan %(plans)s is kept, but no longer shown among the municipalities' choices on the "
                    "template."
                )
                % {"plans": plan_titles(local)},
            )
        deciding = unfinished(cooperation).filter(municipalities_to_decide=organisation).order_by("title")
        if deciding:
            yield (
                organisation,
                _("It is among the municipalities asked to decide on %(plans)s, not yet adopted.")
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
                _("Its body %(body)s is on the adoption route of “%(plan)s”, not yet adopted.")
                % {"body": step.body.display_name, "plan": step.plan.title},
            )
