"""Swedish money formatting: whole kronor, thousands grouped by a non-breaking space."""

from decimal import ROUND_HALF_UP, Decimal

from django import forms

NBSP = "\xa0"


def format_kronor(value, *, unit: bool = True) -> str:
    """``Decimal("1018387")`` → ``"1 018 387 kr"`` (non-breaking spaces); negatives with a real minus."""
    if value is None or value == "":
        return ""
    amount = Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    sign = "−" if amount < 0 else ""
    digits = f"{abs(amount):,}".replace(",", NBSP)
    return f"{sign}{digits}{NBSP}kr" if unit else f"{sign}{digits}"


def format_amount(value) -> str:
    """An amount as it was entered: ``"1 018 387 kr"``, or with its öre when it has any:
    ``"862 124,50 kr"`` (a change of a few öre is not rounded away)."""
    if value is None or value == "":
        return ""
    amount = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if amount == amount.to_integral_value():
        return format_kronor(amount)
    sign = "−" if amount < 0 else ""
    whole, ore = f"{abs(amount):,.2f}".split(".")
    return f"{sign}{whole.replace(',', NBSP)},{ore}{NBSP}kr"


class KronorField(forms.DecimalField):
    """Amounts as Swedish documents write them: "1 018 387", "862 124,50 kr"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("\xa0", "").replace(" ", "").removesuffix("kr").strip()
        return super().to_python(value)
