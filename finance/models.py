from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ehalsa.dates import check_dates
from ehalsa.money import format_kronor
from governance.models import Organisation
from plans.models import YEAR_VALIDATORS, PlanContent, Versioned

from .sharing import apportion

PERCENT_VALIDATORS = [MinValueValidator(0), MaxValueValidator(100)]
HUNDRED = Decimal(100)
# Kinds of organisation that pay their share as members of a cooperation.
PAYING_KINDS = (Organisation.Kind.REGION, Organisation.Kind.MUNICIPALITY, Organisation.Kind.ASSOCIATION)


def percent_text(value) -> str:
    """A share as Swedish writes it, in the history and in lists: "12,5 %", "50 %" (no trailing zeros)."""
    return f"{number_format(Decimal(value).normalize())}\xa0%"


class FinancingParty(Versioned, PlanContent):
    """One who finances the plan: an organisation (a region, an association of local authorities, the
    state …), a party named in words, or the member municipalities together (split among them by the key).

    The budget has a column per party. A party "in the fund" books its income and its share of the
    costs in the cooperation's common fund, whose balance the budget rolls forward; a party outside the
    fund pays its share directly (seed 000: the municipalities' fund, the region paying alongside)."""

    plan = models.ForeignKey(
        "plans.ActionPlan", verbose_name=_("action plan"), on_delete=models.CASCADE, related_name="parties"
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    is_municipalities = models.BooleanField(
        _("the member municipalities together"),
        default=False,
        help_text=_("One column for the municipalities; their share is divided among them by the key."),
    )
    organisation = models.ForeignKey(
        "governance.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="financing_parties",
        null=True,
        blank=True,
    )
    name = models.CharField(
        _("name"),
        max_length=100,
        blank=True,
        help_text=_("Shown as the column's heading; empty: the organisation's name."),
    )
    municipalities = models.ManyToManyField(
        "governance.Organisation",
        verbose_name=_("municipalities"),
        related_name="financing_groups",
        blank=True,
        help_text=_("Empty: every member municipality of the cooperation."),
    )
    in_fund = models.BooleanField(
        _("books in the common fund"),
        default=True,
        help_text=_(
            "Its income and its share of the costs go through the fund whose balance the budget shows; "
            "otherwise it pays its share directly."
        ),
    )

    history = HistoricalRecords(m2m_fields=[municipalities])

    class Meta:
        ordering = ["plan", "order", "pk"]
        verbose_name = _("financing party")
        verbose_name_plural = _("financing parties")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "organisation"],
                name="%(app_label)s_%(class)s_unique_organisation",
                violation_error_message=_("The organisation is already a party of this plan."),
            ),
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(is_municipalities=True),
                name="%(app_label)s_%(class)s_one_municipalities",
                violation_error_message=_("The member municipalities are already a party of this plan."),
            ),
            models.CheckConstraint(
                condition=Q(is_municipalities=True, organisation__isnull=True)
                | Q(is_municipalities=False, organisation__isnull=False)
                | (Q(is_municipalities=False, organisation__isnull=True) & ~Q(name="")),
                name="%(app_label)s_%(class)s_is_someone",
                violation_error_message=_("Choose an organisation, the member municipalities, or name the party."),
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.name:
            return self.name
        if self.organisation_id:
            return self.organisation.short_name or self.organisation.name
        return str(_("Municipalities"))

    def clean(self):
        super().clean()
        if self.is_municipalities and self.organisation_id:
            raise ValidationError({"organisation": _("The member municipalities together are not one organisation.")})
        if not self.is_municipalities and not self.organisation_id and not self.name.strip():
            raise ValidationError(_("Choose an organisation, the member municipalities, or name the party."))
        if self.organisation_id and self.plan_id and self.outside_the_cooperation:
            raise ValidationError(
                {
                    "organisation": _("%(name)s is not a member of %(cooperation)s.")
                    % {"name": self.organisation.name, "cooperation": self.plan.cooperation.name}
                }
            )

    @property
    def outside_the_cooperation(self) -> bool:
        """A region, municipality or association that is not a member of the plan's cooperation (it
        cannot pay a share or contribute); a grant giver may be anyone."""
        organisation = self.organisation
        return (
            organisation is not None
            and organisation.kind in PAYING_KINDS
            and not self.plan.cooperation.members.filter(pk=organisation.pk).exists()
        )

    def member_municipalities(self, cooperation_municipalities):
        """The municipalities this party stands for, from the cooperation's member municipalities."""
        chosen = {m.pk for m in self.municipalities.all()}
        return [m for m in cooperation_municipalities if not chosen or m.pk in chosen]


def key_for_year(keys, year: int) -> "CostSharingKey | None":
    """The key in force in ``year``: the one from the latest year not after it (a key without a year
    holds from the start); None when no key holds."""
    in_force = [key for key in keys if key.from_year is None or key.from_year <= year]
    return max(in_force, key=lambda key: key.from_year or 0, default=None)


class CostSharingKey(Versioned, PlanContent):
    """How the parties share the costs from a given year on: a percentage per party (``KeyShare``,
    adding up to 100) and how the member municipalities divide theirs."""

    class MunicipalSplit(models.TextChoices):
        EQUAL = "equal", _("Equally")
        POPULATION = "population", _("By population")
        FIXED = "fixed", _("In proportion to fixed amounts")

    plan = models.ForeignKey(
        "plans.ActionPlan", verbose_name=_("action plan"), on_delete=models.CASCADE, related_name="cost_keys"
    )
    from_year = models.PositiveSmallIntegerField(
        _("from year"),
        null=True,
        blank=True,
        validators=YEAR_VALIDATORS,
        help_text=_("The key holds from this year until a later key; empty: from the plan's first year."),
    )
    municipal_split = models.CharField(
        _("split among municipalities"), max_length=20, choices=MunicipalSplit.choices, default=MunicipalSplit.EQUAL
    )
    population_date = models.DateField(
        _("population as of"), null=True, blank=True, help_text=_("Reference date of the populations used.")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "from_year"]
        verbose_name = _("cost-sharing key")
        verbose_name_plural = _("cost-sharing keys")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "from_year"],
                name="%(app_label)s_%(class)s_unique_from_year",
                violation_error_message=_("The plan already has a key from this year."),
            ),
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(from_year__isnull=True),
                name="%(app_label)s_%(class)s_unique_from_start",
                violation_error_message=_("The plan already has a key from its first year."),
            ),
        ]

    def __str__(self):
        shares = " / ".join(str(share) for share in self.shares.all())
        if self.from_year:
            return _("%(shares)s from %(year)s") % {"shares": shares, "year": self.from_year}
        return shares

    def clean(self):
        super().clean()
        check_dates(self, "population_date")

    @property
    def names_municipalities(self) -> bool:
        """Whether the member municipalities together have a share (then their split matters)."""
        return any(share.party.is_municipalities for share in self.shares.all())

    def municipal_shares(self, amount: Decimal, municipalities) -> list[tuple[object, Decimal]]:
        """Divide the municipalities' part between the municipalities, equally, by population or
        in proportion to fixed amounts."""
        fixed = {row.organisation_id: row.amount for row in self.municipal_amounts.all()} if self.pk else {}
        return municipal_split(self.municipal_split, amount, municipalities, fixed)


def municipal_split(split: str, amount: Decimal, municipalities, fixed=None) -> list[tuple[object, Decimal]]:
    """Each municipality's part of ``amount``; the parts add up to it. ``fixed``: the amounts by
    municipality id of a split in proportion to fixed amounts (each pays its amount when ``amount``
    is their sum)."""
    municipalities = list(municipalities)
    if split == CostSharingKey.MunicipalSplit.FIXED:
        weights = [(fixed or {}).get(m.pk, Decimal(0)) for m in municipalities]
        if not any(weights):
            raise ValidationError(_("The key divides by fixed amounts, but no municipality has an amount."))
    elif split == CostSharingKey.MunicipalSplit.POPULATION:
        missing = [m.name for m in municipalities if not m.population]
        if missing:
            raise ValidationError(_("Population is missing for: %(names)s."), params={"names": ", ".join(missing)})
        weights = [m.population for m in municipalities]
    else:
        weights = [1] * len(municipalities)
    return list(zip(municipalities, apportion(amount, weights), strict=True))


class KeyShare(PlanContent):
    """One party's percentage in a cost-sharing key."""

    key = models.ForeignKey(CostSharingKey, verbose_name=_("key"), on_delete=models.CASCADE, related_name="shares")
    party = models.ForeignKey(
        FinancingParty, verbose_name=_("party"), on_delete=models.RESTRICT, related_name="key_shares"
    )
    percent = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2, validators=PERCENT_VALIDATORS)

    history = HistoricalRecords()

    class Meta:
        ordering = ["key", "party__order", "party_id"]
        verbose_name = _("share of a key")
        verbose_name_plural = _("shares of a key")
        constraints = [
            models.UniqueConstraint(fields=["key", "party"], name="%(app_label)s_%(class)s_unique_party"),
            models.CheckConstraint(
                condition=Q(percent__gte=0, percent__lte=100), name="%(app_label)s_%(class)s_percent_range"
            ),
        ]

    def __str__(self):
        return f"{self.party} {percent_text(self.percent)}"

    def owning_plan(self):
        return self.key.plan


class MunicipalAmount(PlanContent):
    """A municipality's fixed amount in a key that divides the municipalities' share by fixed amounts."""

    key = models.ForeignKey(
        CostSharingKey, verbose_name=_("key"), on_delete=models.CASCADE, related_name="municipal_amounts"
    )
    organisation = models.ForeignKey(
        "governance.Organisation", verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(_("amount (kr)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])

    history = HistoricalRecords()

    class Meta:
        ordering = ["key", "organisation__name"]
        verbose_name = _("fixed amount of a municipality")
        verbose_name_plural = _("fixed amounts of municipalities")
        constraints = [
            models.UniqueConstraint(fields=["key", "organisation"], name="%(app_label)s_%(class)s_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="%(app_label)s_%(class)s_not_negative"),
        ]

    def __str__(self):
        return f"{self.organisation} {format_kronor(self.amount)}"

    def owning_plan(self):
        return self.key.plan


class BudgetHeading(Versioned, PlanContent):
    """A heading of the budget ("Organisation", "Samordning"): its lines and their subtotal."""

    plan = models.ForeignKey(
        "plans.ActionPlan", verbose_name=_("action plan"), on_delete=models.CASCADE, related_name="budget_headings"
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    title = models.CharField(_("heading"), max_length=100)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order", "pk"]
        verbose_name = _("budget heading")
        verbose_name_plural = _("budget headings")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "title"],
                name="%(app_label)s_%(class)s_unique_title",
                violation_error_message=_("The budget already has a heading with this name."),
            )
        ]

    def __str__(self):
        return self.title


class BudgetEntry(Versioned, PlanContent):
    """One line of a plan's budget: the opening balance, an income or a cost, in one year, every year
    of a span, or spread evenly over a span; booked to one party or shared by the key."""

    class Kind(models.TextChoices):
        OPENING_BALANCE = "opening_balance", _("Opening balance")
        INCOME = "income", _("Income")
        COST = "cost", _("Cost")

    class Category(models.TextChoices):
        OWN_CONTRIBUTION = "own_contribution", _("Own contribution")
        CO_FINANCING = "co_financing", _("Co-financing")
        STATE_GRANT = "state_grant", _("State grant or stimulus funds")
        PRIZE = "prize", _("Prize")
        OTHER_INCOME = "other_income", _("Other income")
        ACTIVITIES = "activities", _("Activities")
        COORDINATOR = "coordinator", _("Coordinator, conferences and other")
        CONFERENCES = "conferences", _("Conferences")
        OTHER_COST = "other_cost", _("Other costs")

    class Repeat(models.TextChoices):
        ONCE = "once", _("In one year")
        EVERY_YEAR = "every_year", _("The amount every year")
        SPREAD = "spread", _("The amount spread evenly over the years")

    INCOME_CATEGORIES = {
        Category.OWN_CONTRIBUTION,
        Category.CO_FINANCING,
        Category.STATE_GRANT,
        Category.PRIZE,
        Category.OTHER_INCOME,
    }
    # The parties' own money; every other income comes from outside and lowers what they pay.
    OWN_MONEY = {Category.OWN_CONTRIBUTION, Category.CO_FINANCING}
    COST_CATEGORIES = {Category.ACTIVITIES, Category.COORDINATOR, Category.CONFERENCES, Category.OTHER_COST}

    plan = models.ForeignKey(
        "plans.ActionPlan", verbose_name=_("action plan"), on_delete=models.CASCADE, related_name="budget_entries"
    )
    heading = models.ForeignKey(
        BudgetHeading,
        verbose_name=_("heading"),
        on_delete=models.RESTRICT,
        related_name="entries",
        null=True,
        blank=True,
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    repeat = models.CharField(_("over the years"), max_length=20, choices=Repeat.choices, default=Repeat.ONCE)
    last_year = models.PositiveSmallIntegerField(
        _("until"),
        null=True,
        blank=True,
        validators=YEAR_VALIDATORS,
        help_text=_("For every year or spread: the last year; empty: the plan's last year."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, blank=True)
    description = models.CharField(_("description"), max_length=200)
    is_estimate = models.BooleanField(_("estimated"), default=False, help_text=_("Estimated rather than actual."))
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("to"), null=True, blank=True)
    amount = models.DecimalField(_("amount (kr)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])
    party = models.ForeignKey(
        FinancingParty,
        verbose_name=_("party"),
        on_delete=models.RESTRICT,
        related_name="budget_entries",
        null=True,
        blank=True,
        help_text=_("Whose column the line is booked in; empty: shared by the key."),
    )
    co_financing_percent = models.DecimalField(
        _("co-financing required (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT_VALIDATORS,
        help_text=_("For a grant: the co-financing it requires, in per cent of the grant."),
    )
    outcome = models.DecimalField(
        _("outcome (kr)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("What it came to, once the year is over."),
    )
    reason = models.CharField(
        _("reason"),
        max_length=300,
        blank=True,
        help_text=_("Why an opening balance differs from the previous plan's closing balance."),
    )
    activities = models.ManyToManyField(
        "activities.Activity",
        verbose_name=_("activities"),
        related_name="budget_entries",
        blank=True,
        help_text=_("The activities the line pays for."),
    )

    history = HistoricalRecords(m2m_fields=[activities])

    class Meta:
        ordering = ["plan", "year", "order", "pk"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="%(app_label)s_%(class)s_amount_not_negative",
                violation_error_message=_("Enter the amount without a minus sign; the kind says whether it is a cost."),
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="%(app_label)s_%(class)s_date_order",
                violation_error_message=_("The date range cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(last_year__isnull=True) | Q(last_year__gte=F("year")),
                name="%(app_label)s_%(class)s_year_order",
                violation_error_message=_("The last year cannot come before the first."),
            ),
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(kind="opening_balance"),
                name="%(app_label)s_%(class)s_one_opening_balance",
                violation_error_message=_("The budget has one opening balance."),
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.description}"

    def clean(self):
        super().clean()
        errors = {}
        for field in ("start_date", "end_date"):
            value = getattr(self, field)
            if value and self.year and value.year != self.year:
                errors[field] = _("The date must lie within the line's year.")
        if self.category in self.INCOME_CATEGORIES and self.kind != self.Kind.INCOME:
            errors["category"] = _("This category is for income lines.")
        if self.category in self.COST_CATEGORIES and self.kind != self.Kind.COST:
            errors["category"] = _("This category is for cost lines.")
        if self.kind == self.Kind.OPENING_BALANCE:
            if self.party_id:
                errors["party"] = _("An opening balance is the common fund's, not one party's.")
            if self.repeat != self.Repeat.ONCE:
                errors["repeat"] = _("An opening balance is for one year.")
        if self.category in self.OWN_MONEY:
            if self.party_id is None:
                errors["party"] = _("Say which party contributes.")
            elif self.party.outside_the_cooperation:
                errors["party"] = _("A contribution comes from a member of the cooperation.")
        if self.co_financing_percent is not None and self.category != self.Category.STATE_GRANT:
            errors["co_financing_percent"] = _("Only a grant can require co-financing.")
        if self.repeat != self.Repeat.ONCE and self.outcome is not None:
            errors["outcome"] = _("Enter the outcome on a line of one year.")
        if self.repeat == self.Repeat.ONCE and self.last_year not in (None, self.year):
            errors["last_year"] = _("A line of one year has no last year; choose every year or spread.")
        if self.plan_id and self.year:
            errors.update(self.clean_years())
        if errors:
            raise ValidationError(errors)

    def clean_years(self) -> dict:
        plan = self.plan
        first, last = plan.budget_first_year, plan.last_year
        out_of_range = _("The year must lie within %(first)s–%(last)s.") % {"first": first, "last": last}
        errors = {}
        if not first <= self.year <= last:
            errors["year"] = out_of_range
        if self.last_year and not first <= self.last_year <= last:
            errors["last_year"] = out_of_range
        if self.kind == self.Kind.OPENING_BALANCE:
            earlier = plan.budget_entries.filter(year__lt=self.year).exclude(pk=self.pk)
            if earlier.exists():
                errors["year"] = _("The opening balance is in the budget's first year; it has lines in %(year)s.") % {
                    "year": earlier.order_by("year").first().year
                }
        return errors

    @property
    def is_cost(self) -> bool:
        return self.kind == self.Kind.COST

    @property
    def is_outside_income(self) -> bool:
        """Income from outside the parties (grants, prizes …): it lowers what the parties pay."""
        return self.kind == self.Kind.INCOME and self.category not in self.OWN_MONEY

    def amounts_by_year(self, plan_last_year: int) -> list[tuple[int, Decimal]]:
        """The line's amount in each of its years; spread amounts add up to the line's amount exactly."""
        if self.repeat == self.Repeat.ONCE:
            return [(self.year, self.amount)]
        last = self.last_year or plan_last_year
        years = list(range(self.year, max(last, self.year) + 1))
        if self.repeat == self.Repeat.EVERY_YEAR:
            return [(year, self.amount) for year in years]
        return list(zip(years, apportion(self.amount, [1] * len(years)), strict=True))


class BudgetOutcome(Versioned):
    """What a budget line came to in one of its years ("utfall"), recorded after the plan's adoption.

    Follow-up, not plan content: the adopted budget stays as adopted, and the outcome is shown
    beside it (the budget page, the plan's overview, the yearly follow-up). An outcome written into
    the plan itself (``BudgetEntry.outcome``, a plan entered after the fact) stands until one is
    recorded here."""

    entry = models.ForeignKey(
        BudgetEntry, verbose_name=_("budget line"), on_delete=models.CASCADE, related_name="outcomes"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    amount = models.DecimalField(_("outcome (kr)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])
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
        ordering = ["entry", "year"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "year"],
                name="%(app_label)s_%(class)s_once_per_year",
                violation_error_message=_("This line already has an outcome for that year; edit it instead."),
            )
        ]

    def __str__(self):
        return f"{self.entry} {self.year}"

    def clean(self):
        super().clean()
        try:
            entry = self.entry
        except ObjectDoesNotExist:
            return
        plan = entry.plan
        if not plan.is_public:
            raise ValidationError(_("Outcomes are recorded once the plan is adopted; in a draft, edit the line."))
        if entry.kind == BudgetEntry.Kind.OPENING_BALANCE:
            raise ValidationError(_("An opening balance has no outcome; it is the previous year's closing balance."))
        years = [year for year, _amount in entry.amounts_by_year(plan.last_year)]
        if self.year not in years:
            raise ValidationError(_("The line has no amount in %(year)s.") % {"year": self.year})
        if self.year > timezone.localdate().year:
            raise ValidationError(
                _("The year %(year)s has not begun; record its outcome when it has.") % {"year": self.year}
            )
