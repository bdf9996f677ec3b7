"""State changes of plans that touch several rows and must happen completely or not at all."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from .models import ActionPlan, Goal, Section, ensure_plan_editable


def next_order(queryset) -> int:
    return (queryset.aggregate(highest=Max("order"))["highest"] or 0) + 1


@transaction.atomic
def move(item, *, up: bool) -> None:
    """Swap an ordered row (section, goal, activity) with its neighbour above or below.

    The plan's rows are numbered 1…n first, so that equal or missing orders never block a move.
    """
    siblings = list(type(item).objects.select_for_update().filter(plan=item.plan_id).order_by("order", "pk"))
    for position, sibling in enumerate(siblings, start=1):
        if sibling.order != position:
            sibling.order = position
            sibling.save(update_fields=["order"])
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == item.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(siblings):
        a, b = siblings[index], siblings[other]
        a.order, b.order = b.order, a.order
        a.save(update_fields=["order"])
        b.save(update_fields=["order"])


def next_period_title(plan: ActionPlan, first_year: int, last_year: int) -> str:
    """The title with the period replaced: "… 2016-2017" → "… 2018-2019"."""
    new_period = f"{first_year}-{last_year}" if first_year != last_year else str(first_year)
    pattern = (
        rf"{plan.first_year}\s*[-–]\s*{plan.last_year}"
        if plan.first_year != plan.last_year
        else rf"\b{plan.first_year}\b"
    )
    title, replaced = re.subn(pattern, new_period, plan.title)
    return title if replaced else f"{plan.title} {new_period}"


@transaction.atomic
def plan_create_next_period(*, plan: ActionPlan, user) -> ActionPlan:
    """A draft for the following period: sections and goals copied, every activity not completed
    carried over and linked to its origin; the new plan follows this one up."""
    from activities.models import Activity, ActivityReference, EffortShare
    from finance.models import CostSharingKey

    if plan.next_plans.exists():
        raise ValidationError(
            _("A plan for the next period already exists: %(title)s.") % {"title": plan.next_plans.first().title}
        )
    length = plan.last_year - plan.first_year + 1
    first, last = plan.last_year + 1, plan.last_year + length
    new_plan = ActionPlan.objects.create(
        cooperation=plan.cooperation,
        title=next_period_title(plan, first, last),
        subtitle="",
        first_year=first,
        last_year=last,
        status=ActionPlan.Status.DRAFT,
        previous_plan=plan,
    )
    for section in plan.sections.all():
        Section.objects.create(
            plan=new_plan, order=section.order, level=section.level, heading=section.heading, body=section.body
        )
    goals = {}
    for goal in plan.goals.all():
        goals[goal.pk] = Goal.objects.create(
            plan=new_plan, order=goal.order, title=goal.title, description=goal.description
        )
    for key in plan.cost_keys.filter(year=None):  # the key for all years is the cooperation's practice
        CostSharingKey.objects.create(
            plan=new_plan,
            region_percent=key.region_percent,
            municipalities_percent=key.municipalities_percent,
            municipal_split=key.municipal_split,
            population_date=key.population_date,
        )
    activities = plan.activities.prefetch_related(
        "lika_indicators", "goals", "references", "effort_shares", "follow_ups"
    )
    # Whether an activity is done is what its latest follow-up says, else its own status.
    carried = [activity for activity in activities if not activity.is_finished]
    for activity in carried:
        dated = bool(activity.start_year or activity.end_year)
        copy = Activity.objects.create(
            plan=new_plan,
            order=activity.order,
            number=activity.number,
            area=activity.area,
            title=activity.title,
            content=activity.content,
            benefit=activity.benefit,
            owner=activity.owner,
            effect_goal=activity.effect_goal,
            effort_hours=activity.effort_hours,
            effort_basis=activity.effort_basis,
            effort_note=activity.effort_note,
            start_year=first if dated else None,
            end_year=last if dated else None,
            period_note="" if dated else activity.period_note,
            regional_support=activity.regional_support,
            regional_role=activity.regional_role,
            whole_municipality=activity.whole_municipality,
            status=Activity.Status.PLANNED,
            continues=activity,
        )
        copy.lika_indicators.set(activity.lika_indicators.all())
        copy.goals.set([goals[goal.pk] for goal in activity.goals.all() if goal.pk in goals])
        for reference in activity.references.all():
            ActivityReference.objects.create(
                activity=copy,
                framework_id=reference.framework_id,
                area_id=reference.area_id,
                text=reference.text,
                page=reference.page,
            )
        for share in activity.effort_shares.all():
            EffortShare.objects.create(
                activity=copy,
                organisation_id=share.organisation_id,
                party=share.party,
                hours=share.hours,
                note=share.note,
            )
    return new_plan


@transaction.atomic
def renumber_activities(*, plan: ActionPlan) -> None:
    """Number the plan's activities 1, 2, 3 … in their order (numbers are unique within a plan)."""
    ensure_plan_editable(plan)
    activities = list(plan.activities.select_for_update().order_by("order", "pk"))
    for activity in activities:  # first out of the way, so no two ever share a number
        activity.number = f"~{activity.pk}"
        activity.save(update_fields=["number"])
    for position, activity in enumerate(activities, start=1):
        activity.number, activity.order, activity.version = str(position), position, activity.version + 1
        activity.save(update_fields=["number", "order", "version"])
