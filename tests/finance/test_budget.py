"""Seed 000's "Ekonomi och finansiering" tables, reproduced to the krona, and the rules behind them."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from finance.models import BudgetEntry, CostSharingKey
from tests.helpers import as_draft, make_budget_entry, make_plan

pytestmark = pytest.mark.django_db


def years_by_number(plan):
    return {year.year: year for year in plan.budget_entries.budget_years()}


def test_seed_000_closing_balances_are_reproduced_to_the_krona(plan_2016):
    years = years_by_number(plan_2016)
    assert {year: years[year].closing_balance for year in years} == {
        2014: Decimal("6109227"),
        2015: Decimal("5125273"),
        2016: Decimal("2821711"),
        2017: Decimal("1190649"),
    }


def test_each_closing_balance_is_the_next_years_opening_balance(plan_2016):
    years = plan_2016.budget_entries.budget_years()
    assert years[0].opening_balance == Decimal("3955888")
    for earlier, later in zip(years, years[1:], strict=False):
        assert later.opening_balance == earlier.closing_balance


def test_seed_000_yearly_costs_are_split_in_equal_halves(plan_2016):
    years = years_by_number(plan_2016)
    expected = {2014: Decimal("2036774"), 2016: Decimal("4607124"), 2017: Decimal("3262124")}
    for year, total in expected.items():
        assert years[year].costs_total == total
        assert years[year].costs_municipalities == years[year].costs_region == total / 2


def test_seed_000_costs_of_2015_are_actual_then_estimated(plan_2016):
    lines = years_by_number(plan_2016)[2015].cost_lines
    assert [(line.total, line.municipalities, line.region, line.entry.is_estimate) for line in lines] == [
        (Decimal("1049850"), Decimal("524925"), Decimal("524925"), False),
        (Decimal("918058"), Decimal("459029"), Decimal("459029"), True),
    ]


def test_the_region_only_prize_does_not_enter_the_municipalities_fund(plan_2016):
    year = years_by_number(plan_2016)[2015]
    prize = year.income_lines[0]
    assert prize.entry.description == "Miljöpris"
    assert (prize.municipalities, prize.region) == (Decimal(0), Decimal("75000"))
    assert year.closing_balance == year.opening_balance - year.costs_municipalities


def test_a_year_with_an_estimated_line_has_an_estimated_closing_balance(plan_2016):
    years = years_by_number(plan_2016)
    assert [years[y].is_estimate for y in (2014, 2015, 2016, 2017)] == [False, True, True, True]


def test_a_year_without_lines_still_carries_the_balance(ostergotland):
    plan = make_plan(ostergotland, first_year=2020, last_year=2022)
    make_budget_entry(
        plan,
        year=2020,
        kind=BudgetEntry.Kind.OPENING_BALANCE,
        amount="1000",
        attribution=BudgetEntry.Attribution.MUNICIPALITIES,
    )
    make_budget_entry(plan, year=2022, amount="200")
    years = plan.budget_entries.budget_years()
    assert [(y.year, y.opening_balance, y.closing_balance) for y in years] == [
        (2020, Decimal("1000"), Decimal("1000")),
        (2021, Decimal("1000"), Decimal("1000")),
        (2022, Decimal("1000"), Decimal("900")),
    ]


def test_a_plan_key_for_one_year_overrides_the_key_for_all_years(ostergotland):
    plan = make_plan(ostergotland, first_year=2020, last_year=2021)
    CostSharingKey.objects.create(plan=plan, region_percent=50, municipalities_percent=50)
    CostSharingKey.objects.create(
        plan=plan, year=2021, region_percent=Decimal("70"), municipalities_percent=Decimal("30")
    )
    make_budget_entry(plan, year=2020, amount="1001")
    make_budget_entry(plan, year=2021, amount="1001")
    first, second = plan.budget_entries.budget_years()
    assert (first.lines[0].municipalities, first.lines[0].region) == (Decimal("501"), Decimal("500"))
    assert (second.lines[0].municipalities, second.lines[0].region) == (Decimal("300"), Decimal("701"))


def test_a_plan_without_a_key_uses_fifty_fifty(ostergotland):
    plan = make_plan(ostergotland, first_year=2020, last_year=2020)
    make_budget_entry(plan, year=2020, amount="3")
    (year,) = plan.budget_entries.budget_years()
    assert year.lines[0].municipalities + year.lines[0].region == Decimal("3")


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


def test_only_the_first_budget_year_has_a_typed_opening_balance(plan_2016):
    as_draft(plan_2016)
    entry = BudgetEntry(
        plan=plan_2016,
        year=2016,
        kind="opening_balance",
        description="Ingående balans",
        amount=Decimal(5),
        attribution="municipalities",
    )
    with pytest.raises(ValidationError) as error:
        entry.full_clean()
    assert "kind" in error.value.message_dict


def test_negative_amounts_are_refused_in_swedish(plan_2016):
    as_draft(plan_2016)
    entry = BudgetEntry(plan=plan_2016, year=2016, kind="cost", description="Minus", amount=Decimal(-5))
    with pytest.raises(ValidationError) as error:
        entry.full_clean()
    assert "amount" in error.value.message_dict


def test_a_key_that_does_not_add_up_to_100_is_refused_in_swedish(plan_2016):
    as_draft(plan_2016)
    key = CostSharingKey(plan=plan_2016, year=2016, region_percent=Decimal(60), municipalities_percent=Decimal(50))
    with pytest.raises(ValidationError) as error:
        key.full_clean()
    assert "Regionens och kommunernas andelar måste tillsammans bli 100 %." in error.value.messages


def test_the_database_refuses_a_key_that_does_not_add_up(plan_2016):
    as_draft(plan_2016)
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        CostSharingKey.objects.create(
            plan=plan_2016, year=2016, region_percent=Decimal(60), municipalities_percent=Decimal(50)
        )


def test_population_split_names_the_municipalities_without_population(vastkom_plan):
    key = CostSharingKey(plan=vastkom_plan, municipal_split=CostSharingKey.MunicipalSplit.POPULATION)
    municipalities = vastkom_plan.cooperation.members.municipalities()[:2]
    with pytest.raises(ValidationError) as error:
        key.municipal_shares(Decimal(100), municipalities)
    assert "Folkmängd saknas för: Ale, Alingsås." in error.value.messages


def test_population_split_of_ostergotland_sums_to_the_municipalities_share(plan_2016):
    key = CostSharingKey(plan=plan_2016, municipal_split=CostSharingKey.MunicipalSplit.POPULATION)
    municipalities = plan_2016.cooperation.members.municipalities()
    shares = dict(key.municipal_shares(Decimal("2303562"), municipalities))
    assert sum(shares.values()) == Decimal("2303562")
    by_name = {m.name: share for m, share in shares.items()}
    # Linköping has 168 035 of the county's 472 446 inhabitants: 819 308,54 kr exactly.
    assert by_name["Linköpings kommun"] in {Decimal("819308"), Decimal("819309")}
