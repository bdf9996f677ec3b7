"""Property-based tests: whatever the amounts and keys, the parts add up to the whole."""

from hypothesis import given
from hypothesis import strategies as st

from finance.budget import compute_budget_years
from finance.models import BudgetEntry, CostSharingKey
from finance.sharing import apportion, split_amount

kronor = st.decimals(min_value=0, max_value=10**11, places=0, allow_nan=False, allow_infinity=False)
money = st.decimals(min_value=0, max_value=10**11, places=2, allow_nan=False, allow_infinity=False)
percent = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)


@given(amount=money, share=percent)
def test_a_split_always_adds_up_to_the_amount(amount, share):
    part, rest = split_amount(amount, share)
    assert part + rest == amount
    assert part >= 0 and rest >= 0


@given(amount=kronor, share=percent)
def test_a_split_of_whole_kronor_gives_whole_kronor(amount, share):
    part, rest = split_amount(amount, share)
    assert part == part.to_integral_value() and rest == rest.to_integral_value()


@given(amount=money, weights=st.lists(st.integers(min_value=1, max_value=10**6), min_size=1, max_size=60))
def test_apportioned_parts_always_add_up_to_the_amount(amount, weights):
    parts = apportion(amount, weights)
    assert sum(parts) == amount
    assert len(parts) == len(weights)
    assert all(part >= 0 for part in parts)


@given(amount=kronor, count=st.integers(min_value=1, max_value=60))
def test_an_equal_split_differs_by_at_most_one_krona(amount, count):
    parts = apportion(amount, [1] * count)
    assert max(parts) - min(parts) <= 1


@given(
    amount=kronor,
    populations=st.lists(st.integers(min_value=1, max_value=10**6), min_size=2, max_size=30),
)
def test_a_population_split_stays_within_one_krona_of_the_exact_share(amount, populations):
    parts = apportion(amount, populations)
    total = sum(populations)
    for part, population in zip(parts, populations, strict=True):
        assert abs(part - amount * population / total) < 1


@given(
    opening=kronor,
    years=st.lists(
        st.tuples(kronor, kronor, st.sampled_from(list(BudgetEntry.Attribution))),
        min_size=1,
        max_size=6,
    ),
    share=percent,
)
def test_balances_roll_forward_year_after_year(opening, years, share):
    key = CostSharingKey(year=None, region_percent=100 - share, municipalities_percent=share)
    entries = [BudgetEntry(year=2020, kind="opening_balance", amount=opening, attribution="municipalities")]
    for offset, (income, cost, attribution) in enumerate(years):
        year = 2020 + offset
        entries.append(BudgetEntry(year=year, kind="income", amount=income, attribution=attribution))
        entries.append(BudgetEntry(year=year, kind="cost", amount=cost, attribution=attribution))
    result = compute_budget_years(entries, [key])
    assert result[0].opening_balance == opening
    for earlier, later in zip(result, result[1:], strict=False):
        assert later.opening_balance == earlier.closing_balance
    for year in result:
        assert year.closing_balance == year.opening_balance + year.income_municipalities - year.costs_municipalities
        for line in year.lines:
            assert line.municipalities + line.region == line.entry.amount
