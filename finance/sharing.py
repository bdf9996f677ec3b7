"""Exact splitting of money: the parts always add up to the whole.

Amounts are ``Decimal`` kronor. A split rounds one part half-up to whole kronor (to öre when the
amount itself has öre) and gives the other part the remainder.
"""

from collections.abc import Sequence
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
KRONA = Decimal("1")
ORE = Decimal("0.01")


def quantum_for(amount: Decimal) -> Decimal:
    """Whole kronor for whole amounts; öre when the amount itself carries öre."""
    return KRONA if amount == amount.to_integral_value() else ORE


def split_amount(amount: Decimal, percent: Decimal) -> tuple[Decimal, Decimal]:
    """Split ``amount`` into (the part at ``percent``, the remainder)."""
    amount = Decimal(amount)
    part = (amount * Decimal(percent) / HUNDRED).quantize(quantum_for(amount), rounding=ROUND_HALF_UP)
    return part, amount - part


def apportion(amount: Decimal, weights: Sequence[int | Decimal]) -> list[Decimal]:
    """Divide ``amount`` in proportion to ``weights`` by the largest-remainder method.

    Every part is a multiple of the quantum and the parts sum to ``amount`` exactly. Equal weights
    give equal parts, the odd kronor going to the first parties.
    """
    amount = Decimal(amount)
    if not weights:
        return []
    if amount < 0:
        return [-part for part in apportion(-amount, weights)]
    total_weight = sum(Decimal(w) for w in weights)
    if total_weight <= 0:
        raise ValueError("The weights must add up to more than zero.")
    quantum = quantum_for(amount)
    units = (amount / quantum).to_integral_value()
    exact = [units * Decimal(w) / total_weight for w in weights]
    floors = [e.to_integral_value(rounding=ROUND_FLOOR) for e in exact]
    left = int(units - sum(floors))
    # Largest remainders first; ties go to the earlier party, so the result is deterministic.
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return [f * quantum for f in floors]
