"""The forms of an import: the file, and the field each of its columns is imported into."""

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ehalsa.spreadsheets import MAX_BYTES, MAX_ROWS

from .reading import column_name

NOT_IMPORTED = gettext_lazy("— Not imported —")


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("The table's file (XLSX or CSV)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,.csv,.txt,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
            }
        ),
        error_messages={
            "required": gettext_lazy("Choose the file to upload."),
            "empty": gettext_lazy("The file is empty."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "An Excel workbook (XLSX), or CSV as Excel saves it (semicolons, Windows-1252 or UTF-8), of up to "
            "%(size)s and %(rows)s rows."
        ) % {"size": filesizeformat(MAX_BYTES), "rows": f"{MAX_ROWS:,}".replace(",", "\xa0")}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:  # refused before it is read into memory
            raise forms.ValidationError(
                _("The file is %(size)s; files of up to %(limit)s can be imported. Split the table into several files.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_BYTES)}
            )
        return upload


class MappingForm(forms.Form):
    """A choice per column of the file: the field it is imported into, or none."""

    def __init__(self, *args, table_import, fields, **kwargs):
        super().__init__(*args, **kwargs)
        self.import_fields = fields
        self.labels = {item.key: str(item.label) for item in fields}
        choices = [("", NOT_IMPORTED)] + [(item.key, item.label) for item in fields]
        samples = table_import.samples or []
        for index, _header in enumerate(table_import.headers):
            examples = samples[index] if index < len(samples) else []
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=column_name(table_import.headers, index),
                choices=choices,
                required=False,
                initial=table_import.mapping[index] if index < len(table_import.mapping) else "",
                help_text=(
                    _("For example: %(examples)s") % {"examples": " · ".join(examples)}
                    if examples
                    else _("Empty in the first rows.")
                ),
            )

    def clean(self):
        cleaned = super().clean()
        chosen: dict[str, list[str]] = {}
        for name, key in cleaned.items():
            if key:
                chosen.setdefault(key, []).append(name)
        for key, names in chosen.items():
            if len(names) > 1:
                columns = get_text_list([str(self.fields[name].label) for name in names], _("and"))
                for name in names:
                    self.add_error(
                        name,
                        _("%(columns)s are all imported into %(field)s; choose one of them.")
                        % {"columns": columns, "field": self.labels[key]},
                    )
        for item in self.import_fields:
            if item.required and item.key not in chosen:
                self.add_error(
                    None, _("Choose the column that holds %(field)s: it is needed.") % {"field": self.labels[item.key]}
                )
        return cleaned

    def mapping(self) -> list[str]:
        return [self.cleaned_data.get(f"column_{index}", "") for index in range(len(self.fields))]
