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
    carried over and linked to its origin; the new plan follows this one up.

    The plan's row is locked first, so a second request (a double click) waits and then finds the
    new plan; the database allows one next plan per plan besides."""
    plan = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.next_plans.filter(revision_of=None).exists():
        raise ValidationError(
            _("A plan for the next period already exists: %(title)s.")
            % {"title": plan.next_plans.filter(revision_of=None).first().title}
        )
    length = plan.last_year - plan.first_year + 1
    first, last = plan.last_year + 1, plan.last_year + length
    new_plan = ActionPlan.objects.create(
        cooperation=plan.cooperation,
        title=next_period_title(plan, first, last),
        first_year=first,
        last_year=last,
        status=ActionPlan.Status.DRAFT,
        previous_plan=plan,
    )
    activities = plan.activities.prefetch_related(
        "lika_indicators", "goals", "references", "effort_shares", "follow_ups"
    )
    # Whether an activity is done is what its latest follow-up says, else its own status.
    carried = [activity for activity in activities if not activity.is_finished]
    copy_plan_content(source=plan, target=new_plan, activities=carried, continuing=True)
    copy_cost_keys(source=plan, target=new_plan, all_years_only=True)
    return new_plan


@transaction.atomic
def plan_start_revision(*, plan: ActionPlan, reason: str, user) -> ActionPlan:
    """A new draft version of an adopted plan, with all its content, to go through adoption again."""
    from finance.models import BudgetEntry

    plan = ActionPlan.objects.select_for_update().get(pk=plan.pk)  # one revision at a time, as above
    if plan.status != ActionPlan.Status.ADOPTED:
        raise ValidationError(_("Only an adopted plan can be revised."))
    if not reason.strip():
        raise ValidationError(_("Give a reason for the revision."))
    if plan.revisions.filter(status__in=[ActionPlan.Status.DRAFT, ActionPlan.Status.OUT_FOR_ADOPTION]).exists():
        raise ValidationError(_("A revision of this plan is already under way."))
    revision = ActionPlan.objects.create(
        cooperation=plan.cooperation,
        title=plan.title,
        subtitle=plan.subtitle,
        first_year=plan.first_year,
        last_year=plan.last_year,
        status=ActionPlan.Status.DRAFT,
        previous_plan=plan.previous_plan,
        revision_of=plan,
        revision_reason=reason.strip(),
    )
    activities = plan.activities.prefetch_related("lika_indicators", "goals", "references", "effort_shares")
    copy_plan_content(source=plan, target=revision, activities=activities, continuing=False)
    copy_cost_keys(source=plan, target=revision, all_years_only=False)
    for entry in plan.budget_entries.all():
        BudgetEntry.objects.create(
            plan=revision,
            **{name: getattr(entry, name) for name in BUDGET_FIELDS},
        )
    return revision


BUDGET_FIELDS = [
    "year",
    "order",
    "kind",
    "category",
    "description",
    "is_estimate",
    "start_date",
    "end_date",
    "amount",
    "attribution",
]
ACTIVITY_FIELDS = [
    "order",
    "number",
    "area_id",
    "title",
    "content",
    "benefit",
    "owner",
    "effect_goal",
    "effort_hours",
    "effort_basis",
    "effort_note",
    "regional_support",
    "regional_role",
    "whole_municipality",
]


def copy_plan_content(*, source: ActionPlan, target: ActionPlan, activities, continuing: bool) -> None:
    """Sections, goals and ``activities`` of ``source`` into ``target``.

    ``continuing``: the copies continue the originals in the target's period, as planned activities
    (a next-period plan); otherwise they are the same activities, as they were (a revision).
    """
    from activities.models import Activity, ActivityReference, EffortShare

    for section in source.sections.all():
        Section.objects.create(
            plan=target, order=section.order, level=section.level, heading=section.heading, body=section.body
        )
    goals = {
        goal.pk: Goal.objects.create(plan=target, order=goal.order, title=goal.title, description=goal.description)
        for goal in source.goals.all()
    }
    for activity in activities:
        fields = {name: getattr(activity, name) for name in ACTIVITY_FIELDS}
        dated = bool(activity.start_year or activity.end_year)
        if continuing:
            fields.update(
                start_year=target.first_year if dated else None,
                end_year=target.last_year if dated else None,
                period_note="" if dated else activity.period_note,
                status=Activity.Status.PLANNED,
                continues=activity,
            )
        else:
            fields.update(
                start_year=activity.start_year,
                end_year=activity.end_year,
                period_note=activity.period_note,
                status=activity.status,
                continues=activity.continues,
            )
        copy = Activity.objects.create(plan=target, **fields)
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


def copy_cost_keys(*, source: ActionPlan, target: ActionPlan, all_years_only: bool) -> None:
    from finance.models import CostSharingKey

    keys = source.cost_keys.filter(year=None) if all_years_only else source.cost_keys.all()
    for key in keys:
        CostSharingKey.objects.create(
            plan=target,
            year=key.year,
            region_percent=key.region_percent,
            municipalities_percent=key.municipalities_percent,
            municipal_split=key.municipal_split,
            population_date=key.population_date,
        )


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
