"""Forms of the yearly follow-up report: compile, write, send, record a body's decision."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ehalsa.editing import VersionedModelForm
from ehalsa.forms import PlainTextMixin
from ehalsa.once import SubmittedOnceForm
from governance.models import Body

from .report_models import FollowUpReport, ReportDecision


class ReportCreateForm(SubmittedOnceForm, PlainTextMixin, forms.Form):
    """The year to follow up; the service says why a year cannot be (outside the plan, nothing recorded)."""

    year = forms.IntegerField(
        label=_("Year"),
        help_text=_("A year of the plan's period with progress recorded."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6}),
        error_messages={"invalid": _("Write the year with four digits, e.g. 2017."), "required": _("Give the year.")},
    )


class ReportTextForm(VersionedModelForm):
    class Meta:
        model = FollowUpReport
        fields = ["summary", "further"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 8}), "further": forms.Textarea(attrs={"rows": 6})}


class ReportSendForm(PlainTextMixin, forms.Form):
    bodies = forms.ModelMultipleChoiceField(
        queryset=Body.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Send the report to"),
        help_text=_("Proposed: the bodies that received the previous report, else the cooperation's top bodies."),
        error_messages={"required": _("Choose at least one body to send the report to.")},
    )
    sent_on = forms.DateField(label=_("Sent on"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, report, proposed, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bodies"].queryset = report.plan.cooperation.bodies.order_by("level", "name")
        already = set(report.sendings.values_list("body", flat=True))
        self.fields["bodies"].initial = list(already) or [body.pk for body in proposed]
        self.fields["sent_on"].initial = timezone.localdate()


class ReportDecisionForm(PlainTextMixin, forms.ModelForm):
    """A body's decision on the report as the protocol states it; only bodies the report was sent to
    and the user may record for."""

    paragraph = forms.IntegerField(
        label=_("Paragraph (§)"),
        required=False,
        min_value=1,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 5}),
        error_messages={"invalid": _("The paragraph (§) is a number, e.g. 17.")},
    )

    class Meta:
        model = ReportDecision
        fields = ["body", "meeting_date", "paragraph", "diary_number", "kind", "text"]
        widgets = {"meeting_date": forms.DateInput(attrs={"type": "date"}), "text": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"text": _("As minuted, e.g. “Ledningsgruppen lägger uppföljningen till handlingarna.”")}

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies

    def _post_clean(self):
        # The service validates the decision against the report (which the form does not carry).
        pass
