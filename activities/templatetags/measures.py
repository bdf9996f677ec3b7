"""``{% measure_table measure frozen as table %}`` and ``{% measured_value_table measure as table %}``:
a measure's tables (``activities.measure_tables``) for ``{% render_table %}``, on pages and in PDFs."""

from django import template

from activities.measure_tables import MeasuredValueTable, MeasureTable

register = template.Library()


@register.simple_tag
def measure_table(measure, frozen=False):
    return MeasureTable(measure, frozen=bool(frozen))


@register.simple_tag
def measured_value_table(measure):
    return MeasuredValueTable(measure)
