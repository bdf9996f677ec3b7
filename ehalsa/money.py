"""Swedish money formatting: whole kronor, thousands grouped by a non-breaking space."""

from decimal import ROUND_HALF_UP, Decimal

NBSP = "\xa0"


def format_kronor(value, *, unit: bool = True) -> str:
    """``Decimal("1018387")`` → ``"1 018 387 kr"`` (non-breaking spaces); negatives with a real minus."""
    if value is None or value == "":
        return ""
    amount = Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    sign = "−" if amount < 0 else ""
    digits = f"{abs(amount):,}".replace(",", NBSP)
    return f"{sign}{digits}{NBSP}kr" if unit else f"{sign}{digits}"
