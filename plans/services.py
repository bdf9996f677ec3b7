"""State changes of plans that touch several rows and must happen completely or not at all."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from .models import ActionPlan, CopiedText, Goal, PlanVersion, Section
from .parts import PARTS


def next_order(queryset) -> int:
    return (queryset.aggregate(highest=Max("order"))["highest"] or 0) + 1


def moves(index: int, count: int) -> tuple[str, ...]:
    """The ways ("up", "down") the row at ``index`` of ``count`` rows in order can move: the first
    never up, the last never down. ``move`` refuses any other; the page offers only these."""
    return tuple(direction for direction, possible in (("up", index > 0), ("down", index < count - 1)) if possible)


def with_moves(rows) -> list:
    """The plan's rows of one kind, in order (``order``, ``pk``, as ``move`` reads them), each with
    ``moves``: the buttons its controls show."""
    rows = list(rows)
    for index, row in enumerate(rows):
        row.moves = moves(index, len(rows))
    return rows


@transaction.atomic
def move(item, *, up: bool) -> None:
    """Swap an ordered row (section, goal, activity) with its neighbour above or below.

    The plan's rows are numbered 1…n first, so that equal or missing orders never block a move.
    The first row cannot move up, nor the last down (``moves``).
    """
    siblings = list(type(item).objects.select_for_update().filter(plan=item.plan_id).order_by("order", "pk"))
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == item.pk)
    if ("up" if up else "down") not in moves(index, len(siblings)):
        raise ValidationError(_("It is already first.") if up else _("It is already last."))
    for position, sibling in enumerate(siblings, start=1):
        if sibling.order != position:
            sibling.order = position
            sibling.save(update_fields=["order"])
    a, b = siblings[index], siblings[index - 1 if up else index + 1]
    a.order, b.order = b.order, a.order
    a.save(update_fields=["order"])
    b.save(update_fields=["order"])


def period_pattern(plan: ActionPlan) -> str:
    """A regular expression for ``plan``'s period as texts write it: "2016-2017", "2016 – 2017", "2016"."""
    if plan.first_year != plan.last_year:
        return rf"{plan.first_year}\s*[-–]\s*{plan.last_year}"
    return rf"\b{plan.first_year}\b"


def next_period_title(plan: ActionPlan, first_year: int, last_year: int) -> str:
    """The title with the period replaced: "… 2016-2017" → "… 2018-2019"."""
    new_period = f"{first_year}-{last_year}" if first_year != last_year else str(first_year)
    title, replaced = re.subn(period_pattern(plan), new_period, plan.title)
    return title if replaced else f"{plan.title} {new_period}"


def names_previous_period(plan: ActionPlan, text: str) -> bool:
    """Whether ``text`` of ``plan`` still names the period of the plan before it ("… 2016-2017")."""
    return bool(plan.previous_plan_id and re.search(period_pattern(plan.previous_plan), text))


def texts_to_review(plan: ActionPlan) -> list:
    """The sections, goals and the parts' rows (activities: ``PlanPart.texts_to_review``) copied from
    the previous plan that nobody has reviewed since, in the plan's order. Each says what it is
    (``kind``), where its editors find it (``link``) and whether it still names the previous plan's
    period (``names_old_period``)."""
    texts = [*plan.sections.filter(to_review=True), *plan.goals.filter(to_review=True)]
    texts += [text for part in PARTS for text in part.texts_to_review(plan)]
    for text in texts:
        text.names_old_period = names_previous_period(plan, text.review_words())
        text.anchor = f"{text._meta.model_name}-{text.pk}"  # where the plan's page shows it
        text.link = text.review_link()
        text.kind = str(text._meta.verbose_name_plural)
    return texts


def mark_reviewed(text: CopiedText) -> None:
    """A copied section, goal or activity its coordinator read and keeps as it stands."""
    text.to_review = False
    text.save(update_fields=["to_review"])


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
    "activities.Measure": {"goal": "the copied goal", "activity": "the copied activity"},
    "activities.MeasureTarget": {"measure": "the copied measure"},
    "activities.LocalChoice": {"plan": "the copy's plan"},
    "finance.BudgetEntry": {"plan": "the copy's plan"},
    "finance.CostSharingKey": {"plan": "the copy's plan"},
    "finance.FinancingParty": {"plan": "the copy's plan"},
    "finance.BudgetHeading": {"plan": "the copy's plan"},
}


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
            template_version_id=None,  # a local plan's next plan is the municipality's own, not the template's
        )
    )
    copy_plan_content(source=plan, target=new_plan, next_period=True)
    return new_plan


def template_family(template: ActionPlan) -> list[int]:
    """The ids of a template and every revision of it, before and after: one template over time."""
    root = template
    while root.revision_of_id:
        root = root.revision_of
    family, frontier = [root.pk], [root.pk]
    while frontier:
        frontier = list(ActionPlan.objects.filter(revision_of__in=frontier).values_list("pk", flat=True))
        family += frontier
    return family


def latest_template_version(template: ActionPlan) -> PlanVersion | None:
    """The latest adopted version of ``template`` or of any revision of it (without its snapshot): what
    local plans follow."""
    versions = PlanVersion.objects.filter(plan__in=template_family(template)).defer("snapshot")
    return versions.order_by("-number").first()


def local_plans_being_decided(template: ActionPlan):
    """The local plans of ``template`` (any of its revisions) that are out for adoption."""
    return ActionPlan.objects.filter(
        template_version__plan__in=template_family(template), status=ActionPlan.Status.OUT_FOR_ADOPTION
    ).select_related("municipality")


@transaction.atomic
def plan_start_revision(*, plan: ActionPlan, reason: str, user) -> ActionPlan:
    """A new draft version of an adopted plan, with all its content, to go through adoption again.

    A template is not revised while a municipality's local plan made from it is being decided: the
    municipality's bodies decide on the template as it stands."""
    plan = ActionPlan.objects.select_for_update().get(pk=plan.pk)  # one revision at a time, as above
    if plan.status != ActionPlan.Status.ADOPTED:
        raise ValidationError(_("Only an adopted plan can be revised."))
    if plan.is_template and (deciding := list(local_plans_being_decided(plan))):
        raise ValidationError(
            _(
                "The template cannot be revised while local plans made from it are being decided (%(names)s). "
                "Revise it once their bodies have decided."
            )
            % {"names": ", ".join(local.municipality.name for local in deciding)}
        )
    if not reason.strip():
        raise ValidationError(_("Give a reason for the revision."))
    if plan.revisions.filter(status__in=[ActionPlan.Status.DRAFT, ActionPlan.Status.OUT_FOR_ADOPTION]).exists():
        raise ValidationError(_("A revision of this plan is already under way."))
    revision = ActionPlan.objects.create(**copied_values(plan, revision_of_id=plan.pk, revision_reason=reason.strip()))
    copy_plan_content(source=plan, target=revision, next_period=False)
    return revision


def copy_plan_content(*, source: ActionPlan, target: ActionPlan, next_period: bool) -> None:
    """Sections and goals of ``source`` into ``target``, then every part the apps above plans own
    (activities, budget: ``plans.parts``): the next period's plan, else a revision."""
    # The next period's texts were written for the previous period: each is to be reviewed (a revision's
    # are the same period's, and stay as they were).
    review = {"to_review": True} if next_period else {}
    for section in source.sections.all():
        Section.objects.create(**copied_values(section, plan_id=target.pk, **review))
    goals = {
        goal.pk: Goal.objects.create(**copied_values(goal, plan_id=target.pk, **review)) for goal in source.goals.all()
    }
    for part in PARTS:
        part.copy(source=source, target=target, goals=goals, next_period=next_period)
