"""Activities imported from a table (``plans.imports``): the columns an activity table has, how each
cell is read and checked, and the activities created.

Cells are read as plans write them (``activities.as_written``, the same readers that load seed 003's
table): effort as written ("24 timmar/ person" is 24 hours per person; "Egen uträkning" is kept as
text), periods ("2016–2018", "Utifrån behov"), LIKA codes ("L19, K6", or "L19: …"), national
references with their pages. The product's own spreadsheet of a plan's activities (the plan page's
XLSX or CSV) maps itself: its headers are the fields' labels.
"""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Max, Q
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ehalsa.spreadsheets import text_of
from ehalsa.text import normalised_label
from plans.imports.cells import choice_names, model_errors, year_of, yes_or_no
from plans.imports.registry import CheckedRow, Checker, Field, Importer, row_list, stamp

from .as_written import (
    is_plain_hours,
    parse_effort,
    parse_lika_codes,
    parse_period,
    parse_references,
    parse_role,
    reference_area,
    reference_text,
)
from .models import PHASE_OF_STATUS, Activity, ActivityReference, Area, Framework, LikaIndicator, hours_text

LIKA_FORMAT = re.compile(r"^[LIKA]\d{1,3}$")
REFERENCE = "reference:"

FIELDS = [
    Field(
        "number",
        gettext_lazy("No."),
        headers=("nr", "nr i gant", "nummer", "aktivitetsnummer", "insatsnummer", "no", "number"),
        help=gettext_lazy("As written in the plan, e.g. 7a or 12; each number once in the plan."),
    ),
    Field("area", gettext_lazy("Area"), headers=("område", "area", "insatsområde")),
    Field(
        "title",
        gettext_lazy("Activity"),
        headers=("aktivitet", "aktiviteter", "rubrik", "titel", "namn", "benämning", "activity", "title"),
        required=True,
    ),
    Field("content", gettext_lazy("Content"), headers=("innehåll", "hur", "beskrivning", "innehåll/hur", "content")),
    Field("benefit", gettext_lazy("Benefit"), headers=("nytta", "benefit")),
    Field("owner", gettext_lazy("Responsible"), headers=("ansvarig", "ansvar", "responsible", "owner")),
    Field("effect_goal", gettext_lazy("Effect goal"), headers=("effektmål", "förväntad effekt", "effect goal")),
    Field(
        "effort",
        gettext_lazy("Effort"),
        headers=("insats", "finansiering", "tidsåtgång", "insats (timmar)", "timmar", "omfattning", "effort"),
        help=gettext_lazy("As written: “50 timmar”, “24 timmar/ person”, “Egen uträkning”."),
    ),
    Field(
        "period",
        gettext_lazy("Period"),
        headers=("period", "tidsperiod", "tid", "när"),
        help=gettext_lazy("2016–2018, 2017, or in words (“Utifrån behov”)."),
    ),
    Field("start_year", gettext_lazy("From year"), headers=("från år", "startår", "from year")),
    Field("end_year", gettext_lazy("To year"), headers=("till år", "slutår", "to year")),
    Field(
        "regional_support",
        gettext_lazy("Regional support"),
        headers=("regionalt samarbetsorgan", "regionalt stöd", "regional support"),
    ),
    Field("regional_role", gettext_lazy("Regional role"), headers=("regional roll", "regional role")),
    Field(
        "lika",
        gettext_lazy("LIKA indicators"),
        headers=("lika", "lika-indikator", "område i lika socialtjänst", "lika socialtjänst"),
        contains=("lika",),
        help=gettext_lazy("Codes such as L19, K6, A28; or “L19: …” as the seed plans write them."),
    ),
    Field(
        "references",
        gettext_lazy("National references"),
        headers=("nationella referenser", "nationell referens", "national references"),
        help=gettext_lazy("One a line, each beginning with its framework: “Vision e-hälsa 2025: Standarder (sid 8)”."),
    ),
    Field(
        "whole_municipality",
        gettext_lazy("Concerns the whole municipality"),
        headers=("hela kommunen", "*"),
        contains=("hela kommunen",),
        help=gettext_lazy("Ja or nej. Without this column, an activity whose name ends with * concerns it."),
    ),
    Field(
        "every_member",
        gettext_lazy("Carried out by every member municipality"),
        headers=("varje medlemskommun",),
        contains=("varje medlemskommun",),
        help=gettext_lazy("Ja or nej."),
    ),
    Field("status", gettext_lazy("Status"), headers=("status",)),
]


def framework_fields() -> list[Field]:
    """A field for each national framework's references: "SKL Rekommendation …" is SKL's."""
    frameworks = list(Framework.objects.order_by("name"))
    fields = []
    for framework in frameworks:
        first = framework.short_name.split()[0]
        unique = sum(1 for other in frameworks if other.short_name.split()[0] == first) == 1
        contains = ("vision",) if framework.is_vision else ((first,) if unique and first.isupper() else ())
        fields.append(
            Field(
                f"{REFERENCE}{framework.short_name}",
                _("National reference: %(framework)s") % {"framework": framework.short_name},
                headers=(framework.short_name, framework.name),
                contains=contains,
                help=_("The references to %(framework)s, with their pages: “Regelverk (sid 6)”.")
                % {"framework": framework.name},
            )
        )
    return fields


def effort_preview(hours, basis: str, note: str) -> str:
    """Effort as the preview shows it: as written, then what is read from it ("24 timmar/ person: 24 h
    (timmar per person)"); ``basis``: the basis's label."""
    if hours is not None:
        read = f"{hours_text(hours)} ({basis})" if basis else hours_text(hours)
    else:
        read = "" if basis.lower() == note.lower() else basis
    return f"{note}: {read}" if note and read else note or read


class ActivityChecker(Checker):
    def __init__(self, plan, mapped: set[str]):
        self.plan, self.mapped = plan, mapped
        areas = Area.objects.filter(Q(cooperation=None) | Q(cooperation=plan.cooperation_id))
        self.areas = {area.name.lower(): area for area in areas}
        self.area_names = [area.name for area in areas]
        self.indicators = {indicator.code: indicator for indicator in LikaIndicator.objects.all()}
        self.frameworks = {
            framework.short_name: (framework, list(framework.areas.all()))
            for framework in Framework.objects.prefetch_related("areas")
        }
        self.framework_names = sorted(self.frameworks, key=len, reverse=True)  # the longest name first
        self.existing = dict(plan.activities.exclude(number="").values_list("number", "title"))
        self.numbers: dict[str, list[int]] = {}  # the rows of each number in the file
        self.efforts: dict = {}  # effort as written → (hours, basis, note, as the preview shows it)
        inverse_phase = {str(phase.label).lower(): status for status, phase in PHASE_OF_STATUS.items()}
        self.statuses = choice_names(Activity.Status, inverse_phase)
        self.roles = choice_names(Activity.RegionalRole)
        # Labels in the import's language, once: looked up for every row.
        self.status_labels = {value: str(label) for value, label in Activity.Status.choices}
        self.role_labels = {value: str(label) for value, label in Activity.RegionalRole.choices}
        self.basis_labels = {value: str(label) for value, label in Activity.EffortBasis.choices}

    def row(self, number: int, cells: dict) -> CheckedRow:
        row = CheckedRow(number)
        activity = Activity(plan=self.plan)
        text = {key: text_of(value).strip() for key, value in cells.items()}
        self.read_names(row, activity, text)
        self.read_effort(row, activity, cells)
        self.read_period(row, activity, cells, text)
        for key in ("content", "benefit", "owner", "effect_goal", "regional_support"):
            if key in text:
                setattr(activity, key, text[key])
                row.values[key] = text[key]
        self.read_choices(row, activity, text)
        self.read_flags(row, activity, cells)
        indicators = self.read_lika(row, text.get("lika", ""))
        references = self.read_references(row, cells)
        self.validate(row, activity, references)
        row.data = {"activity": activity, "indicators": indicators, "references": references}
        return row

    def read_names(self, row: CheckedRow, activity: Activity, text: dict) -> None:
        title = text.get("title", "")
        if title.endswith("*") and "whole_municipality" not in self.mapped:
            title = title.rstrip(" *")  # seed 003 marks an activity of the whole municipality so
            activity.whole_municipality = True
        activity.title = title
        row.values["title"] = title
        if not title:
            row.error(_("the activity has no name (the column mapped to Activity is empty)."))
        if "number" in text:
            activity.number = normalised_label(text["number"])
            row.values["number"] = activity.number
            if activity.number:
                self.numbers.setdefault(activity.number, []).append(row.number)
            if activity.number in self.existing:
                row.error(
                    _("the plan already has an activity numbered %(number)s (“%(title)s”).")
                    % {"number": activity.number, "title": self.existing[activity.number][:60]}
                )
        if text.get("area"):
            activity.area = self.areas.get(text["area"].lower())
            row.values["area"] = text["area"]
            if activity.area is None:
                row.error(
                    _("the area “%(area)s” does not exist. The areas are: %(areas)s.")
                    % {"area": text["area"], "areas": ", ".join(self.area_names)}
                )

    def read_effort(self, row: CheckedRow, activity: Activity, cells: dict) -> None:
        if "effort" not in cells:
            return
        value = cells["effort"]
        if value not in self.efforts:  # tables write the same few efforts again and again: read each once
            if isinstance(value, Decimal):  # a number alone: hours in total
                hours, basis, note = value, Activity.EffortBasis.TOTAL, ""
            else:
                written = " ".join(text_of(value).split())
                effort = parse_effort(written)
                hours, basis, note = effort.hours, effort.basis, "" if is_plain_hours(written) else written
            shown = effort_preview(hours, self.basis_labels.get(basis, ""), note)
            self.efforts[value] = (hours, basis, note, shown)
        activity.effort_hours, activity.effort_basis, activity.effort_note, row.values["effort"] = self.efforts[value]

    def read_period(self, row: CheckedRow, activity: Activity, cells: dict, text: dict) -> None:
        if "period" in text:
            activity.start_year, activity.end_year, activity.period_note = parse_period(text["period"])
        for key, label in (("start_year", _("From year")), ("end_year", _("To year"))):
            if key not in cells:
                continue
            try:
                setattr(activity, key, year_of(cells[key]))
            except ValidationError as error:
                row.error(f"{label}: {error.messages[0]}")
        start, end = activity.start_year, activity.end_year
        if start and end and end < start:
            row.error(_("the period ends before it starts (%(start)s–%(end)s).") % {"start": start, "end": end})
        if "period" in cells or "start_year" in cells or "end_year" in cells:
            row.values["period"] = activity.period

    def read_choices(self, row: CheckedRow, activity: Activity, text: dict) -> None:
        if text.get("status"):
            status = self.statuses.get(text["status"].lower())
            if status is None:
                row.error(
                    _("the status “%(status)s” is not one of %(choices)s.")
                    % {
                        "status": text["status"],
                        "choices": get_text_list([str(c.label) for c in Activity.Status], _("or")),
                    }
                )
            else:
                activity.status = status
        if "status" in text:
            row.values["status"] = self.status_labels[activity.status]
        if "regional_role" in text:
            role = self.roles.get(text["regional_role"].lower(), None) if text["regional_role"] else ""
            if role is None:
                row.error(
                    _("the regional role “%(role)s” is not one of %(choices)s.")
                    % {
                        "role": text["regional_role"],
                        "choices": get_text_list([str(c.label) for c in Activity.RegionalRole], _("or")),
                    }
                )
            activity.regional_role = role or ""
        else:
            activity.regional_role = parse_role(activity.regional_support)  # "Driver …", "Stödjer …"
        if "regional_role" in text or "regional_support" in text:
            row.values["regional_role"] = self.role_labels.get(activity.regional_role, "")

    def read_flags(self, row: CheckedRow, activity: Activity, cells: dict) -> None:
        for key, label in (
            ("whole_municipality", _("Concerns the whole municipality")),
            ("every_member", _("Carried out by every member municipality")),
        ):
            if key not in cells:
                continue
            flag = yes_or_no(cells[key])
            if flag is None:
                row.error(
                    _("%(field)s: write ja or nej (the cell says “%(value)s”).")
                    % {"field": label, "value": text_of(cells[key])[:40]}
                )
            setattr(activity, key, bool(flag))
            row.values[key] = _("Yes") if flag else _("No")

    def read_lika(self, row: CheckedRow, text: str) -> list:
        codes = parse_lika_codes(text)  # "L19: Förvaltningen följer …"
        if not codes:
            for token in (token for token in re.split(r"[\s,;/]+", text) if token):
                if LIKA_FORMAT.match(token.upper()):
                    codes.append(token.upper())
                else:
                    row.error(_("“%(text)s” is not a LIKA code (such as L19 or A28).") % {"text": token[:40]})
        codes = list(dict.fromkeys(codes))
        for code in codes:
            if code not in self.indicators:
                row.error(_("the LIKA indicator %(code)s does not exist.") % {"code": code})
        if text:
            row.values["lika"] = ", ".join(codes)
        return [self.indicators[code] for code in codes if code in self.indicators]

    def read_references(self, row: CheckedRow, cells: dict) -> list[ActivityReference]:
        references = []
        for key in sorted(key for key in cells if key.startswith(REFERENCE)):
            known = self.frameworks.get(key.removeprefix(REFERENCE))
            if known is None:
                continue  # a framework removed since the columns were mapped
            found = self.references(known, text_of(cells[key]))
            references += found
            row.values[key] = "\n".join(reference_text(reference) for reference in found)
        if "references" in cells:
            found = []
            for line in (line.strip() for line in text_of(cells["references"]).splitlines()):
                name = next(
                    (name for name in self.framework_names if line.lower().startswith(f"{name.lower()}:")), None
                )
                if name is None:
                    if line:
                        row.error(
                            _("the reference “%(line)s” does not begin with the name of a framework (%(names)s).")
                            % {"line": line[:60], "names": ", ".join(sorted(self.frameworks))}
                        )
                    continue
                found += self.references(self.frameworks[name], line[len(name) + 1 :])
            references += found
            row.values["references"] = "\n".join(reference_text(reference) for reference in found)
        return references

    @staticmethod
    def references(known: tuple, text: str) -> list[ActivityReference]:
        framework, areas = known
        found = []
        for piece, page in parse_references(text):
            area, kept = reference_area(piece, areas)
            found.append(ActivityReference(framework=framework, area=area, text=kept, page=page))
        return found

    def validate(self, row: CheckedRow, activity: Activity, references: list) -> None:
        """The model's own rules (lengths, numbers, the plan's years), in its words. Rows it points at
        were read from the database, so their keys are not looked up again."""
        try:
            # Only the fields a cell can make wrong (lengths, hours, years): the others are read from
            # fixed choices or are free text. An empty name is said already, in the import's own words.
            checked = {"number", "owner", "effort_hours", "effort_note", "start_year", "end_year", "period_note"}
            if activity.title:
                checked.add("title")
            activity.clean_fields(exclude=[f.name for f in Activity._meta.concrete_fields if f.name not in checked])
            activity.clean()
        except ValidationError as error:
            for message in model_errors(error, Activity):
                row.error(message)
        for reference in references:
            try:
                reference.clean_fields(exclude=["activity", "framework", "area"])
            except ValidationError as error:
                for message in model_errors(error, ActivityReference):
                    row.error(message)

    def finish(self) -> dict[int, list[str]]:
        later: dict[int, list[str]] = {}
        for number, rows in self.numbers.items():
            if len(rows) > 1:
                message = _("Rows %(rows)s have the same activity number %(number)s.") % {
                    "rows": row_list(rows),
                    "number": number,
                }
                for row in rows:
                    later.setdefault(row, []).append(message)
        return later


class ActivityImporter(Importer):
    kind = "activities"
    slug = "aktiviteter"
    title = gettext_lazy("Import activities from Excel")

    def fields(self, plan) -> list[Field]:
        return [*FIELDS, *framework_fields()]

    def checker(self, plan, mapped: set[str]) -> Checker:
        return ActivityChecker(plan, mapped)

    def create(self, plan, rows: list[CheckedRow], *, user, reason: str) -> list[int]:
        order = plan.activities.aggregate(highest=Max("order"))["highest"] or 0
        ids = []
        for row in rows:
            activity = stamp(row.data["activity"], user, reason)
            activity.plan = plan
            order += 1
            activity.order = order
            activity.save()
            if row.data["indicators"]:
                activity.lika_indicators.set(row.data["indicators"])
            for reference in row.data["references"]:
                reference.activity = activity
                stamp(reference, user, reason).save()
            ids.append(activity.pk)
        return ids

    def created(self, plan, ids: list[int]):
        return Activity.objects.filter(plan=plan, pk__in=ids).select_related("area").order_by("order", "pk")

    def count_text(self, count: int) -> str:
        return ngettext("%(count)s activity", "%(count)s activities", count) % {"count": count}

    def back_url(self, plan) -> str:
        return f"{plan.get_absolute_url()}#aktiviteter"

    def help_text(self) -> str:
        return _(
            "A table of activities, one a row, with a header row naming the columns (a title above it and "
            "empty rows are passed over). The plan page's own spreadsheet of activities can be imported as "
            "it is. On the next page you choose what each column holds."
        )
