"""Property-based tests: whatever the amounts and keys, the parts add up to the whole."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from finance.budget import compute_budget_years, municipal_shares
from finance.models import BudgetEntry, CostSharingKey, FinancingParty, KeyShare, MunicipalAmount
from finance.sharing import apportion, split_amount
from governance.models import Organisation
from plans.document import with_rows

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


def make_parties(flags):
    parties = []
    for index, (in_fund, is_municipalities) in enumerate(flags, start=1):
        party = FinancingParty(pk=index, order=index, in_fund=in_fund, name=f"Part {index}")
        party.is_municipalities = is_municipalities and not any(p.is_municipalities for p in parties)
        parties.append(party)
    return parties


def make_key(pk, from_year, parties, weights):
    key = CostSharingKey(pk=pk, from_year=from_year)
    percents = apportion(Decimal(100), weights)
    shares = [KeyShare(party=party, percent=percent) for party, percent in zip(parties, percents, strict=True)]
    return with_rows(with_rows(key, "shares", KeyShare, shares), "municipal_amounts", MunicipalAmount, [])


line = st.tuples(
    st.integers(min_value=0, max_value=4),  # year offset
    st.sampled_from(["income", "cost"]),
    st.sampled_from(["", "own_contribution", "co_financing", "state_grant", "prize", "other_income"]),
    kronor,
    st.integers(min_value=0, max_value=5),  # party index; past the parties: shared by the key
    st.sampled_from(list(BudgetEntry.Repeat)),
)


@given(
    opening=kronor,
    flags=st.lists(st.tuples(st.booleans(), st.booleans()), min_size=0, max_size=4),
    key_years=st.lists(st.integers(min_value=2021, max_value=2024), max_size=3, unique=True),
    weights=st.lists(st.integers(min_value=0, max_value=9), min_size=4, max_size=4),
    lines=st.lists(line, min_size=1, max_size=12),
    populations=st.lists(st.integers(min_value=1, max_value=10**6), min_size=1, max_size=8),
)
def test_for_any_parties_keys_and_lines_shares_add_up_and_balances_roll_forward(
    opening, flags, key_years, weights, lines, populations
):
    parties = make_parties(flags)
    key_weights = weights[: len(parties)] if any(weights[: len(parties)]) else [1] * len(parties)
    keys = (
        [make_key(i, year, parties, key_weights) for i, year in enumerate([None, *key_years], start=1)]
        if parties
        else []
    )
    entries = [BudgetEntry(pk=1, year=2020, kind="opening_balance", amount=opening)]
    for pk, (offset, kind, category, amount, party_index, repeat) in enumerate(lines, start=2):
        if kind == "cost":
            category = ""
        party = parties[party_index] if party_index < len(parties) else None
        entries.append(
            BudgetEntry(
                pk=pk,
                year=2020 + offset,
                kind=kind,
                category=category,
                amount=amount,
                repeat=repeat,
                party_id=party.pk if party else None,
            )
        )
    result = compute_budget_years(entries, keys, parties, last_year=2024)

    assert result[0].opening_balance == opening
    for earlier, later in zip(result, result[1:], strict=False):
        assert later.opening_balance == earlier.closing_balance
    for entry in entries[1:]:
        assert sum(line.amount for year in result for line in year.lines if line.entry is entry) == (
            entry.amount * (5 - (entry.year - 2020)) if entry.repeat == "every_year" else entry.amount
        )
    municipalities = [Organisation(pk=i, name=f"Kommun {i}", population=p) for i, p in enumerate(populations, 1)]
    group = next((party for party in parties if party.is_municipalities), None)
    if group is not None:
        with_rows(group, "municipalities", Organisation, [])
    per_municipality = municipal_shares(result, keys, municipalities)
    for index, year in enumerate(result):
        for line in year.lines:
            assert sum(line.parts.values()) == line.amount
        fund = sum((year.income_of(p) - year.costs_of(p) for p in year.fund_columns), Decimal(0))
        assert year.closing_balance == year.opening_balance + fund
        assert sum((year.net_share(p) for p in year.columns), Decimal(0)) == year.net_cost
        assert year.net_cost == year.costs_total - year.outside_income_total
        if group is not None:
            assert sum(row.shares[index] for row in per_municipality) == year.net_share(group)
