"""The yearly follow-up report ("årlig uppföljning") of a plan: the report, the bodies it is sent to,
their decisions, the frozen version and its PDF.

Imported by ``plans.models`` (so Django finds the models); the services are in ``plans.reports``.
A report is editable until a body takes it (notes it or approves it): that decision freezes it as a
``ReportVersion`` whose snapshot never changes, and a worker makes its PDF (``ReportPdf``).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from governance.models import MinutedDecision

from .models import YEAR_VALIDATORS, ActionPlan, PdfJob, Versioned

FROZEN = _("The report has been frozen by a decision and can no longer be changed.")


class FollowUpReport(Versioned):
    """A plan's yearly follow-up report: progress, budget outcome and the coordinator's summary."""

    plan = models.ForeignKey(
        ActionPlan, verbose_name=_("action plan"), on_delete=models.PROTECT, related_name="reports"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    summary = models.TextField(
        _("summary"),
        blank=True,
        help_text=_("Paragraphs separated by blank lines; lines starting with '- ' are bullets."),
    )
    further = models.TextField(
        _("evaluation and the work ahead"),
        blank=True,
        help_text=_("Optional. Paragraphs separated by blank lines; lines starting with '- ' are bullets."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compiled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("compiled"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "-year"]
        verbose_name = _("follow-up report")
        verbose_name_plural = _("follow-up reports")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "year"],
                name="%(app_label)s_%(class)s_once_per_year",
                violation_error_message=_("The plan already has a follow-up report for this year."),
            )
        ]

    def __str__(self):
        return _("Follow-up %(year)s of %(plan)s") % {"year": self.year, "plan": self.plan}

    def get_absolute_url(self):
        return reverse("plans:report_detail", args=[self.pk])

    @property
    def is_frozen(self) -> bool:
        return self.pk is not None and ReportVersion.objects.filter(report_id=self.pk).exists()

    def clean(self):
        super().clean()
        if self.is_frozen:
            raise ValidationError(FROZEN, code="report_frozen")

    def save(self, *args, **kwargs):
        if self.is_frozen:
            raise ValidationError(FROZEN, code="report_frozen")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_frozen:
            raise ValidationError(FROZEN, code="report_frozen")
        return super().delete(*args, **kwargs)


class ReportRecipient(models.Model):
    """A body the report is sent to ("skickas till"), and when."""

    report = models.ForeignKey(
        FollowUpReport, verbose_name=_("follow-up report"), on_delete=models.CASCADE, related_name="sendings"
    )
    body = models.ForeignKey("governance.Body", verbose_name=_("body"), on_delete=models.PROTECT, related_name="+")
    sent_on = models.DateField(_("sent on"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "body__level", "body__name"]
        verbose_name = _("recipient of a report")
        verbose_name_plural = _("recipients of reports")
        constraints = [models.UniqueConstraint(fields=["report", "body"], name="%(app_label)s_%(class)s_once")]

    def __str__(self):
        return f"{self.report} → {self.body.display_name}"


class ReportDecision(MinutedDecision):
    """A body's decision on a follow-up report, as minuted: meeting date, §, diary number, text."""

    class Kind(models.TextChoices):
        NOTED = "noted", _("Place on file")
        APPROVE = "approve", _("Approve")
        RETURN = "return", _("Refer back")

    # Decisions that take the report as it is: the first of them freezes it.
    TAKES_THE_REPORT = (Kind.NOTED, Kind.APPROVE)

    report = models.ForeignKey(
        FollowUpReport, verbose_name=_("follow-up report"), on_delete=models.PROTECT, related_name="decisions"
    )
    body = models.ForeignKey(
        "governance.Body", verbose_name=_("body"), on_delete=models.PROTECT, related_name="report_decisions"
    )
    kind = models.CharField(_("decision"), max_length=20, choices=Kind.choices)

    history = HistoricalRecords()

    class Meta(MinutedDecision.Meta):
        verbose_name = _("decision on a report")
        verbose_name_plural = _("decisions on reports")
        constraints = [
            # A body decides once of each kind on a report at a meeting: a repeated post is the same decision.
            models.UniqueConstraint(
                fields=["report", "body", "meeting_date", "kind"],
                name="%(app_label)s_%(class)s_once_per_meeting",
                violation_error_message=_(
                    "This body already has a decision of that kind on the report from this meeting."
                ),
            ),
            *MinutedDecision.Meta.constraints,
        ]

    def get_absolute_url(self):
        return self.report.get_absolute_url()


class ReportVersionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError(FROZEN)

    def delete(self):
        raise ValidationError(FROZEN)


class ReportVersion(models.Model):
    """A report exactly as the body that froze it had it: a snapshot of values. Never changed."""

    report = models.OneToOneField(
        FollowUpReport, verbose_name=_("follow-up report"), on_delete=models.PROTECT, related_name="frozen_version"
    )
    decision = models.ForeignKey(ReportDecision, verbose_name=_("decision"), on_delete=models.PROTECT, related_name="+")
    frozen_on = models.DateField(_("frozen on"))
    snapshot = models.JSONField(_("content"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ReportVersionQuerySet.as_manager()

    class Meta:
        ordering = ["report"]
        verbose_name = _("frozen report")
        verbose_name_plural = _("frozen reports")

    def __str__(self):
        return str(self.report)

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(FROZEN)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(FROZEN)


class ReportPdf(models.Model):
    """The PDF of a frozen report, made by a worker (``plans.report_pdf``): how far it is, and the file."""

    Status = PdfJob.Status
    Problem = PdfJob.Problem

    report = models.OneToOneField(
        FollowUpReport, verbose_name=_("follow-up report"), on_delete=models.PROTECT, related_name="pdf"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    problem = models.CharField(_("problem"), max_length=20, choices=Problem.choices, blank=True)
    error = models.TextField(_("error"), blank=True, help_text=_("The last error as the program reported it."))
    path = models.CharField(_("file"), max_length=300, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), null=True, blank=True)
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        ordering = ["report"]
        verbose_name = _("PDF of a report")
        verbose_name_plural = _("PDFs of reports")

    def __str__(self):
        return f"{self.report}: {self.status}"

    @property
    def ready(self) -> bool:
        return self.status == self.Status.READY and bool(self.path)

    @property
    def failed(self) -> bool:
        return self.status == self.Status.FAILED
