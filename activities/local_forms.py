"""The form a municipality makes its local plan with: a choice on each template activity, its local
changes or the reason it is left out, and activities of its own."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from ehalsa.once import SubmittedOnceForm

from .local_models import LocalChoice
from .local_plans import LOCAL_CHANGES, ActivityChoice, OwnActivity
from .models import Area

OWN_ROWS = 3  # blank rows for own activities; more are added in the local plan afterwards


def year_field(label):
    return forms.IntegerField(
        label=label,
        required=False,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6}),
    )


def hours_field(label):
    field = forms.DecimalField(label=label, required=False, min_value=0, max_digits=9, decimal_places=1)
    field.localize = True
    field.widget = forms.TextInput(attrs={"inputmode": "decimal", "size": 8})
    field.widget.is_localized = True
    return field


class LocalPlanForm(SubmittedOnceForm):
    """Fields named by each template activity's lineage (``a<hex>_choice`` …), so a form posted after the
    template was revised still answers for the same activities."""

    municipality = forms.ModelChoiceField(queryset=None, label=_("Municipality"), empty_label=None)

    def __init__(self, *args, template, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.activities = list(template.activities.select_related("area").order_by("order", "pk"))
        for activity in self.activities:
            self.add_activity_fields(activity)
        areas = Area.objects.filter(activities__plan=template).distinct().order_by("order", "name")
        for row in range(1, OWN_ROWS + 1):
            prefix = f"own{row}_"
            self.fields[prefix + "title"] = forms.CharField(label=_("Own activity"), required=False, max_length=500)
            self.fields[prefix + "area"] = forms.ModelChoiceField(queryset=areas, label=_("Area"), required=False)
            self.fields[prefix + "owner"] = forms.CharField(label=_("Responsible"), required=False, max_length=200)
            self.fields[prefix + "effort_hours"] = hours_field(_("Effort (hours)"))
            self.fields[prefix + "start_year"] = year_field(_("From year"))
            self.fields[prefix + "end_year"] = year_field(_("To year"))

    @staticmethod
    def prefix_of(activity) -> str:
        return f"a{activity.lineage.hex}_"

    def add_activity_fields(self, activity) -> None:
        prefix, name = self.prefix_of(activity), activity.number or activity.title[:40]
        self.fields[prefix + "choice"] = forms.ChoiceField(
            label=_("Activity %(activity)s") % {"activity": name},
            choices=LocalChoice.Choice.choices,
            widget=forms.RadioSelect,
            initial=LocalChoice.Choice.TAKEN,
        )
        self.fields[prefix + "reason"] = forms.CharField(
            label=_("Why it is left out (activity %(activity)s)") % {"activity": name},
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
        )
        self.fields[prefix + "owner"] = forms.CharField(
            label=_("Responsible"), required=False, max_length=200, initial=activity.owner
        )
        self.fields[prefix + "effort_hours"] = hours_field(_("Effort (hours)"))
        self.fields[prefix + "effort_hours"].initial = activity.effort_hours
        self.fields[prefix + "start_year"] = year_field(_("From year"))
        self.fields[prefix + "start_year"].initial = activity.start_year
        self.fields[prefix + "end_year"] = year_field(_("To year"))
        self.fields[prefix + "end_year"].initial = activity.end_year
        self.fields[prefix + "effect_goal"] = forms.CharField(
            label=_("Effect goal"),
            required=False,
            initial=activity.effect_goal,
            widget=forms.Textarea(attrs={"rows": 2}),
        )
        self.fields[prefix + "note"] = forms.CharField(
            label=_("Local note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
        )

    def activity_rows(self):
        """Each template activity with its bound fields, for the page."""
        for activity in self.activities:
            prefix = self.prefix_of(activity)
            yield {
                "activity": activity,
                "choice": self[prefix + "choice"],
                "reason": self[prefix + "reason"],
                "changes": [self[prefix + name] for name in (*LOCAL_CHANGES, "note")],
            }

    def own_rows(self):
        for row in range(1, OWN_ROWS + 1):
            prefix = f"own{row}_"
            yield [self[prefix + name] for name in ("title", "area", "owner", "effort_hours", "start_year", "end_year")]

    def clean(self):
        cleaned = super().clean()
        for row in range(1, OWN_ROWS + 1):
            prefix = f"own{row}_"
            filled = any(cleaned.get(prefix + name) not in (None, "") for name in ("area", "owner", "effort_hours"))
            if filled and not cleaned.get(prefix + "title"):
                self.add_error(prefix + "title", _("Give the activity a title, or empty its other fields."))
            start, end = cleaned.get(prefix + "start_year"), cleaned.get(prefix + "end_year")
            if start and end and end < start:
                self.add_error(prefix + "end_year", _("The period cannot end before it starts."))
        return cleaned

    def choices(self) -> dict[str, ActivityChoice]:
        """The cleaned choices, by lineage, as the service takes them."""
        found = {}
        for activity in self.activities:
            prefix = self.prefix_of(activity)
            data = self.cleaned_data
            found[str(activity.lineage)] = ActivityChoice(
                choice=data.get(prefix + "choice") or "",
                reason=data.get(prefix + "reason") or "",
                note=data.get(prefix + "note") or "",
                changes={name: data.get(prefix + name) for name in LOCAL_CHANGES}
                | {"owner": data.get(prefix + "owner") or "", "effect_goal": data.get(prefix + "effect_goal") or ""},
            )
        return found

    def own_activities(self) -> list[OwnActivity]:
        own = []
        for row in range(1, OWN_ROWS + 1):
            prefix = f"own{row}_"
            data = self.cleaned_data
            if title := (data.get(prefix + "title") or "").strip():
                area = data.get(prefix + "area")
                own.append(
                    OwnActivity(
                        title=title,
                        area_id=area.pk if area else None,
                        owner=data.get(prefix + "owner") or "",
                        effort_hours=data.get(prefix + "effort_hours"),
                        start_year=data.get(prefix + "start_year"),
                        end_year=data.get(prefix + "end_year"),
                    )
                )
        return own

    def field_for(self, key: str) -> str | None:
        """The form field a service error belongs to: "<lineage>" the activity's choice, "<lineage>.reason"
        its reason; None (the form as a whole) for an activity the form does not hold."""
        lineage, _dot, name = key.partition(".")
        for activity in self.activities:
            if str(activity.lineage) == lineage:
                return self.prefix_of(activity) + (name or "choice")
        return None


class LocalChoiceForm(forms.Form):
    """Another choice on one template activity of a local plan (a draft), with the same fields as the
    local plan's form; shown with the local plan's values."""

    prefix_of = staticmethod(LocalPlanForm.prefix_of)
    add_activity_fields = LocalPlanForm.add_activity_fields
    field_for = LocalPlanForm.field_for

    def __init__(self, *args, template_activity, copy, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.activity = template_activity
        self.activities = [template_activity]  # what field_for looks in
        self.add_activity_fields(template_activity)
        prefix = self.prefix_of(template_activity)
        self.fields[prefix + "choice"].initial = current.choice
        self.fields[prefix + "reason"].initial = current.reason
        self.fields[prefix + "note"].initial = current.note
        if copy is not None:
            for name in LOCAL_CHANGES:
                self.fields[prefix + name].initial = getattr(copy, name)

    def row(self) -> dict:
        prefix = self.prefix_of(self.activity)
        return {
            "activity": self.activity,
            "choice": self[prefix + "choice"],
            "reason": self[prefix + "reason"],
            "changes": [self[prefix + name] for name in (*LOCAL_CHANGES, "note")],
        }

    def choice(self) -> ActivityChoice:
        prefix, data = self.prefix_of(self.activity), self.cleaned_data
        return ActivityChoice(
            choice=data.get(prefix + "choice") or "",
            reason=data.get(prefix + "reason") or "",
            note=data.get(prefix + "note") or "",
            changes={name: data.get(prefix + name) for name in LOCAL_CHANGES}
            | {"owner": data.get(prefix + "owner") or "", "effect_goal": data.get(prefix + "effect_goal") or ""},
        )
