from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ehalsa.dates import check_dates

municipality_code_validator = RegexValidator(r"^\d{4}$", _("A municipality code is four digits, e.g. 0586."))


class OrganisationQuerySet(models.QuerySet):
    def municipalities(self):
        return self.filter(kind=Organisation.Kind.MUNICIPALITY)

    def regions(self):
        return self.filter(kind=Organisation.Kind.REGION)


class Organisation(models.Model):
    """A region, municipality, municipal association or national actor."""

    class Kind(models.TextChoices):
        REGION = "region", _("Region")
        MUNICIPALITY = "municipality", _("Municipality")
        ASSOCIATION = "association", _("Municipal association")
        NATIONAL = "national", _("National actor")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    county = models.CharField(_("county"), max_length=60, blank=True)
    municipality_code = models.CharField(
        _("municipality code"),
        max_length=4,
        blank=True,
        validators=[municipality_code_validator],
        help_text=_("SCB's four-digit code, for municipalities."),
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_date = models.DateField(
        _("population as of"),
        null=True,
        blank=True,
        help_text=_("The reference date of the population figure, e.g. 2024-12-31."),
    )

    history = HistoricalRecords()
    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality_code"],
                condition=~Q(municipality_code=""),
                name="%(app_label)s_%(class)s_unique_municipality_code",
                violation_error_message=_("Another organisation already has this municipality code."),
            ),
            models.CheckConstraint(
                condition=Q(population__isnull=True) | Q(population__gte=0),
                name="%(app_label)s_%(class)s_population_not_negative",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        check_dates(self, "population_date")

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class Cooperation(models.Model):
    """A regional cooperation that owns action plans, e.g. Region Östergötland and its municipalities."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    county = models.CharField(_("county"), max_length=60, blank=True)
    description = models.TextField(_("description"), blank=True)
    lead_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("lead organisation"),
        on_delete=models.PROTECT,
        related_name="led_cooperations",
        null=True,
        blank=True,
        help_text=_("The organisation that hosts the cooperation, e.g. the region."),
    )
    members = models.ManyToManyField(Organisation, verbose_name=_("members"), related_name="cooperations", blank=True)

    history = HistoricalRecords(m2m_fields=[members])

    class Meta:
        ordering = ["name"]
        verbose_name = _("cooperation")
        verbose_name_plural = _("cooperations")

    def __str__(self):
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class Body(models.Model):
    """A governance body ("organ") of a cooperation or of one organisation."""

    class Level(models.IntegerChoices):
        # Ordered from the top of a hierarchy down.
        POLITICAL = 1, _("Political management")
        STRATEGIC = 2, _("Strategic management")
        TACTICAL = 3, _("Tactical management")
        OPERATIVE_MANAGEMENT = 4, _("Operative management")
        OPERATIVE_EXECUTION = 5, _("Operative execution")

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    cooperation = models.ForeignKey(
        Cooperation,
        verbose_name=_("cooperation"),
        on_delete=models.CASCADE,
        related_name="bodies",
        null=True,
        blank=True,
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="bodies",
        null=True,
        blank=True,
    )
    reports_to = models.ForeignKey(
        "self",
        verbose_name=_("reports to"),
        on_delete=models.SET_NULL,
        related_name="reporting_bodies",
        null=True,
        blank=True,
    )
    decides_on = models.TextField(_("decides on"), blank=True)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["level", "name"]
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(cooperation__isnull=False, organisation__isnull=True)
                    | Q(cooperation__isnull=True, organisation__isnull=False)
                ),
                name="%(app_label)s_%(class)s_one_owner",
                violation_error_message=_("A body belongs either to a cooperation or to one organisation, not both."),
            ),
            models.UniqueConstraint(
                fields=["cooperation", "name"],
                name="%(app_label)s_%(class)s_unique_name_in_cooperation",
            ),
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="%(app_label)s_%(class)s_unique_name_in_organisation",
            ),
        ]

    def __str__(self):
        if self.short_name:
            return f"{self.name} ({self.short_name})"
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def owner(self):
        return self.cooperation or self.organisation


class Membership(models.Model):
    """A user's role in an organisation; permissions follow from it."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("E-health coordinator")
        OFFICIAL = "official", _("Official")
        SECRETARY = "secretary", _("Committee secretary")
        VIEWER = "viewer", _("Viewer")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name", "user__username"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                name="%(app_label)s_%(class)s_unique_role",
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()}, {self.organisation}"


class MinutedDecision(models.Model):
    """What a protocol states of any decision: meeting date, §, diary number, text, and who recorded
    it. Decisions on plans (``Decision``) and on follow-up reports (``plans.ReportDecision``) add the
    matter decided on, the body (each with its own related name) and their kinds."""

    meeting_date = models.DateField(_("meeting date"))
    paragraph = models.PositiveIntegerField(
        _("paragraph (§)"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    diary_number = models.CharField(_("diary number"), max_length=60, blank=True)
    text = models.TextField(_("decision text"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["meeting_date", "body__level", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "meeting_date", "paragraph"],
                condition=Q(paragraph__isnull=False),
                name="%(app_label)s_%(class)s_unique_paragraph",
                violation_error_message=_("This body already has a decision with this § at this meeting."),
            ),
            models.CheckConstraint(
                condition=Q(paragraph__isnull=True) | Q(paragraph__gte=1),
                name="%(app_label)s_%(class)s_paragraph_positive",
            ),
        ]

    def __str__(self):
        parts = [str(self.body.display_name), self.meeting_date.isoformat()]
        if self.paragraph:
            parts.append(f"§ {self.paragraph}")
        return " ".join(parts)

    def clean(self):
        super().clean()
        check_dates(self, "meeting_date")  # of the past, from 1990


class Decision(MinutedDecision):
    """A body's decision on an action plan, as minuted: meeting date, §, diary number."""

    class Kind(models.TextChoices):
        ADOPT = "adopt", _("Adopt")
        ENDORSE = "endorse", _("Endorse")
        PROPOSE = "propose", _("Propose to another body")
        REFER = "refer", _("Refer to another body")
        RETURN = "return", _("Refer back")
        REJECT = "reject", _("Reject")

    plan = models.ForeignKey(
        "plans.ActionPlan", verbose_name=_("action plan"), on_delete=models.CASCADE, related_name="decisions"
    )
    body = models.ForeignKey(Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(_("decision"), max_length=20, choices=Kind.choices)
    forwarded_to = models.ForeignKey(
        Body,
        verbose_name=_("proposed or referred to"),
        on_delete=models.PROTECT,
        related_name="forwarded_decisions",
        null=True,
        blank=True,
    )
    title = models.CharField(_("matter"), max_length=300, blank=True)
    background = models.TextField(_("background"), blank=True)
    recipients = models.TextField(
        _("sent to"), blank=True, help_text=_("One recipient per line, e.g. Akten, Kommunstyrelsen.")
    )

    history = HistoricalRecords()

    class Meta(MinutedDecision.Meta):
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            # A body decides once of each kind on a plan at a meeting: a repeated post is the same decision.
            models.UniqueConstraint(
                fields=["plan", "body", "meeting_date", "kind"],
                name="%(app_label)s_%(class)s_once_per_meeting",
                violation_error_message=_(
                    "This body already has a decision of that kind on the plan from this meeting."
                ),
            ),
            *MinutedDecision.Meta.constraints,
            models.CheckConstraint(
                condition=~Q(forwarded_to=models.F("body")),
                name="%(app_label)s_%(class)s_not_forwarded_to_itself",
                violation_error_message=_("A body cannot propose or refer a matter to itself."),
            ),
        ]

    def get_absolute_url(self):
        return self.plan.get_absolute_url()

    @property
    def recipient_list(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]
