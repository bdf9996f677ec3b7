"""Forms for measures: the measure with its baseline and targets per year (plan content), and a measured value.

Values are typed as Swedish write them ("45,5", "45,5 %", "1 200 kr", or words for a described
measure) and read by ``activities.measures.read_value`` against the measure's kind and unit.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ehalsa.editing import VersionedModelForm
from ehalsa.forms import PlainTextMixin
from ehalsa.once import SubmittedOnceForm

from .measures import read_value, written_value
from .models import Measure, MeasuredValue, MeasureTarget

YEAR_WIDGET = forms.TextInput(attrs={"inputmode": "numeric", "size": 6})
VALUE_HELP = _("A number in the measure's unit (e.g. 45,5 or 45,5 %), or words for a described target state.")


class MeasureForm(VersionedModelForm):
    baseline = forms.CharField(
        label=_("Baseline (“Nuläge”)"),
        required=False,
        help_text=VALUE_HELP,
        widget=forms.TextInput(attrs={"size": 40}),
    )

    class Meta:
        model = Measure
        fields = ["name", "kind", "unit", "direction", "how_measured", "baseline_date"]
        widgets = {
            "name": forms.TextInput(attrs={"size": 60}),
            "unit": forms.TextInput(attrs={"size": 12}),
            "how_measured": forms.Textarea(attrs={"rows": 2}),
            "baseline_date": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["baseline"].initial = written_value(self.instance.baseline_value, self.instance.baseline_text)
        self.order_fields(["name", "kind", "unit", "direction", "how_measured", "baseline", "baseline_date"])

    @property
    def numeric(self) -> bool:
        return self.cleaned_data.get("kind", self.instance.kind) == Measure.Kind.NUMERIC

    def clean(self):
        cleaned = super().clean()
        unit = cleaned.get("unit", "").strip()
        if self.numeric and not unit and "unit" not in self.errors:
            self.add_error("unit", _("A numeric measure needs its unit, e.g. %, antal, kr or kommuner."))
            return cleaned
        try:
            value, text = read_value(cleaned.get("baseline", ""), numeric=self.numeric, unit=unit)
        except ValidationError as error:
            self.add_error("baseline", error)
        else:
            self.instance.baseline_value, self.instance.baseline_text = value, text
        return cleaned


class TargetForm(PlainTextMixin, forms.ModelForm):
    target = forms.CharField(label=_("Target"), required=False, help_text=VALUE_HELP)

    class Meta:
        model = MeasureTarget
        fields = ["year", "target"]
        widgets = {"year": YEAR_WIDGET}
        error_messages = {"year": {"invalid": _("Write the year with four digits, e.g. 2017.")}}

    def __init__(self, *args, measure_form=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.measure_form = measure_form
        self.fields["target"].initial = written_value(self.instance.value, self.instance.text)

    def clean(self):
        cleaned = super().clean()
        target = cleaned.get("target", "").strip()
        if cleaned.get("year") and not target:
            self.add_error("target", _("Write the target for the year, or remove the row."))
        elif target and not cleaned.get("year") and "year" not in self.errors:
            self.add_error("year", _("Give the year the target is for."))
        if not target:
            return cleaned
        if self.measure_form is not None:  # the measure's kind and unit as the form says them now
            numeric, unit = self.measure_form.numeric, self.measure_form.cleaned_data.get("unit") or ""
        else:
            numeric, unit = self.instance.measure.is_numeric, self.instance.measure.unit
        try:
            self.instance.value, self.instance.text = read_value(target, numeric=numeric, unit=unit.strip())
        except ValidationError as error:
            self.add_error("target", error)
        return cleaned


class BaseTargetFormSet(BaseInlineFormSet):
    def clean(self):
        """One target per year, said on the row that repeats a year (Django's own check would name
        the fields by their code names)."""
        years = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or (self.can_delete and self._should_delete_form(form)):
                continue
            year = form.cleaned_data.get("year")
            if year in years:
                form.add_error(
                    "year",
                    _("The measure already has a target for %(year)s: give one target per year.") % {"year": year},
                )
            elif year:
                years.add(year)


TargetFormSet = inlineformset_factory(
    Measure, MeasureTarget, form=TargetForm, formset=BaseTargetFormSet, extra=2, can_delete=True
)


class MeasuredValueForm(SubmittedOnceForm, PlainTextMixin, forms.ModelForm):
    reading = forms.CharField(label=_("Value"), widget=forms.TextInput(attrs={"size": 40}))

    class Meta:
        model = MeasuredValue
        fields = ["date", "reading", "reached", "comment"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "reached": forms.NullBooleanSelect,
            "comment": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        measure = self.instance.measure
        if measure.is_numeric:
            del self.fields["reached"]
            self.fields["reading"].help_text = _("A number in %(unit)s, e.g. 45,5.") % {"unit": measure.unit}
        else:
            self.fields["reading"].label = _("The state as described")
            self.fields["reading"].widget = forms.Textarea(attrs={"rows": 3})

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise ValidationError(_("A measured value cannot be dated in the future."))
        return date

    def clean(self):
        cleaned = super().clean()
        if "reading" in cleaned:
            measure = self.instance.measure
            try:
                value, text = read_value(cleaned["reading"], numeric=measure.is_numeric, unit=measure.unit)
            except ValidationError as error:
                self.add_error("reading", error)
            else:
                self.instance.value, self.instance.text = value, text
        return cleaned
