"""Dates people type, kept within the years the product is about.

A date field accepts 0001-01-01 to 9999-12-31; a typo there ("0216", "20166") is a date nobody
meant. Plans are from 2000 on (plans.models.YEAR_VALIDATORS); population figures and decisions a
little older may still be entered, so dates start in 1990.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

EARLIEST = date(1990, 1, 1)


def end_of_next_year() -> date:
    return date(timezone.localdate().year + 1, 12, 31)


def check_date(value: date | None, *, latest: date) -> None:
    """Refuse ``value`` outside EARLIEST–``latest`` with a message naming the range."""
    if value is not None and not EARLIEST <= value <= latest:
        raise ValidationError(
            _("Enter a date from %(earliest)s to %(latest)s."),
            code="date_out_of_range",
            params={"earliest": EARLIEST.isoformat(), "latest": latest.isoformat()},
        )


def check_dates(instance, *fields: str) -> None:
    """``check_date`` up to today for each of ``fields`` of a model instance, the errors by field
    (for ``clean``): follow-ups, population figures and decisions are of the past."""
    errors = {}
    for name in fields:
        try:
            check_date(getattr(instance, name), latest=timezone.localdate())
        except ValidationError as error:
            errors[name] = error
    if errors:
        raise ValidationError(errors)
