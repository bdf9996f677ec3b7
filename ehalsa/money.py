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


class KronorField(forms.DecimalField):
    """Amounts as Swedish documents write them: "1 018 387", "862 124,50 kr"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("\xa0", "").replace(" ", "").removesuffix("kr").strip()
        return super().to_python(value)
