import django_tables2 as tables
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext

from ehalsa.badges import badge, status_badge
from ehalsa.money import format_kronor
from ehalsa.tables import BaseTable, HoursColumn, MoneyColumn, PeriodColumn, RowHeaderColumn, RowHeaderTemplateColumn
from plans.tables import plain_title

from .as_written import reference_text
from .models import Activity, hours_text

NOT_IN_SUM = _("not in the total")
LATE = _("late")
STALE = _("stale")


class LikaColumn(tables.ManyToManyColumn):
    """The activity's LIKA codes, "L12, K13", from prefetched indicators."""

    def __init__(self, **kwargs):
        super().__init__(transform=lambda indicator: indicator.code, separator=", ", verbose_name="LIKA", **kwargs)

    def render(self, value):
        return super().render(value) or self.default

    def value(self, value):
        return ", ".join(indicator.code for indicator in value.all())


class EffortColumn(tables.Column):
    """Effort as written ("24 timmar/ person"); in spreadsheets too, since per-something hours do not add up."""

    def __init__(self, **kwargs):
        kwargs.setdefault("default", "–")
        super().__init__(accessor="effort_note", verbose_name=_("Effort"), order_by=("effort_hours",), **kwargs)

    def render(self, record):
        return record.effort_display or self.default

    def value(self, record):
        return record.effort_display


class PartyHoursColumn(tables.Column):
    """An activity's total effort: its parties' hours added up ("160 h"), with the parties' effort as
    written beside it, marked as not in the total; in spreadsheets the number alone."""

    def __init__(self, **kwargs):
        kwargs.setdefault("verbose_name", _("Hours, all parties"))
        super().__init__(accessor="party_hours", orderable=False, empty_values=(), **kwargs)

    def render(self, record):
        hours = record.party_hours
        shown = hours_text(hours) if hours is not None else self.default
        written = record.party_effort_as_written
        if not written:
            return shown
        return format_html(
            '<span class="nowrap">{}</span><br>{} <span class="tag">{}</span>',
            shown,
            "; ".join(f"{share.party_name}: {share.as_written}" for share in written),
            NOT_IN_SUM,
        )

    def value(self, record):
        hours = record.party_hours
        return int(hours) if hours is not None and hours == int(hours) else hours  # 1140, not 1140.0


class SpreadsheetColumn(tables.Column):
    """A column for spreadsheets only (the page shows it elsewhere, or not at all): what an import
    of the plan's spreadsheet needs to give the same activities (``activities.importer``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("empty_values", ())
        kwargs.setdefault("default", "")
        super().__init__(visible=False, orderable=False, **kwargs)


class YesNoColumn(SpreadsheetColumn):
    def value(self, value):
        return str(_("Yes") if value else _("No"))


class ChoiceColumn(SpreadsheetColumn):
    """A choice by its label ("Driver"); empty when none is chosen."""

    def value(self, record, bound_column):
        return (
            getattr(record, f"get_{bound_column.accessor}_display")() if getattr(record, bound_column.accessor) else ""
        )


class ReferencesColumn(SpreadsheetColumn):
    """The national references, one a line: "Vision e-hälsa 2025: Standarder (sid 8)"."""

    def __init__(self, **kwargs):
        super().__init__(accessor="pk", verbose_name=_("National references"), **kwargs)

    def value(self, record):
        return "\n".join(reference_text(reference) for reference in record.references.all())


class PartyAsWrittenColumn(tables.Column):
    """The parties' effort as written, for spreadsheets only (the page shows it with the hours)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("verbose_name", _("Effort as written, not in the total"))
        super().__init__(accessor="party_effort_as_written", visible=False, empty_values=(), **kwargs)

    def value(self, record):
        return "; ".join(f"{share.party_name}: {share.as_written}" for share in record.party_effort_as_written)


def progress_text(activity) -> str:
    """The activity's current progress as words: "Pågår, försenad, inaktuell"; empty when none is recorded."""
    follow_up = activity.latest_follow_up
    if follow_up is None:
        return ""
    marks = [LATE] * activity.is_late + [STALE] * activity.is_stale
    return ", ".join(str(word) for word in [follow_up.get_phase_display(), *marks])


class ProgressColumn(tables.Column):
    """The activity's current progress ("Läge"): its latest follow-up's phase, and "försenad" and
    "inaktuell" in words when it is late or not updated for long (never by colour alone). Read from
    prefetched follow-ups and milestones."""

    def __init__(self, **kwargs):
        kwargs.setdefault("verbose_name", _("Progress"))
        kwargs.setdefault("default", "–")
        super().__init__(accessor="pk", orderable=False, empty_values=(), **kwargs)

    def render(self, record):
        follow_up = record.latest_follow_up
        if follow_up is None:
            return self.default
        late = format_html(" {}", badge("late", LATE)) if record.is_late else ""
        stale = format_html(" {}", badge("stale", STALE)) if record.is_stale else ""
        return format_html("{}{}{}", status_badge(follow_up, "phase"), late, stale)

    def value(self, record):
        return progress_text(record)


def milestone_counts(activity) -> tuple[int, int, int]:
    """(reached, all, late) of the activity's milestones, from prefetched ones."""
    milestones = list(activity.milestones.all())
    reached = sum(1 for milestone in milestones if milestone.reached)
    return reached, len(milestones), sum(1 for milestone in milestones if milestone.is_late)


class MilestonesColumn(tables.Column):
    """The activity's milestones ("Delmål"): "1 av 3 uppnådda" and how many are late, in words."""

    def __init__(self, **kwargs):
        kwargs.setdefault("verbose_name", _("Milestones"))
        kwargs.setdefault("default", "–")
        super().__init__(accessor="pk", orderable=False, empty_values=(), **kwargs)

    def render(self, record):
        reached, count, late = milestone_counts(record)
        if not count:
            return self.default
        text = ngettext("%(reached)s of %(count)s reached", "%(reached)s of %(count)s reached", count) % {
            "reached": reached,
            "count": count,
        }
        return format_html("{} {}", text, badge("late", late_text(late))) if late else text

    def value(self, record):
        reached, count, late = milestone_counts(record)
        if not count:
            return ""
        return f"{reached}/{count}, {late_text(late)}" if late else f"{reached}/{count}"


def late_text(late: int) -> str:
    """How many milestones are late, in words ("2 försenade")."""
    return ngettext("%(late)s late", "%(late)s late", late) % {"late": late}


class PlanActivityTable(BaseTable):
    """A plan's own activities."""

    number = tables.Column(verbose_name=_("No."), order_by=("order", "pk"))
    area = tables.Column(accessor="area__name", verbose_name=_("Area"))
    title = tables.Column(linkify=True, verbose_name=_("Activity"), attrs={"td": {"class": "activity-title"}})
    owner = tables.Column(verbose_name=_("Responsible"))
    effort = EffortColumn(empty_values=())
    party_hours = PartyHoursColumn(default="–")
    party_as_written = PartyAsWrittenColumn()
    period = PeriodColumn(first="start_year", last="end_year", note="period_note")
    status = tables.Column(verbose_name=_("Status"))
    progress = ProgressColumn()
    milestones = MilestonesColumn()
    lika_indicators = LikaColumn()
    cost = MoneyColumn(verbose_name=_("Cost in the budget (kr)"), accessor="pk", default="–", orderable=False)
    # For spreadsheets only: with these, the plan's spreadsheet imports as the same activities.
    content = SpreadsheetColumn(verbose_name=_("Content"))
    benefit = SpreadsheetColumn(verbose_name=_("Benefit"))
    effect_goal = SpreadsheetColumn(verbose_name=_("Effect goal"))
    regional_support = SpreadsheetColumn(verbose_name=_("Regional support"))
    regional_role = ChoiceColumn(verbose_name=_("Regional role"))
    whole_municipality = YesNoColumn(verbose_name=_("Concerns the whole municipality"))
    every_member = YesNoColumn(verbose_name=_("Carried out by every member municipality"))
    references = ReferencesColumn()

    class Meta(BaseTable.Meta):
        model = Activity
        fields = [
            "number",
            "area",
            "title",
            "owner",
            "effort",
            "party_hours",
            "party_as_written",
            "period",
            "status",
            "progress",
            "milestones",
            "lika_indicators",
            "cost",
            "content",
            "benefit",
            "effect_goal",
            "regional_support",
            "regional_role",
            "whole_municipality",
            "every_member",
            "references",
        ]
        empty_text = _("No activities match the filter.")

    def __init__(self, *args, costs=None, **kwargs):
        """``costs``: each activity's cost by its number (``plans.parts.activity_costs``); the column
        is left out when no budget line is linked to an activity."""
        self.costs = costs or {}
        super().__init__(*args, **({"exclude": ["cost"]} if not self.costs else {}) | kwargs)

    def render_status(self, record):
        return status_badge(record)

    def value_status(self, record):
        return record.get_status_display()

    def render_cost(self, record):
        cost = self.costs.get(record.number or record.title)
        return "–" if cost is None else format_kronor(cost, unit=False)

    def value_cost(self, record):
        return self.costs.get(record.number or record.title)


class ActivitySearchTable(PlanActivityTable):
    """Activities across plans, grouped under the plan they belong to (a heading row per plan, not
    the plan in every row: issue 19, item 2); spreadsheets name the plan and cooperation on each row."""

    plan = tables.Column(
        linkify=lambda record: record.plan.get_absolute_url(),
        verbose_name=_("Action plan"),
        order_by="plan__title",
        visible=False,
    )
    cooperation = tables.Column(
        accessor="plan__cooperation__display_name",
        verbose_name=_("Cooperation"),
        order_by="plan__cooperation__name",
        visible=False,
    )
    number = tables.Column(verbose_name=_("No."), order_by=("plan__title", "order", "pk"))
    # An area is a word or two that stays whole; the free texts beside it may break (ehalsa.css).
    area = tables.Column(accessor="area__name", verbose_name=_("Area"), attrs={"td": {"class": "whole-words"}})
    status = tables.Column(verbose_name=_("Status"), attrs={"td": {"class": "whole-words"}})

    class Meta(PlanActivityTable.Meta):
        fields = ["plan", "cooperation", *PlanActivityTable.Meta.fields]
        sequence = ["plan", "cooperation", "..."]
        exclude = ["references"]  # read per activity: not for a search's thousands of hits
        attrs = {"class": "data grouped activity-search"}

    def group_heading(self, record):
        """The plan, its cooperation and its period (from the plan and cooperation read with the activity)."""
        plan = record.plan
        revision = format_html(" ({})", _("revision")) if plan.revision_of_id else ""
        return format_html(
            '<a href="{}">{}</a>{} <span class="group-about">{} · {}</span>',
            plan.get_absolute_url(),
            plan.title,
            revision,
            plan.cooperation.display_name,
            plan.period,
        )


class AsWrittenColumn(tables.Column):
    """Party effort as written (``WrittenEffort`` items), each named by its party and/or activity, and
    marked as left out of the total; in spreadsheets the same as text."""

    def __init__(self, *, party=True, activity=True, **kwargs):
        self.party, self.activity = party, activity
        kwargs.setdefault("verbose_name", _("Effort as written, not in the total"))
        kwargs.setdefault("default", "")
        kwargs.setdefault("empty_values", (None, "", []))
        super().__init__(**kwargs)

    def label(self, written) -> str:
        text = f"{written.party}: {written.text}" if self.party else written.text
        number = written.activity.number
        return f"{text} ({_('activity')} {number})" if self.activity and number else text

    def render(self, value):
        return format_html('{} <span class="tag">{}</span>', self.value(value), NOT_IN_SUM)

    def value(self, value):
        return "; ".join(self.label(written) for written in value or [])


def hours_footer(total):
    return lambda table: floatformat(getattr(table.effort, total), "-1g")


class EffortPerPartyTable(BaseTable):
    """Hours per party over a plan's activities (``GroupEffort`` rows), with their total; a party's
    effort as written is listed beside them and left out."""

    name = RowHeaderColumn(verbose_name=_("Party"), footer=_("Total"))
    hours = HoursColumn(verbose_name=_("Hours"), default="–", footer=hours_footer("total_party_hours"))
    as_written = AsWrittenColumn(party=False)

    class Meta(BaseTable.Meta):
        orderable = False
        per_page = 10_000

    def __init__(self, effort, **kwargs):
        self.effort = effort
        super().__init__(self.groups(effort), **kwargs)
        if not any(group.as_written for group in self.groups(effort)):
            self.columns.hide("as_written")

    @staticmethod
    def groups(effort):
        return effort.parties


class EffortPerAreaTable(EffortPerPartyTable):
    """The parties' hours per area of the plan (``GroupEffort`` rows), with their total."""

    name = RowHeaderColumn(verbose_name=_("Area"), footer=_("Total"), default=_("No area"))
    as_written = AsWrittenColumn()

    class Meta(EffortPerPartyTable.Meta):
        pass

    @staticmethod
    def groups(effort):
        return effort.areas


class EffortPerActivityTable(BaseTable):
    """Each activity's own effort as written and the hours of it that add up, and its total of the
    parties' hours (``ActivityEffort`` rows); the parties' effort as written beside them, left out."""

    number = tables.Column(
        accessor="activity__number", verbose_name=_("No."), footer=_("Total of hours that can be added up")
    )
    title = tables.TemplateColumn(
        '<a href="{{ record.activity.get_absolute_url }}">{{ record.activity.title|truncatechars:90 }}</a>',
        verbose_name=_("Activity"),
    )
    effort = tables.Column(accessor="activity__effort_display", verbose_name=_("Effort as written"), default="–")
    counted_hours = tables.TemplateColumn(
        template_name="activities/includes/counted_hours_cell.html",
        verbose_name=_("Hours counted"),
        empty_values=(),
        attrs={"td": {"class": "num"}, "th": {"class": "num"}, "tf": {"class": "num"}},
        footer=hours_footer("total_counted_hours"),
    )
    party_hours = HoursColumn(
        verbose_name=_("Hours, all parties"), default="–", footer=hours_footer("total_party_hours")
    )
    as_written = AsWrittenColumn(activity=False)

    class Meta(BaseTable.Meta):
        orderable = False
        per_page = 10_000

    def __init__(self, effort, **kwargs):
        self.effort = effort
        super().__init__(effort.activities, **kwargs)
        if not effort.as_written:
            self.columns.hide("as_written")


class WrittenEffortColumn(tables.Column):
    """A party row's effort as written, marked as left out of the total."""

    def render(self, value):
        return format_html('{} <span class="tag">{}</span>', value, NOT_IN_SUM)


def effort_tables(effort) -> dict:
    """The tables of a plan's effort section (``effort``: ``activities.effort.EffortSummary``)."""
    return {
        "effort": effort,
        "effort_per_party": EffortPerPartyTable(effort),
        "effort_per_area": EffortPerAreaTable(effort),
        "effort_per_activity": EffortPerActivityTable(effort),
    }


class EffortShareTable(BaseTable):
    """One activity's effort per party, with the hours' total; effort as written is not in it."""

    party_name = RowHeaderColumn(verbose_name=_("Party"), footer=_("Total"))
    hours = HoursColumn(
        verbose_name=_("Hours"),
        default="–",
        footer=lambda table: (
            "–" if table.activity.party_hours is None else floatformat(table.activity.party_hours, "-1g")
        ),
    )
    as_written = WrittenEffortColumn(verbose_name=_("Effort as written"), default="")
    note = tables.Column(verbose_name=_("Note"), default="")

    class Meta(BaseTable.Meta):
        orderable = False
        per_page = 10_000

    def __init__(self, activity, **kwargs):
        self.activity = activity
        super().__init__(activity.effort_shares.all(), **kwargs)
        if not activity.party_effort_as_written:
            self.columns.hide("as_written")


class IndicatorColumn(RowHeaderColumn):
    """The LIKA indicator naming a coverage row, marked when no activity addresses it."""

    def render(self, record):
        code = format_html('<abbr title="{}">{}</abbr>', record.indicator.text, record.indicator.code)
        if record.addressed:
            return code
        return format_html('{} <span class="tag">{}</span>', code, _("not addressed"))

    def value(self, record):
        return f"{record.indicator.code} {record.indicator.text}"


class CoverageColumn(tables.Column):
    """One column of a coverage matrix: the activities of that column addressing the row's indicator."""

    def __init__(self, index, *, header, cell, cell_text, **kwargs):
        self.cell, self.cell_text = cell, cell_text
        super().__init__(accessor=tables.A(f"cells__{index}"), verbose_name=header, empty_values=(), **kwargs)

    def render(self, value):
        return self.cell(value)

    def value(self, value):
        return self.cell_text(value)


class CoverageTable(BaseTable):
    """LIKA indicators × columns (``activities.coverage.Coverage``): a row per indicator."""

    indicator = IndicatorColumn(verbose_name=_("Indicator"), empty_values=())

    class Meta(BaseTable.Meta):
        orderable = False
        per_page = 10_000
        attrs = {"class": "data matrix"}
        row_attrs = {"class": lambda record: "addressed" if record.addressed else "unaddressed"}

    export_title = _("LIKA coverage")

    def __init__(self, coverage, *, header, header_text, cell, cell_text, column_attrs=None, **kwargs):
        columns = [
            (
                f"column_{index}",
                CoverageColumn(index, header=header(column), cell=cell, cell_text=cell_text, attrs=column_attrs or {}),
            )
            for index, column in enumerate(coverage.columns)
        ]
        super().__init__(coverage.rows, extra_columns=columns, **kwargs)
        self.header_texts = {f"column_{index}": header_text(column) for index, column in enumerate(coverage.columns)}

    def as_values(self, exclude_columns=None):
        """As django-tables2's, with the columns' headers as text (on the page they are links)."""
        rows = super().as_values(exclude_columns=exclude_columns)
        headers = next(rows)
        names = [  # the columns django-tables2 exports, in its order
            column.name
            for column in self.columns.iterall()
            if not (column.column.exclude_from_export or column.name in (exclude_columns or ()))
        ]
        yield [self.header_texts.get(name, header) for name, header in zip(names, headers, strict=True)]
        yield from rows


def activity_header(activity):
    return format_html(
        '<a href="{}" title="{}">{}</a><span class="visually-hidden"> {}</span>',
        activity.get_absolute_url(),
        activity.title,
        activity.number or "–",
        activity.title,
    )


def addressed_mark(activities):
    if not activities:
        return ""
    return format_html('<span aria-hidden="true">●</span><span class="visually-hidden">{}</span>', _("Yes"))


def activity_text(activity) -> str:
    return f"{activity.number} {activity.title}" if activity.number else activity.title


def addressed_text(activities) -> str:
    return _("Yes") if activities else ""


def activity_numbers(activities) -> str:
    return ", ".join(activity.number or activity.title for activity in activities)


def activity_links(activities):
    return format_html_join(", ", '<a href="{}">{}</a>', ((a.get_absolute_url(), a.number or "–") for a in activities))


def plan_coverage_table(coverage) -> CoverageTable:
    """Indicators × a plan's activities: a mark where the activity addresses the indicator."""
    attrs = {"th": {"class": "matrix-col"}, "td": {"class": "matrix-cell"}}
    return CoverageTable(
        coverage,
        header=activity_header,
        header_text=activity_text,
        cell=addressed_mark,
        cell_text=addressed_text,
        column_attrs=attrs,
    )


def cooperation_coverage_table(coverage) -> CoverageTable:
    """Indicators × a cooperation's plans: the plan's activities addressing the indicator, linked."""

    def plan_header(plan):
        return format_html('<a href="{}">{}</a>', reverse("lika:plan", args=[plan.pk]), plan.title)

    return CoverageTable(
        coverage,
        header=plan_header,
        header_text=plain_title,
        cell=activity_links,
        cell_text=activity_numbers,
    )


class MilestoneStateColumn(tables.Column):
    """Whether the milestone is reached (and when), late ("Försenad", in words: never colour alone)
    or still ahead."""

    def __init__(self, **kwargs):
        kwargs.setdefault("verbose_name", _("State"))
        super().__init__(accessor="pk", orderable=False, empty_values=(), **kwargs)

    def render(self, record):
        if record.reached:
            date = format_html('<span class="date">{}</span>', record.reached.isoformat())
            return mark_safe(conditional_escape(_("Reached %(date)s")) % {"date": date})  # the date kept on one line
        if record.is_late:
            return badge("late", pgettext("milestone", "Late"))
        return _("Not reached yet")

    def value(self, record):
        if record.reached:
            return _("Reached %(date)s") % {"date": record.reached.isoformat()}
        return pgettext("milestone", "Late") if record.is_late else _("Not reached yet")


class MilestoneTable(BaseTable):
    """One activity's milestones ("delmål") by due date; the coordinator's controls in the last column."""

    title = RowHeaderTemplateColumn(
        template_name="activities/includes/milestone_title_cell.html", verbose_name=_("Milestone")
    )
    due_date = tables.DateColumn(verbose_name=_("Due date"), format="Y-m-d", attrs={"td": {"class": "date"}})
    state = MilestoneStateColumn()
    controls = tables.TemplateColumn(
        template_name="activities/includes/milestone_controls.html", verbose_name=_("Change"), orderable=False
    )

    class Meta(BaseTable.Meta):
        orderable = False
        per_page = 10_000
        empty_text = _("No milestones yet.")

    def __init__(self, activity, *, can_change: bool, **kwargs):
        super().__init__(activity.milestones.all(), **({} if can_change else {"exclude": ["controls"]}) | kwargs)


# --- Status per municipality ----------------------------------------------------------------------

NOT_REPORTED = _("not reported")


def municipal_status_cell(status, *, dated=True):
    """A municipality's status as a symbol beside its word ("✓ Infört"), never a colour alone, with
    its date; "–" with "not reported" in words (for screen readers; the legend says it to the eye)."""
    if status is None:
        return format_html('<span aria-hidden="true">–</span><span class="visually-hidden">{}</span>', NOT_REPORTED)
    date = format_html('<br><span class="date">{}</span>', status.date.isoformat()) if dated else ""
    return format_html(
        '<span class="municipal-status"><span aria-hidden="true">{}</span> {}</span>{}',
        status.symbol,
        status_badge(status),
        date,
    )


class MunicipalityStatusColumn(tables.Column):
    """One member municipality's latest status on the row's activity (``ActivityStatuses``)."""

    def __init__(self, municipality, **kwargs):
        self.municipality_pk = municipality.pk
        kwargs.setdefault("attrs", {"th": {"class": "municipality-col"}, "td": {"class": "matrix-cell"}})
        super().__init__(accessor="activity", verbose_name=municipality.display_name, empty_values=(), **kwargs)

    def render(self, record):
        return municipal_status_cell(record.status_of(self.municipality_pk))

    def value(self, record):
        status = record.status_of(self.municipality_pk)
        return status.get_status_display() if status else ""


class MunicipalStatusMatrix(BaseTable):
    """A plan's every-member activities × its member municipalities: each one's latest status (the
    sentence "3 av 13 kommuner har infört" is said above it, templates/activities/includes/municipal_matrix.html)."""

    activity = RowHeaderColumn(
        verbose_name=_("Activity"), linkify=lambda record: record.activity.get_absolute_url(), empty_values=()
    )

    class Meta(BaseTable.Meta):
        orderable = False
        per_page = 10_000
        attrs = {"class": "data matrix municipal-matrix"}

    def __init__(self, rows, *, members, **kwargs):
        columns = [(f"municipality_{member.pk}", MunicipalityStatusColumn(member)) for member in members]
        super().__init__(rows, extra_columns=columns, **kwargs)


class MunicipalStatusTable(BaseTable):
    """One activity's status per member municipality: the latest of each, with its date and comment."""

    municipality = RowHeaderColumn(verbose_name=_("Municipality"), accessor="0__name")
    status = tables.Column(verbose_name=_("Status"), accessor="1", empty_values=())
    date = tables.Column(verbose_name=_("Date"), accessor="1__date", default="–", attrs={"td": {"class": "nowrap"}})
    comment = tables.Column(verbose_name=_("Comment"), accessor="1__comment", default="")

    class Meta(BaseTable.Meta):
        orderable = False
        per_page = 10_000

    def render_status(self, value):
        return municipal_status_cell(value, dated=False)

    def render_date(self, value):
        return value.isoformat()
