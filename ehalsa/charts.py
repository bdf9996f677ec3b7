"""Axes for the server-drawn SVG charts: round steps that hold zero and every value."""

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal


def nice_step(span: Decimal) -> Decimal:
    """A round step (1, 2 or 5 times a power of ten) giving about four grid lines over ``span``."""
    raw = Decimal(span) / 4
    if raw <= 0:
        return Decimal(1)
    magnitude = Decimal(10) ** raw.adjusted()  # the power of ten at or below ``raw``
    factor = next(factor for factor in (1, 2, 5, 10) if raw <= factor * magnitude)
    return factor * magnitude


def value_axis(values: list[Decimal]) -> tuple[Decimal, Decimal, Decimal]:
    """The lowest and the highest tick and the step of an axis that holds zero and every value."""
    highest, lowest = max([*values, Decimal(0)]), min([*values, Decimal(0)])
    step = nice_step(highest - lowest or Decimal(1))
    top = (highest / step).to_integral_value(rounding=ROUND_CEILING) * step
    bottom = (lowest / step).to_integral_value(rounding=ROUND_FLOOR) * step
    if top == bottom:  # every value is zero
        top = bottom + step
    return bottom, top, step
