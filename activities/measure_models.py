"""Measurable targets ("mått", "indikator") of a goal or an activity (issue 16, item 3).

A measure, its baseline ("Nuläge") and its targets per year ("Mål 2016") are plan content: the plan
states them, they change only while it is a draft and the adopted version freezes them. Measured
values are follow-up: recorded after the adoption, like ``FollowUp``, and never part of the
adopted document. (Imported by ``activities.models``, so Django registers them with the app.)
"""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ehalsa.dates import check_dates
from plans.models import YEAR_VALIDATORS, PlanContent, Versioned

from .measure_chart import MeasureChart, measure_chart
from .measures import MeasureSummary, summary_of, value_text

# Room for counts, percentages with decimals and amounts in kronor.
VALUE_DIGITS = {"max_digits": 14, "decimal_places": 2}


class Measure(Versioned, PlanContent):
    """A measurable target of one goal or one activity: a baseline and targets per year, numeric or described."""

    class Kind(models.TextChoices):
        NUMERIC = "numeric", _("Numeric, with a unit")
        DESCRIBED = "described", _("Described target state")

    class Direction(models.TextChoices):
        AT_LEAST = "at_least", _("Met at or above the target (more is better)")
        AT_MOST = "at_most", _("Met at or below the target (less is better)")

    goal = models.ForeignKey(
        "plans.Goal",
        verbose_name=_("goal"),
        on_delete=models.CASCADE,
        related_name="measures",
        null=True,
        blank=True,
    )
    activity = models.ForeignKey(
        "activities.Activity",
        verbose_name=_("activity"),
        on_delete=models.CASCADE,
        related_name="measures",
        null=True,
        blank=True,
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    name = models.CharField(
        _("measure"), max_length=300, help_text=_("What is measured, e.g. “Kommuner som är producenter i NPÖ”.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.NUMERIC)
    unit = models.CharField(
        _("unit"),
        max_length=30,
        blank=True,
        help_text=_("For a numeric measure, e.g. %, antal, kr, kommuner."),
    )
    direction = models.CharField(
        _("the target is met"), max_length=20, choices=Direction.choices, default=Direction.AT_LEAST
    )
    how_measured = models.TextField(
        _("how it is measured"), blank=True, help_text=_("The source or method, e.g. “Inera's statistics”.")
    )
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    baseline_value = models.DecimalField(_("baseline value"), null=True, blank=True, **VALUE_DIGITS)
    baseline_text = models.TextField(_("baseline as described"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["goal", "activity", "order", "pk"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [
            models.CheckConstraint(
                condition=Q(goal__isnull=False, activity__isnull=True) | Q(goal__isnull=True, activity__isnull=False),
                name="%(app_label)s_%(class)s_goal_or_activity",
                violation_error_message=_("A measure belongs to one goal or to one activity."),
            ),
            models.CheckConstraint(
                condition=Q(kind="described") | ~Q(unit=""),
                name="%(app_label)s_%(class)s_numeric_has_unit",
                violation_error_message=_("A numeric measure needs its unit, e.g. %, antal or kr."),
            ),
            models.CheckConstraint(
                # A numeric baseline is a number, a described one is words: never both.
                condition=Q(kind="numeric", baseline_text="") | Q(kind="described", baseline_value__isnull=True),
                name="%(app_label)s_%(class)s_baseline_of_its_kind",
                violation_error_message=_("A numeric baseline is a number; a described baseline is words."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        if self.activity_id:
            return self.activity.get_absolute_url() + f"#matt-{self.pk}"
        return self.goal.plan.get_absolute_url() + f"#matt-{self.pk}"

    def owning_plan(self):
        return self.goal.plan if self.goal_id else self.activity.plan

    @property
    def is_numeric(self) -> bool:
        return self.kind == self.Kind.NUMERIC

    @property
    def baseline_display(self) -> str:
        """The baseline as the plan states it: "4 kommuner", or the words."""
        return value_text(self.baseline_value, self.unit) if self.baseline_value is not None else self.baseline_text

    @cached_property
    def summary(self) -> MeasureSummary:
        """Each target with the value measured by its year's end; the latest value (``activities.measures``)."""
        return summary_of(self)

    @cached_property
    def chart(self) -> MeasureChart | None:
        return measure_chart(self.summary)

    def clean(self):
        super().clean()
        if self.kind == self.Kind.DESCRIBED:
            self.unit = ""
        check_dates(self, "baseline_date")


class MeasureTarget(PlanContent):
    """A measure's target for one year of the plan ("Mål 2016", "Målbild 2017"): a value or a described state."""

    measure = models.ForeignKey(Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    value = models.DecimalField(_("target value"), null=True, blank=True, **VALUE_DIGITS)
    text = models.TextField(_("target state"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["measure", "year"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "year"],
                name="%(app_label)s_%(class)s_one_per_year",
                violation_error_message=_("The measure already has a target for this year."),
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=False, text="") | Q(value__isnull=True) & ~Q(text=""),
                name="%(app_label)s_%(class)s_value_or_text",
                violation_error_message=_("A target is a value or a described state."),
            ),
        ]

    def __str__(self):
        return f"{self.measure} {self.year}"

    @property
    def display(self) -> str:
        return value_text(self.value, self.measure.unit) if self.value is not None else self.text

    def owning_plan(self):
        return self.measure.owning_plan()

    def clean(self):
        super().clean()
        try:
            plan = self.owning_plan()
        except ObjectDoesNotExist:
            return
        if self.year and not plan.first_year <= self.year <= plan.last_year:
            raise ValidationError(
                {"year": _("A target's year must lie within the plan's period, %(period)s.") % {"period": plan.period}}
            )


class MeasuredValue(models.Model):
    """A value measured on a date ("mätvärde"): follow-up, recorded after the adoption, never plan content."""

    measure = models.ForeignKey(Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="values")
    date = models.DateField(_("date measured"))
    value = models.DecimalField(_("value"), null=True, blank=True, **VALUE_DIGITS)
    text = models.TextField(_("state as described"), blank=True)
    reached = models.BooleanField(
        _("target state reached"),
        null=True,
        blank=True,
        help_text=_("For a described measure: whether the target state is reached."),
    )
    comment = models.TextField(_("comment"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["measure", "date", "pk"]
        get_latest_by = ["date", "pk"]
        verbose_name = _("measured value")
        verbose_name_plural = _("measured values")
        constraints = [
            models.CheckConstraint(
                condition=Q(value__isnull=False, text="") | Q(value__isnull=True) & ~Q(text=""),
                name="%(app_label)s_%(class)s_value_or_text",
                violation_error_message=_("A measured value is a number or a described state."),
            ),
        ]

    def __str__(self):
        return f"{self.measure} – {self.date.isoformat()}"

    @property
    def display(self) -> str:
        return value_text(self.value, self.measure.unit) if self.value is not None else self.text

    def clean(self):
        super().clean()
        check_dates(self, "date")
