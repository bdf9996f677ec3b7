"""Form pieces for the hot paths: select boxes rendered in Python.

Django renders every <option> through a template; a filter form with a few long lists then costs
more than the rest of the page. These widgets produce the same HTML directly.
"""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe

SELECTED = mark_safe(" selected")
NOT_SELECTED = mark_safe("")


class FastSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        selected = {str(v) for v in self.format_value(value)}
        return format_html("<select{}>{}</select>", flatatt(final_attrs), self.render_options(self.choices, selected))

    def render_options(self, choices, selected):
        parts = []
        for option_value, label in choices:
            if isinstance(label, list | tuple):
                inner = self.render_options(label, selected)
                parts.append(format_html('<optgroup label="{}">{}</optgroup>', option_value, inner))
                continue
            value = "" if option_value is None else str(option_value)
            parts.append(
                format_html(
                    '<option value="{}"{}>{}</option>', value, SELECTED if value in selected else NOT_SELECTED, label
                )
            )
        return mark_safe("".join(parts))


class FastSelectMultiple(FastSelect):
    allow_multiple_selected = True

    def value_from_datadict(self, data, files, name):
        return forms.SelectMultiple.value_from_datadict(self, data, files, name)

    def value_omitted_from_data(self, data, files, name):
        return False


class FastWidgetsForm(forms.Form):
    """A form whose plain select boxes render in Python (see module docstring)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget_class = type(field.widget)
            if widget_class in (forms.Select, forms.SelectMultiple):
                old = field.widget
                fast = FastSelectMultiple if widget_class is forms.SelectMultiple else FastSelect
                field.widget = fast(attrs=old.attrs)
                field.widget.choices = getattr(field, "choices", old.choices)
                field.widget.is_required = field.required


class GroupedCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes, a fieldset of them per group with the group's name as its legend: several choices
    without Ctrl-click. ``group_of(instance)`` names the group of a model choice (choices of one
    group must come together, as the queryset orders them)."""

    use_fieldset = True

    def __init__(self, *, group_of, attrs=None):
        self.group_of = group_of
        super().__init__(attrs=attrs)

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        id_ = final_attrs.get("id", name)
        selected = {str(v) for v in self.format_value(value)}
        groups: dict[str, list] = {}
        for index, (option_value, label) in enumerate(self.choices):
            box_id = f"{id_}_{index}"
            checked = mark_safe(" checked") if str(option_value) in selected else NOT_SELECTED
            box = format_html(
                '<li><input type="checkbox" name="{}" value="{}" id="{}"{}> <label for="{}">{}</label></li>',
                name,
                option_value,
                box_id,
                checked,
                box_id,
                label,
            )
            groups.setdefault(str(self.group_of(option_value.instance)), []).append(box)
        fieldsets = (
            format_html("<fieldset><legend>{}</legend><ul>{}</ul></fieldset>", legend, mark_safe("".join(boxes)))
            for legend, boxes in groups.items()
        )
        return format_html('<div class="checkbox-groups" id="{}">{}</div>', id_, mark_safe("".join(fieldsets)))
