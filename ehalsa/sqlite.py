"""Unicode-aware LIKE for SQLite, so that searching "östergötland" finds "Östergötland".

SQLite's own LIKE folds case for ASCII letters only; PostgreSQL's ILIKE/UPPER handle å, ä and ö.
Registering ``like`` replaces SQLite's built-in for our connections, so Django's ``icontains``
behaves the same on both databases. ``ehalsa_unaccent`` is the search's accent folding
(``ehalsa.search.unaccent``), which PostgreSQL has from its unaccent extension.
"""

import re
from functools import lru_cache

from .search import unaccent


@lru_cache(maxsize=512)
def _compile(pattern: str, escape: str | None) -> re.Pattern:
    parts = []
    chars = iter(pattern)
    for char in chars:
        if escape and char == escape:
            parts.append(re.escape(next(chars, "")))
        elif char == "%":
            parts.append(".*")
        elif char == "_":
            parts.append(".")
        else:
            parts.append(re.escape(char))
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)


def like(pattern, value, escape=None):
    if pattern is None or value is None:
        return None
    return _compile(str(pattern), escape).fullmatch(str(value)) is not None


def install_unicode_like(sender, connection, **kwargs):
    if connection.vendor != "sqlite":
        return
    connection.connection.create_function("like", 2, like, deterministic=True)
    connection.connection.create_function("like", 3, like, deterministic=True)
    connection.connection.create_function("ehalsa_unaccent", 1, unaccent, deterministic=True)
