from django import forms
from django.utils.translation import gettext_lazy as _

from ehalsa.editing import VersionedModelForm
from ehalsa.money import KronorField

from .models import BudgetEntry, CostSharingKey

YEAR_WIDGET = forms.TextInput(attrs={"inputmode": "numeric", "size": 6})


class BudgetEntryForm(VersionedModelForm):
    class Meta:
        model = BudgetEntry
        fields = [
            "year",
            "kind",
            "category",
            "description",
            "is_estimate",
            "start_date",
            "end_date",
            "amount",
            "attribution",
        ]
        widgets = {
            "year": YEAR_WIDGET,
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
            "amount": forms.TextInput(attrs={"inputmode": "decimal", "size": 14}),
        }
        help_texts = {
            "amount": _("Whole kronor or kronor and öre, without a minus sign; e.g. 1 018 387 or 862 124,50.")
        }
        field_classes = {"amount": KronorField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].widget.is_localized = True


class CostSharingKeyForm(VersionedModelForm):
    class Meta:
        model = CostSharingKey
        fields = ["year", "region_percent", "municipalities_percent", "municipal_split", "population_date"]
        widgets = {
            "year": YEAR_WIDGET,
            "population_date": forms.DateInput(attrs={"type": "date"}),
            "region_percent": forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
            "municipalities_percent": forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        for name in ("region_percent", "municipalities_percent"):
            self.fields[name].localize = True
            self.fields[name].widget.is_localized = True

    def clean(self):
        cleaned = super().clean()
        year = cleaned.get("year")
        if "year" in cleaned and self.plan.cost_keys.filter(year=year).exclude(pk=self.instance.pk).exists():
            self.add_error(
                "year",
                _("The plan already has a key for this year.")
                if year
                else _("The plan already has a key for all years."),
            )
        if year and not self.plan.budget_first_year <= year <= self.plan.last_year:
            self.add_error(
                "year",
                _("The year must lie within %(first)s–%(last)s.")
                % {"first": self.plan.budget_first_year, "last": self.plan.last_year},
            )
        if cleaned.get("municipal_split") == CostSharingKey.MunicipalSplit.POPULATION:
            missing = [m.name for m in self.plan.cooperation.members.municipalities() if not m.population]
            if missing:
                self.add_error(
                    "municipal_split",
                    _("Population is missing for: %(names)s.") % {"names": ", ".join(missing)},
                )
            if not cleaned.get("population_date"):
                self.add_error("population_date", _("State the date the populations refer to."))
        return cleaned
