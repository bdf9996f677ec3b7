"""Budget lines imported from a table (``plans.imports``): the columns a budget table has, how each
cell is read and checked, and the lines created.

Amounts as Swedes write them ("1 200,5", "−300 000 kr"); costs may be written with a minus sign,
as budgets show them. Without a column saying the kind, a negative amount is a cost and a positive
one an income. Parties and headings are named as the budget page names them; a heading the plan
does not have yet is created with the lines (the preview says so).
"""

import re
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ehalsa.money import format_kronor
from ehalsa.spreadsheets import parse_number, text_of
from plans.imports.cells import choice_names, date_of, model_errors, year_of
from plans.imports.registry import CheckedRow, Checker, Field, Importer, row_list, stamp

from .models import BudgetEntry, BudgetHeading

ORE = Decimal("0.01")
ESTIMATED = {"beräknad", "beräknat", "beräknade", "budget", "prognos", "ja", "estimated", "estimate", "yes"}
ACTUAL = {"utfall", "faktisk", "faktiskt", "verklig", "nej", "actual", "no", ""}

FIELDS = [
    Field("year", gettext_lazy("Year"), headers=("år", "budgetår", "year"), required=True),
    Field(
        "description",
        gettext_lazy("Description"),
        headers=("beskrivning", "rad", "text", "post", "budgetpost", "benämning", "line", "description"),
        required=True,
    ),
    Field(
        "amount",
        gettext_lazy("Amount (kr)"),
        headers=("belopp", "summa", "summa (kr)", "totalt (kr)", "total (kr)", "kronor", "kr", "amount"),
        required=True,
        help=gettext_lazy("1 200,5 or −300 000 kr; a cost may have a minus sign."),
    ),
    Field(
        "kind",
        gettext_lazy("Kind"),
        headers=("typ", "slag", "kind"),
        help=gettext_lazy(
            "Intäkt, Kostnad or Ingående balans. Without this column a negative amount is a cost and a positive "
            "one an income."
        ),
    ),
    Field("category", gettext_lazy("Category"), headers=("kategori", "källa", "intäktskälla", "category")),
    Field("heading", gettext_lazy("Heading"), headers=("rubrik", "budgetrubrik", "heading")),
    Field("party", gettext_lazy("Party"), headers=("part", "finansierande part", "bokförs på", "party")),
    Field(
        "estimate",
        gettext_lazy("Actual or estimated"),
        headers=("utfall eller beräknat", "beräknad", "beräknat", "estimated"),
        help=gettext_lazy("“beräknad” or “utfall”."),
    ),
    Field("start_date", gettext_lazy("From"), headers=("från", "från datum", "from")),
    Field("end_date", gettext_lazy("To"), headers=("till", "till datum", "to")),
    Field("repeat", gettext_lazy("Over the years"), headers=("över åren", "over the years")),
    Field("last_year", gettext_lazy("Until"), headers=("till och med år", "sista år", "until")),
    Field(
        "co_financing_percent",
        gettext_lazy("Co-financing required (%)"),
        headers=("medfinansiering (%)", "medfinansiering", "krav på medfinansiering"),
    ),
    Field("outcome", gettext_lazy("Outcome (kr)"), headers=("utfall (kr)", "outcome")),
    Field(
        "activities",
        gettext_lazy("Activities"),
        headers=("aktiviteter", "aktivitet nr", "insatser", "activities"),
        help=gettext_lazy("The numbers of the activities the line pays for: “1, 7a”."),
    ),
]


def kronor_exact(amount: Decimal) -> str:
    """An amount as the preview shows it: to the öre when it has öre ("85 000,50 kr"), which the
    budget's pages round to whole kronor."""
    if amount == amount.to_integral_value():
        return format_kronor(amount)
    return f"{floatformat(amount, '2g')}\xa0kr"


def choices_text(choices) -> str:
    return get_text_list([str(choice.label) for choice in choices], _("or"))


class BudgetChecker(Checker):
    def __init__(self, plan, mapped: set[str]):
        self.plan, self.mapped = plan, mapped
        self.headings = {heading.title.lower(): heading for heading in plan.budget_headings.all()}
        self.new_headings: dict[str, str] = {}  # lower case → as first written
        parties = list(plan.parties.select_related("organisation"))
        self.parties = {}
        for party in parties:
            names = [party.display_name, party.name]
            if party.organisation_id:
                names += [party.organisation.name, party.organisation.short_name]
            self.parties |= {name.lower(): party for name in names if name}
        self.party_names = [party.display_name for party in parties]
        self.activities = {number: pk for pk, number in plan.activities.exclude(number="").values_list("pk", "number")}
        self.kinds = choice_names(
            BudgetEntry.Kind,
            {
                "inkomst": BudgetEntry.Kind.INCOME,
                "utgift": BudgetEntry.Kind.COST,
                "ib": BudgetEntry.Kind.OPENING_BALANCE,
            },
        )
        self.categories = choice_names(BudgetEntry.Category)
        self.repeats = choice_names(BudgetEntry.Repeat)
        self.opening = list(
            plan.budget_entries.filter(kind=BudgetEntry.Kind.OPENING_BALANCE).values_list("pk", flat=True)
        )
        self.opening_rows: list[int] = []

    def row(self, number: int, cells: dict) -> CheckedRow:
        row = CheckedRow(number)
        entry = BudgetEntry(plan=self.plan)
        text = {key: text_of(value).strip() for key, value in cells.items()}
        entry.description = text.get("description", "")
        row.values["description"] = entry.description
        if not entry.description:
            row.error(_("the line has no description (the column mapped to Description is empty)."))
        self.read_years(row, entry, cells)
        self.read_amounts(row, entry, cells, text)
        self.read_choices(row, entry, text)
        heading = self.read_heading(row, text)
        self.read_party(row, entry, text)
        activities = self.read_activities(row, text)
        self.validate(row, entry)
        if entry.kind == BudgetEntry.Kind.OPENING_BALANCE:
            self.opening_rows.append(number)
            if self.opening:
                row.error(_("the budget has an opening balance already, and it has only one."))
        row.data = {"entry": entry, "heading": heading, "activities": activities}
        return row

    def read_years(self, row: CheckedRow, entry: BudgetEntry, cells: dict) -> None:
        for key, label in (("year", _("Year")), ("last_year", _("Until"))):
            if key in cells:
                try:
                    setattr(entry, key, year_of(cells[key]))
                except ValidationError as error:
                    row.error(f"{label}: {error.messages[0]}")
                    continue
            if key == "year" and entry.year is None:
                row.error(_("the line has no year."))
        row.values["year"] = str(entry.year or "")
        for key, label in (("start_date", _("From")), ("end_date", _("To"))):
            if key in cells:
                try:
                    setattr(entry, key, date_of(cells[key]))
                except ValidationError as error:
                    row.error(f"{label}: {error.messages[0]}")
                row.values[key] = getattr(entry, key).isoformat() if getattr(entry, key) else ""
        if "last_year" in cells:
            row.values["last_year"] = str(entry.last_year or "")

    def read_amounts(self, row: CheckedRow, entry: BudgetEntry, cells: dict, text: dict) -> None:
        amount = parse_number(cells.get("amount"))
        if amount is None:
            if text.get("amount"):
                row.error(_("the amount “%(value)s” is not a number.") % {"value": text["amount"][:40]})
            else:
                row.error(_("the line has no amount."))
        else:
            row.values["amount"] = kronor_exact(abs(amount.quantize(ORE, rounding=ROUND_HALF_UP)))
        amount = (amount or Decimal(0)).quantize(ORE, rounding=ROUND_HALF_UP)
        if "kind" in text:
            kind = self.kinds.get(text["kind"].lower())
            if kind is None:
                row.error(
                    _("the kind “%(kind)s” is not one of %(choices)s.")
                    % {"kind": text["kind"] or "–", "choices": choices_text(BudgetEntry.Kind)}
                )
            elif amount < 0 and kind != BudgetEntry.Kind.COST:
                row.error(_("only a cost may be written with a minus sign."))
            entry.kind = kind or ""
        else:
            entry.kind = BudgetEntry.Kind.COST if amount < 0 else BudgetEntry.Kind.INCOME
        entry.amount = abs(amount)
        row.values["kind"] = entry.get_kind_display() if entry.kind else text.get("kind", "")
        for key in ("co_financing_percent", "outcome"):
            if text.get(key):
                value = parse_number(cells[key])
                if value is None:
                    row.error(_("“%(value)s” is not a number.") % {"value": text[key][:40]})
                else:
                    setattr(entry, key, abs(value).quantize(ORE, rounding=ROUND_HALF_UP))
                    row.values[key] = text[key]

    def read_choices(self, row: CheckedRow, entry: BudgetEntry, text: dict) -> None:
        for key, names, choices in (
            ("category", self.categories, BudgetEntry.Category),
            ("repeat", self.repeats, BudgetEntry.Repeat),
        ):
            if text.get(key):
                value = names.get(text[key].lower())
                if value is None:
                    row.error(
                        _("“%(value)s” is not one of %(choices)s.")
                        % {"value": text[key][:40], "choices": choices_text(choices)}
                    )
                else:
                    setattr(entry, key, value)
                    row.values[key] = str(choices(value).label)
        if "estimate" in text:
            written = text["estimate"].lower()
            if written not in ESTIMATED | ACTUAL:
                row.error(
                    _("Actual or estimated: write “beräknad” or “utfall” (the cell says “%(value)s”).")
                    % {"value": text["estimate"][:40]}
                )
            entry.is_estimate = written in ESTIMATED
            row.values["estimate"] = _("estimated") if entry.is_estimate else _("actual")

    def read_heading(self, row: CheckedRow, text: dict) -> str:
        title = " ".join(text.get("heading", "").split())
        if title:
            row.values["heading"] = title
            if len(title) > 100:
                row.error(_("the heading is longer than 100 characters."))
            elif title.lower() not in self.headings:
                self.new_headings.setdefault(title.lower(), title)
        return title

    def read_party(self, row: CheckedRow, entry: BudgetEntry, text: dict) -> None:
        name = text.get("party", "")
        if not name or name.lower() in {_("Common").lower(), "gemensamt", "gemensam", "common"}:
            return
        entry.party = self.parties.get(name.lower())
        row.values["party"] = name
        if entry.party is None:
            row.error(
                _("the party “%(party)s” is not a party of the plan. Its parties are: %(parties)s.")
                % {"party": name[:60], "parties": ", ".join(self.party_names) or "–"}
            )

    def read_activities(self, row: CheckedRow, text: dict) -> list[int]:
        numbers = [number for number in re.split(r"[\s,;]+", text.get("activities", "")) if number]
        unknown = [number for number in numbers if number not in self.activities]
        if unknown:
            row.error(
                ngettext(
                    "the plan has no activity numbered %(numbers)s.",
                    "the plan has no activities numbered %(numbers)s.",
                    len(unknown),
                )
                % {"numbers": get_text_list(unknown, _("or"))}
            )
        if numbers:
            row.values["activities"] = ", ".join(numbers)
        return [self.activities[number] for number in numbers if number in self.activities]

    def validate(self, row: CheckedRow, entry: BudgetEntry) -> None:
        if entry.year is None or not entry.kind:
            return  # said already; the model's rules need both
        try:
            entry.clean_fields(exclude=["plan", "heading", "party", "activities"])
            entry.clean()
        except ValidationError as error:
            for message in model_errors(error, BudgetEntry):
                row.error(message)

    def finish(self) -> dict[int, list[str]]:
        if len(self.opening_rows) < 2 or self.opening:
            return {}  # one in the file (or the plan's own): said with the row
        message = _("Rows %(rows)s are each an opening balance; the budget has only one.") % {
            "rows": row_list(self.opening_rows)
        }
        return {row: [message] for row in self.opening_rows}

    def notes(self) -> list[str]:
        if not self.new_headings:
            return []
        return [
            _("New budget headings will be created: %(headings)s.")
            % {"headings": ", ".join(self.new_headings.values())}
        ]


class BudgetImporter(Importer):
    kind = "budget"
    slug = "budgetrader"
    title = gettext_lazy("Import budget lines")

    def fields(self, plan) -> list[Field]:
        return FIELDS

    def checker(self, plan, mapped: set[str]) -> Checker:
        return BudgetChecker(plan, mapped)

    def create(self, plan, rows: list[CheckedRow], *, user, reason: str) -> list[int]:
        headings = {heading.title.lower(): heading for heading in plan.budget_headings.all()}
        heading_order = plan.budget_headings.aggregate(highest=Max("order"))["highest"] or 0
        order = plan.budget_entries.aggregate(highest=Max("order"))["highest"] or 0
        ids = []
        for row in rows:
            entry = stamp(row.data["entry"], user, reason)
            if title := row.data["heading"]:
                if title.lower() not in headings:
                    heading_order += 1
                    heading = stamp(BudgetHeading(plan=plan, title=title, order=heading_order), user, reason)
                    heading.save()
                    headings[title.lower()] = heading
                entry.heading = headings[title.lower()]
            entry.plan = plan
            order += 1
            entry.order = order
            entry.save()
            if row.data["activities"]:
                entry.activities.set(row.data["activities"])
            ids.append(entry.pk)
        return ids

    def created(self, plan, ids: list[int]):
        return BudgetEntry.objects.filter(plan=plan, pk__in=ids).order_by("year", "order", "pk")

    def count_text(self, count: int) -> str:
        return ngettext("%(count)s budget line", "%(count)s budget lines", count) % {"count": count}

    def back_url(self, plan) -> str:
        return reverse("finance:budget", args=[plan.pk])

    def help_text(self) -> str:
        return _(
            "A table of budget lines, one a row, with a header row naming the columns: at least the year, a "
            "description and the amount. On the next page you choose what each column holds."
        )
