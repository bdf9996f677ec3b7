import uuid
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from ehalsa.dates import check_dates
from ehalsa.text import normalised_label
from plans.models import YEAR_VALIDATORS, CopiedText, PlanContent, Versioned


def hours_text(hours) -> str:
    """Hours as Swedish write them: "12,5 h", "1 200 h" (no needless ",0")."""
    return f"{floatformat(hours, '-1g')} h"


class Area(models.Model):
    """An area ("område") that holds related activities together; national or a cooperation's own."""

    name = models.CharField(_("name"), max_length=100)
    cooperation = models.ForeignKey(
        "governance.Cooperation",
        verbose_name=_("cooperation"),
        on_delete=models.CASCADE,
        related_name="areas",
        null=True,
        blank=True,
        help_text=_("Empty for the common areas; set for a cooperation's own area."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        constraints = [
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(cooperation__isnull=True),
                name="%(app_label)s_%(class)s_unique_common_name",
            ),
            models.UniqueConstraint(
                fields=["cooperation", "name"],
                name="%(app_label)s_%(class)s_unique_name_in_cooperation",
            ),
        ]

    def __str__(self):
        return self.name


class LikaIndicator(models.Model):
    """An indicator of SKR's self-assessment tool LIKA socialtjänst, e.g. L19 or A28."""

    class Area(models.TextChoices):
        LEDNING = "L", _("Leadership")
        INFRASTRUKTUR = "I", _("Infrastructure")
        KOMPETENS = "K", _("Competence")
        ANVANDNING = "A", _("Use")

    code = models.CharField(
        _("code"),
        max_length=10,
        unique=True,
        # The code starts with its area's letter: L19, I3, K6, A28.
        validators=[RegexValidator(r"^[LIKA]\d{1,3}$", _("A LIKA code is L, I, K or A followed by a number."))],
    )
    area = models.CharField(_("area"), max_length=1, choices=Area.choices)
    sort_order = models.PositiveIntegerField(_("sort order"), editable=False, default=0)
    text = models.TextField(_("text"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("LIKA indicator")
        verbose_name_plural = _("LIKA indicators")

    def __str__(self):
        return f"{self.code}: {self.text}"

    def save(self, *args, **kwargs):
        # The tool's own order: Ledning, Infrastruktur, Kompetens, Användning, then by number.
        digits = "".join(ch for ch in self.code if ch.isdigit())
        area_index = "LIKA".index(self.area) if self.area in "LIKA" else 4
        self.sort_order = area_index * 1000 + (int(digits) if digits else 0)
        super().save(*args, **kwargs)

    def clean(self):
        if self.code and self.area and not self.code.startswith(self.area):
            raise ValidationError({"code": _("The code must start with the area's letter.")})


class Framework(models.Model):
    """A national reference framework, e.g. Vision e-hälsa 2025 or the 2010 national strategy."""

    name = models.CharField(_("name"), max_length=300, unique=True)
    short_name = models.CharField(_("short name"), max_length=60, unique=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    published = models.CharField(_("published"), max_length=40, blank=True)
    is_vision = models.BooleanField(
        _("Vision e-hälsa 2025"),
        default=False,
        help_text=_("Its areas are offered as the Vision e-hälsa 2025 areas in searches."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("national framework")
        verbose_name_plural = _("national frameworks")

    def __str__(self):
        return self.short_name


class FrameworkAreaQuerySet(models.QuerySet):
    def vision(self):
        return self.filter(framework__is_vision=True)


class FrameworkArea(models.Model):
    """An area or goal of a national framework; Vision e-hälsa 2025's key areas are such areas."""

    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.CASCADE, related_name="areas"
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()
    objects = FrameworkAreaQuerySet.as_manager()

    class Meta:
        ordering = ["framework", "order", "name"]
        verbose_name = _("framework area")
        verbose_name_plural = _("framework areas")
        constraints = [
            models.UniqueConstraint(fields=["framework", "name"], name="%(app_label)s_%(class)s_unique_name")
        ]

    def __str__(self):
        return f"{self.framework.short_name}: {self.name}"


class Phase(models.TextChoices):
    """Where an activity's work stands ("fas"), as its progress records it; apart from timeliness."""

    NOT_STARTED = "not_started", _("Not started")
    PRE_STUDY = "pre_study", _("Pre-study")
    ONGOING = "ongoing", pgettext_lazy("phase", "Ongoing")
    COMPLETED = "completed", _("Completed")
    PARTLY_COMPLETED = "partly_completed", _("Partly completed")
    POSTPONED = "postponed", _("Postponed")
    CANCELLED = "cancelled", _("Cancelled")


# Phases after which nothing more is due: an activity in them is never late.
FINISHED_PHASES = (Phase.COMPLETED, Phase.CANCELLED)
# Progress not updated for this long is stale ("inaktuell"), as plan trackers mark it.
STALE_AFTER = timedelta(days=180)
# An activity's own (planned) status as the phase it stands for (migration 0011 maps follow-ups so).
PHASE_OF_STATUS = {
    "planned": Phase.NOT_STARTED,
    "ongoing": Phase.ONGOING,
    "completed": Phase.COMPLETED,
    "partly_completed": Phase.PARTLY_COMPLETED,
    "postponed": Phase.POSTPONED,
    "cancelled": Phase.CANCELLED,
}


def latest_phase():
    """The phase of the activity's latest follow-up (its current progress), as a subquery."""
    latest = FollowUp.objects.filter(activity=OuterRef("pk")).order_by("-date", "-pk")
    return Subquery(latest.values("phase")[:1])


class ActivityQuerySet(models.QuerySet):
    def with_current_phase(self):
        return self.annotate(current_phase=latest_phase())

    def in_phase(self, phase: str):
        """Activities whose current progress is in ``phase``."""
        return self.alias(current_phase=latest_phase()).filter(current_phase=phase)

    def late(self, *, today=None):
        """Activities whose current progress says they are late (``Activity.is_late``): progress is
        recorded, the latest phase is not finished, and the end year has passed or a milestone is
        overdue."""
        today = today or timezone.localdate()
        overdue = Milestone.objects.filter(activity=OuterRef("pk")).overdue(today=today)
        return (
            self.alias(current_phase=latest_phase())
            .filter(current_phase__isnull=False)
            .filter(Q(end_year__lt=today.year) | Exists(overdue))
            .exclude(current_phase__in=FINISHED_PHASES)
        )

    def stale(self, *, today=None):
        """Activities whose progress is stale (``Activity.is_stale``): the latest follow-up is older
        than ``STALE_AFTER`` and its phase is not finished."""
        latest = FollowUp.objects.filter(activity=OuterRef("pk")).order_by("-date", "-pk")
        return (
            self.alias(current_phase=latest_phase(), progress_date=Subquery(latest.values("date")[:1]))
            .filter(progress_date__lt=(today or timezone.localdate()) - STALE_AFTER)
            .exclude(current_phase__in=FINISHED_PHASES)
        )

    def in_time(self, *, today=None):
        """Activities with recorded progress that are not late."""
        return (
            self.alias(current_phase=latest_phase())
            .filter(current_phase__isnull=False)
            .exclude(pk__in=self.late(today=today).values("pk"))
        )


class Activity(CopiedText, Versioned, PlanContent):
    """An activity ("insats", "aktivitet") of an action plan."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ONGOING = "ongoing", _("Ongoing")
        COMPLETED = "completed", _("Completed")
        PARTLY_COMPLETED = "partly_completed", _("Partly completed")
        POSTPONED = "postponed", _("Postponed")
        CANCELLED = "cancelled", _("Cancelled")

    class EffortBasis(models.TextChoices):
        # Only TOTAL hours add up across activities; the others are per something, or not hours.
        TOTAL = "total", _("hours in total")
        PER_PERSON = "per_person", _("hours per person")
        PER_SYSTEM = "per_system", _("hours per system")
        PER_EMPLOYEE = "per_employee", _("hours per employee")
        PER_SERVICE = "per_service", _("hours per service, product or IT system")
        FULL_TIME = "full_time", _("full-time posts")
        OWN_CALCULATION = "own_calculation", _("own calculation")
        ORDINARY_WORK = "ordinary_work", _("part of ordinary work")
        OTHER = "other", _("other, see note")

    class RegionalRole(models.TextChoices):
        DRIVES = "drives", _("Drives")
        COORDINATES = "coordinates", _("Coordinates")
        SUPPORTS = "supports", _("Supports")
        RESPONSIBLE = "responsible", _("Responsible")
        OTHER = "other", _("Other")

    plan = models.ForeignKey(
        "plans.ActionPlan", verbose_name=_("action plan"), on_delete=models.CASCADE, related_name="activities"
    )
    number = models.CharField(
        _("number"), max_length=10, blank=True, help_text=_("As written in the plan, e.g. 7a or 12.")
    )
    lineage = models.UUIDField(
        _("lineage"),
        default=uuid.uuid4,
        editable=False,
        help_text=_(
            "The same in every copy of the activity (a revision, the next period, a local plan made from a "
            "template), so the copies are known as one activity whatever its number."
        ),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="activities", null=True, blank=True
    )
    title = models.CharField(_("activity"), max_length=500)
    content = models.TextField(_("content"), blank=True, help_text=_("What is done and how."))
    benefit = models.TextField(_("benefit"), blank=True)
    owner = models.CharField(_("responsible"), max_length=200, blank=True)
    effect_goal = models.TextField(_("effect goal"), blank=True)
    effort_hours = models.DecimalField(
        _("effort (hours)"),
        max_digits=9,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    effort_basis = models.CharField(_("effort basis"), max_length=20, choices=EffortBasis.choices, blank=True)
    effort_note = models.CharField(
        _("effort as written"), max_length=200, blank=True, help_text=_("E.g. “24 timmar/ person”, “Egen uträkning”.")
    )
    start_year = models.PositiveSmallIntegerField(_("from year"), null=True, blank=True, validators=YEAR_VALIDATORS)
    end_year = models.PositiveSmallIntegerField(_("to year"), null=True, blank=True, validators=YEAR_VALIDATORS)
    period_note = models.CharField(_("period note"), max_length=100, blank=True, help_text=_("E.g. “Utifrån behov”."))
    regional_support = models.TextField(_("regional support"), blank=True)
    regional_role = models.CharField(_("regional role"), max_length=20, choices=RegionalRole.choices, blank=True)
    whole_municipality = models.BooleanField(
        _("concerns the whole municipality"),
        default=False,
        help_text=_("The activity concerns the municipality as a whole, not one administration."),
    )
    every_member = models.BooleanField(
        _("carried out by every member municipality"),
        default=False,
        help_text=_(
            "Each member municipality carries out the activity and records its own status on the adopted plan "
            "(e.g. “samtliga kommuner ska bli producenter i NPÖ”)."
        ),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    lika_indicators = models.ManyToManyField(
        LikaIndicator, verbose_name=_("LIKA indicators"), related_name="activities", blank=True
    )
    goals = models.ManyToManyField("plans.Goal", verbose_name=_("goals"), related_name="activities", blank=True)
    continues = models.ForeignKey(
        "self",
        verbose_name=_("continues"),
        on_delete=models.SET_NULL,
        related_name="continuations",
        null=True,
        blank=True,
        help_text=_("The activity of an earlier plan that this one continues."),
    )

    history = HistoricalRecords(m2m_fields=[lika_indicators, goals])
    objects = ActivityQuerySet.as_manager()

    # Its texts as written, which a copy for the next period may carry from the previous one.
    review_fields = (
        "title",
        "content",
        "benefit",
        "owner",
        "effect_goal",
        "effort_note",
        "period_note",
        "regional_support",
    )

    class Meta:
        ordering = ["plan", "order", "pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [
            # A plan's activities in their order straight from the index (plan pages, the search's pages);
            # on PostgreSQL with their years, so a search for a year reads the index alone.
            models.Index(
                fields=["plan", "order", "id"], include=["start_year", "end_year"], name="activities_in_plan_order"
            ),
            # Whether a plan has an activity running by or after a year: one probe each (the search).
            models.Index(fields=["plan", "start_year"], name="activities_start_in_plan"),
            models.Index(fields=["plan", "end_year"], name="activities_end_in_plan"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["plan", "lineage"], name="%(app_label)s_%(class)s_lineage_once_in_plan"),
            models.UniqueConstraint(
                fields=["plan", "number"],
                condition=~Q(number=""),
                name="%(app_label)s_%(class)s_unique_number_in_plan",
                violation_error_message=_("Another activity in this plan already has this number."),
            ),
            models.CheckConstraint(
                condition=Q(start_year__isnull=True) | Q(end_year__isnull=True) | Q(end_year__gte=F("start_year")),
                name="%(app_label)s_%(class)s_period_order",
                violation_error_message=_("The period cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(effort_hours__isnull=True) | Q(effort_hours__gte=0),
                name="%(app_label)s_%(class)s_effort_not_negative",
                violation_error_message=_("Effort cannot be negative."),
            ),
            models.CheckConstraint(
                condition=~Q(continues=F("pk")),
                name="%(app_label)s_%(class)s_not_own_continuation",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}".strip()

    def get_absolute_url(self):
        return reverse("activities:activity_detail", args=[self.pk])

    def review_link(self) -> str:
        """Its own page, where its editors see the mark and may keep it as it stands."""
        return self.get_absolute_url()

    @property
    def period(self) -> str:
        if self.start_year and self.end_year and self.start_year != self.end_year:
            return f"{self.start_year}–{self.end_year}"
        year = self.start_year or self.end_year
        return str(year) if year else self.period_note

    def clean_fields(self, exclude=None):
        # "７ａ" or "7a" with a zero-width space is the number 7a: compared, and stored, as such.
        self.number = normalised_label(self.number)
        super().clean_fields(exclude=exclude)

    def clean(self):
        super().clean()
        try:
            plan = self.plan
        except ObjectDoesNotExist:
            return
        errors = {}
        for field in ("start_year", "end_year"):
            year = getattr(self, field)
            if year and not plan.first_year <= year <= plan.last_year:
                errors[field] = _("The year must lie within the plan's period, %(period)s.") % {"period": plan.period}
        if self.continues_id and self.continues.plan_id == plan.pk:
            errors["continues"] = _("An activity continues an activity of an earlier plan.")
        if errors:
            raise ValidationError(errors)

    @property
    def latest_follow_up(self) -> "FollowUp | None":
        """The most recent follow-up; uses prefetched follow-ups when there are any."""
        follow_ups = sorted(self.follow_ups.all(), key=lambda f: (f.date, f.pk))
        return follow_ups[-1] if follow_ups else None

    @property
    def current_phase(self) -> str:
        """The latest follow-up's phase (the current progress), else the phase the activity's own status stands for."""
        follow_up = self.latest_follow_up
        return follow_up.phase if follow_up else PHASE_OF_STATUS.get(self.status, Phase.NOT_STARTED)

    @property
    def is_finished(self) -> bool:
        return self.current_phase in FINISHED_PHASES

    @property
    def is_late(self) -> bool:
        """Timeliness ("i tid" / "försenad"), derived, never recorded: late when progress is recorded,
        its phase is not finished, and the activity's end year has passed or a milestone is overdue.
        ``ActivityQuerySet.late`` says the same in the database."""
        follow_up = self.latest_follow_up
        if follow_up is None or follow_up.phase in FINISHED_PHASES:
            return False
        end_passed = self.end_year is not None and self.end_year < timezone.localdate().year
        return end_passed or self.milestone_overdue()

    def milestone_overdue(self) -> bool:
        """Whether a milestone's due date has passed without it being reached (prefetched milestones
        are used)."""
        return any(milestone.is_late for milestone in self.milestones.all())

    @property
    def last_progress_date(self):
        """When its progress was last recorded (the latest follow-up's date), or None."""
        follow_up = self.latest_follow_up
        return follow_up.date if follow_up else None

    @property
    def is_stale(self) -> bool:
        """Stale ("inaktuell"): progress is recorded, not finished, and not updated for ``STALE_AFTER``."""
        follow_up = self.latest_follow_up
        if follow_up is None or follow_up.phase in FINISHED_PHASES:
            return False
        return follow_up.date < timezone.localdate() - STALE_AFTER

    @property
    def effort_counts_in_totals(self) -> bool:
        """Only hours in total can be summed; per person, per system etc. cannot."""
        return self.effort_hours is not None and self.effort_basis == self.EffortBasis.TOTAL

    @property
    def effort_display(self) -> str:
        """The effort as written, else the hours as the budget page shows them ("12,5 h", "1 200 h")."""
        if self.effort_note or self.effort_hours is None:
            return self.effort_note
        return hours_text(self.effort_hours)

    @property
    def party_hours(self) -> "Decimal | None":
        """The activity's total effort: its parties' hours added up (prefetched shares are used);
        None when no party states hours. Effort as written is not in it (``party_effort_as_written``)."""
        hours = [share.hours for share in self.effort_shares.all() if share.counted]
        return sum(hours, Decimal(0)) if hours else None

    @property
    def party_effort_as_written(self) -> list["EffortShare"]:
        """The party rows whose effort is written, not hours: shown, and left out of the total."""
        return [share for share in self.effort_shares.all() if not share.counted]


class ActivityReference(PlanContent):
    """A mapping of an activity to a national framework, with the page it cites."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="references"
    )
    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.PROTECT, related_name="references"
    )
    area = models.ForeignKey(
        FrameworkArea,
        verbose_name=_("framework area"),
        on_delete=models.PROTECT,
        related_name="references",
        null=True,
        blank=True,
    )
    text = models.TextField(_("reference as written"), blank=True)
    page = models.CharField(_("page"), max_length=20, blank=True, help_text=_("E.g. 8 or 10–11."))

    history = HistoricalRecords()

    class Meta:
        ordering = ["activity", "framework", "pk"]
        verbose_name = _("national reference")
        verbose_name_plural = _("national references")

    def owning_plan(self):
        return self.activity.plan

    def __str__(self):
        label = self.area.name if self.area_id else self.text
        return f"{self.framework.short_name}: {label}" + (f" (sid {self.page})" if self.page else "")

    def clean(self):
        super().clean()
        if self.area_id and self.framework_id and self.area.framework_id != self.framework_id:
            raise ValidationError({"area": _("The area belongs to another framework.")})
        if not self.area_id and not self.text.strip():
            raise ValidationError(_("Choose an area or write the reference."))


class FollowUp(models.Model):
    """Progress of an activity ("uppföljning", "läge") for a period: its phase, a comment and when.

    Progress is not plan content: it is recorded on adopted plans, and the adopted version never
    holds it. The latest follow-up is the activity's current progress; timeliness is derived
    (``Activity.is_late``), never recorded."""

    Phase = Phase

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    period = models.PositiveSmallIntegerField(
        _("year"),
        null=True,  # follow-ups recorded before periods were asked for, outside their plan's years
        validators=YEAR_VALIDATORS,
        help_text=_("The year of the plan the progress is for."),
    )
    date = models.DateField(_("date"))
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    text = models.TextField(_("comment"))
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
        ordering = ["activity", "date", "pk"]
        get_latest_by = ["date", "pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self):
        return f"{self.activity} – {self.date.isoformat()}"

    def clean(self):
        super().clean()
        check_dates(self, "date")
        try:
            plan = self.activity.plan
        except ObjectDoesNotExist:
            return
        if self.period is not None and not plan.first_year <= self.period <= plan.last_year:
            raise ValidationError(
                {"period": _("The year must lie within the plan's period, %(period)s.") % {"period": plan.period}}
            )


class MilestoneQuerySet(models.QuerySet):
    def overdue(self, *, today=None):
        """Milestones whose due date has passed without their being reached (``Milestone.is_late``)."""
        return self.filter(reached__isnull=True, due_date__lt=today or timezone.localdate())

    def due_by(self, day):
        """Milestones not reached that are due by ``day``: overdue ones included."""
        return self.filter(reached__isnull=True, due_date__lte=day)


class Milestone(Versioned):
    """A milestone ("delmål") of an activity: due by a date, reached on a date.

    Like progress, milestones are not plan content: they are kept on adopted plans too, beside the
    frozen document. One past its due date and not reached is late and makes its activity late."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("milestone"), max_length=300)
    due_date = models.DateField(_("due date"))
    reached = models.DateField(_("reached"), null=True, blank=True, help_text=_("The day it was reached."))
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()
    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["activity", "due_date", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("activities:activity_detail", args=[self.activity_id]) + "#delmal"

    @property
    def is_late(self) -> bool:
        """Past its due date and not reached ("försenad")."""
        return self.reached is None and self.due_date < timezone.localdate()

    def clean(self):
        super().clean()
        check_dates(self, "reached")  # reached today at the latest, never in the future
        try:
            activity = self.activity
        except ObjectDoesNotExist:
            return
        if self.due_date and (error := due_date_error(activity, self.due_date)):
            raise ValidationError({"due_date": error})


def due_date_error(activity, due_date) -> str | None:
    """Why ``due_date`` cannot be a milestone's of ``activity`` (outside its years), or None."""
    first, last = activity_years(activity)
    period = f"{first}–{last}" if first != last else str(first)
    if due_date.year > last:
        return _(
            "The activity runs %(period)s, so a milestone cannot be due after it ends: "
            "give a date no later than %(date)s."
        ) % {"period": period, "date": date(last, 12, 31).isoformat()}
    if due_date.year < first:
        return _(
            "The activity runs %(period)s, so a milestone cannot be due before it starts: "
            "give a date no earlier than %(date)s."
        ) % {"period": period, "date": date(first, 1, 1).isoformat()}
    return None


def activity_years(activity) -> tuple[int, int]:
    """The first and last year of the activity: its own years, else its plan's."""
    plan = activity.plan
    return activity.start_year or plan.first_year, activity.end_year or plan.last_year


class EffortShare(PlanContent):
    """Estimated hours of one party (the region, an association, consultants …) on an activity."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="effort_shares"
    )
    organisation = models.ForeignKey(
        "governance.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="effort_shares",
        null=True,
        blank=True,
    )
    party = models.CharField(
        _("party"), max_length=100, blank=True, help_text=_("For parties that are not organisations, e.g. Konsulter.")
    )
    hours = models.DecimalField(
        _("hours"),
        max_digits=9,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(10**7)],
        help_text=_("Hours in total; they are added up."),
    )
    as_written = models.CharField(
        _("effort as written"),
        max_length=100,
        blank=True,
        help_text=_(
            "Instead of hours, e.g. “enligt överenskommelse”, “24 timmar/person”: shown as written, not added up."
        ),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["activity", "pk"]
        verbose_name = _("effort per party")
        verbose_name_plural = _("effort per party")
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours__gte=0),
                name="%(app_label)s_%(class)s_hours_not_negative",
                violation_error_message=_("Hours cannot be negative."),
            ),
            models.CheckConstraint(
                # Hours add up; effort as written does not. A row holding both would be summed by its
                # number whatever its text says ("24 timmar/person"), so it holds exactly one.
                condition=Q(hours__isnull=False, as_written="") | Q(hours__isnull=True) & ~Q(as_written=""),
                name="%(app_label)s_%(class)s_hours_or_as_written",
                violation_error_message=_("Give the hours or the effort as written, not both."),
            ),
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | ~Q(party=""),
                name="%(app_label)s_%(class)s_has_party",
                violation_error_message=_("Choose an organisation or name the party."),
            ),
        ]

    def owning_plan(self):
        return self.activity.plan

    def __str__(self):
        return f"{self.party_name}: {self.effort_display}"

    @property
    def counted(self) -> bool:
        """Whether the row's effort is added up: hours are, effort as written is not."""
        return self.hours is not None

    @property
    def effort_display(self) -> str:
        """The hours as Swedish write them ("12,5 h", "1 200 h"), else the effort as written."""
        return hours_text(self.hours) if self.counted else self.as_written

    @property
    def party_name(self) -> str:
        return self.organisation.display_name if self.organisation_id else self.party


class MunicipalStatusQuerySet(models.QuerySet):
    def latest_per_municipality(self):
        """Each municipality's latest status on each activity (the one that counts); earlier ones
        are its history."""
        later = MunicipalStatus.objects.filter(
            activity=OuterRef("activity"), municipality=OuterRef("municipality")
        ).filter(Q(date__gt=OuterRef("date")) | Q(date=OuterRef("date"), pk__gt=OuterRef("pk")))
        return self.exclude(Exists(later))


class MunicipalStatus(models.Model):
    """A member municipality's status on an activity that every member carries out ("status per kommun").

    Follow-up, not plan content: recorded on the adopted plan by the municipality's own officials
    (``activities.access``) and never part of the adopted version. The latest per municipality
    counts; the earlier ones are kept as its history."""

    class Status(models.TextChoices):
        IMPLEMENTED = "implemented", pgettext_lazy("municipal status", "Implemented")
        ONGOING = "ongoing", pgettext_lazy("municipal status", "Ongoing")
        NOT_STARTED = "not_started", pgettext_lazy("municipal status", "Not started")
        ABSTAINS = "abstains", pgettext_lazy("municipal status", "Abstains")

    # Shown beside the words, never instead of them (and never a colour alone).
    SYMBOLS = {
        Status.IMPLEMENTED: "✓",
        Status.ONGOING: "◐",
        Status.NOT_STARTED: "○",
        Status.ABSTAINS: "⊘",
    }

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="municipal_statuses"
    )
    municipality = models.ForeignKey(
        "governance.Organisation",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="municipal_statuses",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    date = models.DateField(_("date"), help_text=_("When the status was so."))
    comment = models.TextField(_("comment"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = MunicipalStatusQuerySet.as_manager()

    class Meta:
        ordering = ["activity", "municipality__name", "date", "pk"]
        get_latest_by = ["date", "pk"]
        verbose_name = _("status per municipality")
        verbose_name_plural = _("statuses per municipality")
        indexes = [
            models.Index(fields=["activity", "municipality", "date"], name="activities_municipal_latest"),
        ]

    def __str__(self):
        return f"{self.activity} – {self.municipality}: {self.get_status_display()} {self.date.isoformat()}"

    @property
    def symbol(self) -> str:
        return self.SYMBOLS[self.status]

    @staticmethod
    def refusal_for(activity) -> str:
        """Why no municipality's status can be recorded on ``activity``, in words; empty when it can."""
        plan = activity.plan
        if plan.status != plan.Status.ADOPTED:
            return _("A municipality's status is recorded on the adopted plan; this plan is %(status)s.") % {
                "status": plan.get_status_display().lower()
            }
        if not activity.every_member:
            return _(
                "This activity is not carried out by every member municipality, so it has no status per "
                "municipality. Record its progress as a follow-up instead."
            )
        return ""

    def clean(self):
        """Only on an adopted plan, on an activity every member carries out, for a member municipality."""
        super().clean()
        check_dates(self, "date")
        errors = {}
        try:
            activity = self.activity
        except ObjectDoesNotExist:
            return
        plan = activity.plan
        if refusal := self.refusal_for(activity):
            errors[NON_FIELD_ERRORS] = refusal
        if (
            self.municipality_id
            and not plan.cooperation.members.municipalities().filter(pk=self.municipality_id).exists()
        ):
            errors["municipality"] = _(
                "%(municipality)s is not a member municipality of %(cooperation)s. Choose one of its members."
            ) % {"municipality": self.municipality, "cooperation": plan.cooperation.display_name}
        if errors:
            raise ValidationError(errors)


# Measures ("mått") and a local plan's choices per template activity live in their own modules;
# imported here so that Django registers them with the app.
from .local_models import LocalChoice  # noqa: E402, F401
from .measure_models import Measure, MeasuredValue, MeasureTarget  # noqa: E402, F401
