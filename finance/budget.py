"""A plan's budget, year by year: every line in the parties' columns, the common fund rolled forward,
the sources of income, and each party's share of the net cost.

A line booked to a party sits in that party's column; a line shared by the key is divided between
the parties by the key in force in its year (``KeyShare`` percentages; largest remainders, so the
parts add up to the line to the krona). The balance is the common fund's: each year opens with the
previous year's closing balance (the first year with the typed opening balance, or the previous
plan's closing balance carried over), adds the income and draws the costs of the parties that book
in the fund. Parties outside the fund pay their share directly (seed 000: the region).

The net cost is what the parties themselves pay: costs less income from outside (grants, prizes,
other income; the parties' own contributions and co-financing are their own money). Each party's
share of it is its part of the costs less its part of the outside income; the municipalities'
share is divided among them by the key's split. Every sum here is exact: shares add up to the whole.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from governance.models import Organisation

from .models import BudgetEntry, BudgetOutcome, CostSharingKey, FinancingParty, key_for_year, municipal_split
from .sharing import apportion

ZERO = Decimal(0)
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class CarriedBalance:
    """The opening balance taken from the previous plan's closing balance of the year before."""

    year: int
    amount: Decimal
    source: str  # the previous plan's title


@dataclass(frozen=True)
class BudgetLine:
    entry: BudgetEntry
    year: int
    amount: Decimal  # this year's amount of the line
    parts: dict  # party pk (None: the plan has no parties) -> part of the amount
    recorded: Decimal | None = None  # the outcome recorded after the adoption (BudgetOutcome)

    @property
    def is_cost(self) -> bool:
        return self.entry.is_cost

    def part(self, party) -> Decimal:
        return self.parts.get(party.pk if party is not None else None, ZERO)

    def signed(self, value: Decimal) -> Decimal:
        """As seed 000 writes them: costs with a minus sign."""
        return -value if self.is_cost else value

    @property
    def total(self) -> Decimal:
        return self.amount

    @property
    def signed_total(self) -> Decimal:
        return self.signed(self.amount)

    @property
    def outcome(self) -> Decimal | None:
        """What the line came to this year: as recorded after the adoption, else as the plan says."""
        return self.recorded if self.recorded is not None else self.entry.outcome


def total_of(lines) -> Decimal:
    return sum((line.amount for line in lines), ZERO)


def part_of(lines, party) -> Decimal:
    """``party``'s part of ``lines`` (None: the one common column of a plan without parties)."""
    return sum((line.part(party) for line in lines), ZERO)


@dataclass
class HeadingGroup:
    heading: object  # BudgetHeading or None
    lines: list[BudgetLine]

    @property
    def total(self) -> Decimal:
        return total_of(self.lines)


@dataclass
class BudgetYear:
    year: int
    parties: list  # the plan's FinancingParty rows; empty: one column for everything, in the fund
    opening_balance: Decimal = ZERO
    opening_line: BudgetEntry | None = None
    carried: CarriedBalance | None = None
    lines: list[BudgetLine] = field(default_factory=list)

    @property
    def columns(self) -> list:
        return self.parties or [None]

    @property
    def income_lines(self) -> list[BudgetLine]:
        return [line for line in self.lines if not line.is_cost]

    @property
    def cost_lines(self) -> list[BudgetLine]:
        return [line for line in self.lines if line.is_cost]

    @property
    def income_total(self) -> Decimal:
        return total_of(self.income_lines)

    @property
    def costs_total(self) -> Decimal:
        return total_of(self.cost_lines)

    def income_of(self, party) -> Decimal:
        return part_of(self.income_lines, party)

    def costs_of(self, party) -> Decimal:
        return part_of(self.cost_lines, party)

    @property
    def fund_columns(self) -> list:
        return [party for party in self.columns if party is None or party.in_fund]

    @property
    def closing_balance(self) -> Decimal:
        change = sum((self.income_of(party) - self.costs_of(party) for party in self.fund_columns), ZERO)
        return self.opening_balance + change

    @property
    def outside_income_lines(self) -> list[BudgetLine]:
        return [line for line in self.income_lines if line.entry.is_outside_income]

    @property
    def outside_income_total(self) -> Decimal:
        return total_of(self.outside_income_lines)

    @property
    def net_cost(self) -> Decimal:
        """What the parties themselves pay: the costs less the income from outside."""
        return self.costs_total - self.outside_income_total

    def net_share(self, party) -> Decimal:
        return self.costs_of(party) - part_of(self.outside_income_lines, party)

    def income_by_source(self) -> dict[str, Decimal]:
        sources: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for line in self.income_lines:
            sources[line.entry.category or BudgetEntry.Category.OTHER_INCOME] += line.amount
        return dict(sources)

    def groups(self, lines) -> list[HeadingGroup]:
        """The lines under their headings, in the headings' order; lines without one first."""
        by_heading: dict = {}
        for line in lines:
            by_heading.setdefault(line.entry.heading_id, []).append(line)
        headings = {line.entry.heading_id: line.entry.heading for line in lines if line.entry.heading_id}
        order = sorted(by_heading, key=lambda pk: (pk is not None, headings[pk].order if pk else 0, pk or 0))
        return [HeadingGroup(headings.get(pk), by_heading[pk]) for pk in order]

    @property
    def has_headings(self) -> bool:
        return any(line.entry.heading_id for line in self.lines)

    @property
    def is_estimate(self) -> bool:
        """A closing balance is estimated as soon as one line of its year is."""
        return any(line.entry.is_estimate for line in self.lines)

    @property
    def is_past(self) -> bool:
        return self.year < timezone.localdate().year


def parts_of(amount: Decimal, party, key, parties) -> dict:
    """Who carries ``amount``: the party it is booked to, else the parties by the key in force
    (without a key, every party equally); without parties, the one common column."""
    if not parties:
        return {None: amount}
    if party is not None:
        return {party.pk: amount}
    shares = [(share.party_id, share.percent) for share in key.shares.all()] if key is not None else []
    shares = [(pk, percent) for pk, percent in shares if percent]
    if not shares:
        shares = [(p.pk, Decimal(1)) for p in parties]
    return dict(zip([pk for pk, _ in shares], apportion(amount, [w for _, w in shares]), strict=True))


def compute_budget_years(
    entries: Iterable[BudgetEntry],
    keys,
    parties=(),
    *,
    last_year: int | None = None,
    carried: CarriedBalance | None = None,
    outcomes: dict | None = None,
) -> list[BudgetYear]:
    """Group the lines by year and roll the fund's balance forward, year after year.

    ``last_year`` is the plan's last year (where lines for every year or spread end by default);
    ``carried`` the previous plan's closing balance, used unless the plan types its opening balance;
    ``outcomes`` the outcomes recorded after the adoption, by (line's pk, year).
    """
    outcomes = outcomes or {}
    keys, parties = list(keys), list(parties)
    by_pk = {party.pk: party for party in parties}
    years: dict[int, BudgetYear] = {}

    def year_of(year: int) -> BudgetYear:
        return years.setdefault(year, BudgetYear(year=year, parties=parties))

    opening_line = None
    for entry in entries:
        if entry.kind == BudgetEntry.Kind.OPENING_BALANCE:
            opening_line = entry
            year_of(entry.year)
            continue
        party = by_pk.get(entry.party_id) if entry.party_id else None
        for year, amount in entry.amounts_by_year(last_year or entry.year):
            parts = parts_of(amount, party, key_for_year(keys, year), parties)
            year_of(year).lines.append(BudgetLine(entry, year, amount, parts, outcomes.get((entry.pk, year))))
    if carried is not None and opening_line is None:
        year_of(carried.year)
    result = []
    balance = None
    for year in range(min(years), max(years) + 1) if years else ():
        budget_year = year_of(year)
        if opening_line is not None and opening_line.year == year:
            budget_year.opening_line = opening_line
            budget_year.opening_balance = opening_line.amount
        elif opening_line is None and carried is not None and carried.year == year:
            budget_year.carried = carried
            budget_year.opening_balance = carried.amount
        elif balance is not None:
            budget_year.opening_balance = balance
        balance = budget_year.closing_balance
        result.append(budget_year)
    return result


def plan_budget(plan, *, carried: CarriedBalance | None = None) -> list[BudgetYear]:
    """A plan's budget years from its rows, the previous plan's closing balance carried over."""
    parties = list(plan.parties.select_related("organisation").prefetch_related("municipalities"))
    keys = list(plan.cost_keys.prefetch_related("shares", "municipal_amounts"))
    entries = (
        plan.budget_entries.select_related("heading").prefetch_related("activities").order_by("year", "order", "pk")
    )
    if carried is None:
        carried = carried_balance(plan, entries)
    outcomes = {
        (entry, year): amount
        for entry, year, amount in BudgetOutcome.objects.filter(entry__plan=plan).values_list("entry", "year", "amount")
    }
    return compute_budget_years(entries, keys, parties, last_year=plan.last_year, carried=carried, outcomes=outcomes)


def carried_balance(plan, entries=None) -> CarriedBalance | None:
    """The previous plan's closing balance of the year before this plan's budget starts."""
    previous = plan.previous_plan
    if previous is None or not previous.budget_entries.exists():
        return None
    entries = list(entries if entries is not None else plan.budget_entries.all())
    first = min([entry.year for entry in entries] + [plan.first_year])
    for budget_year in plan_budget(previous, carried=None):
        if budget_year.year == first - 1:
            return CarriedBalance(first, budget_year.closing_balance, previous.title)
    return None


@dataclass
class PartyShare:
    party: FinancingParty | None
    shares: list[Decimal]  # net cost per budget year

    @property
    def total(self) -> Decimal:
        return sum(self.shares, ZERO)


def party_shares(budget_years: list[BudgetYear]) -> list[PartyShare]:
    """Each party's share of the net cost, year by year; they add up to each year's net cost."""
    if not budget_years:
        return []
    return [PartyShare(party, [year.net_share(party) for year in budget_years]) for party in budget_years[0].columns]


@dataclass
class MunicipalShare:
    municipality: object
    percent: Decimal
    shares: list[Decimal]  # one per budget year

    @property
    def population(self):
        return self.municipality.population

    @property
    def total(self) -> Decimal:
        return sum(self.shares, ZERO)


def sharing_municipalities(plan) -> list[Organisation]:
    """The municipalities among which the municipalities' part of the plan's costs is divided.

    For an adopted (or superseded) plan, the members when it was last adopted, with their population
    figures then, as its adopted version recorded them: a municipality joining or leaving the
    cooperation later, or a new population figure in the register, does not change what was decided.
    For a draft, and for a plan adopted before versions recorded them, today's member municipalities.
    """
    recorded = recorded_members(plan)
    if recorded is not None:
        return [
            Organisation(
                pk=member["id"],
                name=member["name"],
                population=member["population"],
                kind=Organisation.Kind.MUNICIPALITY,
            )
            for member in recorded
        ]
    return list(plan.cooperation.members.municipalities().order_by("name"))


def recorded_members(plan) -> list[dict] | None:
    """The member municipalities an adopted (or superseded) plan's latest version recorded, or None:
    for a draft, and for a plan adopted before versions recorded them."""
    if not plan.is_public:
        return None
    return plan.versions.order_by("-number").values_list("snapshot__member_municipalities", flat=True).first()


def municipal_shares(budget_years: list[BudgetYear], keys, municipalities) -> list[MunicipalShare]:
    """Each municipality's part of the municipalities' net cost, year by year, by each year's key.

    Raises ValidationError (naming them) when a population key meets municipalities without population.
    """
    keys, municipalities = list(keys), list(municipalities)
    if not municipalities or not budget_years:
        return []
    group = next((p for p in budget_years[0].parties if p.is_municipalities), None)
    if group is None:
        return []
    municipalities = group.member_municipalities(municipalities)

    def split_of(year: int) -> tuple[str, dict]:
        key = key_for_year(keys, year)
        if key is None:
            return CostSharingKey.MunicipalSplit.EQUAL, {}
        return key.municipal_split, {row.organisation_id: row.amount for row in key.municipal_amounts.all()}

    per_year = []
    for year in budget_years:
        split, fixed = split_of(year.year)
        per_year.append(dict(municipal_split(split, year.net_share(group), municipalities, fixed)))
    split, fixed = split_of(budget_years[-1].year)
    weights = {
        CostSharingKey.MunicipalSplit.POPULATION: {m.pk: Decimal(m.population or 0) for m in municipalities},
        CostSharingKey.MunicipalSplit.FIXED: {m.pk: fixed.get(m.pk, ZERO) for m in municipalities},
    }.get(split, {m.pk: Decimal(1) for m in municipalities})
    weight_total = sum(weights.values(), ZERO) or Decimal(1)
    rows = []
    for municipality in municipalities:
        percent = weights[municipality.pk] * HUNDRED / weight_total
        rows.append(MunicipalShare(municipality, percent, [shares[municipality] for shares in per_year]))
    return rows


@dataclass
class CoFinancing:
    required: Decimal
    budgeted: Decimal

    @property
    def is_met(self) -> bool:
        return self.budgeted >= self.required


@dataclass
class Financing:
    """Income by source per year and in total, against the costs: "grant + co-financing = total"."""

    years: list[int]
    sources: list[tuple[str, list[Decimal]]]  # (label, amount per year)
    income: list[Decimal]
    costs: list[Decimal]
    co_financing: CoFinancing | None

    @property
    def difference(self) -> list[Decimal]:
        return [income - cost for income, cost in zip(self.income, self.costs, strict=True)]

    @property
    def source_totals(self) -> list[tuple[str, Decimal]]:
        return [(label, sum(amounts, ZERO)) for label, amounts in self.sources]

    @property
    def totals(self) -> dict:
        difference = sum(self.difference, ZERO)
        return {
            "income": sum(self.income, ZERO),
            "costs": sum(self.costs, ZERO),
            "difference": difference,
            "drawn": -difference,
        }


# As people say it: "the grant plus co-financing", own contributions, then the rest.
SOURCE_ORDER = [
    BudgetEntry.Category.STATE_GRANT,
    BudgetEntry.Category.CO_FINANCING,
    BudgetEntry.Category.OWN_CONTRIBUTION,
    BudgetEntry.Category.PRIZE,
    BudgetEntry.Category.OTHER_INCOME,
]


def financing(budget_years: list[BudgetYear]) -> Financing | None:
    if not budget_years:
        return None
    labels = dict(BudgetEntry.Category.choices)
    by_year = [year.income_by_source() for year in budget_years]
    codes = [code for code in SOURCE_ORDER if any(code in sources for sources in by_year)]
    sources = [(labels[code], [sources.get(code, ZERO) for sources in by_year]) for code in codes]
    required = ZERO
    demanded = False
    for year in budget_years:
        for line in year.income_lines:
            if line.entry.co_financing_percent is not None:
                demanded = True
                required += line.amount * line.entry.co_financing_percent / HUNDRED
    co_financed = sum(
        (sources.get(BudgetEntry.Category.CO_FINANCING, ZERO) for sources in by_year),
        ZERO,
    )
    return Financing(
        years=[year.year for year in budget_years],
        sources=sources,
        income=[year.income_total for year in budget_years],
        costs=[year.costs_total for year in budget_years],
        co_financing=CoFinancing(required.quantize(Decimal("0.01")), co_financed) if demanded else None,
    )
