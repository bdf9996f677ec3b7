"""A municipality's local plan made from a regional template plan ("förslag"), and its choices.

The template is any plan marked ``is_template``; it is published to the member municipalities when
it is adopted. A municipality makes its local plan from the template's latest adopted version: the
template's content is copied by the plan parts (``plans.services.copy_plan_content``, the copier every
copy of a plan uses), then each template activity is taken as it is, taken with local changes (on the
local copy), or left out with a reason, and own activities are added. The choices are kept by the
activity's lineage, which every copy of an activity shares (revisions included), so they hold across
template revisions whatever the activities' numbers. A local plan never changes its template.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from governance.models import Organisation
from plans.models import ActionPlan, ensure_plan_editable
from plans.services import copied_values, copy_plan_content

from .local_models import LocalChoice
from .models import Activity
from .parts import copy_activity

# What a municipality may change on a template activity it takes with local changes.
LOCAL_CHANGES = ("owner", "effort_hours", "start_year", "end_year", "effect_goal")


@dataclass
class ActivityChoice:
    """What the local plan does with one template activity: ``choice`` (``LocalChoice.Choice``), the
    reason for leaving it out, a local note, and the local values of ``LOCAL_CHANGES`` it changes."""

    choice: str
    reason: str = ""
    note: str = ""
    changes: dict = field(default_factory=dict)


@dataclass
class OwnActivity:
    """An activity of the municipality's own, not in the template."""

    title: str
    area_id: int | None = None
    owner: str = ""
    effort_hours: Decimal | None = None
    start_year: int | None = None
    end_year: int | None = None
    effect_goal: str = ""


def template_label(activity) -> str:
    """A template activity as its choice names it: "14" or, without a number, its title."""
    return activity.number or activity.title


def check_template(template: ActionPlan, municipality: Organisation) -> None:
    if not template.is_template:
        raise ValidationError(_("%(title)s is not a template plan.") % {"title": template.title})
    if template.status != ActionPlan.Status.ADOPTED:
        raise ValidationError(
            _(
                "The template has not been published: a local plan is made from a template once its bodies "
                "have adopted it."
            )
        )
    if not template.cooperation.members.municipalities().filter(pk=municipality.pk).exists():
        raise ValidationError(
            _("%(municipality)s is not a member municipality of %(cooperation)s.")
            % {"municipality": municipality, "cooperation": template.cooperation}
        )
    existing = ActionPlan.objects.filter(
        municipality=municipality,
        cooperation=template.cooperation_id,
        first_year=template.first_year,
        last_year=template.last_year,
        revision_of=None,
    ).first()
    if existing:
        raise ValidationError(
            _("%(municipality)s already has a local plan for %(period)s: %(title)s.")
            % {"municipality": municipality, "period": template.period, "title": existing.title}
        )


def choice_errors(template: ActionPlan, activities: dict, choices: dict[str, ActivityChoice]) -> dict:
    """Why the choices cannot be taken, by the template activity's lineage (as a string; "<lineage>.reason"
    when the reason is missing)."""
    errors = {}
    for lineage in choices.keys() - activities.keys():
        errors[lineage] = _(
            "The template has no such activity: a deviation can only be made on one of the template's activities."
        )
    for lineage, activity in activities.items():
        choice = choices.get(lineage)
        if choice is None or choice.choice not in LocalChoice.Choice.values:
            errors[lineage] = _("Choose what the local plan does with activity %(activity)s.") % {
                "activity": template_label(activity)
            }
        elif choice.choice == LocalChoice.Choice.LEFT_OUT and not choice.reason.strip():
            errors[f"{lineage}.reason"] = _("Say why activity %(activity)s is left out.") % {
                "activity": template_label(activity)
            }
        elif choice.choice == LocalChoice.Choice.CHANGED:
            if problem := change_problem(template, activity, choice):
                errors[lineage] = problem
    return errors


def change_problem(template: ActionPlan, activity: Activity, choice: ActivityChoice) -> str:
    """Why a "taken with local changes" choice cannot be taken, or ""."""
    changes = {name: value for name, value in choice.changes.items() if name in LOCAL_CHANGES}
    if not choice.note.strip() and all(getattr(activity, name) == value for name, value in changes.items()):
        return _(
            "Activity %(activity)s is taken with local changes, but nothing differs from the template: change "
            "something, write a note, or take it as it is."
        ) % {"activity": template_label(activity)}
    start = changes.get("start_year", activity.start_year)
    end = changes.get("end_year", activity.end_year)
    if start and end and end < start:
        return _("The period of activity %(activity)s cannot end before it starts.") % {
            "activity": template_label(activity)
        }
    hours = changes.get("effort_hours")
    if hours is not None and hours < 0:
        return _("The hours of activity %(activity)s cannot be negative.") % {"activity": template_label(activity)}
    return ""


@transaction.atomic
def local_plan_create(
    *,
    template: ActionPlan,
    municipality: Organisation,
    choices: dict[str, ActivityChoice],
    own_activities: list[OwnActivity] = (),
    user=None,
) -> ActionPlan:
    """The municipality's local plan (a draft) from the template's latest adopted version.

    ``choices``: one per template activity, by its lineage as a string. The template's row is locked
    first, so two requests at once (a double click, two colleagues) make one local plan; the
    database allows one per municipality and period besides."""
    template = ActionPlan.objects.select_for_update().get(pk=template.pk)
    check_template(template, municipality)
    activities = {str(activity.lineage): activity for activity in template.activities.order_by("order", "pk")}
    if errors := choice_errors(template, activities, choices):
        raise ValidationError(errors)
    version = template.versions.order_by("-number").first()
    title = _("%(title)s – local plan of %(municipality)s") % {"title": template.title, "municipality": municipality}
    local = ActionPlan.objects.create(
        **copied_values(
            template,
            title=title[:300],
            is_template=False,
            municipality_id=municipality.pk,
            template_version_id=version.pk if version else None,
            previous_plan_id=None,
        )
    )
    copy_plan_content(source=template, target=local, next_period=False)
    copies = {str(activity.lineage): activity for activity in local.activities.all()}
    for lineage, activity in activities.items():
        choice = choices[lineage]
        apply_choice(copies[lineage], choice)
        LocalChoice.objects.create(
            plan=local,
            lineage=activity.lineage,
            number=activity.number,
            title=activity.title[:500],
            choice=choice.choice,
            reason=choice.reason.strip() if choice.choice == LocalChoice.Choice.LEFT_OUT else "",
            note=choice.note.strip(),
        )
    add_own_activities(local, own_activities)
    return local


def apply_choice(copy: Activity, choice: ActivityChoice) -> None:
    """The local copy of a template activity as chosen: deleted when left out, changed where asked."""
    if choice.choice == LocalChoice.Choice.LEFT_OUT:
        copy.delete()
        return
    if choice.choice != LocalChoice.Choice.CHANGED:
        return
    for name, value in choice.changes.items():
        if name in LOCAL_CHANGES and getattr(copy, name) != value:
            setattr(copy, name, value)
            if name == "effort_hours":
                copy.effort_note = ""  # the template's hours as written no longer hold
                copy.effort_basis = copy.effort_basis or Activity.EffortBasis.TOTAL
    copy.full_clean()
    copy.save()


def add_own_activities(local: ActionPlan, own_activities) -> None:
    order = max(local.activities.values_list("order", flat=True), default=0)
    for offset, own in enumerate(own_activities, start=1):
        activity = Activity(
            plan=local,
            order=order + offset,
            title=own.title,
            area_id=own.area_id,
            owner=own.owner,
            effort_hours=own.effort_hours,
            effort_basis=Activity.EffortBasis.TOTAL if own.effort_hours is not None else "",
            start_year=own.start_year,
            end_year=own.end_year,
            effect_goal=own.effect_goal,
        )
        activity.full_clean()
        activity.save()


@transaction.atomic
def local_choice_change(*, local: ActionPlan, lineage: str, choice: ActivityChoice) -> LocalChoice:
    """Another choice on one template activity of a local plan (a draft): leaving it out deletes the
    local copy; taking it again copies it from the template anew; "as it is" sets the local values back to
    the template's, "with local changes" sets the ones given."""
    local = ActionPlan.objects.select_for_update().get(pk=local.pk)
    ensure_plan_editable(local)
    current = local.local_choices.filter(lineage=lineage).first()
    if current is None or not local.template_version_id:
        raise ValidationError(
            _("The template has no such activity: a deviation can only be made on one of the template's activities.")
        )
    template_activity = local.template_version.plan.activities.get(lineage=lineage)
    errors = choice_errors(local, {lineage: template_activity}, {lineage: choice})
    if errors:
        raise ValidationError(errors)
    copy = local.activities.filter(lineage=lineage).first()
    if choice.choice == LocalChoice.Choice.LEFT_OUT:
        if copy is not None:
            copy.delete()
    else:
        if copy is None:
            order = max(local.activities.values_list("order", flat=True), default=0) + 1
            copy = copy_activity(template_activity, target=local, goals={}, next_period=False, order=order)
        if choice.choice == LocalChoice.Choice.TAKEN:  # the template's values again
            for name in EDITABLE_AS_CHANGES:  # also what the activity form changed
                setattr(copy, name, getattr(template_activity, name))
            copy.full_clean()
            copy.save()
        else:
            apply_choice(copy, choice)
    current.choice = choice.choice
    current.reason = choice.reason.strip() if choice.choice == LocalChoice.Choice.LEFT_OUT else ""
    current.note = choice.note.strip()
    current.save()
    return current


# What the activity form can change on a local copy of a template activity: any of it differing from the
# template's makes the copy "taken with local changes".
EDITABLE_AS_CHANGES = (
    "title",
    "content",
    "benefit",
    "owner",
    "effect_goal",
    "effort_hours",
    "effort_basis",
    "effort_note",
    "start_year",
    "end_year",
    "period_note",
    "regional_support",
    "regional_role",
)


def choice_follows_edit(activity: Activity) -> None:
    """A local copy of a template activity edited in the activity form: a choice "taken as it is" becomes
    "taken with local changes" once the copy differs from the template's activity, so that the region's
    view never shows an edited activity as taken as it is. (Setting it back is the choice's own page.)"""
    local = activity.plan
    if not local.template_version_id:
        return
    choice = local.local_choices.filter(lineage=activity.lineage, choice=LocalChoice.Choice.TAKEN).first()
    template_activity = local.template_version.plan.activities.filter(lineage=activity.lineage).first()
    if choice is None or template_activity is None:
        return
    if any(getattr(activity, name) != getattr(template_activity, name) for name in EDITABLE_AS_CHANGES):
        choice.choice = LocalChoice.Choice.CHANGED
        choice.save()
