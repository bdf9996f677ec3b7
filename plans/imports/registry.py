"""What can be imported into a plan, said by the apps that own the rows (activities, budget lines).

Apps depend one way (``governance ← plans ← activities, finance``): plans never names what is
imported. Each of those apps registers an ``Importer`` when Django starts (``AppConfig.ready``), as
it registers its ``PlanPart``; the upload, the mapping, the check, the preview and the one
transaction that creates the rows are the same for every kind (``plans.imports``).
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.http import Http404
from django.utils import translation
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from ehalsa.spreadsheets import header_key


@dataclass(frozen=True)
class Field:
    """A field a column can be imported into: its label, and the headers that propose it.

    ``headers``: header texts meaning this field, compared as ``header_key`` makes them (the label
    in every language of the site is one, so the product's own exports map themselves); ``contains``:
    words that propose it when a header holds them and no header names a field outright."""

    key: str
    label: str
    headers: tuple[str, ...] = ()
    contains: tuple[str, ...] = ()
    required: bool = False
    help: str = ""

    def header_keys(self) -> set[str]:
        keys = {header_key(header) for header in self.headers}
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                keys.add(header_key(str(self.label)))
        return keys


@dataclass
class CheckedRow:
    """A row of the file as the importer read it: what it will create (``data``, the importer's own),
    what the preview shows of it (``values``: text by field key) and what is wrong with it."""

    number: int
    values: dict = field(default_factory=dict)
    data: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def error(self, message: str) -> None:
        """Record ``message`` as "Rad 14: …" (the row number is the file's)."""
        self.errors.append(row_message(self.number, message))


def stamp(instance, user, reason: str):
    """The history of a row created by an import names its user and the import (simple_history's
    ``_history_user`` and ``_change_reason``, read when the row is saved)."""
    instance._history_user = user
    instance._change_reason = reason
    return instance


def row_message(number: int, message: str) -> str:
    return _("Row %(row)s: %(message)s") % {"row": number, "message": message}


def row_list(numbers: list[int]) -> str:
    """Row numbers as a sentence lists them: "7 och 9", "3, 7 och 9"."""
    return get_text_list([str(number) for number in numbers], _("and"))


class Checker:
    """Reads the rows of one check; made by ``Importer.checker`` with what it needs read once
    (reference data, the plan's rows) for every row."""

    def row(self, number: int, cells: dict) -> CheckedRow:
        """One row of the file: ``cells`` by field key (only the mapped ones; a value is text,
        ``Decimal``, ``date``, ``bool`` or None)."""
        raise NotImplementedError

    def finish(self) -> dict[int, list[str]]:
        """After the last row: what concerns several rows (the same number twice …), as messages by
        the file's row number. A checker keeps what it needs for this itself (rows are let go)."""
        return {}

    def notes(self) -> list[str]:
        """What the preview should say besides the rows (say, headings that will be created)."""
        return []


class Importer:
    """One kind of rows that tables are imported into (activities, budget lines)."""

    kind = ""  # stored with each import
    slug = ""  # the kind in addresses: /planer/<id>/importera/<slug>/
    title = ""  # the upload page's heading: "Import activities from Excel"

    def fields(self, plan) -> list[Field]:
        raise NotImplementedError

    def checker(self, plan, mapped: set[str]) -> Checker:
        """A checker for the rows of one check, for the fields in ``mapped``."""
        raise NotImplementedError

    def create(self, plan, rows: list[CheckedRow], *, user, reason: str) -> list[int]:
        """Create the rows (every one without errors), inside the import's transaction; their ids.
        Each created row's history names ``user`` and ``reason``."""
        raise NotImplementedError

    def created(self, plan, ids: list[int]):
        """The rows an import created that are still there, for its page (objects with a
        ``get_absolute_url`` or not, shown by ``str``)."""
        raise NotImplementedError

    def count_text(self, count: int) -> str:
        """ "31 activities", "1 budget line"."""
        raise NotImplementedError

    def back_url(self, plan) -> str:
        """Where the rows are seen in the plan."""
        raise NotImplementedError

    def help_text(self) -> str:
        """What the upload page says about the file's columns."""
        return ""


IMPORTERS: dict[str, Importer] = {}


def register(importer: Importer) -> None:
    IMPORTERS[importer.kind] = importer


def importer_of(kind: str) -> Importer:
    return IMPORTERS[kind]


def importer_by_slug(slug: str) -> Importer:
    for importer in IMPORTERS.values():
        if importer.slug == slug:
            return importer
    raise Http404
