"""Shared table pieces: the base table, the spreadsheet export and common columns."""

from datetime import date, datetime
from decimal import Decimal
from urllib.parse import quote

import django_tables2 as tables
from django import forms
from django.db import models
from django.template.defaultfilters import capfirst, floatformat
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_tables2.export import TableExport
from tablib import Dataset

from .money import format_kronor
from .text import without_control_characters

# A cell starting with one of these is a formula to a spreadsheet program (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def defuse(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def cell(value):
    """A value as a spreadsheet cell: without control characters (XLSX refuses them), formulas defused."""
    if isinstance(value, str):
        value = without_control_characters(value)
    return defuse(value)


def is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def decimals_of(value) -> int:
    """How many decimals a number needs: 0 for 1140, 1 for 112.5."""
    exponent = Decimal(str(value)).normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def swedish_number(value, decimals: int) -> str:
    """A number as Swedish Excel reads it: "1234,50" (a decimal comma, no thousands separator)."""
    return f"{Decimal(str(value)):.{decimals}f}".replace(".", ",")


def csv_cell(value, decimals: int):
    if is_number(value):
        return swedish_number(value, decimals)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return value


def swedish_csv_columns(rows: list[list], decimals: list[int | None]) -> list[list]:
    """The rows with each column's numbers in one format, the column's ``decimals`` (``None``: as many
    as its most precise number needs), and dates in ISO form."""
    decimals = [
        places if places is not None else max((decimals_of(row[i]) for row in rows if is_number(row[i])), default=0)
        for i, places in enumerate(decimals)
    ]
    return [[csv_cell(value, places) for value, places in zip(row, decimals, strict=True)] for row in rows]


class SafeTableExport(TableExport):
    """django-tables2's export with cells made safe (``cell``), titled in the active language.

    CSV is written as Swedish Excel opens it: UTF-8 with a byte order mark, semicolons between the
    cells, numbers with a decimal comma in one format per column (a column's ``export_decimals``,
    or as many decimals as its most precise number needs), dates in ISO form. XLSX keeps numbers
    as numbers."""

    CSV_DELIMITER = ";"

    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        model = getattr(table.Meta, "model", None)
        title = model._meta.verbose_name_plural if model else getattr(table, "export_title", "Export")
        kwargs = {"title": str(title).capitalize()[:31]}
        kwargs.update(dataset_kwargs or {})
        dataset = Dataset(**kwargs)
        rows = table.as_values(exclude_columns=exclude_columns)
        dataset.headers = [str(header) for header in next(rows)]
        body = [[cell(value) for value in row] for row in rows]
        if self.format == self.CSV:
            body = swedish_csv_columns(body, self.decimals(table, exclude_columns or ()))
        for row in body:
            dataset.append(row)
        return dataset

    @staticmethod
    def decimals(table, exclude_columns) -> list[int | None]:
        """Each exported column's ``export_decimals``, in the order of ``Table.as_values``."""
        return [
            getattr(column.column, "export_decimals", None)
            for column in table.columns.iterall()
            if not (column.column.exclude_from_export or column.name in exclude_columns)
        ]

    def export(self):
        if self.format == self.CSV:
            return "\ufeff" + self.dataset.export(self.format, delimiter=self.CSV_DELIMITER)
        return super().export()

    def response(self, filename=None):
        response = super().response()
        if filename:
            response["Content-Disposition"] = attachment(filename)
        return response


def attachment(filename: str) -> str:
    """Content-Disposition of a download: an ASCII name for every client ("handlingsplan-for-ehalsa"),
    and the name with å, ä and ö for those that read RFC 6266's ``filename*``."""
    stem, dot, extension = filename.rpartition(".")
    ascii_name = f"{slugify(stem) or 'tabell'}{dot}{extension}"
    if ascii_name == filename:
        return f'attachment; filename="{ascii_name}"'
    return f"attachment; filename=\"{ascii_name}\"; filename*=utf-8''{quote(filename)}"


def download_name(*parts) -> str:
    """A file name (without extension) of the parts that say what a download holds: lower case, words
    joined by hyphens ("2016–2017" is "2016-2017"), å, ä and ö kept (``attachment`` gives an ASCII
    name too); empty parts left out, a long part cut after a word."""
    slugs = [
        slugify(str(part).replace("\u2013", "-").replace("\u2014", "-"), allow_unicode=True) for part in parts if part
    ]
    return "-".join(shortened(slug) for slug in slugs if slug) or "tabell"


def shortened(slug: str, limit: int = 100) -> str:
    return slug if len(slug) <= limit else slug[: limit + 1].rsplit("-", 1)[0]


def filter_value_name(field, value) -> str:
    """A filter's value as a download's name says it: a row by what names it in the address (a LIKA
    code) or by its own name, a choice by its label, yes or no after the filter's label."""
    if isinstance(value, models.Model):
        if getattr(field, "to_field_name", None):
            return str(getattr(value, field.to_field_name))
        parts = getattr(value, "download_name_parts", None)
        return " ".join(map(str, parts)) if parts else str(value)
    if isinstance(value, bool):  # as the filter's own choices say it ("I tid"), else "Försenad ja"
        shown = dict(getattr(field.widget, "choices", ()) or ()).get("true" if value else "false")
        answer = _("yes") if value else _("no")
        return str(shown) if shown else f"{field.label} {answer}"
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        return str(dict(field.choices).get(value, value))
    if isinstance(value, int):  # "år 2016", not a date's first part
        return f"{field.label} {value}"
    return str(value)


class ExportableTableMixin:
    """CSV and XLSX of a view's ``table``, with the page's filters applied (``?export=xlsx``).

    Works with any view whose context holds the table as ``table``; an unknown format is ignored.
    """

    export_formats = (TableExport.CSV, TableExport.XLSX)
    export_trigger_param = "export"
    export_name = "tabell"

    def export_name_parts(self) -> list:
        """What the download holds, for its file name: ["aktiviteter", "Handlingsplan 2016-2017"].
        By default the view's ``export_name``, the filters used and today's date (a list that
        changes from day to day)."""
        return [self.export_name, *self.filter_name_parts(), timezone.localdate().isoformat()]

    # At most this many of the filters' values name a download (the name stays readable).
    FILTER_NAME_PARTS = 6

    def filter_name_parts(self, *, leave_out=()) -> list[str]:
        """The values of the filters used on the page, as the filter form shows them ("trygghet",
        "Pågående", "L19"), for the download's name: two downloads of one list filtered differently
        get different names. None when the view has no filter or its filters are refused."""
        filterset = getattr(self, "filterset", None)
        if filterset is None or not filterset.is_bound or not filterset.is_valid():
            return []
        parts = []
        for name, value in filterset.form.cleaned_data.items():
            if name in leave_out or value is None or value in ("", [], ()):
                continue
            field = filterset.form.fields[name]
            values = list(value) if isinstance(value, (list, tuple, models.QuerySet)) else [value]
            parts += [filter_value_name(field, item) for item in values]
        return parts[: self.FILTER_NAME_PARTS]

    def get_export_filename(self, export_format):
        return f"{download_name(*self.export_name_parts())}.{export_format}"

    def render_to_response(self, context, **kwargs):
        export_format = self.request.GET.get(self.export_trigger_param)
        if export_format in self.export_formats:
            exporter = SafeTableExport(export_format, context["table"])
            return exporter.response(filename=self.get_export_filename(export_format))
        if "table" in context:
            self.offer_exports(context["table"])
        return super().render_to_response(context, **kwargs)

    def offer_exports(self, table):
        """Let the table template offer the downloads (render_table gives it the table alone)."""
        table.export_formats = self.export_formats
        return table


def filtered(filterset):
    """A filterset's rows; none when its form is invalid (the form then shows why)."""
    if not filterset.is_bound or filterset.is_valid():
        return filterset.qs
    return filterset.queryset.none()


class BaseTable(tables.Table):
    """Our tables: accessible template, 25 rows a page, Swedish headers from the models."""

    class Meta:
        template_name = "includes/table.html"
        attrs = {"class": "data"}
        per_page = 25
        default = "–"  # an empty cell, as everywhere on the site (django-tables2's own is "—")

    MAX_PER_PAGE = 100

    def group_heading(self, record):
        """The heading of the group of rows ``record`` belongs to, or "": rows in a row group
        (``<tbody>``) under it, a new group where the heading changes (includes/table.html)."""
        return ""

    def paginate(self, *args, per_page=None, **kwargs):
        """As django-tables2's, with ``?per_page=`` (any integer a visitor types) kept within 1–100:
        a size below 1 has no pages at all (a server error) and a huge one renders every row."""
        if per_page is not None and per_page < 1:
            per_page = None  # the table's own size
        elif per_page is not None:
            per_page = min(per_page, max(self.MAX_PER_PAGE, self._meta.per_page))
        return super().paginate(*args, per_page=per_page, **kwargs)


class PeriodColumn(tables.Column):
    """A period of years, "2016–2017", sorted by its first year."""

    def __init__(self, *, first, last, note=None, **kwargs):
        self.first, self.last, self.note = first, last, note
        kwargs.setdefault("verbose_name", _("Period"))
        kwargs.setdefault("order_by", (first, last))
        kwargs.setdefault("empty_values", ())
        kwargs.setdefault("default", "–")  # rendered here, so the table's own default never applies
        kwargs.setdefault("attrs", {"td": {"class": "nowrap"}})
        super().__init__(accessor=first, **kwargs)

    def render(self, record):
        return self.value(record) or self.default

    def value(self, record, value=None):
        first, last = getattr(record, self.first), getattr(record, self.last)
        if first and last and first != last:
            return f"{first}–{last}"
        if first or last:
            return str(first or last)
        return getattr(record, self.note, "") if self.note else ""


class MoneyColumn(tables.Column):
    """Whole kronor, Swedish style on the page; a number in spreadsheets ("1234,50" in CSV)."""

    export_decimals = 2

    def __init__(self, **kwargs):
        kwargs.setdefault("attrs", {"td": {"class": "num"}, "th": {"class": "num"}, "tf": {"class": "num"}})
        super().__init__(**kwargs)

    def render(self, value):
        return format_kronor(value, unit=False)

    def value(self, value):
        return value


class NumberColumn(tables.Column):
    """A count, right-aligned; a number in spreadsheets."""

    def __init__(self, **kwargs):
        kwargs.setdefault("attrs", {"td": {"class": "num"}, "th": {"class": "num"}, "tf": {"class": "num"}})
        super().__init__(**kwargs)

    def value(self, value):
        return value


class RowHeaderColumn(tables.Column):
    """The column that names each row: its cells are row headers (``<th scope="row">``)."""

    row_header = True


class RowHeaderTemplateColumn(tables.TemplateColumn):
    """A row-header column whose cells come from a small template."""

    row_header = True


class HoursColumn(NumberColumn):
    """Hours as people write them: "12,5", "1 200"; a number in spreadsheets."""

    def render(self, value):
        return floatformat(value, "-1g")


class ChangeTable(BaseTable):
    """What changed: rows of ``(what, before, after)``, the first cell naming the row.

    The headers differ by use (a comparison's "What", the history's "Field", an edit conflict's
    "Your version" and "Saved by someone else"): pass them as ``headers``."""

    class Meta(BaseTable.Meta):
        orderable = False
        per_page = 10_000
        attrs = {"class": "data changes"}

    def __init__(self, rows, *, headers, caption="", **kwargs):
        what, before, after = headers
        super().__init__(
            [(capfirst(row.label), row.old, row.new) if hasattr(row, "label") else tuple(row) for row in rows],
            extra_columns=[
                ("what", RowHeaderColumn(accessor="0", verbose_name=what, default="")),
                ("before", tables.Column(accessor="1", verbose_name=before, default="")),
                ("after", tables.Column(accessor="2", verbose_name=after, default="")),
            ],
            **kwargs,
        )
        self.caption = caption
