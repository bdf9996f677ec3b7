"""The tables of the region's view of a template (``activities.local_matrix``)."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from ehalsa.badges import badge, status_badge
from ehalsa.tables import BaseTable, RowHeaderColumn

from .local_matrix import STATES


def cell_html(cell, anchor=""):
    """A cell's state as a symbol beside its word (never a colour alone); a deviation links to its row below."""
    word = format_html(
        '<span class="local-choice local-choice-{}"><span aria-hidden="true">{}</span> {}</span>',
        cell.state,
        cell.symbol,
        cell.label,
    )
    return format_html('<a href="#{}">{}</a>', anchor, word) if anchor else word


class StateCountColumn(tables.Column):
    """How many member municipalities are in one state on the row's activity."""

    def __init__(self, state, members, **kwargs):
        self.state, self.members = state, members
        symbol, label = STATES[state]
        super().__init__(
            accessor="activity",
            verbose_name=label,
            empty_values=(),
            attrs={"td": {"class": "number"}, "th": {"class": "number"}},
            **kwargs,
        )

    def render(self, record):
        return record.counts(self.members)[self.state]

    def value(self, record):
        return record.counts(self.members)[self.state]


class MunicipalityChoiceColumn(tables.Column):
    """One municipality's choice on the row's template activity."""

    def __init__(self, municipality, **kwargs):
        self.municipality = municipality
        kwargs.setdefault("attrs", {"th": {"class": "municipality-col"}, "td": {"class": "matrix-cell"}})
        super().__init__(accessor="activity", verbose_name=municipality.display_name, empty_values=(), **kwargs)

    def render(self, record):
        cell = record.cell(self.municipality.pk)
        deviates = cell.state in ("changed", "left_out")
        return cell_html(cell, f"avvikelse-{self.municipality.pk}-{record.activity.lineage}" if deviates else "")

    def value(self, record):
        return record.cell(self.municipality.pk).label


class TemplateMatrixTable(BaseTable):
    """Template activities × member municipalities; the counts are of every member, whatever is shown."""

    number = tables.Column(verbose_name=_("No."), accessor="activity__number", default="")
    activity = RowHeaderColumn(
        verbose_name=_("Activity"),
        accessor="activity__title",
        linkify=lambda record: record.activity.get_absolute_url(),
    )
    area = tables.Column(verbose_name=_("Area"), accessor="activity__area__name", default="")

    class Meta(BaseTable.Meta):
        orderable = False
        per_page = 10_000
        attrs = {"class": "data matrix template-matrix"}

    export_title = _("Municipalities' choices")

    def __init__(self, rows, *, members, shown, **kwargs):
        columns = [(f"count_{state}", StateCountColumn(state, members)) for state in STATES]
        columns += [(f"municipality_{member.pk}", MunicipalityChoiceColumn(member)) for member in shown]
        super().__init__(rows, extra_columns=columns, **kwargs)


class DeviationTable(BaseTable):
    """Each deviation beside the template's text: what the municipality changed, or why it left it out."""

    municipality = RowHeaderColumn(verbose_name=_("Municipality"), accessor="municipality__name")
    activity = tables.Column(verbose_name=_("Activity"), accessor="activity", empty_values=())
    choice = tables.Column(verbose_name=_("Choice"), accessor="cell", empty_values=())
    template_text = tables.Column(verbose_name=_("In the template"), accessor="differences", empty_values=())
    local_text = tables.Column(verbose_name=_("In the local plan"), accessor="differences", empty_values=())

    class Meta(BaseTable.Meta):
        orderable = False
        per_page = 10_000
        empty_text = _("No municipality has deviated from the template.")
        row_attrs = {"id": lambda record: record.anchor}

    def render_activity(self, record):
        activity = record.activity
        return f"{activity.number} {activity.title}".strip() if activity.number else activity.title

    def render_choice(self, record):
        return cell_html(record.cell)

    def render_template_text(self, record):
        if not record.differences:
            return "–"
        return differences_html((what, then) for what, then, _now in record.differences)

    def render_local_text(self, record):
        choice = record.cell.choice
        parts = []
        if record.differences:
            parts.append(differences_html((what, now) for what, _then, now in record.differences))
        if choice and choice.reason:
            parts.append(format_html("<p><strong>{}</strong> {}</p>", _("Why it is left out:"), choice.reason))
        if choice and choice.note:
            parts.append(format_html("<p><strong>{}</strong> {}</p>", _("Note:"), choice.note))
        return format_html_join("", "{}", ((part,) for part in parts)) if parts else "–"

    def value_template_text(self, record):
        return "; ".join(f"{what}: {then}" for what, then, _now in record.differences)

    def value_local_text(self, record):
        choice = record.cell.choice
        texts = [f"{what}: {now}" for what, _then, now in record.differences]
        texts += [choice.reason, choice.note] if choice else []
        return "; ".join(text for text in texts if text)


def differences_html(pairs):
    """(what, text) pairs as a description list, each text beside its label."""
    rows = format_html_join("", "<dt>{}</dt><dd>{}</dd>", ((what, text or "–") for what, text in pairs))
    return format_html('<dl class="deviation">{}</dl>', rows)


class LocalPlanTable(BaseTable):
    """Each member municipality's local plan of the template and its status."""

    municipality = RowHeaderColumn(
        verbose_name=_("Municipality"),
        accessor="municipality__name",
        linkify=lambda record: reverse("local_plans:municipality", args=[record["municipality"].pk]),
    )
    plan = tables.Column(verbose_name=_("Local plan"), empty_values=())
    status = tables.Column(verbose_name=_("Status"), accessor="plan", empty_values=())

    class Meta(BaseTable.Meta):
        orderable = False
        per_page = 10_000

    def __init__(self, *args, readable=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.readable = set(readable)  # the local plans the reader may open (a draft is its members')

    def render_plan(self, value):
        if value is None:
            return _("None yet")
        if value.pk not in self.readable:
            return _("Under way")  # its status says how far; its title and text are its members'
        link = format_html('<a href="{}">{}</a>', value.get_absolute_url(), value.title)
        if not value.is_public:
            return link
        lika = reverse("lika:plan", args=[value.pk])  # its LIKA coverage: the municipality's, from its local plan
        return format_html('{} · <a href="{}">{}</a>', link, lika, _("LIKA coverage"))

    def value_plan(self, value):
        return value.title if value and value.pk in self.readable else ""

    def render_status(self, value):
        if value is None:
            return badge("undecided", STATES["undecided"][1])
        return status_badge(value)

    def value_status(self, value):
        return value.get_status_display() if value else str(STATES["undecided"][1])


class MunicipalityTemplateTable(BaseTable):
    """A municipality's standing on each published template: its local plan and that plan's status."""

    template = RowHeaderColumn(
        verbose_name=_("Template plan"),
        accessor="template__title",
        linkify=lambda record: record["template"].get_absolute_url(),
    )
    cooperation = tables.Column(verbose_name=_("Cooperation"), accessor="template__cooperation__display_name")
    plan = tables.Column(verbose_name=_("Local plan"), empty_values=())
    status = tables.Column(verbose_name=_("Status"), accessor="plan", empty_values=())

    class Meta(BaseTable.Meta):
        orderable = False
        per_page = 10_000
        empty_text = _("No published template concerns the municipality.")

    def __init__(self, *args, readable=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.readable = set(readable)

    render_plan = LocalPlanTable.render_plan
    render_status = LocalPlanTable.render_status
    value_status = LocalPlanTable.value_status


def choice_html(choice):
    """A local plan's choice as a symbol beside its word (never a colour alone)."""
    return format_html(
        '<span class="local-choice local-choice-{}"><span aria-hidden="true">{}</span> {}</span>',
        choice.choice,
        choice.symbol,
        choice.get_choice_display(),
    )


class LocalChoiceTable(BaseTable):
    """A local plan's choice on each activity of its template, with the reason or the local note."""

    number = tables.Column(verbose_name=_("No."), default="")
    title = RowHeaderColumn(verbose_name=_("Activity in the template"))
    choice = tables.Column(verbose_name=_("Choice"), empty_values=())
    why = tables.Column(verbose_name=_("Why it is left out, local note"), accessor="reason", empty_values=())

    change = tables.Column(verbose_name=_("Change"), accessor="lineage", empty_values=(), orderable=False)

    class Meta(BaseTable.Meta):
        orderable = False
        per_page = 10_000

    def __init__(self, choices, *, plan=None, may_change=False, **kwargs):
        self.plan = plan
        super().__init__(choices, **({} if may_change else {"exclude": ["change"]}) | kwargs)

    def render_change(self, record):
        url = reverse("local_plans:local_choice_update", args=[self.plan.pk, record.lineage])
        name = record.number or record.title
        return format_html('<a href="{}">{}<span class="visually-hidden">: {}</span></a>', url, _("Change"), name)

    def render_choice(self, record):
        return choice_html(record)

    def value_choice(self, record):
        return record.get_choice_display()

    def render_why(self, record):
        texts = [text for text in (record.reason, record.note) if text]
        return format_html_join(mark_safe("<br>"), "{}", ((text,) for text in texts)) if texts else ""


class TemplateChangeTable(BaseTable):
    """The template then, the template now and the local plan, a change a row; the local plan's
    editors tick the changes they take over."""

    take = tables.Column(verbose_name=_("Take over"), accessor="key", empty_values=())
    activity = RowHeaderColumn(verbose_name=_("Activity"))
    what = tables.Column(verbose_name=_("What"), accessor="label", empty_values=())
    then = tables.Column(verbose_name=_("In the template then"), default="–")
    now = tables.Column(verbose_name=_("In the template now"), default="–")
    local = tables.Column(verbose_name=_("In the local plan"), default="–")

    class Meta(BaseTable.Meta):
        orderable = False
        per_page = 10_000

    def __init__(self, changes, *, may_take_over: bool, chosen=(), **kwargs):
        self.chosen = set(chosen)
        super().__init__(changes, **({} if may_take_over else {"exclude": ["take"]}) | kwargs)

    def render_take(self, record):
        if not record.applicable:
            return "–"
        label = f"{record.activity}, {record.label}" if record.label else record.activity
        return format_html(
            '<input type="checkbox" name="change" value="{}" id="andring-{}"{}> '
            '<label for="andring-{}" class="visually-hidden">{}: {}</label>',
            record.key,
            record.key,
            " checked" if record.key in self.chosen else "",
            record.key,
            _("Take over"),
            label,
        )

    def render_what(self, record):
        if record.kind == "added":
            return _("New in the template")
        if record.kind == "removed":
            return _("Taken out of the template")
        return record.label
