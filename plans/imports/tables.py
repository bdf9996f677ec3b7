"""The preview of an import: its rows as the check found them, a column per mapped field."""

import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from ehalsa.tables import BaseTable, RowHeaderColumn

# Long texts are cut in the preview; the whole text is imported.
SHOWN_CHARACTERS = 120


class ValueColumn(tables.Column):
    """What a row gives one field, as the check read it."""

    def __init__(self, key: str, **kwargs):
        self.key = key
        super().__init__(accessor="pk", empty_values=(), orderable=False, default="", **kwargs)

    def render(self, record):
        text = record.values.get(self.key, "")
        lines = [Truncator(line).chars(SHOWN_CHARACTERS) for line in str(text).splitlines() if line.strip()]
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines)) if lines else ""


class ImportRowTable(BaseTable):
    """An import's rows: the file's row number, what is wrong with it in words, and a column per mapped field."""

    number = RowHeaderColumn(verbose_name=_("Row"), attrs={"th": {"class": "num"}})
    check = tables.Column(
        verbose_name=_("Check"),
        accessor="pk",
        empty_values=(),
        orderable=False,
        attrs={"th": {"class": "import-check"}, "td": {"class": "import-check"}},
    )

    class Meta(BaseTable.Meta):
        orderable = False
        per_page = 50
        attrs = {"class": "data import-preview"}
        row_attrs = {"class": lambda record: "has-errors" if record.has_errors else ""}

    def __init__(self, rows, *, columns: list[tuple[str, str]], **kwargs):
        extra = [(f"value_{index}", ValueColumn(key, verbose_name=label)) for index, (key, label) in enumerate(columns)]
        # What is wrong comes first, beside the row number: a wide table scrolls, its errors do not.
        super().__init__(rows, extra_columns=extra, sequence=("number", "check", "..."), **kwargs)

    def render_check(self, record):
        if not record.errors:
            return _("OK")
        items = format_html_join("", "<li>{}</li>", ((error,) for error in record.errors))
        return format_html('<strong>{}</strong><ul class="row-errors">{}</ul>', _("Error:"), items)
