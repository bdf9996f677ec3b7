"""The free-text search box of the list pages: words, each of which a hit must contain.

A word matches whatever its case and accents: "npo" finds "NPÖ", "NPÖ" finds "npo", "e-halsa"
finds "e-hälsa" and "Lidkoping" "Lidköping". Both sides of the comparison go through the database
function ``ehalsa_unaccent`` (``words_in``): on PostgreSQL an immutable wrapper of the unaccent
extension (ehalsa/migrations/0002_unaccent.py), which the trigram indexes of the activity search
are built on; on SQLite ``unaccent`` below, registered on each connection (ehalsa.sqlite).

Every word adds a condition on several columns, so the number of words and the length of the
text are bounded: a search of a few thousand words would otherwise hold a worker for half a
minute on PostgreSQL and overflow SQLite's expression tree. Repeated words count once.
"""

import unicodedata

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db.models import CharField, Q, TextField, Transform
from django.utils.translation import gettext_lazy as _

MAX_WORDS = 10
MAX_CHARACTERS = 200

# Letters that are not a base letter with a mark, which PostgreSQL's unaccent rules also fold.
UNACCENTED_LETTERS = str.maketrans(
    {"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ß": "ss", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L"}
)


def unaccent(text):
    """``text`` without accents ("NPÖ" → "NPO", "é" → "e"), as PostgreSQL's unaccent has it; case is kept."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", str(text).translate(UNACCENTED_LETTERS))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


class Unaccented(Transform):
    """``field__unaccented__icontains=word``: the field and the word compared without accents."""

    bilateral = True
    lookup_name = "unaccented"
    function = "ehalsa_unaccent"


CharField.register_lookup(Unaccented)
TextField.register_lookup(Unaccented)


def word_in(word: str, fields) -> Q:
    """The condition that ``word`` is in one of ``fields`` at least, whatever its case and accents."""
    return Q.create([(f"{field}__unaccented__icontains", word) for field in fields], connector=Q.OR)


def words_in(text: str, fields) -> Q:
    """The condition that each word of the search ``text`` is in one of ``fields`` at least."""
    condition = Q()
    for word in search_words(text):
        condition &= word_in(word, fields)
    return condition


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
