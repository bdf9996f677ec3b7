import re
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history import register
from simple_history.models import HistoricalRecords

from ehalsa.dates import check_dates

from .counties import CODE_OF_COUNTY, COUNTIES


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
        _("SCB code"),
        max_length=4,
        blank=True,
        help_text=_("SCB's code: four digits for a municipality (e.g. 0586), two for a region (its county's: 05)."),
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
                violation_error_message=_("Another organisation already has this SCB code."),
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
        self.check_code()

    def check_code(self) -> None:
        """SCB's code fits the kind: four digits for a municipality, beginning with its county's two;
        a region's is its county's two digits; other organisations have none."""
        code = self.municipality_code
        if not code:
            return
        if self.kind == self.Kind.MUNICIPALITY and not re.fullmatch(r"\d{4}", code):
            raise ValidationError({"municipality_code": _("A municipality code is four digits, e.g. 0586.")})
        if self.kind == self.Kind.REGION and not re.fullmatch(r"\d{2}", code):
            raise ValidationError({"municipality_code": _("A region's SCB code is its county's two digits, e.g. 05.")})
        if self.kind not in (self.Kind.MUNICIPALITY, self.Kind.REGION):
            raise ValidationError({"municipality_code": _("Only municipalities and regions have an SCB code.")})
        county = COUNTIES.get(code[:2])
        if county is None:
            raise ValidationError({"municipality_code": _("No county has the code %(code)s.") % {"code": code[:2]}})
        if self.county and CODE_OF_COUNTY.get(self.county, code[:2]) != code[:2]:
            raise ValidationError(
                {
                    "municipality_code": _("The code %(code)s belongs to %(county)s, not to %(chosen)s.")
                    % {"code": code, "county": county, "chosen": self.county}
                }
            )

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
    version = models.PositiveIntegerField(_("version"), default=1)

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

    def organisations(self):
        """The organisations that take part: the members and the lead organisation."""
        return Organisation.objects.filter(Q(cooperations=self) | Q(led_cooperations=self)).distinct()


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
    version = models.PositiveIntegerField(_("version"), default=1)

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

    def clean(self):
        super().clean()
        if self.reports_to_id is None:
            return
        above, seen = self.reports_to, set()
        while above is not None and above.pk not in seen:
            if above.pk == self.pk or above is self:
                raise ValidationError({"reports_to": _("A body cannot report to itself, directly or through others.")})
            seen.add(above.pk)
            above = above.reports_to


class Membership(models.Model):
    """A user's role in an organisation; permissions follow from it."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("E-health coordinator")
        OFFICIAL = "official", _("Official")
        SECRETARY = "secretary", _("Committee secretary")
        VIEWER = "viewer", _("Viewer")
        # Administers the cooperations its organisation leads (governance.access).
        ADMINISTRATOR = "administrator", _("Administrator")

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


class InvitationQuerySet(models.QuerySet):
    def open(self):
        """Neither accepted nor withdrawn (expired ones included: they can be sent again)."""
        return self.filter(accepted_at__isnull=True, withdrawn_at__isnull=True)

    def pending(self):
        """Open and not expired: the link in its e-mail works."""
        return self.open().filter(expires_at__gt=timezone.now())


class Invitation(models.Model):
    """An e-mail invitation to become a user with a role in an organisation; its link works once, for 7 days.

    Only a hash of the link's token is kept: the token itself is made when the e-mail is sent and
    lives only in it (``governance.invitations``)."""

    VALID_FOR = timedelta(days=7)

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        EXPIRED = "expired", _("Expired")
        ACCEPTED = "accepted", _("Accepted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("cooperation"), on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.CharField(_("role"), max_length=20, choices=Membership.Role.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    sent_at = models.DateTimeField(_("e-mail sent"), null=True, blank=True)
    send_problem = models.CharField(_("sending failed"), max_length=300, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user made"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    token_hash = models.CharField(_("token hash"), max_length=64, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["token_hash"])
    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["email", "organisation"],
                condition=Q(accepted_at__isnull=True, withdrawn_at__isnull=True),
                name="%(app_label)s_%(class)s_one_open_per_address",
                violation_error_message=_("This address already has an open invitation to this organisation."),
            ),
            models.UniqueConstraint(
                fields=["token_hash"], condition=~Q(token_hash=""), name="%(app_label)s_%(class)s_unique_token"
            ),
        ]

    def __str__(self):
        return f"{self.email} – {self.get_role_display()}, {self.organisation}"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return self.Status.ACCEPTED
        if self.withdrawn_at:
            return self.Status.WITHDRAWN
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    def get_status_display(self) -> str:
        return self.Status(self.status).label

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.EXPIRED)


class UserHistory(HistoricalRecords):
    """Users' changes (name, address, active, staff), without sign-ins: Django saves ``last_login``
    alone at each one, and that is no change anybody made."""

    def post_save(self, instance, created, using=None, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields and set(update_fields) <= {"last_login"}:
            return
        super().post_save(instance, created, using=using, **kwargs)


register(
    get_user_model(),
    app="governance",
    records_class=UserHistory,
    excluded_fields=["password", "last_login"],
)
