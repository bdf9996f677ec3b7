"""The region's view of a template: what each member municipality's local plan does with each of the
template's activities (activity × municipality), how many have adopted a local plan, and each
deviation beside the template's text.

Read in a fixed number of queries whatever the number of municipalities (tests/activities/
test_local_matrix.py counts them; ``bench/template_matrix.py`` times 49 municipalities × 31 activities).
"""

from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from governance.models import Organisation
from plans.models import ActionPlan
from plans.services import template_family

from .local_models import LocalChoice
from .models import Activity

UNDECIDED = "undecided"
# The states of a cell, in the order they are counted and shown (a symbol beside the word, never colour alone).
STATES = {
    LocalChoice.Choice.TAKEN.value: ("✓", gettext_lazy("As in the template")),
    LocalChoice.Choice.CHANGED.value: ("✎", gettext_lazy("With local changes")),
    LocalChoice.Choice.LEFT_OUT.value: ("✗", gettext_lazy("Left out")),
    UNDECIDED: ("–", gettext_lazy("Not decided")),
}
# A changed activity's fields compared with the template's, with the label they are shown under.
COMPARED = (
    ("owner", gettext_lazy("Responsible")),
    ("effort_hours", gettext_lazy("Effort")),
    ("period", gettext_lazy("Period")),
    ("effect_goal", gettext_lazy("Effect goal")),
)


@dataclass
class Cell:
    """One municipality's choice on one template activity: its state, the choice and the local copy."""

    state: str
    choice: LocalChoice | None = None
    local: Activity | None = None

    @property
    def symbol(self) -> str:
        return STATES[self.state][0]

    @property
    def label(self) -> str:
        return str(STATES[self.state][1])


@dataclass
class MatrixRow:
    """A template activity with each member municipality's cell."""

    activity: Activity
    cells: dict[int, Cell] = field(default_factory=dict)

    def cell(self, municipality_pk: int) -> Cell:
        return self.cells.get(municipality_pk) or Cell(UNDECIDED)

    def counts(self, members) -> Counter:
        return Counter(self.cell(member.pk).state for member in members)


@dataclass
class Deviation:
    """A municipality's deviation on a template activity: left out (with why) or changed (what, beside the
    template's text)."""

    municipality: Organisation
    activity: Activity
    cell: Cell
    differences: list[tuple[str, str, str]]

    @property
    def anchor(self) -> str:
        return f"avvikelse-{self.municipality.pk}-{self.activity.lineage}"


@dataclass
class TemplateMatrix:
    template: ActionPlan
    members: list[Organisation]  # every member municipality: what the counts are of
    shown: list[Organisation]  # the members the page shows (filtered)
    rows: list[MatrixRow]  # every template activity
    local_plans: dict[int, ActionPlan]

    def shown_rows(self, area=None) -> list[MatrixRow]:
        return [row for row in self.rows if area is None or row.activity.area_id == area.pk]

    @property
    def adopted(self) -> int:
        return sum(1 for plan in self.local_plans.values() if plan.status == ActionPlan.Status.ADOPTED)

    def counts(self) -> Counter:
        total = Counter()
        for row in self.rows:
            total += row.counts(self.members)
        return total

    @property
    def most_left_out(self) -> tuple[MatrixRow, int] | None:
        left_out = LocalChoice.Choice.LEFT_OUT
        best = max(self.rows, key=lambda row: row.counts(self.members)[left_out], default=None)
        count = best.counts(self.members)[left_out] if best else 0
        return (best, count) if count else None

    @property
    def sentence(self) -> str:
        """ "32 av 49 kommuner har antagit en lokal plan; aktivitet 14 har valts bort av 5"."""
        text = ngettext(
            "%(adopted)s of %(members)s municipality has adopted a local plan",
            "%(adopted)s of %(members)s municipalities have adopted a local plan",
            len(self.members),
        ) % {"adopted": self.adopted, "members": len(self.members)}
        if most := self.most_left_out:
            row, count = most
            text += _("; activity %(activity)s has been left out by %(count)s") % {
                "activity": row.activity.number or row.activity.title,
                "count": count,
            }
        return text

    def deviations(self, area=None) -> list[Deviation]:
        found = []
        by_pk = {member.pk: member for member in self.shown}
        for row in self.shown_rows(area):
            for member_pk, cell in row.cells.items():
                if member_pk in by_pk and cell.state in (LocalChoice.Choice.CHANGED, LocalChoice.Choice.LEFT_OUT):
                    found.append(Deviation(by_pk[member_pk], row.activity, cell, differences(row.activity, cell)))
        return sorted(found, key=lambda d: (d.municipality.name, d.activity.order))


def shown_value(activity: Activity, name: str) -> str:
    if name == "effort_hours":
        return activity.effort_display
    if name == "period":
        return activity.period
    return getattr(activity, name) or ""


def differences(template_activity: Activity, cell: Cell) -> list[tuple[str, str, str]]:
    """(what, the template's text, the local plan's) for each compared field that differs."""
    if cell.local is None:
        return []
    found = []
    for name, label in COMPARED:
        then, now = shown_value(template_activity, name), shown_value(cell.local, name)
        if then != now:
            found.append((str(label), then, now))
    return found


def local_plans_of(template: ActionPlan) -> dict[int, ActionPlan]:
    """Each municipality's local plan of the template (any of its revisions): its adopted one, else its
    latest draft or plan out for adoption; superseded ones are history."""
    plans = (
        ActionPlan.objects.filter(template_version__plan__in=template_family(template))
        .exclude(status=ActionPlan.Status.SUPERSEDED)
        .select_related("municipality")
        .order_by("municipality", "pk")
    )
    chosen: dict[int, ActionPlan] = {}
    for plan in plans:
        current = chosen.get(plan.municipality_id)
        if current is None or current.status != ActionPlan.Status.ADOPTED:
            chosen[plan.municipality_id] = plan
    return chosen


def template_matrix(template: ActionPlan, *, municipality=None) -> TemplateMatrix:
    """The matrix of ``template``: the choices of the adopted local plans count; a municipality without
    one has not decided (a draft is not a decision)."""
    members = list(template.cooperation.members.municipalities().order_by("name"))
    local_plans = local_plans_of(template)
    decided = [plan.pk for plan in local_plans.values() if plan.status == ActionPlan.Status.ADOPTED]
    municipality_of = {plan.pk: plan.municipality_id for plan in local_plans.values()}
    activities = list(template.activities.select_related("area").order_by("order", "pk"))
    rows = {str(activity.lineage): MatrixRow(activity) for activity in activities}
    choices = LocalChoice.objects.filter(plan__in=decided)
    changed = set()
    for choice in choices:
        if row := rows.get(str(choice.lineage)):
            row.cells[municipality_of[choice.plan_id]] = Cell(choice.choice, choice)
            if choice.choice == LocalChoice.Choice.CHANGED:
                changed.add(choice.lineage)
    copies = Activity.objects.filter(plan__in=decided, lineage__in=changed) if changed else []
    for copy in copies:
        rows[str(copy.lineage)].cells[municipality_of[copy.plan_id]].local = copy
    shown = [member for member in members if municipality is None or member.pk == municipality.pk]
    return TemplateMatrix(template, members, shown, list(rows.values()), local_plans)
