"""The free-text search box of the list pages: words, each of which a hit must contain.

Every word adds a condition on several columns, so the number of words and the length of the
text are bounded: a search of a few thousand words would otherwise hold a worker for half a
minute on PostgreSQL and overflow SQLite's expression tree. Repeated words count once.
"""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

MAX_WORDS = 10
MAX_CHARACTERS = 200


def distinct_words(text: str) -> list[str]:
    """The distinct words of ``text`` (case-insensitively), in the order typed."""
    words: dict[str, str] = {}
    for word in text.split():
        words.setdefault(word.casefold(), word)
    return list(words.values())


def search_words(text: str) -> list[str]:
    """The words a search looks for: the distinct ones, at most MAX_WORDS."""
    return distinct_words(text)[:MAX_WORDS]


def validate_word_count(text: str) -> None:
    if len(distinct_words(text)) > MAX_WORDS:
        raise ValidationError(
            _("Search for at most %(limit)d different words."), code="too_many_words", params={"limit": MAX_WORDS}
        )


class SearchField(forms.CharField):
    default_validators = [
        MaxLengthValidator(
            MAX_CHARACTERS,
            message=_("The search may be at most %(limit_value)d characters long (it is %(show_value)d)."),
        ),
        validate_word_count,
    ]


class SearchFilter(django_filters.CharFilter):
    """The free-text ``q`` of a FilterSet; its method receives the text, to split with ``search_words``."""

    field_class = SearchField
