from django import template
from django.utils.html import conditional_escape, format_html_join
from django.utils.safestring import mark_safe

from ehalsa.money import format_kronor
from ehalsa.tables import ChangeTable
from ehalsa.text import paragraphs

register = template.Library()


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
