"""Reading an uploaded table: XLSX, or CSV as Swedish Excel writes it, safely.

What is refused, with a reason the user can act on (``Refused.message``): a file that is not a
spreadsheet, one larger than ``MAX_BYTES``, an old XLS or an ODS file (say how to save it instead),
a zip bomb disguised as XLSX (the archive's directory is read, and its sizes checked, before
openpyxl opens it) and a table of more than ``MAX_ROWS`` rows.

What is read as people write it: CSV with semicolons, tabs or commas, in UTF-8 (with or without a
byte order mark), UTF-16 or Windows-1252; title rows, empty rows and a merged group heading above
the header row (``find_header``); formula cells by the value Excel saved with them, and a formula
without a saved value named (``CellProblem``) rather than read as empty.

Cells come as ``str``, ``Decimal`` (numbers, never float), ``date``, ``bool`` or ``None``. Nothing
here knows what the columns mean: the caller scores header rows (``score``) and maps the columns.
"""

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .text import without_control_characters

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
MAX_COLUMNS = 100
# An XLSX is a zip of XML, which packs 5–20 times, seldom 50: a file that unpacks to more than
# MAX_UNPACKED, or a part that packs more than MAX_RATIO times (beyond a megabyte), is no table.
MAX_UNPACKED = 250 * 1024 * 1024
MAX_RATIO = 100
MAX_PARTS = 10_000
# The header row is looked for among the first rows that hold anything.
HEADER_SEARCH_ROWS = 30

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Encrypted (password-protected) Office files are OLE2 containers holding this stream.
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
# Files that are certainly not tables, by how they begin.
OTHER_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"{\\rtf", b"\x1f\x8b", b"BM", b"7z\xbc\xaf", b"Rar!")
EXCEL_ERRORS = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}
# A formula in a sheet's XML: <f>…</f> or <f t="shared" …/> (with or without a namespace prefix).
FORMULA_TAG = re.compile(rb"<(?:[A-Za-z0-9_]+:)?f[\s>/]")


class Refused(Exception):
    """The file cannot be read as a table; ``message`` says why and what to do, in the active language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def not_a_spreadsheet() -> Refused:
    return Refused(_("The file is not a spreadsheet (XLSX or CSV)."))


@dataclass(frozen=True)
class CellProblem:
    """A cell that has no value to read: a formula Excel saved no value for, or an error value."""

    cell: str  # "E14"
    formula: str = ""  # "=SUM(E2:E13)"
    error: str = ""  # "#DIV/0!"

    def message(self) -> str:
        if self.error:
            return _("cell %(cell)s holds the error value %(error)s; correct it in the file") % {
                "cell": self.cell,
                "error": self.error,
            }
        return _(
            "cell %(cell)s holds a formula (%(formula)s) without a saved value: open the file in Excel and "
            "save it again, or type the value in"
        ) % {"cell": self.cell, "formula": self.formula[:60]}


def column_letter(index: int) -> str:
    """0 → "A", 26 → "AA"."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


# --- What the file is --------------------------------------------------------------------------


def file_format(content: bytes) -> str:
    """ "xlsx" or "csv"; ``Refused`` for anything else, an oversized file or a zip bomb. Cheap: reads
    the zip's directory, or the start of a text, never the whole workbook."""
    if len(content) > MAX_BYTES:
        raise Refused(
            _("The file is %(size)s; files of up to %(limit)s can be imported. Split the table into several files.")
            % {"size": filesizeformat(len(content)), "limit": filesizeformat(MAX_BYTES)}
        )
    if not content.strip():
        raise Refused(_("The file is empty."))
    if content.startswith(ZIP_MAGIC):
        check_workbook_archive(content)
        return "xlsx"
    if content.startswith(OLE2_MAGIC):
        if ENCRYPTED_PACKAGE in content:
            raise Refused(
                _(
                    "The file is protected by a password, so it cannot be read. Remove the password in Excel "
                    "(File, Info, Protect workbook) and upload the file again."
                )
            )
        raise Refused(
            _(
                "The file is in Excel's old format (XLS). Open it in Excel and save it as an Excel workbook "
                "(XLSX) or as CSV, then upload that file."
            )
        )
    if content.startswith(OTHER_MAGIC):
        raise not_a_spreadsheet()
    sniff_delimiter(decode(content)[0])  # refuses what is not text, or text that is no table
    return "csv"


def check_workbook_archive(content: bytes) -> None:
    """The zip's directory, before anything is unpacked: an Excel workbook, of reasonable sizes."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = archive.infolist()
            names = {part.filename: part for part in parts}
            mimetype = names.get("mimetype")  # an OpenDocument file's first part: a few bytes
            kind = archive.read(mimetype) if mimetype is not None and mimetype.file_size < 100 else b""
    except (zipfile.BadZipFile, ValueError, OSError):
        raise not_a_spreadsheet() from None
    if b"opendocument.spreadsheet" in kind:
        raise Refused(
            _(
                "The file is an OpenDocument spreadsheet (ODS). Save it as an Excel workbook (XLSX) or as CSV, "
                "then upload that file."
            )
        )
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise not_a_spreadsheet()
    unpacked = sum(part.file_size for part in parts)
    packed_too_tightly = any(
        part.file_size > 1024 * 1024 and part.file_size > MAX_RATIO * max(part.compress_size, 1) for part in parts
    )
    if len(parts) > MAX_PARTS or unpacked > MAX_UNPACKED or packed_too_tightly:
        raise Refused(
            _(
                "The file would unpack to far more than a table of this size holds (%(size)s), so it is not "
                "opened. Save the table again in Excel, or as CSV, and upload that file."
            )
            % {"size": filesizeformat(unpacked)}
        )


def decode(content: bytes) -> tuple[str, str]:
    """The text of a CSV file and its encoding: UTF-8 with or without a byte order mark, UTF-16 with
    one, else Windows-1252 (what Swedish Excel saves "CSV (semikolonavgränsad)" in)."""
    if content.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif content.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        if b"\x00" in content[:4096]:
            raise not_a_spreadsheet()
        candidates = ["utf-8", "cp1252"]
    for encoding in candidates:
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        start = text[:4096]
        controls = sum(1 for char in start if unicodedata.category(char) == "Cc" and char not in "\t\r\n")
        if controls > len(start) / 100 or start.lstrip().lower().startswith(("<!doctype", "<html", "<?xml")):
            raise not_a_spreadsheet()
        return text, "windows-1252" if encoding == "cp1252" else encoding.removesuffix("-sig")
    raise not_a_spreadsheet()


# --- Cells ---------------------------------------------------------------------------------------


def cell_value(value):
    """A cell as read from either format, the same way: text cleaned, numbers as ``Decimal``."""
    if value is None:
        return None
    if isinstance(value, str):
        text = without_control_characters(value).strip()
        return text or None
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))  # the shortest form that reads back as the same double: 1200.5, not 1200.4999…
    if isinstance(value, datetime):
        return value.date() if value.time() == time(0) else value
    if isinstance(value, date | Decimal):
        return value
    return without_control_characters(str(value)).strip() or None


NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")


def parse_number(value) -> Decimal | None:
    """A number as Swedes (and Excel) write it: "1 200,5", "1 018 387 kr", "−300", "12,5 %", "1.200,50",
    "1200.5"; a ``Decimal`` cell as it is. None when the cell holds no number."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool) or not isinstance(value, str):
        return None
    text = value.strip().replace("−", "-").replace("–", "-")
    text = re.sub(r"(?i)\s*(kr|kronor|sek|%|h|tim|timmar)\.?$", "", text)
    text = SPACES.sub("", text)
    if "," in text and "." in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        text = text.replace(thousands, "").replace(decimal_mark, ".")
    elif "," in text:
        text = text.replace(",", "") if re.fullmatch(r"[+-]?\d{1,3}(,\d{3}){2,}", text) else text.replace(",", ".")
    elif re.fullmatch(r"[+-]?\d{1,3}(\.\d{3}){2,}", text):
        text = text.replace(".", "")
    if not NUMBER.match(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def text_of(value) -> str:
    """A cell as text: numbers without needless decimals ("7", "1200.5"), dates as 2016-02-29."""
    if value is None or isinstance(value, CellProblem):
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# --- The table -----------------------------------------------------------------------------------


def header_key(text) -> str:
    """A header as it is compared: lower case, words hyphenated over a line break joined ("Tids-
    period"), whitespace collapsed, footnote marks and colons dropped."""
    text = unicodedata.normalize("NFKC", text_of(text)).lower()
    text = re.sub(r"-\s*\n\s*", "", text)
    text = " ".join(text.split())
    return text.strip(" :*.")


@dataclass
class Table:
    """A sheet's table: its header and, when iterated (once), its data rows as ``(row number, cells)``.

    Empty rows are skipped and counted; reading stops with ``Refused`` past ``MAX_ROWS`` rows.
    ``counts`` fills in while the rows are read: ``skipped_empty`` (empty rows between rows) and
    ``formula_values`` (formula cells read by the value saved with them)."""

    headers: list[str]
    header_parts: list[tuple[str, ...]]  # per column: its heading, and its sub-heading under a merged group
    header_rows: tuple[int, ...]
    sheet: str = ""
    sheets: list[str] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ""
    counts: dict = field(default_factory=dict)
    rows: Iterator | None = None

    def __iter__(self) -> Iterator[tuple[int, list]]:
        self.counts.setdefault("skipped_empty", 0)
        self.counts.setdefault("formula_values", 0)
        count = pending_empty = 0
        width = len(self.headers)
        for number, cells in self.rows or ():
            cells = list(cells[:width]) + [None] * (width - len(cells))
            if all(cell is None for cell in cells):
                pending_empty += 1
                continue
            self.counts["skipped_empty"] += pending_empty  # those after the last row are not counted
            pending_empty = 0
            count += 1
            if count > MAX_ROWS:
                raise Refused(
                    _(
                        "The table has more than %(limit)s rows, more than can be imported at once. "
                        "Split it into several files."
                    )
                    % {"limit": f"{MAX_ROWS:,}".replace(",", "\xa0")}
                )
            yield number, cells


def read_table(content: bytes, score: Callable[[list], int]) -> Table:
    """The table of the file (``file_format`` decides how to read it). ``score(cells)`` rates a row
    as the header row: the sheet and the row scoring highest are read (ties: the first)."""
    if file_format(content) == "xlsx":
        return read_workbook(content, score)
    return read_csv(content, score)


def find_header(rows: list[tuple[int, list]], score: Callable[[list], int]) -> int:
    """The index in ``rows`` (the first non-empty rows) of the header row: the highest score, the
    first of equals. Title rows above it (one merged cell) and notes are passed over."""
    best, best_score = 0, -1
    for index, (_number, cells) in enumerate(rows):
        texts = [cell for cell in cells if isinstance(cell, str)]
        if len(texts) < 2 and len(rows) > 1:
            continue  # a title, a note or a lone value: not the header of a table
        row_score = score(cells)
        if row_score > best_score:
            best, best_score = index, row_score
    return best


def padded(cells: list | None, width: int) -> list:
    cells = list(cells or [])
    return cells + [None] * (width - len(cells))


def grouped_columns(header: list) -> list[bool]:
    """The columns under a heading merged over several: the heading's cell and the empty ones after it."""
    grouped = [False] * len(header)
    for index in range(1, len(header)):
        if header[index] is None and (header[index - 1] is not None or grouped[index - 1]):
            grouped[index] = grouped[index - 1] = True
    return grouped


def sub_header(header: list, below: list) -> bool:
    """Whether ``below`` is a second header row under merged group headings ("Nationella referenser"
    over "SKL" and "Vision"): text only, every cell in a merged group's columns, one at least under
    the group's empty (merged) cells."""
    width = max(len(header), len(below))
    header, below = padded(header, width), padded(below, width)
    cells = [(index, cell) for index, cell in enumerate(below) if cell is not None]
    if not cells or any(not isinstance(cell, str) or parse_number(cell) is not None for _, cell in cells):
        return False
    grouped = grouped_columns(header)
    return all(grouped[index] for index, _ in cells) and any(header[index] is None for index, _ in cells)


def headers_of(header: list, below: list | None) -> list[tuple[str, ...]]:
    """Each column's heading parts: its heading, then its sub-heading when ``below`` is a sub-header
    row; a column under a merged group heading takes the group's heading first."""
    width = max(len(header), len(below or []))
    header, below = padded(header, width), padded(below, width)
    parts, group = [], ""
    for heading, sub in zip(header, below, strict=True):
        if heading is not None:
            group = text_of(heading)
        elif sub is None:
            group = ""  # an unnamed column ends the group
        name = text_of(heading) if heading is not None else (group if sub is not None else "")
        parts.append(tuple(part for part in (name, text_of(sub)) if part))
    return parts


def table_from(rows: Iterator[tuple[int, list]], score: Callable[[list], int], **about) -> Table:
    """Find the header among the first rows of ``rows`` that hold anything, and make the table of the rest."""
    buffered: list[tuple[int, list]] = []
    head: list[tuple[int, list]] = []  # the non-empty ones
    for number, cells in rows:
        buffered.append((number, cells))
        if any(cell is not None for cell in cells):
            head.append((number, cells))
            if len(head) >= HEADER_SEARCH_ROWS:
                break
    if not head:
        raise Refused(_("The file holds no table: every row is empty."))
    index = find_header(head, score)
    number, header = head[index]
    below = head[index + 1][1] if index + 1 < len(head) and head[index + 1][0] == number + 1 else None
    has_sub = below is not None and sub_header(header, below)
    parts = headers_of(header, below if has_sub else None)
    used = [i for _, cells in head for i, cell in enumerate(cells) if cell is not None]
    width = max([i + 1 for i, part in enumerate(parts) if part] + [max(used) + 1])
    parts = [part or () for part in padded(parts, width)[:width]]
    if width > MAX_COLUMNS:
        raise Refused(
            _("The table has more than %(limit)s columns; remove the columns that are not to be imported.")
            % {"limit": MAX_COLUMNS}
        )
    last_header_row = number + (1 if has_sub else 0)

    def data():
        yield from ((row, cells) for row, cells in buffered if row > last_header_row)
        yield from rows

    return Table(
        headers=[header_text(" ".join(part)) for part in parts],
        header_parts=parts,
        header_rows=(number, number + 1) if has_sub else (number,),
        rows=data(),
        **about,
    )


def header_text(text: str) -> str:
    """A header as shown: on one line ("Tids-\nperiod" is "Tids-period")."""
    return " ".join(re.sub(r"-\s*\n\s*", "-", text).split())


# --- CSV -----------------------------------------------------------------------------------------

DELIMITERS = (";", "\t", ",")


def read_csv(content: bytes, score: Callable[[list], int]) -> Table:
    text, encoding = decode(content)
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def rows():
        try:
            for number, cells in enumerate(reader, start=1):
                yield number, [cell_value(cell) for cell in cells[: MAX_COLUMNS + 1]]
        except csv.Error:
            raise not_a_spreadsheet() from None

    return table_from(rows(), score, encoding=encoding, delimiter=delimiter, counts={})


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the same number of fields (more than one),
    most often; semicolons before tabs before commas (a decimal comma splits nothing evenly)."""
    sample = [line for line in text[: 64 * 1024].splitlines() if line.strip()][:50]
    best, best_score = None, (0, 0)
    for delimiter in DELIMITERS:
        try:
            counts = [len(row) for row in csv.reader(sample, delimiter=delimiter) if any(cell.strip() for cell in row)]
        except csv.Error:
            continue
        wide = [count for count in counts if count > 1]
        if not wide:
            continue
        mode = max(set(wide), key=wide.count)
        candidate = (wide.count(mode), mode)
        if candidate > best_score:
            best, best_score = delimiter, candidate
    if best is None:
        raise not_a_spreadsheet()  # no line splits into columns: a text, not a table
    return best


# --- XLSX ----------------------------------------------------------------------------------------


def read_workbook(content: bytes, score: Callable[[list], int]) -> Table:
    """The best-scoring sheet's table, its cells by the values Excel saved (formulas read as their
    results; a formula without a saved value, or an error value, as a ``CellProblem``)."""
    import openpyxl  # imported here: only imports need it, and it takes a while to load

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (KeyError, ValueError, XML errors) for a damaged file
        raise Refused(
            _(
                "The file could not be read as an Excel workbook; it may be damaged. Open it in Excel and save it "
                "again, or save it as CSV, and upload that file."
            )
        ) from None
    sheets = [sheet for sheet in workbook.worksheets if sheet.sheet_state == "visible"] or workbook.worksheets
    if not sheets:
        raise Refused(_("The file holds no table: every row is empty."))
    chosen = max(sheets, key=lambda sheet: sheet_score(sheet, score))  # the first of equals
    formulas = None
    if has_formulas(content):
        formula_book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        formulas = formula_book[chosen.title]
    counts = {"skipped_empty": 0, "formula_values": 0}
    about = {"sheet": chosen.title, "sheets": [sheet.title for sheet in workbook.worksheets], "counts": counts}
    return table_from(sheet_rows(chosen, formulas, counts), score, **about)


def sheet_width(sheet) -> int:
    return min(sheet.max_column or MAX_COLUMNS + 1, MAX_COLUMNS + 1)


def sheet_score(sheet, score) -> int:
    rows = sheet.iter_rows(max_row=HEADER_SEARCH_ROWS, max_col=sheet_width(sheet), values_only=True)
    return max((score([cell_value(cell) for cell in row]) for row in rows), default=-1)


def has_formulas(content: bytes) -> bool:
    """Whether any sheet of the workbook holds a formula (its XML read in pieces, not parsed)."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if not name.startswith("xl/worksheets/") or not name.endswith(".xml"):
                continue
            with archive.open(name) as part:
                tail = b""
                while chunk := part.read(1024 * 1024):
                    if FORMULA_TAG.search(tail + chunk):
                        return True
                    tail = chunk[-16:]
    return False


def sheet_rows(sheet, formulas, counts: dict) -> Iterator[tuple[int, list]]:
    """``(row number, cells)`` of a sheet; ``formulas``, the same sheet read for its formulas, in step."""
    width = sheet_width(sheet)
    values = sheet.iter_rows(max_col=width, values_only=True)
    if formulas is None:
        for number, row in enumerate(values, start=1):
            yield number, [error_or_value(cell, number, index) for index, cell in enumerate(row[: used(row)])]
        return
    written = formulas.iter_rows(max_col=width, values_only=True)
    for number, (row, formula_row) in enumerate(zip(values, written, strict=False), start=1):
        cells = []
        width = max(used(row), used(formula_row))
        for index, (cell, formula) in enumerate(zip(row[:width], formula_row[:width], strict=False)):
            if isinstance(formula, str) and formula.startswith("="):
                if cell is None:
                    cells.append(CellProblem(f"{column_letter(index)}{number}", formula=formula))
                    continue
                counts["formula_values"] += 1
            cells.append(error_or_value(cell, number, index))
        yield number, cells


def used(row: tuple) -> int:
    """How many cells of a row count: up to its last one that holds anything (a workbook without a
    stated size gives every row the widest row's length)."""
    width = len(row)
    while width and row[width - 1] is None:
        width -= 1
    return width


def error_or_value(cell, row: int, column: int):
    if isinstance(cell, str) and cell in EXCEL_ERRORS:
        return CellProblem(f"{column_letter(column)}{row}", error=cell)
    return cell_value(cell)
