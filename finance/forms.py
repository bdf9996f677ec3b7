from decimal import Decimal

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from ehalsa.editing import VersionedModelForm
from ehalsa.money import KronorField, format_kronor
from governance.models import Organisation

from .budget import carried_balance
from .models import (
    PERCENT_VALIDATORS,
    BudgetEntry,
    BudgetHeading,
    BudgetOutcome,
    CostSharingKey,
    FinancingParty,
    KeyShare,
    MunicipalAmount,
)

YEAR_WIDGET = forms.TextInput(attrs={"inputmode": "numeric", "size": 6})
PERCENT_WIDGET = forms.TextInput(attrs={"inputmode": "decimal", "size": 6})


class FinancingPartyForm(VersionedModelForm):
    class Meta:
        model = FinancingParty
        fields = ["is_municipalities", "organisation", "name", "municipalities", "in_fund"]
        widgets = {"municipalities": forms.CheckboxSelectMultiple}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        members = plan.cooperation.members.all()
        # Every organisation may be chosen, so that choosing one outside the cooperation is answered
        # with why (a grant giver may be anyone; a paying party is a member).
        self.fields["organisation"].queryset = Organisation.objects.order_by("kind", "name")
        self.fields["organisation"].help_text = _("A member of the cooperation, or a national actor giving a grant.")
        self.fields["municipalities"].queryset = members.filter(kind=Organisation.Kind.MUNICIPALITY).order_by("name")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("municipalities") and not cleaned.get("is_municipalities"):
            self.add_error("municipalities", _("Choose municipalities only for the member municipalities together."))
        return cleaned


class CostSharingKeyForm(VersionedModelForm):
    """A key with one percentage field per party of the plan; together they make 100 %."""

    class Meta:
        model = CostSharingKey
        fields = ["from_year", "municipal_split", "population_date"]
        widgets = {"from_year": YEAR_WIDGET, "population_date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.parties = list(plan.parties.select_related("organisation"))
        current = {share.party_id: share.percent for share in self.instance.shares.all()} if self.instance.pk else {}
        for party in self.parties:
            self.fields[self.share_field(party)] = forms.DecimalField(
                label=_("%(party)s's share (%%)") % {"party": party.display_name},
                required=False,
                min_value=0,
                max_value=100,
                max_digits=5,
                decimal_places=2,
                localize=True,
                validators=PERCENT_VALIDATORS,
                initial=current.get(party.pk),
                widget=PERCENT_WIDGET,
            )
        self.municipalities = list(plan.cooperation.members.municipalities().order_by("name"))
        amounts = (
            {row.organisation_id: row.amount for row in self.instance.municipal_amounts.all()}
            if self.instance.pk
            else {}
        )
        for municipality in self.municipalities:
            field = KronorField(
                label=_("%(municipality)s: fixed amount (kr)") % {"municipality": municipality.name},
                required=False,
                min_value=0,
                max_digits=14,
                decimal_places=2,
                initial=amounts.get(municipality.pk),
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 14}),
            )
            field.widget.is_localized = True
            self.fields[self.amount_field(municipality)] = field
        self.order_fields(["from_year", *(self.share_field(party) for party in self.parties), "municipal_split"])

    @staticmethod
    def share_field(party) -> str:
        return f"share_{party.pk}"

    @staticmethod
    def amount_field(municipality) -> str:
        return f"amount_{municipality.pk}"

    def share_fields(self):
        return [self[self.share_field(party)] for party in self.parties]

    def clean(self):
        cleaned = super().clean()
        if not self.parties:
            raise forms.ValidationError(_("Add the plan's financing parties first; the key shares costs between them."))
        shares = [cleaned.get(self.share_field(party)) for party in self.parties]
        if all(self.share_field(party) not in self.errors for party in self.parties):
            total = sum((share or Decimal(0) for share in shares), Decimal(0))
            if total != 100:
                raise forms.ValidationError(
                    _("The shares add up to %(total)s %%; they must add up to 100 %%.")
                    % {"total": number_format(total.normalize(), use_l10n=True)}
                )
        year = cleaned.get("from_year")
        if "from_year" in cleaned and self.plan.cost_keys.filter(from_year=year).exclude(pk=self.instance.pk).exists():
            self.add_error(
                "from_year",
                _("The plan already has a key from this year.")
                if year
                else _("The plan already has a key from its first year."),
            )
        if year and not self.plan.budget_first_year <= year <= self.plan.last_year:
            self.add_error(
                "from_year",
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
        if cleaned.get("municipal_split") == CostSharingKey.MunicipalSplit.FIXED and not any(
            cleaned.get(self.amount_field(m)) for m in self.municipalities
        ):
            self.add_error("municipal_split", _("Enter the fixed amount of each municipality below."))
        return cleaned

    def save_shares(self, key) -> None:
        """The parties' percentages, in the same transaction as the key (the view's ``after_save``)."""
        for party in self.parties:
            percent = self.cleaned_data.get(self.share_field(party)) or Decimal(0)
            share = KeyShare.objects.filter(key=key, party=party).first()
            if not percent:
                if share:
                    share.delete()
            elif share is None:
                KeyShare.objects.create(key=key, party=party, percent=percent)
            elif share.percent != percent:
                share.percent = percent
                share.save()
        fixed = self.cleaned_data.get("municipal_split") == CostSharingKey.MunicipalSplit.FIXED
        for municipality in self.municipalities:
            amount = self.cleaned_data.get(self.amount_field(municipality)) if fixed else None
            row = MunicipalAmount.objects.filter(key=key, organisation=municipality).first()
            if not amount:
                if row:
                    row.delete()
            elif row is None:
                MunicipalAmount.objects.create(key=key, organisation=municipality, amount=amount)
            elif row.amount != amount:
                row.amount = amount
                row.save()


class BudgetHeadingForm(VersionedModelForm):
    class Meta:
        model = BudgetHeading
        fields = ["title"]

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan


class BudgetEntryForm(VersionedModelForm):
    class Meta:
        model = BudgetEntry
        fields = [
            "year",
            "repeat",
            "last_year",
            "kind",
            "category",
            "heading",
            "party",
            "description",
            "amount",
            "is_estimate",
            "start_date",
            "end_date",
            "co_financing_percent",
            "outcome",
            "reason",
            "activities",
        ]
        widgets = {
            "year": YEAR_WIDGET,
            "last_year": YEAR_WIDGET,
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
            "amount": forms.TextInput(attrs={"inputmode": "decimal", "size": 14}),
            "outcome": forms.TextInput(attrs={"inputmode": "decimal", "size": 14}),
            "co_financing_percent": PERCENT_WIDGET,
            "activities": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "amount": _("Whole kronor or kronor and öre, without a minus sign; e.g. 1 018 387 or 862 124,50.")
        }
        field_classes = {"amount": KronorField, "outcome": KronorField}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        for name in ("amount", "outcome"):
            self.fields[name].widget.is_localized = True
        self.fields["co_financing_percent"].localize = True
        self.fields["co_financing_percent"].widget.is_localized = True
        self.fields["heading"].queryset = plan.budget_headings.all()
        self.fields["party"].queryset = plan.parties.select_related("organisation")
        self.fields["party"].empty_label = _("Shared by the key")
        self.fields["activities"].queryset = plan.activities.order_by("order", "pk")
        self.fields["activities"].label_from_instance = lambda activity: f"{activity.number} {activity.title}".strip()

    def clean(self):
        cleaned = super().clean()
        self.clean_opening_balance(cleaned)
        return cleaned

    def clean_opening_balance(self, cleaned) -> None:
        """An opening balance other than the previous plan's closing balance says why (it is kept in
        the history): the outcome differed."""
        if cleaned.get("kind") != BudgetEntry.Kind.OPENING_BALANCE or cleaned.get("amount") is None:
            return
        carried = carried_balance(self.plan, self.plan.budget_entries.exclude(pk=self.instance.pk))
        if carried and carried.year == cleaned.get("year") and carried.amount != cleaned["amount"]:
            if not cleaned.get("reason", "").strip():
                self.add_error(
                    "reason",
                    _("Write why the opening balance differs from %(amount)s, closing balance %(year)s of %(plan)s.")
                    % {"amount": format_kronor(carried.amount), "year": carried.year - 1, "plan": carried.source},
                )


class BudgetOutcomeForm(VersionedModelForm):
    class Meta:
        model = BudgetOutcome
        fields = ["amount", "comment"]
        widgets = {
            "amount": forms.TextInput(attrs={"inputmode": "decimal", "size": 14}),
            "comment": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"amount": _("What the line came to in the year, in kronor; e.g. 1 018 387 or 862 124,50.")}
        field_classes = {"amount": KronorField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].widget.is_localized = True
