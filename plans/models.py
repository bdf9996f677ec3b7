from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ehalsa.db import SubqueryCount, activity_count_of_plan_row
from governance.models import Body, Cooperation, Decision

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


class ActionPlanQuerySet(models.QuerySet):
    def adopted(self):
        return self.filter(status=ActionPlan.Status.ADOPTED)

    def for_cooperation(self, cooperation):
        return self.filter(cooperation=cooperation)

    def covering_year(self, year: int):
        return self.filter(first_year__lte=year, last_year__gte=year)

    def with_list_figures(self):
        """Annotate what plan lists show: activity count and municipal adoption progress, counted as the
        adoption page counts it: of the municipalities asked to decide, those that have adopted."""
        asked = ActionPlan.municipalities_to_decide.through.objects.filter(actionplan=OuterRef(OuterRef("pk")))
        return self.annotate(
            activity_count=activity_count_of_plan_row(),
            asked_municipalities=SubqueryCount(
                ActionPlan.municipalities_to_decide.through.objects.filter(actionplan=OuterRef("pk")).values("pk")
            ),
            adopted_municipalities=SubqueryCount(
                Decision.objects.filter(
                    plan=OuterRef("pk"),
                    kind=Decision.Kind.ADOPT,
                    body__organisation__in=asked.values("organisation"),
                )
                .order_by()  # Meta.ordering would enter the DISTINCT and count decisions, not municipalities
                .values("body__organisation")
                .distinct()
            ),
        )

    def published_templates(self):
        """Templates a municipality may make its local plan from: adopted ones (published = adopted)."""
        return self.filter(is_template=True, status=ActionPlan.Status.ADOPTED)

    def public(self):
        """Adopted plans (and the superseded ones they replaced) are public documents."""
        return self.filter(status__in=ActionPlan.PUBLIC_STATUSES)

    def visible_to(self, user):
        """What ``user`` may read: public plans, plus every plan of the cooperations their
        organisations belong to; administrators read everything."""
        if user.is_authenticated and user.is_superuser:
            return self
        visible = Q(status__in=ActionPlan.PUBLIC_STATUSES)
        if user.is_authenticated:
            # A subquery, not a join: no duplicate rows, so counts and pagination stay right.
            visible |= Q(cooperation__in=Cooperation.objects.filter(members__memberships__user=user).values("pk"))
        return self.filter(visible)


class ActionPlan(models.Model):
    """A cooperation's action plan ("handlingsplan") for a period of one or more years."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OUT_FOR_ADOPTION = "out_for_adoption", _("Out for adoption")
        ADOPTED = "adopted", _("Adopted")
        SUPERSEDED = "superseded", _("Superseded")

    # Public documents: anyone may read them.
    PUBLIC_STATUSES = (Status.ADOPTED, Status.SUPERSEDED)

    cooperation = models.ForeignKey(
        "governance.Cooperation",
        verbose_name=_("cooperation"),
        on_delete=models.PROTECT,
        related_name="plans",
    )
    title = models.CharField(_("title"), max_length=300)
    subtitle = models.CharField(_("subtitle"), max_length=300, blank=True)
    first_year = models.PositiveSmallIntegerField(_("first year"), validators=YEAR_VALIDATORS)
    last_year = models.PositiveSmallIntegerField(_("last year"), validators=YEAR_VALIDATORS)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    previous_plan = models.ForeignKey(
        "self",
        verbose_name=_("previous plan"),
        on_delete=models.SET_NULL,
        related_name="next_plans",
        null=True,
        blank=True,
        help_text=_("The plan whose activities this plan follows up."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    revision_of = models.ForeignKey(
        "self",
        verbose_name=_("revision of"),
        on_delete=models.PROTECT,
        related_name="revisions",
        null=True,
        blank=True,
        help_text=_("The adopted plan this draft revises."),
    )
    revision_reason = models.TextField(_("reason for the revision"), blank=True)
    returned_reason = models.TextField(
        _("why it was referred back"), blank=True, help_text=_("Set when a body refers the plan back to draft.")
    )
    municipalities_to_decide = models.ManyToManyField(
        "governance.Organisation",
        verbose_name=_("municipalities that decide"),
        related_name="plans_to_decide",
        blank=True,
    )

    is_template = models.BooleanField(
        _("template for the member municipalities"),
        default=False,
        help_text=_(
            "A proposal (förslag) that each member municipality adopts as its own local plan, with or without "
            "local deviations. It is published to them when it is adopted."
        ),
    )
    municipality = models.ForeignKey(
        "governance.Organisation",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="local_plans",
        null=True,
        blank=True,
        help_text=_("Set on a municipality's local plan: it goes through the municipality's own bodies."),
    )
    template_version = models.ForeignKey(
        "PlanVersion",
        verbose_name=_("made from template version"),
        on_delete=models.PROTECT,
        related_name="local_plans",
        null=True,
        blank=True,
        help_text=_("The adopted version of the template the local plan was made from."),
    )

    history = HistoricalRecords(m2m_fields=[municipalities_to_decide])
    objects = ActionPlanQuerySet.as_manager()

    class Meta:
        ordering = ["-first_year", "cooperation__name", "title"]
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__gte=F("first_year")),
                name="%(app_label)s_%(class)s_period_order",
                violation_error_message=_("The period cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(previous_plan=F("pk")),
                name="%(app_label)s_%(class)s_not_own_previous",
            ),
            # A double click or two colleagues at once never make two: one plan follows a plan
            # (its revisions keep the previous plan they revise), and one revision is open at a time.
            models.UniqueConstraint(
                fields=["previous_plan"],
                condition=Q(revision_of__isnull=True),
                name="%(app_label)s_%(class)s_one_next_plan",
                violation_error_message=_("A plan for the next period already exists."),
            ),
            models.UniqueConstraint(
                fields=["revision_of"],
                condition=Q(status__in=["draft", "out_for_adoption"]),
                name="%(app_label)s_%(class)s_one_open_revision",
                violation_error_message=_("A revision of this plan is already under way."),
            ),
            # One local plan per municipality and period of a cooperation (its revisions aside).
            models.UniqueConstraint(
                fields=["municipality", "cooperation", "first_year", "last_year"],
                condition=Q(municipality__isnull=False, revision_of__isnull=True),
                name="%(app_label)s_%(class)s_one_local_plan",
                violation_error_message=_("The municipality already has a local plan for this period."),
            ),
            models.CheckConstraint(
                condition=Q(is_template=False) | Q(municipality__isnull=True),
                name="%(app_label)s_%(class)s_template_not_local",
                violation_error_message=_("A local plan cannot itself be a template."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("plans:actionplan_detail", args=[self.pk])

    @property
    def period(self) -> str:
        if self.first_year == self.last_year:
            return str(self.first_year)
        return f"{self.first_year}–{self.last_year}"

    @property
    def download_name_parts(self) -> list[str]:
        """The plan in the name of a file downloaded from it (``ehalsa.tables.download_name``): its
        title, its period when the title does not say it, and "revision" for a revision."""
        period = str(self.first_year) if self.first_year == self.last_year else f"{self.first_year}-{self.last_year}"
        parts = [self.title] if period in self.title.replace("–", "-") else [self.title, period]
        return [*parts, str(_("revision"))] if self.revision_of_id else parts

    @property
    def table_download_name_parts(self) -> list[str]:
        """The plan in the name of a table downloaded from it: a draft's tables change as it is
        written, so today's date follows its name."""
        if self.is_public:
            return self.download_name_parts
        return [*self.download_name_parts, timezone.localdate().isoformat()]

    @property
    def choice_label(self) -> str:
        """The plan in a list of choices, where a revision and the plan it revises share a title:
        "Handlingsplan 2016–2017 (2016–2017, antagen)", "… (2016–2017, revision, utkast)"."""
        status = self.get_status_display().lower()
        if self.revision_of_id:
            status = _("revision, %(status)s") % {"status": status}
        return f"{self.title} ({self.period}, {status})"

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)

    @property
    def budget_first_year(self) -> int:
        """A plan's budget also follows up the previous plan's years (seed 000 reports 2014–2015)."""
        if self.previous_plan_id and self.previous_plan.first_year < self.first_year:
            return self.previous_plan.first_year
        return self.first_year

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC_STATUSES

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_local(self) -> bool:
        """A municipality's local plan, made from a template."""
        return self.municipality_id is not None

    def route_bodies(self):
        """The bodies that may be on the plan's adoption route: a local plan's municipality's own
        bodies, any other plan's cooperation's bodies. The one rule for the route (``plans.adoption``,
        the route's form and who decides: ``governance.access``)."""
        if self.is_local:
            return Body.objects.filter(organisation=self.municipality_id)
        return Body.objects.filter(cooperation=self.cooperation_id)

    def is_route_body(self, body) -> bool:
        """Whether ``body`` is one of ``route_bodies()`` (the plan's owner's), without a query."""
        if self.is_local:
            return body.organisation_id == self.municipality_id
        return body.cooperation_id == self.cooperation_id


def ensure_plan_editable(plan: "ActionPlan") -> None:
    """Only drafts change in place; an adopted plan changes through a revision (issue 6)."""
    if plan.status != ActionPlan.Status.DRAFT:
        raise ValidationError(
            _("The plan is %(status)s and cannot be changed in place."),
            code="plan_locked",
            params={"status": plan.get_status_display().lower()},
        )


class PlanContent(models.Model):
    """Content of a plan (sections, goals, activities, budget lines …): changes only while it is a draft.

    The rule is enforced here, below every view: ``clean()`` reports it to forms and the admin,
    ``save()`` and ``delete()`` refuse it for any other caller.
    """

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        ensure_plan_editable(self.owning_plan())
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        ensure_plan_editable(self.owning_plan())
        return super().delete(*args, **kwargs)

    def clean(self):
        super().clean()
        try:
            plan = self.owning_plan()
        except ObjectDoesNotExist:
            return  # no plan yet: the form reports the missing field
        ensure_plan_editable(plan)

    def owning_plan(self) -> "ActionPlan":
        return self.plan


class Versioned(models.Model):
    """A row that two people may edit at once: saves name the version they started from."""

    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        abstract = True


class CopiedText(models.Model):
    """A text of a plan that the next period's plan copies: marked to be reviewed until its coordinator
    has saved it, or said it stands as it is (issue 19, item 8)."""

    to_review = models.BooleanField(
        _("to be reviewed"),
        default=False,
        help_text=_("Copied from the previous plan and not yet reviewed for this plan's period."),
    )

    # The fields whose words are read for the previous period's name (``plans.services.texts_to_review``).
    review_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def review_words(self) -> str:
        """The row's texts as written, joined: what may still speak of the previous period."""
        return " ".join(str(getattr(self, name) or "") for name in self.review_fields)

    def review_link(self) -> str:
        """Where the plan's editors find the row with its mark: by default its place on the plan's page."""
        return f"{self.plan.get_absolute_url()}#{self._meta.model_name}-{self.pk}"


class Section(CopiedText, Versioned, PlanContent):
    """An ordered text section of a plan (introduction, background, purpose, references …)."""

    class Shows(models.TextChoices):
        """A part of the plan the document shows right after the section's text."""

        GOALS = "goals", _("The goals")
        FOLLOW_UP = "follow_up", _("The follow-up of the previous plan")
        ACTIVITIES = "activities", _("The activities and their timeline")
        BUDGET = "budget", _("The budget")

    plan = models.ForeignKey(
        ActionPlan, verbose_name=_("action plan"), on_delete=models.CASCADE, related_name="sections"
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    level = models.PositiveSmallIntegerField(
        _("heading level"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(3)],
        help_text=_("1 for a chapter, 2 for a subsection."),
    )
    heading = models.CharField(_("heading"), max_length=200)
    body = models.TextField(
        _("text"), blank=True, help_text=_("Paragraphs separated by blank lines; lines starting with '- ' are bullets.")
    )
    shows = models.CharField(
        _("followed by"),
        max_length=20,
        choices=Shows.choices,
        blank=True,
        help_text=_(
            "The part of the plan the document shows right after this text, where the text refers to it "
            "(“in the table below”). Parts no section names follow the sections."
        ),
    )

    history = HistoricalRecords()

    review_fields = ("heading", "body")

    class Meta:
        ordering = ["plan", "order", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=3),
                name="%(app_label)s_%(class)s_level_range",
            )
        ]

    def __str__(self):
        return self.heading


class Goal(CopiedText, Versioned, PlanContent):
    """One of a plan's goals ("mål", "målbild"); activities may point at it."""

    plan = models.ForeignKey(ActionPlan, verbose_name=_("action plan"), on_delete=models.CASCADE, related_name="goals")
    order = models.PositiveIntegerField(_("order"), default=0)
    title = models.CharField(_("goal"), max_length=400)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    review_fields = ("title", "description")

    class Meta:
        ordering = ["plan", "order", "pk"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self):
        return self.title


class AdoptionStep(models.Model):
    """One body on a plan's adoption route, in order (e.g. working group → network → LGVO → SSVO)."""

    plan = models.ForeignKey(
        ActionPlan, verbose_name=_("action plan"), on_delete=models.CASCADE, related_name="adoption_steps"
    )
    order = models.PositiveIntegerField(_("order"))
    body = models.ForeignKey("governance.Body", verbose_name=_("body"), on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("adoption step")
        verbose_name_plural = _("adoption steps")
        constraints = [
            models.UniqueConstraint(fields=["plan", "body"], name="%(app_label)s_%(class)s_body_once"),
            models.UniqueConstraint(fields=["plan", "order"], name="%(app_label)s_%(class)s_order_once"),
        ]

    def __str__(self):
        return f"{self.order}. {self.body}"


class PlanVersionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError(_("An adopted version can never be changed."))

    def delete(self):
        raise ValidationError(_("An adopted version can never be changed."))


class PlanVersion(models.Model):
    """A plan exactly as adopted: its full content frozen as a snapshot. Never changed once written."""

    plan = models.ForeignKey(
        ActionPlan, verbose_name=_("action plan"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    adopted_on = models.DateField(_("adopted on"))
    decision = models.ForeignKey(
        "governance.Decision",
        verbose_name=_("decision"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    snapshot = models.JSONField(_("content"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = PlanVersionQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("adopted version")
        verbose_name_plural = _("adopted versions")
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="%(app_label)s_%(class)s_number_once")]

    def __str__(self):
        return f"{self.plan} – version {self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("An adopted version can never be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("An adopted version can never be changed."))


class StoredPdf(models.Model):
    """The PDF of an adopted plan version, stored once so every download is the same file (stamps are laid on)."""

    plan = models.ForeignKey(
        ActionPlan, verbose_name=_("action plan"), on_delete=models.PROTECT, related_name="stored_pdfs"
    )
    version_number = models.PositiveIntegerField(_("version"))
    path = models.CharField(_("file"), max_length=300)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["plan", "version_number"]
        verbose_name = _("stored PDF")
        verbose_name_plural = _("stored PDFs")
        constraints = [models.UniqueConstraint(fields=["plan", "version_number"], name="%(app_label)s_%(class)s_once")]

    def __str__(self):
        return f"{self.plan} v{self.version_number}"


class PdfJob(models.Model):
    """A PDF of a plan made by a worker: an adopted version's, or a draft's content as it was asked for.

    The adopted version's file is its ``StoredPdf``; a draft's file is named here. The job says how
    far the work is, how many attempts it took and why the last one failed, so nothing is lost.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being made")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    class Problem(models.TextChoices):
        RENDER = "render", _("The document could not be typeset (an error while making the PDF).")
        STORAGE = "storage", _("The file could not be saved (the storage is full or cannot be written to).")
        STOPPED = "stopped", _("The work stopped before it was done (the worker was stopped).")
        NOT_STARTED = "not_started", _("No worker took up the work (is the PDF worker running?).")

    plan = models.ForeignKey(
        ActionPlan, verbose_name=_("action plan"), on_delete=models.CASCADE, related_name="pdf_jobs"
    )
    version_number = models.PositiveIntegerField(
        _("version"), null=True, blank=True, help_text=_("The adopted version; empty for a draft.")
    )
    content_digest = models.CharField(
        _("content (SHA-256)"), max_length=64, blank=True, help_text=_("What the draft's PDF shows, as a SHA-256.")
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
        ordering = ["plan", "-requested_at"]
        verbose_name = _("PDF job")
        verbose_name_plural = _("PDF jobs")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "version_number"],
                condition=Q(version_number__isnull=False),
                name="%(app_label)s_%(class)s_version_once",
            ),
            models.UniqueConstraint(
                fields=["plan", "content_digest"],
                condition=Q(version_number__isnull=True),
                name="%(app_label)s_%(class)s_draft_once",
            ),
            models.CheckConstraint(
                condition=Q(version_number__isnull=False, content_digest="")
                | (Q(version_number__isnull=True) & ~Q(content_digest="")),
                name="%(app_label)s_%(class)s_version_or_draft",
            ),
        ]

    def __str__(self):
        what = f"v{self.version_number}" if self.version_number else f"utkast {self.content_digest[:8]}"
        return f"{self.plan} {what}: {self.status}"

    @property
    def is_draft(self) -> bool:
        return self.version_number is None


class ReminderSetting(models.Model):
    """Whether a user gets the daily reminder e-mail ("påminnelser"); on for anyone without a row."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="reminder_setting"
    )
    send_reminders = models.BooleanField(
        _("send me a daily e-mail of what is due"),
        default=True,
        help_text=_("Sent on days when something is late or due within 14 days, at most once a day."),
    )
    changed_at = models.DateTimeField(_("changed"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["user__username"]
        verbose_name = _("reminder setting")
        verbose_name_plural = _("reminder settings")

    def __str__(self):
        return f"{self.user}: {self.send_reminders}"


class ReminderSent(models.Model):
    """A user's daily reminder, sent: one a user and day, however many runs of ``send_reminders`` meet."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day"))
    items = models.PositiveIntegerField(_("things due"), default=0)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["-day", "user__username"]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="%(app_label)s_%(class)s_once_a_day"),
        ]

    def __str__(self):
        return f"{self.user} {self.day.isoformat()}"


# The yearly follow-up reports and tables imported from spreadsheets: their own modules, found by
# Django through this one.
from .import_models import ColumnMapping, ImportFile, ImportRow, TableImport  # noqa: E402, F401
from .report_models import FollowUpReport, ReportDecision, ReportPdf, ReportRecipient, ReportVersion  # noqa: E402, F401
