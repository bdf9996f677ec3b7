"""Form pieces shared by the apps."""

from django import forms
from django.utils.datastructures import MultiValueDict

from .text import without_control_characters


def _clean(value):
    return without_control_characters(value) if isinstance(value, str) else value


class PlainTextMixin:
    """Everything typed into the form is cleaned of control characters before it is validated.

    Text pasted from word processors carries them (a vertical tab for Shift+Enter); stored, they
    break every spreadsheet export holding them. The form shows the cleaned text if it is shown
    again, so what is saved is what the user sees.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            self.data = plain_text_data(self.data)


def plain_text_data(data):
    """A copy of submitted ``data`` (a QueryDict, MultiValueDict or dict) with every text cleaned."""
    if isinstance(data, MultiValueDict):
        cleaned = data.copy()
        for key, values in data.lists():
            cleaned.setlist(key, [_clean(value) for value in values])
        return cleaned
    return {
        key: [_clean(item) for item in value] if isinstance(value, list | tuple) else _clean(value)
        for key, value in data.items()
    }


class PlainTextModelForm(PlainTextMixin, forms.ModelForm):
    """A ModelForm cleaned of control characters (for formsets that would use a plain ModelForm)."""


def add_errors(form, error, *, field_for=None) -> None:
    """A service's refusal (``ValidationError``) on ``form``: each message at its field, or above the
    form. ``field_for`` maps a key of the error to a field's name, where the service's keys are not the
    form's (e.g. a template activity's lineage); a key that is no field of the form goes above it."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, errors in error.error_dict.items():
        name = field_for(key) if field_for else key
        form.add_error(name if name in form.fields else None, errors)
