from datetime import date

from django import forms
from django.db.models import Q
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ehalsa.editing import VersionedModelForm
from ehalsa.forms import PlainTextMixin, PlainTextModelForm
from ehalsa.once import SubmittedOnceForm
from ehalsa.text import normalised_label
from governance.models import Organisation

from .models import (
    Activity,
    ActivityReference,
    Area,
    EffortShare,
    FollowUp,
    LikaIndicator,
    Milestone,
    MunicipalStatus,
    activity_years,
)

YEAR_WIDGET = forms.TextInput(attrs={"inputmode": "numeric", "size": 6})


def grouped_indicator_choices():
    """LIKA indicators grouped by their area, so a long catalogue stays scannable."""
    groups: dict[str, list] = {}
    for indicator in LikaIndicator.objects.all():
        groups.setdefault(indicator.get_area_display(), []).append(
            (indicator.pk, f"{indicator.code} – {indicator.text}")
        )
    return list(groups.items())


class ActivityForm(VersionedModelForm):
    class Meta:
        model = Activity
        fields = [
            "number",
            "title",
            "area",
            "status",
            "content",
            "benefit",
            "effect_goal",
            "owner",
            "start_year",
            "end_year",
            "period_note",
            "effort_hours",
            "effort_basis",
            "effort_note",
            "regional_role",
            "regional_support",
            "whole_municipality",
            "every_member",
            "lika_indicators",
            "goals",
            "continues",
        ]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "content": forms.Textarea(attrs={"rows": 4}),
            "benefit": forms.Textarea(attrs={"rows": 3}),
            "effect_goal": forms.Textarea(attrs={"rows": 3}),
            "regional_support": forms.Textarea(attrs={"rows": 2}),
            "start_year": YEAR_WIDGET,
            "end_year": YEAR_WIDGET,
            "lika_indicators": forms.CheckboxSelectMultiple,
            "goals": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["area"].queryset = Area.objects.filter(Q(cooperation=None) | Q(cooperation=plan.cooperation))
        self.fields["lika_indicators"].choices = grouped_indicator_choices()
        self.fields["goals"].queryset = plan.goals.all()
        self.fields["goals"].label_from_instance = lambda goal: goal.title
        previous = plan.previous_plan
        self.fields["continues"].queryset = previous.activities.all() if previous else Activity.objects.none()
        self.fields["continues"].help_text = _("An activity of the previous plan that this one continues.")
        self.fields["effort_hours"].localize = True
        self.fields["effort_hours"].widget = forms.TextInput(attrs={"inputmode": "decimal", "size": 8})
        self.fields["effort_hours"].widget.is_localized = True

    def clean_number(self):
        number = normalised_label(self.cleaned_data["number"])
        if number and self.plan.activities.filter(number=number).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Another activity in this plan already has this number."))
        return number


ReferenceFormSet = inlineformset_factory(
    Activity,
    ActivityReference,
    form=PlainTextModelForm,
    fields=["framework", "area", "text", "page"],
    extra=1,
    can_delete=True,
    widgets={"text": forms.TextInput(attrs={"size": 40})},
)


class EffortShareForm(PlainTextMixin, forms.ModelForm):
    class Meta:
        model = EffortShare
        fields = ["organisation", "party", "hours", "as_written", "note"]
        widgets = {"hours": forms.TextInput(attrs={"inputmode": "decimal", "size": 8})}

    def __init__(self, *args, cooperation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hours"].localize = True
        self.fields["hours"].widget.is_localized = True
        if cooperation is not None:
            self.fields["organisation"].queryset = Organisation.objects.filter(
                Q(cooperations=cooperation) | Q(kind__in=[Organisation.Kind.ASSOCIATION, Organisation.Kind.NATIONAL])
            ).distinct()

    def clean(self):
        """Hours, or the effort as written: one of them, said on the field concerned (the database's
        own check then has nothing left to add)."""
        cleaned = super().clean()
        if "hours" in self.errors:
            return cleaned
        hours, as_written = cleaned.get("hours"), cleaned.get("as_written", "")
        if hours is None and not as_written:
            self.add_error(
                "hours",
                _(
                    "Give the hours, or the effort as written if it is not hours in total "
                    "(e.g. “enligt överenskommelse”)."
                ),
            )
        elif hours is not None and as_written:
            self.add_error(
                "as_written",
                _(
                    "Give the hours or the effort as written, not both: hours are added up, effort as written is not. "
                    "A comment on the hours goes in the note."
                ),
            )
        return cleaned


EffortShareFormSet = inlineformset_factory(Activity, EffortShare, form=EffortShareForm, extra=1, can_delete=True)


class FollowUpForm(SubmittedOnceForm, PlainTextMixin, forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["period", "phase", "date", "text"]
        widgets = {
            "period": YEAR_WIDGET,
            "date": forms.DateInput(attrs={"type": "date"}),
            "text": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {"period": {"invalid": _("Write the year with four digits, e.g. 2017.")}}

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("A follow-up cannot be dated in the future."))
        return date


DATE_ERRORS = {"invalid": _("Write the date as year-month-day, e.g. 2017-06-30.")}


class MilestoneForm(VersionedModelForm):
    """A milestone of an activity: due within the activity's years, reached today at the latest."""

    class Meta:
        model = Milestone
        fields = ["title", "due_date", "reached", "note"]
        widgets = {
            "title": forms.TextInput(attrs={"size": 60}),
            "due_date": forms.DateInput(attrs={"type": "date"}),
            "reached": forms.DateInput(attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {"due_date": DATE_ERRORS, "reached": DATE_ERRORS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        first, last = activity_years(self.instance.activity)
        self.fields["due_date"].help_text = _("Within the activity's period, %(first)s–%(last)s.") % {
            "first": date(first, 1, 1).isoformat(),
            "last": date(last, 12, 31).isoformat(),
        }

    def clean_reached(self):
        reached = self.cleaned_data["reached"]
        if reached and reached > timezone.localdate():
            raise forms.ValidationError(
                _("A milestone cannot be reached in the future: give the day it was reached, today at the latest.")
            )
        return reached


class MunicipalStatusForm(SubmittedOnceForm, PlainTextMixin, forms.ModelForm):
    """A municipality's status on an activity every member carries out: for one of the municipalities
    the user reports for (``activities.access.municipalities_reported_by``); with one, it is not asked."""

    class Meta:
        model = MunicipalStatus
        fields = ["municipality", "status", "date", "comment"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "comment": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "municipality": {
                "invalid_choice": _(
                    "Choose a member municipality of the plan's cooperation that you report for: "
                    "your own municipality, or any member if you coordinate the cooperation."
                )
            }
        }

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        field.queryset = municipalities
        if len(municipalities) == 1:
            self.initial["municipality"] = municipalities[0].pk  # the new row's own (empty) value is in initial
            field.widget = forms.HiddenInput()

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("A status cannot be dated in the future: give the date it was so."))
        return date
