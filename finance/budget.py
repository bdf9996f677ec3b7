"""A plan's yearly budget tables, as seed 000's "Ekonomi och finansiering" lays them out.

The balance is the municipalities' fund: their own money and the state stimulus grants they
received. Each year opens with the previous year's closing balance (the first year with its typed
opening balance), adds the income that goes to the fund and draws the municipalities' share of
the costs. Income or costs attributed to the region alone never touch the fund.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from .models import BudgetEntry, CostSharingKey, key_for_year

ZERO = Decimal(0)


@dataclass(frozen=True)
class BudgetLine:
    entry: BudgetEntry
    municipalities: Decimal
    region: Decimal

    @property
    def total(self) -> Decimal:
        return self.municipalities + self.region

    @property
    def is_cost(self) -> bool:
        return self.entry.is_cost

    # As the seed's tables show them: costs with a minus sign.
    @property
    def signed_municipalities(self) -> Decimal:
        return -self.municipalities if self.is_cost else self.municipalities

    @property
    def signed_region(self) -> Decimal:
        return -self.region if self.is_cost else self.region

    @property
    def signed_total(self) -> Decimal:
        return -self.total if self.is_cost else self.total


@dataclass
class BudgetYear:
    year: int
    opening_balance: Decimal = ZERO
    opening_line: BudgetEntry | None = None
    lines: list[BudgetLine] = field(default_factory=list)

    @property
    def income_lines(self) -> list[BudgetLine]:
        return [line for line in self.lines if not line.is_cost]

    @property
    def cost_lines(self) -> list[BudgetLine]:
        return [line for line in self.lines if line.is_cost]

    def _sum(self, lines, part):
        return sum((getattr(line, part) for line in lines), ZERO)

    @property
    def income_municipalities(self) -> Decimal:
        return self._sum(self.income_lines, "municipalities")

    @property
    def income_region(self) -> Decimal:
        return self._sum(self.income_lines, "region")

    @property
    def costs_municipalities(self) -> Decimal:
        return self._sum(self.cost_lines, "municipalities")

    @property
    def costs_region(self) -> Decimal:
        return self._sum(self.cost_lines, "region")

    @property
    def costs_total(self) -> Decimal:
        return self.costs_municipalities + self.costs_region

    @property
    def income_total(self) -> Decimal:
        return self.income_municipalities + self.income_region

    @property
    def closing_balance(self) -> Decimal:
        return self.opening_balance + self.income_municipalities - self.costs_municipalities

    @property
    def is_estimate(self) -> bool:
        """A closing balance is estimated as soon as one line of its year is."""
        return any(line.entry.is_estimate for line in self.lines)


def shares_of(entry: BudgetEntry, key) -> tuple[Decimal, Decimal]:
    """(municipalities' part, region's part) of one line."""
    attribution = BudgetEntry.Attribution
    if entry.attribution == attribution.MUNICIPALITIES:
        return entry.amount, ZERO
    if entry.attribution == attribution.REGION:
        return ZERO, entry.amount
    return key.split(entry.amount)


def compute_budget_years(entries: Iterable[BudgetEntry], keys) -> list[BudgetYear]:
    """Group the lines by year and roll the fund's balance forward, year after year.

    ``keys`` is a ``CostSharingKey`` queryset or list; a year without a key uses the plan's key
    for all years, or the default 50/50 key.
    """
    keys = list(keys)
    years: dict[int, BudgetYear] = {}
    for entry in entries:
        budget_year = years.setdefault(entry.year, BudgetYear(year=entry.year))
        if entry.kind == BudgetEntry.Kind.OPENING_BALANCE:
            budget_year.opening_line = entry
            continue
        key = key_for_year(keys, entry.year)
        budget_year.lines.append(BudgetLine(entry, *shares_of(entry, key)))
    result = []
    carried = None
    if years:
        for year in range(min(years), max(years) + 1):
            budget_year = years.get(year) or BudgetYear(year=year)
            if budget_year.opening_line is not None:
                budget_year.opening_balance = budget_year.opening_line.amount
            elif carried is not None:
                budget_year.opening_balance = carried
            carried = budget_year.closing_balance
            result.append(budget_year)
    return result


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


def municipal_shares(budget_years: list[BudgetYear], keys, municipalities) -> list[MunicipalShare]:
    """Each municipality's part of the municipalities' costs, year by year, by each year's key.

    Raises ValidationError (naming them) when a population key meets municipalities without population.
    """
    keys, municipalities = list(keys), list(municipalities)
    if not municipalities or not budget_years:
        return []
    per_year = [
        dict(key_for_year(keys, year.year).municipal_shares(year.costs_municipalities, municipalities))
        for year in budget_years
    ]
    split = key_for_year(keys, budget_years[-1].year).municipal_split
    by_population = split == CostSharingKey.MunicipalSplit.POPULATION
    population_total = sum(m.population or 0 for m in municipalities)
    rows = []
    for municipality in municipalities:
        if by_population and population_total:
            percent = Decimal(municipality.population or 0) * 100 / population_total
        else:
            percent = Decimal(100) / len(municipalities)
        rows.append(MunicipalShare(municipality, percent, [shares[municipality] for shares in per_year]))
    return rows
