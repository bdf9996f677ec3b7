"""Seed 000's "Ekonomi och finansiering" tables, reproduced to the krona, and the rules behind them."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from finance.budget import plan_budget
from finance.models import BudgetEntry, CostSharingKey, FinancingParty, KeyShare
from tests.helpers import as_draft, make_budget_entry, make_plan

pytestmark = pytest.mark.django_db


def years_by_number(plan):
    return {year.year: year for year in plan_budget(plan)}


def parties_of(plan):
    """(the municipalities, the region) of a plan in seed 000's shape."""
    return plan.parties.get(is_municipalities=True), plan.parties.get(is_municipalities=False)


def two_parties(plan, region_percent="50", from_year=None, key=True):
    municipalities = FinancingParty.objects.create(plan=plan, order=1, is_municipalities=True)
    region = FinancingParty.objects.create(plan=plan, order=2, name="Regionen", in_fund=False)
    if key:
        add_key(plan, {municipalities: 100 - Decimal(region_percent), region: Decimal(region_percent)}, from_year)
    return municipalities, region


def add_key(plan, shares, from_year=None):
    key = CostSharingKey.objects.create(plan=plan, from_year=from_year)
    for party, percent in shares.items():
        KeyShare.objects.create(key=key, party=party, percent=percent)
    return key


def test_seed_000_closing_balances_are_reproduced_to_the_krona(plan_2016):
    years = years_by_number(plan_2016)
    assert {year: years[year].closing_balance for year in years} == {
        2014: Decimal("6109227"),
        2015: Decimal("5125273"),
        2016: Decimal("2821711"),
        2017: Decimal("1190649"),
    }


def test_each_closing_balance_is_the_next_years_opening_balance(plan_2016):
    years = plan_budget(plan_2016)
    assert years[0].opening_balance == Decimal("3955888")
    for earlier, later in zip(years, years[1:], strict=False):
        assert later.opening_balance == earlier.closing_balance


def test_seed_000_yearly_costs_are_split_in_equal_halves(plan_2016):
    years = years_by_number(plan_2016)
    municipalities, region = parties_of(plan_2016)
    expected = {2014: Decimal("2036774"), 2016: Decimal("4607124"), 2017: Decimal("3262124")}
    for year, total in expected.items():
        assert years[year].costs_total == total
        assert years[year].costs_of(municipalities) == years[year].costs_of(region) == total / 2


def test_seed_000_costs_of_2015_are_actual_then_estimated(plan_2016):
    lines = years_by_number(plan_2016)[2015].cost_lines
    m, r = parties_of(plan_2016)
    assert [(line.total, line.part(m), line.part(r), line.entry.is_estimate) for line in lines] == [
        (Decimal("1049850"), Decimal("524925"), Decimal("524925"), False),
        (Decimal("918058"), Decimal("459029"), Decimal("459029"), True),
    ]


def test_the_region_only_prize_does_not_enter_the_municipalities_fund(plan_2016):
    year = years_by_number(plan_2016)[2015]
    prize = year.income_lines[0]
    municipalities, region = parties_of(plan_2016)
    assert prize.entry.description == "Miljöpris"
    assert (prize.part(municipalities), prize.part(region)) == (Decimal(0), Decimal("75000"))
    assert year.closing_balance == year.opening_balance - year.costs_of(municipalities)


def test_a_year_with_an_estimated_line_has_an_estimated_closing_balance(plan_2016):
    years = years_by_number(plan_2016)
    assert [years[y].is_estimate for y in (2014, 2015, 2016, 2017)] == [False, True, True, True]


def test_a_year_without_lines_still_carries_the_balance(ostergotland):
    plan = make_plan(ostergotland, first_year=2020, last_year=2022)
    two_parties(plan)
    make_budget_entry(plan, year=2020, kind=BudgetEntry.Kind.OPENING_BALANCE, amount="1000")
    make_budget_entry(plan, year=2022, amount="200")
    years = plan_budget(plan)
    assert [(y.year, y.opening_balance, y.closing_balance) for y in years] == [
        (2020, Decimal("1000"), Decimal("1000")),
        (2021, Decimal("1000"), Decimal("1000")),
        (2022, Decimal("1000"), Decimal("900")),
    ]


def test_a_plan_key_for_one_year_overrides_the_key_for_all_years(ostergotland):
    plan = make_plan(ostergotland, first_year=2020, last_year=2022)
    m, r = two_parties(plan)
    add_key(plan, {m: Decimal("30"), r: Decimal("70")}, from_year=2021)
    for year in (2020, 2021, 2022):
        make_budget_entry(plan, year=year, amount="1001")
    first, second, third = plan_budget(plan)
    assert (first.lines[0].part(m), first.lines[0].part(r)) == (Decimal("501"), Decimal("500"))
    # A key holds from its year on, until a later key.
    assert (second.lines[0].part(m), second.lines[0].part(r)) == (Decimal("300"), Decimal("701"))
    assert (third.lines[0].part(m), third.lines[0].part(r)) == (Decimal("300"), Decimal("701"))


def test_a_plan_without_a_key_shares_equally_between_its_parties(ostergotland):
    plan = make_plan(ostergotland, first_year=2020, last_year=2020)
    m, r = two_parties(plan, key=False)
    make_budget_entry(plan, year=2020, amount="3")
    (year,) = plan_budget(plan)
    assert (year.lines[0].part(m), year.lines[0].part(r)) == (Decimal("2"), Decimal("1"))


def test_a_plan_without_parties_has_one_column_and_its_balance_is_the_funds(ostergotland):
    plan = make_plan(ostergotland, first_year=2020, last_year=2021)
    make_budget_entry(plan, year=2020, kind=BudgetEntry.Kind.INCOME, amount="500")
    make_budget_entry(plan, year=2021, amount="200")
    first, second = plan_budget(plan)
    assert (first.closing_balance, second.opening_balance, second.closing_balance) == (500, 500, 300)


def test_budget_line_outside_the_plans_years_is_refused_in_swedish(plan_2016):
    as_draft(plan_2016)
    entry = BudgetEntry(plan=plan_2016, year=2019, kind="cost", description="Sent", amount=Decimal(5))
    with pytest.raises(ValidationError) as error:
        entry.full_clean()
    assert error.value.message_dict["year"] == ["Året måste ligga inom 2014–2017."]


def test_budget_line_dates_must_lie_in_its_year(plan_2016):
    as_draft(plan_2016)
    from datetime import date

    entry = BudgetEntry(
        plan=plan_2016,
        year=2016,
        kind="cost",
        description="Fel datum",
        amount=Decimal(5),
        start_date=date(2015, 12, 1),
        end_date=date(2016, 1, 31),
    )
    with pytest.raises(ValidationError) as error:
        entry.full_clean()
    assert error.value.message_dict["start_date"] == ["Datumet måste ligga inom radens år."]


def test_the_opening_balance_is_in_the_budgets_first_year(plan_2016):
    as_draft(plan_2016)
    plan_2016.budget_entries.filter(kind="opening_balance").delete()
    entry = BudgetEntry(
        plan=plan_2016, year=2016, kind="opening_balance", description="Ingående balans", amount=Decimal(5)
    )
    with pytest.raises(ValidationError) as error:
        entry.full_clean()
    assert error.value.message_dict["year"] == [
        "Den ingående balansen hör till budgetens första år; budgeten har rader 2014."
    ]


def test_negative_amounts_are_refused_in_swedish(plan_2016):
    as_draft(plan_2016)
    entry = BudgetEntry(plan=plan_2016, year=2016, kind="cost", description="Minus", amount=Decimal(-5))
    with pytest.raises(ValidationError) as error:
        entry.full_clean()
    assert "amount" in error.value.message_dict


def test_population_split_names_the_municipalities_without_population(vastkom_plan):
    key = CostSharingKey(plan=vastkom_plan, municipal_split=CostSharingKey.MunicipalSplit.POPULATION)
    municipalities = vastkom_plan.cooperation.members.municipalities()[:2]
    with pytest.raises(ValidationError) as error:
        key.municipal_shares(Decimal(100), municipalities)
    assert "Folkmängd saknas för: Ale kommun, Alingsås kommun." in error.value.messages


def test_population_split_of_ostergotland_sums_to_the_municipalities_share(plan_2016):
    key = CostSharingKey(plan=plan_2016, municipal_split=CostSharingKey.MunicipalSplit.POPULATION)
    municipalities = plan_2016.cooperation.members.municipalities()
    shares = dict(key.municipal_shares(Decimal("2303562"), municipalities))
    assert sum(shares.values()) == Decimal("2303562")
    by_name = {m.name: share for m, share in shares.items()}
    # Linköping has 168 035 of the county's 472 446 inhabitants: 819 308,54 kr exactly.
    assert by_name["Linköpings kommun"] in {Decimal("819308"), Decimal("819309")}


def test_lines_for_every_year_and_spread_over_years(ostergotland):
    plan = make_plan(ostergotland, first_year=2024, last_year=2026)
    make_budget_entry(plan, year=2024, kind=BudgetEntry.Kind.INCOME, amount="300000", repeat="every_year")
    make_budget_entry(plan, year=2024, amount="1000000", repeat="spread")
    years = plan_budget(plan)
    assert [(y.year, y.income_total, y.costs_total) for y in years] == [
        (2024, 300000, Decimal("333334")),
        (2025, 300000, Decimal("333333")),
        (2026, 300000, Decimal("333333")),
    ]
    assert years[-1].closing_balance == 900000 - 1000000


def test_net_cost_shares_leave_out_outside_income_but_not_own_contributions(ostergotland):
    plan = make_plan(ostergotland, first_year=2024, last_year=2024)
    m, r = two_parties(plan)
    make_budget_entry(plan, year=2024, amount="1000000")
    make_budget_entry(plan, year=2024, kind="income", category="state_grant", amount="400000")
    make_budget_entry(plan, year=2024, kind="income", category="own_contribution", amount="250000", party=r)
    (year,) = plan_budget(plan)
    assert year.net_cost == Decimal("600000")
    assert (year.net_share(m), year.net_share(r)) == (Decimal("300000"), Decimal("300000"))


def test_a_key_can_divide_the_municipalities_share_in_proportion_to_fixed_amounts(ostergotland):
    from finance.budget import municipal_shares
    from finance.models import MunicipalAmount

    plan = make_plan(ostergotland, first_year=2024, last_year=2024)
    municipalities_party, region = two_parties(plan, key=False)
    key = add_key(plan, {municipalities_party: Decimal(50), region: Decimal(50)})
    key.municipal_split = CostSharingKey.MunicipalSplit.FIXED
    key.save()
    first, second, *others = ostergotland.members.municipalities().order_by("name")[:4]
    MunicipalAmount.objects.create(key=key, organisation=first, amount=Decimal(300_000))
    MunicipalAmount.objects.create(key=key, organisation=second, amount=Decimal(100_000))
    make_budget_entry(plan, year=2024, amount="800000")
    years = plan_budget(plan)
    rows = {row.municipality: row for row in municipal_shares(years, [key], ostergotland.members.municipalities())}
    assert rows[first].shares == [Decimal(300_000)] and rows[second].shares == [Decimal(100_000)]
    assert all(rows[m].shares == [0] for m in others)
    assert sum(row.total for row in rows.values()) == Decimal(400_000)
