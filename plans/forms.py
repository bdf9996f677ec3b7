from django import forms
from django.utils.translation import gettext_lazy as _

from ehalsa.editing import VersionedModelForm
from governance.models import Cooperation

from .models import ActionPlan, Goal, Section
from .services import template_family


class ActionPlanForm(VersionedModelForm):
    class Meta:
        model = ActionPlan
        fields = ["cooperation", "title", "subtitle", "first_year", "last_year", "previous_plan", "is_template"]
        widgets = {
            "first_year": forms.TextInput(attrs={"inputmode": "numeric", "size": 6}),
            "last_year": forms.TextInput(attrs={"inputmode": "numeric", "size": 6}),
        }

    def __init__(self, *args, cooperations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A plan stays with its cooperation.
            del self.fields["cooperation"]
            cooperation = self.instance.cooperation
            self.fields["previous_plan"].queryset = cooperation.plans.exclude(pk=self.instance.pk)
        else:
            self.fields["cooperation"].queryset = (
                cooperations if cooperations is not None else Cooperation.objects.none()
            )
            self.fields["previous_plan"].queryset = ActionPlan.objects.filter(
                cooperation__in=self.fields["cooperation"].queryset
            )
        self.fields["previous_plan"].label_from_instance = lambda plan: plan.choice_label
        if self.instance.pk and self.instance.municipality_id:
            del self.fields["is_template"]  # a local plan is its municipality's own

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and self.instance.municipality_id:
            cleaned["is_template"] = False  # a local plan is no template (the field is not shown)
        elif self.instance.pk and self.instance.is_template and not cleaned.get("is_template"):
            if ActionPlan.objects.filter(template_version__plan__in=template_family(self.instance)).exists():
                self.add_error(
                    "is_template",
                    _("Municipalities have made local plans from this template: it stays a template."),
                )
        previous = cleaned.get("previous_plan")
        cooperation = cleaned.get("cooperation") or (self.instance.cooperation if self.instance.pk else None)
        if previous and cooperation and previous.cooperation_id != cooperation.pk:
            self.add_error("previous_plan", _("The previous plan must belong to the same cooperation."))
        return cleaned


class SectionForm(VersionedModelForm):
    class Meta:
        model = Section
        fields = ["heading", "level", "body", "shows"]
        widgets = {"level": forms.Select(choices=[(1, _("Chapter")), (2, _("Subsection"))])}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shows"].choices = [("", _("Only the text")), *Section.Shows.choices]


class GoalForm(VersionedModelForm):
    class Meta:
        model = Goal
        fields = ["title", "description"]
        widgets = {"title": forms.Textarea(attrs={"rows": 2})}
