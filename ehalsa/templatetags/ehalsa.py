from django import template
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from ehalsa import badges
from ehalsa.money import format_kronor
from ehalsa.tables import ChangeTable
from ehalsa.text import paragraphs

register = template.Library()


@register.simple_tag
def status_badge(obj, field="status"):
    """``{% status_badge plan %}``, ``{% status_badge decision "kind" %}``: a choice as a badge (``ehalsa.badges``)."""
    return badges.status_badge(obj, field)


@register.simple_tag
def badge(value, text):
    """``{% badge "late" _("late") %}``: a mark that is no model's choice, as a badge of the value's tone."""
    return badges.badge(value, text)


@register.filter
def chosen_count(value) -> int:
    """How many values of a multiple-choice field were asked for (``?lika=`` asks for none)."""
    return len([item for item in value or () if item not in (None, "")])


@register.filter
def kr(value):
    """Whole kronor the Swedish way: ``1 018 387 kr``."""
    return format_kronor(value)


@register.filter
def kr_number(value):
    """Whole kronor without the unit, for table columns headed "kr"."""
    return format_kronor(value, unit=False)


@register.filter
def kr_negative(value):
    """A cost as the seed's tables write it: with a minus sign, without the unit."""
    return format_kronor(-value if value else value, unit=False)


@register.filter
def rich_text(value):
    """User text as safe HTML: blank lines make paragraphs, "- " lines make bullet lists.

    Everything the user wrote is escaped; only the tags made here reach the page.
    """
    parts = []
    for kind, content in paragraphs(value or ""):
        if kind == "list":
            items = format_html_join("", "<li>{}</li>", ((item,) for item in content))
            parts.append(f"<ul>{items}</ul>")
        else:
            parts.append(f"<p>{conditional_escape(content)}</p>")
    return mark_safe("".join(parts))


@register.simple_tag
def change_table(rows, what, before, after, caption=""):
    """``(what, before, after)`` rows (or ``ehalsa.history.Change``) as a table with these headers."""
    return ChangeTable(rows, headers=(what, before, after), caption=caption)


@register.simple_tag
def row_cells(row):
    """A django-tables2 row's cells, each as its column rendered it, in ``<td>`` (``<th scope="row">``
    for the column that names the row) with the column's attributes.

    What ``{% for column, cell in row.items %}<td {{ column.attrs.td.as_html }}>`` does, with each
    column's tag worked out once per table rather than once per cell (unless its attributes depend
    on the row)."""
    cells = []
    for column, cell in row.items():
        tags = getattr(column, "_cell_tags", None)
        if tags is None:
            tags = cell_tags(column)
            if not attrs_per_row(column):
                column._cell_tags = tags
        cells.append(format_html("{}{}{}", tags[0], localize(cell), tags[1]))  # as {{ cell }} would
    return mark_safe("".join(cells))


@register.simple_tag
def group_heading(table, row):
    """The heading of the group of rows that ``row`` belongs to (``BaseTable.group_heading``), or ""."""
    heading = getattr(table, "group_heading", None)
    return heading(row.record) if heading else ""


def cell_tags(column) -> tuple[str, str]:
    attrs = column.attrs["td"].as_html()
    name, scope = ("th", ' scope="row"') if getattr(column.column, "row_header", False) else ("td", "")
    return mark_safe(f"<{name}{scope}{' ' if attrs else ''}{attrs}>"), mark_safe(f"</{name}>")


def attrs_per_row(column) -> bool:
    declared = {**column._table.attrs, **column.column.attrs}
    return any(callable(value) for key in ("td", "cell") for value in dict(declared.get(key) or {}).values())
