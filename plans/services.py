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


# What a copy of a plan (the next period's, or a revision) never takes over from a row, by model,
# besides its id and its edit version: every other concrete field is copied as it is, so a field
# added later is copied unless it is named here (tests/plans/test_copying.py holds every copy to it).
NOT_COPIED = {
    "plans.ActionPlan": {
        "status": "a copy starts as a draft",
        "created_at": "set when the copy is made",
        "updated_at": "set when the copy is made",
        "revision_of": "set for a revision only",
        "revision_reason": "given for a revision",
        "returned_reason": "the copy has not been returned",
    },
    "plans.Section": {"plan": "the copy's plan"},
    "plans.Goal": {"plan": "the copy's plan"},
    "activities.Activity": {"plan": "the copy's plan"},
    "activities.ActivityReference": {"activity": "the copied activity"},
    "activities.EffortShare": {"activity": "the copied activity"},
    "finance.BudgetEntry": {"plan": "the copy's plan"},
    "finance.CostSharingKey": {"plan": "the copy's plan"},
}
# An activity's many-to-many links, each carried over by ``copy_plan_content``.
ACTIVITY_LINKS = ("lika_indicators", "goals")


def copied_values(row, **overrides) -> dict:
    """``row``'s own values (foreign keys by id) for a copy of it, less what ``NOT_COPIED`` names."""
    skipped = {"id", "version", *NOT_COPIED[row._meta.label]}
    values = {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields if f.name not in skipped}
    return values | overrides


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
        **copied_values(
            plan,
            title=next_period_title(plan, first, last),
            first_year=first,
            last_year=last,
            previous_plan_id=plan.pk,
        )
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
    revision = ActionPlan.objects.create(**copied_values(plan, revision_of_id=plan.pk, revision_reason=reason.strip()))
    activities = plan.activities.prefetch_related("lika_indicators", "goals", "references", "effort_shares")
    copy_plan_content(source=plan, target=revision, activities=activities, continuing=False)
    copy_cost_keys(source=plan, target=revision, all_years_only=False)
    for entry in plan.budget_entries.all():
        BudgetEntry.objects.create(**copied_values(entry, plan_id=revision.pk))
    return revision


def copy_plan_content(*, source: ActionPlan, target: ActionPlan, activities, continuing: bool) -> None:
    """Sections, goals and ``activities`` of ``source`` into ``target``.

    ``continuing``: the copies continue the originals in the target's period, as planned activities
    (a next-period plan); otherwise they are the same activities, as they were (a revision).
    """
    from activities.models import Activity, ActivityReference, EffortShare

    for section in source.sections.all():
        Section.objects.create(**copied_values(section, plan_id=target.pk))
    goals = {goal.pk: Goal.objects.create(**copied_values(goal, plan_id=target.pk)) for goal in source.goals.all()}
    for activity in activities:
        anew = {}
        if continuing:
            dated = bool(activity.start_year or activity.end_year)
            anew = {
                "start_year": target.first_year if dated else None,
                "end_year": target.last_year if dated else None,
                "period_note": "" if dated else activity.period_note,
                "status": Activity.Status.PLANNED,
                "continues_id": activity.pk,
            }
        copy = Activity.objects.create(**copied_values(activity, plan_id=target.pk, **anew))
        copy.lika_indicators.set(activity.lika_indicators.all())
        copy.goals.set([goals[goal.pk] for goal in activity.goals.all() if goal.pk in goals])
        for reference in activity.references.all():
            ActivityReference.objects.create(**copied_values(reference, activity_id=copy.pk))
        for share in activity.effort_shares.all():
            EffortShare.objects.create(**copied_values(share, activity_id=copy.pk))


def copy_cost_keys(*, source: ActionPlan, target: ActionPlan, all_years_only: bool) -> None:
    keys = source.cost_keys.filter(year=None) if all_years_only else source.cost_keys.all()
    for key in keys:
        type(key).objects.create(**copied_values(key, plan_id=target.pk))


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
