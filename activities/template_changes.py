"""What changed in a template since the version a local plan was made from, beside the local plan
(a three-way comparison: the template then, the template now, the local plan), and taking changes over.

The template's versions are compared from their frozen snapshots, activity by activity through the
activity's lineage (the same in every revision of the template and in the local plan's copy), so a
renumbered activity is the same activity. The municipality takes each change over or not; what it does
not take over stays as the local plan has it. Nothing of the local plan is lost when the template changes.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plans.document import rebuilt
from plans.models import ActionPlan, PlanVersion, ensure_plan_editable
from plans.services import latest_template_version

from .local_models import LocalChoice
from .models import Activity
from .parts import copy_activity

# The fields of a template activity whose changes a local plan may take over, with their labels.
FIELDS = (
    ("title", gettext_lazy("Activity")),
    ("content", gettext_lazy("Content")),
    ("benefit", gettext_lazy("Benefit")),
    ("effect_goal", gettext_lazy("Effect goal")),
    ("owner", gettext_lazy("Responsible")),
    ("effort_hours", gettext_lazy("Effort (hours)")),
    ("effort_note", gettext_lazy("Effort")),
    ("start_year", gettext_lazy("From year")),
    ("end_year", gettext_lazy("To year")),
    ("period_note", gettext_lazy("Period note")),
    ("regional_support", gettext_lazy("Regional support")),
)
CHANGED, ADDED, REMOVED = "changed", "added", "removed"


@dataclass
class TemplateChange:
    """One change of the template: a field of an activity, an activity added or one taken away; with the
    template's text then and now, and the local plan's."""

    kind: str
    key: str
    activity: str
    label: str = ""
    then: str = ""
    now: str = ""
    local: str = ""
    applicable: bool = True  # False: the local plan left the activity out, so there is nothing to take over


def latest_template_version_for(local: ActionPlan) -> PlanVersion | None:
    """The template's latest version, for a local plan made from one of its versions."""
    return latest_template_version(local.template_version.plan) if local.template_version_id else None


def by_lineage(snapshot: dict) -> dict[str, dict]:
    return {values["lineage"]: values for values in snapshot["activities"] if values.get("lineage")}


def shown(value) -> str:
    return "" if value is None else str(value)


def label_of(values: dict) -> str:
    return f"{values.get('number') or ''} {values['title']}".strip()


def template_changes(local: ActionPlan) -> tuple[PlanVersion | None, PlanVersion | None, list[TemplateChange]]:
    """(the version the local plan was made from, the template's latest, the changes between them)."""
    latest = latest_template_version_for(local)
    base = local.template_version
    if latest is None or latest.pk == base.pk:
        return base, latest, []
    then = by_lineage(base.snapshot)
    now = by_lineage(PlanVersion.objects.get(pk=latest.pk).snapshot)
    copies = {str(activity.lineage): activity for activity in local.activities.all()}
    left_out = {str(c.lineage) for c in local.local_choices.filter(choice=LocalChoice.Choice.LEFT_OUT)}
    changes = []
    for lineage, values in now.items():
        if lineage not in then:
            changes.append(TemplateChange(ADDED, f"{lineage}:{ADDED}", label_of(values), now=values["title"]))
            continue
        before, copy = then[lineage], copies.get(lineage)
        for name, label in FIELDS:
            if shown(before.get(name)) != shown(values.get(name)):
                local_text = shown(getattr(copy, name)) if copy else _("left out")
                changes.append(
                    TemplateChange(
                        CHANGED,
                        f"{lineage}:{name}",
                        label_of(values),
                        str(label),
                        shown(before.get(name)),
                        shown(values.get(name)),
                        local_text,
                        applicable=copy is not None and lineage not in left_out,
                    )
                )
    for lineage, values in then.items():
        if lineage not in now:
            copy = copies.get(lineage)
            changes.append(
                TemplateChange(
                    REMOVED,
                    f"{lineage}:{REMOVED}",
                    label_of(values),
                    then=values["title"],
                    local=copy.title if copy else _("left out"),
                )
            )
    return base, latest, changes


@transaction.atomic
def local_plan_take_template_changes(*, local: ActionPlan, keys: set[str]) -> PlanVersion:
    """Take the chosen changes (``TemplateChange.key``) of the template's latest version over into the
    local plan, a draft; the local plan is then made from that version. What is not chosen stays as the
    local plan has it."""
    local = ActionPlan.objects.select_for_update().get(pk=local.pk)
    ensure_plan_editable(local)
    base, latest, changes = template_changes(local)
    if latest is None or latest.pk == base.pk:
        raise ValidationError(_("The template has not changed since the local plan was made from it."))
    known = {change.key: change for change in changes if change.applicable}
    if unknown := keys - known.keys():
        raise ValidationError(
            _("%(count)s of the changes chosen are not changes of the template; nothing was taken over.")
            % {"count": len(unknown)}
        )
    now = by_lineage(PlanVersion.objects.get(pk=latest.pk).snapshot)
    template = latest.plan
    for key in sorted(keys):
        lineage, _colon, what = key.partition(":")
        if what == ADDED:
            take_added(local, template, lineage)
        elif what == REMOVED:
            local.activities.filter(lineage=lineage).delete()
            local.local_choices.filter(lineage=lineage).delete()
        else:
            copy = local.activities.get(lineage=lineage)
            setattr(copy, what, getattr(rebuilt(Activity, now[lineage]), what))
            copy.full_clean()
            copy.save()
    not_taken = known.keys() - keys
    for key in sorted(not_taken):
        lineage, _colon, what = key.partition(":")
        if what == ADDED:  # decided against: left out, and it may be taken later on the choice's page
            added = template.activities.get(lineage=lineage)
            LocalChoice.objects.create(
                plan=local,
                lineage=added.lineage,
                number=added.number,
                title=added.title[:500],
                choice=LocalChoice.Choice.LEFT_OUT,
                reason=_("Not taken over from the template's version %(number)s.") % {"number": latest.number},
            )
        elif what != REMOVED:  # the local copy now differs from the template where it kept its own value
            for choice in local.local_choices.filter(lineage=lineage, choice=LocalChoice.Choice.TAKEN):
                choice.choice = LocalChoice.Choice.CHANGED
                choice.save()  # in the history, like every change
    local.template_version = PlanVersion.objects.defer("snapshot").get(pk=latest.pk)
    local.save()
    return latest


def take_added(local: ActionPlan, template: ActionPlan, lineage: str) -> None:
    activity = template.activities.prefetch_related(
        "lika_indicators", "goals", "references", "effort_shares", "measures__targets"
    ).get(lineage=lineage)
    if activity.number and local.activities.filter(number=activity.number).exists():
        raise ValidationError(
            _(
                "The template's new activity %(number)s has the number of one of the local plan's own activities: "
                "give that activity another number first, then take the change over; nothing was taken over."
            )
            % {"number": activity.number}
        )
    order = (local.activities.aggregate(highest=Max("order"))["highest"] or 0) + 1
    copy_activity(activity, target=local, goals={}, next_period=False, order=order)
    LocalChoice.objects.create(
        plan=local,
        lineage=activity.lineage,
        number=activity.number,
        title=activity.title[:500],
        choice=LocalChoice.Choice.TAKEN,
    )
