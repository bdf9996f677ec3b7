"""Reading one cell as a kind of value, the same way for every importer: yes or no, a year, a date,
a choice by its label in any of the site's languages."""

import re
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from ehalsa.spreadsheets import text_of

YES = {"ja", "j", "x", "*", "yes", "y", "sant", "true", "1", "✓", "✔"}
NO = {"nej", "n", "no", "falskt", "false", "0", "-", "–"}


def choice_names(choices, *extra: dict) -> dict[str, str]:
    """A choice's value by its key, or its label in any of the site's languages (in lower case);
    ``extra``: more names for some values."""
    names = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names |= {str(label).lower(): value for value, label in choices.choices}
    names |= {value: value for value in choices.values}
    for more in extra:
        names |= more
    return names


def yes_or_no(value) -> bool | None:
    """ "ja", "x", "*" … are yes; "nej", "0", an empty cell … no; None for anything else."""
    if isinstance(value, bool):
        return value
    text = text_of(value).strip().lower()
    if text in YES:
        return True
    if text in NO or not text:
        return False
    return None


def year_of(value) -> int | None:
    """A cell holding a year (2017, "2017", a date); None when empty. ``ValidationError`` otherwise."""
    if value is None:
        return None
    if isinstance(value, date):
        return value.year
    text = text_of(value).strip()
    if not re.fullmatch(r"\d{4}", text):
        raise ValidationError(_("“%(value)s” is not a year.") % {"value": text[:40]})
    return int(text)


def date_of(value) -> date | None:
    """A date cell, or a date written as 2016-02-29; None when empty. ``ValidationError`` otherwise."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = text_of(value).strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(_("“%(value)s” is not a date; write it as 2016-02-29.") % {"value": text[:40]}) from None


def model_errors(error: ValidationError, model) -> list[str]:
    """A model's ``ValidationError`` as sentences, each naming its field: "Nr: Se till att …"."""
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    sentences = []
    for name, messages in error.message_dict.items():
        label = model._meta.get_field(name).verbose_name if name != "__all__" else ""
        sentences += [
            f"{str(label)[:1].upper()}{str(label)[1:]}: {message}" if label else message for message in messages
        ]
    return sentences
