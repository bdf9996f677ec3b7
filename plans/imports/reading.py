"""An uploaded table read for an importer: its header found, its columns' fields proposed, its rows
checked. Read only: the steps that store what is found are in ``plans.imports.steps``."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ehalsa.spreadsheets import CellProblem, Table, column_letter, header_key, read_table, text_of

from .registry import CheckedRow, Field, Importer, row_message

# Sample values shown for each column on the mapping page.
SAMPLES = 3
# Checked rows stored at a time, in the preview's check.
BATCH = 1000


@dataclass
class Vocabulary:
    """The headers that name an importer's fields, prepared for comparing many headers."""

    fields: list[Field]
    exact: dict[str, str] = field(default_factory=dict)  # header key → field key
    contains: list[tuple[str, str]] = field(default_factory=list)  # (word, field key), in the fields' order

    def __post_init__(self):
        for item in self.fields:
            for key in item.header_keys():
                self.exact.setdefault(key, item.key)
            self.contains += [(header_key(word), item.key) for word in item.contains]

    def field_of(self, header: str, *, loosely: bool = False) -> str:
        """The field a header names ("" for none); ``loosely``: also a field whose word it holds."""
        key = header_key(header)
        if key in self.exact:
            return self.exact[key]
        if loosely and key:
            return next((field_key for word, field_key in self.contains if word in key), "")
        return ""

    def score(self, cells: list) -> int:
        """How much a row looks like this table's header row: cells naming fields count most."""
        texts = [cell for cell in cells if isinstance(cell, str)]
        named = sum(1 for text in texts if self.field_of(text, loosely=True))
        return 10 * named + len(texts)


def read(content: bytes, vocabulary: Vocabulary) -> Table:
    return read_table(content, vocabulary.score)


def column_name(headers: list[str], index: int) -> str:
    """A column as the user knows it: its header, else its letter ("Kolumn D")."""
    return (
        headers[index]
        if index < len(headers) and headers[index]
        else _("Column %(letter)s") % {"letter": column_letter(index)}
    )


def propose(vocabulary: Vocabulary, header_parts: list[tuple[str, ...]], remembered: dict) -> list[str]:
    """The field each column is proposed for: what the cooperation chose for a column of that header
    before (``remembered``: header key → field key, "" for not imported), else the field the header
    names, else the field its sub-heading names, else a field whose word it holds. Each field once;
    earlier passes, then earlier columns, first."""
    valid = {item.key for item in vocabulary.fields}
    proposal: list[str | None] = [None] * len(header_parts)
    taken: set[str] = set()

    def assign(choose: Callable[[tuple[str, ...]], str | None]) -> None:
        for index, parts in enumerate(header_parts):
            if proposal[index] is not None or not parts:
                continue
            choice = choose(parts)
            if choice == "" or (choice and choice in valid and choice not in taken):
                proposal[index] = choice
                if choice:
                    taken.add(choice)

    assign(lambda parts: remembered.get(header_key(" ".join(parts))))
    assign(lambda parts: vocabulary.field_of(" ".join(parts)) or None)
    assign(lambda parts: vocabulary.field_of(parts[-1]) or None)
    assign(lambda parts: vocabulary.field_of(" ".join(parts), loosely=True) or None)
    return [choice or "" for choice in proposal]


def remembered_columns(headers: list[str], mapping: list[str]) -> dict:
    """A mapping as it is remembered for the cooperation's next file: by header key."""
    return {header_key(header): key for header, key in zip(headers, mapping, strict=False) if header_key(header)}


@dataclass
class Checked:
    """A check's outcome: the rows (when kept), what concerns several rows (messages by row number,
    found after the last row), and what the preview says about the table as a whole."""

    rows: list[CheckedRow]
    summary: dict
    later: dict = field(default_factory=dict)


def check(
    table: Table, importer: Importer, plan, mapping: list[str], *, store: Callable[[list], None] | None = None
) -> Checked:
    """Every row of ``table`` read by the importer through ``mapping``. Rows with nothing in the
    mapped columns are passed over (counted); a mapped cell whose value cannot be read (a formula
    without a saved value, an error value) is the row's error.

    ``store``: given each batch of checked rows, which are then let go, so that a large table is
    checked in little memory (the preview); without it, every row is kept, with the messages about
    several rows added to them (the import itself, which creates them)."""
    mapped = {key for key in mapping if key}
    checker = importer.checker(plan, mapped)
    columns = [(index, key) for index, key in enumerate(mapping) if key]
    kept: list[CheckedRow] = []
    batch: list[CheckedRow] = []
    with_errors: set[int] = set()
    count = unmapped_only = 0
    for number, cells in table:
        values, problems = {}, []
        for index, key in columns:
            value = cells[index] if index < len(cells) else None
            if isinstance(value, CellProblem):
                problems.append(row_message(number, value.message()))
                value = None
            values[key] = value
        if not problems and all(value is None for value in values.values()):
            unmapped_only += 1
            continue
        row = checker.row(number, values)
        row.errors[:0] = problems
        count += 1
        if row.errors:
            with_errors.add(number)
        if store is None:
            kept.append(row)
            continue
        row.data = {}  # what it would create is not needed for the preview
        batch.append(row)
        if len(batch) >= BATCH:
            store(batch)
            batch = []
    if store is not None and batch:
        store(batch)
    later = checker.finish()
    with_errors |= later.keys()
    for row in kept:
        row.errors += later.get(row.number, [])
    summary = {
        "rows": count,
        "valid": count - len(with_errors),
        "with_errors": len(with_errors),
        "skipped_empty": table.counts.get("skipped_empty", 0),
        "skipped_unmapped": unmapped_only,
        "formula_values": table.counts.get("formula_values", 0),
        "unknown_columns": [
            column_name(table.headers, index) for index, key in enumerate(mapping) if not key and table.headers[index]
        ],
        "notes": checker.notes(),
    }
    return Checked(rows=kept, summary=summary, later=later)


def samples_of(table: Table) -> tuple[list[list[str]], int]:
    """The first ``SAMPLES`` values of each column, and how many rows the table has (reading it all,
    so that a table of too many rows is refused before anyone maps it)."""
    samples: list[list[str]] = [[] for _ in table.headers]
    count = 0
    for _number, cells in table:
        count += 1
        for index, cell in enumerate(cells):
            if len(samples[index]) < SAMPLES and (text := text_of(cell)):
                samples[index].append(text[:80])
    return samples, count
