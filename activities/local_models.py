"""A municipality's local plan made from a template: its choice on each of the template's activities."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from plans.models import PlanContent


class LocalChoice(PlanContent):
    """What a local plan does with one activity of its template: takes it as it is, takes it with local
    changes (made on the local plan's copy of the activity), or leaves it out with a reason."""

    class Choice(models.TextChoices):
        TAKEN = "taken", _("Taken as it is")
        CHANGED = "changed", _("Taken with local changes")
        LEFT_OUT = "left_out", _("Not taken")

    plan = models.ForeignKey(
        "plans.ActionPlan", verbose_name=_("local plan"), on_delete=models.CASCADE, related_name="local_choices"
    )
    lineage = models.UUIDField(
        _("template activity"), help_text=_("The template activity's lineage: the same in every template revision.")
    )
    number = models.CharField(_("number in the template"), max_length=10, blank=True)
    title = models.CharField(_("activity in the template"), max_length=500)
    choice = models.CharField(_("choice"), max_length=20, choices=Choice.choices)
    reason = models.TextField(_("why it is left out"), blank=True)
    note = models.TextField(_("local note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "pk"]
        verbose_name = _("local choice")
        verbose_name_plural = _("local choices")
        constraints = [
            models.UniqueConstraint(fields=["plan", "lineage"], name="%(app_label)s_%(class)s_once_per_activity"),
            models.CheckConstraint(
                condition=~Q(choice="left_out") | ~Q(reason=""),
                name="%(app_label)s_%(class)s_left_out_has_reason",
                violation_error_message=_("Say why the activity is left out."),
            ),
        ]

    def __str__(self):
        return f"{self.number or self.title}: {self.get_choice_display()}"

    @property
    def symbol(self) -> str:
        """Shown beside the word, never instead of it: the state is never told by colour alone."""
        return {self.Choice.TAKEN: "✓", self.Choice.CHANGED: "✎", self.Choice.LEFT_OUT: "✗"}[self.choice]
