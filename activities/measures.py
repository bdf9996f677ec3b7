"""Measures read and written as Swedish people write them, and how a measure stands against its targets.

Pure functions on a measure and its rows (live, or rebuilt from an adopted version's snapshot):
``read_value`` parses what someone typed ("45,5 %", "1 200 kr", "Samtliga kommuner är anslutna")
against the measure's kind and unit; ``summary_of`` says, per target year, the latest value measured
by then and whether the target was met.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext_lazy as _

NBSP = "\xa0"
# Ways of writing a unit that mean the same ("45 st" is 45 antal); compared case-blind.
UNIT_SYNONYMS = [
    {"antal", "st", "st.", "stycken", "styck"},
    {"%", "procent"},
    {"kr", "kr.", "kronor", "sek", ":-"},
]
# A number as Swedish write it: an optional sign, digits grouped by spaces or not, a decimal comma
# (or point), then whatever follows: the unit as written.
NUMBER = re.compile(r"^(?P<sign>[-−–+]?)\s*(?P<whole>\d{1,3}(?: \d{3})+|\d+)(?:[,.](?P<decimals>\d+))?\s*(?P<rest>.*)$")


def number_text(value: Decimal | None) -> str:
    """A measured number the Swedish way: "45,5", "1 200", "0,25" (no needless zeros)."""
    if value is None:
        return ""
    decimals = max(0, -Decimal(value).normalize().as_tuple().exponent)
    return floatformat(value, f"{decimals}g")


def value_text(value: Decimal | None, unit: str) -> str:
    """A number with its unit: "45,5 %", "12 kommuner"."""
    if value is None:
        return ""
    return f"{number_text(value)}{NBSP}{unit}" if unit else number_text(value)


def same_unit(written: str, unit: str) -> bool:
    written, unit = written.strip().casefold(), unit.strip().casefold()
    if written == unit:
        return True
    return any(written in group and unit in group for group in UNIT_SYNONYMS)


def parse_number(text: str) -> tuple[Decimal, str] | None:
    """The number that ``text`` starts with and what follows it, or None when it starts with no number."""
    text = " ".join(text.replace(NBSP, " ").replace("\u202f", " ").split())
    match = NUMBER.match(text)
    if not match:
        return None
    digits = match["whole"].replace(" ", "") + (f".{match['decimals']}" if match["decimals"] else "")
    try:
        number = Decimal(digits)
    except InvalidOperation:  # pragma: no cover - the pattern admits digits only
        return None
    negative = match["sign"] not in ("", "+")
    return (-number if negative else number), match["rest"].strip()


def read_value(text: str, *, numeric: bool, unit: str) -> tuple[Decimal | None, str]:
    """What was typed for a numeric measure (a number, in its unit or without one) or a described one
    (the words as written), as (value, text). Raises a ValidationError that says what to write."""
    text = text.strip()
    if not numeric:
        return None, text
    parsed = parse_number(text)
    if parsed is None:
        raise ValidationError(
            _("This measure is numeric: write a number in %(unit)s, e.g. 45,5 (not words)."),
            code="not_a_number",
            params={"unit": unit},
        )
    number, written_unit = parsed
    if written_unit and not same_unit(written_unit, unit):
        raise ValidationError(
            _("This measure is counted in %(unit)s, but “%(text)s” is in %(written)s. Write the number in %(unit)s."),
            code="wrong_unit",
            params={"unit": unit, "text": text, "written": written_unit},
        )
    return number, ""


def written_value(value: Decimal | None, text: str) -> str:
    """A stored value as a form shows it to be edited: "45,5", or the words."""
    return number_text(value) if value is not None else text


@dataclass
class TargetRow:
    """A target with the latest value measured by the end of its year, and whether that met it."""

    target: object
    reading: object | None
    met: bool | None


@dataclass
class MeasureSummary:
    measure: object
    rows: list[TargetRow] = field(default_factory=list)
    values: list = field(default_factory=list)
    latest: object | None = None
    latest_met: bool | None = None


def is_met(measure, target, reading) -> bool | None:
    """Whether ``reading`` meets ``target``: by the numbers for a numeric measure, as recorded for a
    described one; None when it cannot be said (no reading, no target value)."""
    if reading is None or target is None:
        return None
    if not measure.is_numeric:
        return reading.reached
    if reading.value is None or target.value is None:
        return None
    if measure.direction == "at_most":
        return reading.value <= target.value
    return reading.value >= target.value


def target_for(targets: list, year: int):
    """The target a value measured in ``year`` is held to: that year's, else the next one, else the last."""
    later = [target for target in targets if target.year >= year]
    if later:
        return min(later, key=lambda target: target.year)
    return targets[-1] if targets else None


def summary_of(measure) -> MeasureSummary:
    """The measure's targets, each with the latest value measured by the end of its year; the latest
    value of all, against the target of its year. Reads ``targets`` and ``values`` as prefetched."""
    targets = sorted(measure.targets.all(), key=lambda target: target.year)
    values = sorted(measure.values.all(), key=lambda value: (value.date, value.pk or 0))
    rows = []
    for target in targets:
        by_then = [value for value in values if value.date.year <= target.year]
        reading = by_then[-1] if by_then else None
        rows.append(TargetRow(target, reading, is_met(measure, target, reading)))
    latest = values[-1] if values else None
    met = is_met(measure, target_for(targets, latest.date.year), latest) if latest else None
    return MeasureSummary(measure=measure, rows=rows, values=values, latest=latest, latest_met=met)
