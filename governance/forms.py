from django import forms
from django.utils.translation import gettext_lazy as _

from ehalsa.forms import PlainTextMixin

from .models import Body, Decision, Organisation


class SendForAdoptionForm(forms.Form):
    """The route through the cooperation's bodies (by position) and the municipalities that decide."""

    municipalities = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Municipalities that must decide"),
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.bodies = list(plan.route_bodies().order_by("-level", "name"))
        current = {step.body_id: step.order for step in plan.adoption_steps.all()}
        for body in self.bodies:
            self.fields[f"body_{body.pk}"] = forms.IntegerField(
                label=str(body),
                required=False,
                min_value=1,
                max_value=len(self.bodies),
                initial=current.get(body.pk),
                widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 3}),
                help_text=body.get_level_display(),
            )
        # A local plan is decided by its municipality's own bodies alone.
        members = plan.cooperation.members.municipalities()
        self.fields["municipalities"].queryset = (members.none() if plan.is_local else members).order_by("name")
        chosen = plan.municipalities_to_decide.all()
        self.fields["municipalities"].initial = (
            list(chosen) if chosen.exists() else list(self.fields["municipalities"].queryset)
        )

    def body_fields(self):
        return [self[f"body_{body.pk}"] for body in self.bodies]

    def clean(self):
        cleaned = super().clean()
        positions = {body: cleaned.get(f"body_{body.pk}") for body in self.bodies}
        chosen = {body: position for body, position in positions.items() if position}
        if not chosen and not self.errors:
            raise forms.ValidationError(_("Give at least one body a position on the route."))
        if len(set(chosen.values())) != len(chosen):
            raise forms.ValidationError(_("Two bodies have the same position; give each its own."))
        cleaned["route"] = [body for body, _position in sorted(chosen.items(), key=lambda item: item[1])]
        return cleaned


class DecisionForm(PlainTextMixin, forms.ModelForm):
    """A decision as the protocol states it. The body list holds only bodies the user may record for."""

    paragraph = forms.IntegerField(
        label=_("Paragraph (§)"),
        required=False,
        min_value=1,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 5}),
        error_messages={"invalid": _("The paragraph (§) is a number, e.g. 17.")},
    )
    recipients = forms.CharField(
        label=_("Sent to"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One recipient per line, e.g. Akten, Kommunstyrelsen."),
    )

    class Meta:
        model = Decision
        fields = [
            "body",
            "meeting_date",
            "paragraph",
            "diary_number",
            "kind",
            "forwarded_to",
            "title",
            "background",
            "text",
            "recipients",
        ]
        widgets = {
            "meeting_date": forms.DateInput(attrs={"type": "date"}),
            "background": forms.Textarea(attrs={"rows": 5}),
            "text": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies
        self.fields["forwarded_to"].queryset = Body.objects.filter(
            organisation__in=bodies.values("organisation")
        ) | Body.objects.filter(cooperation__in=bodies.values("cooperation"))

    def _post_clean(self):
        # The service validates the decision against the plan (which the form does not carry).
        pass


class RevisionForm(PlainTextMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for the revision"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
