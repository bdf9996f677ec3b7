from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ehalsa.dates import check_dates
from plans.models import YEAR_VALIDATORS, PlanContent, Versioned

from .sharing import apportion, split_amount

PERCENT_VALIDATORS = [MinValueValidator(0), MaxValueValidator(100)]


def key_for_year(keys, year: int) -> "CostSharingKey":
    """The key of that year, else the plan's key for all years, else the default 50/50 key."""
    keys = list(keys)
    for key in keys:
        if key.year == year:
            return key
    for key in keys:
        if key.year is None:
            return key
    return CostSharingKey()


class CostSharingKeyQuerySet(models.QuerySet):
    def key_for_year(self, year: int) -> "CostSharingKey":
        return key_for_year(self, year)


class CostSharingKey(Versioned, PlanContent):
    """How a plan's shared costs are divided: the region's and the municipalities' shares."""

    class MunicipalSplit(models.TextChoices):
        EQUAL = "equal", _("Equally")
        POPULATION = "population", _("By population")

    plan = models.ForeignKey(
        "plans.ActionPlan", verbose_name=_("action plan"), on_delete=models.CASCADE, related_name="cost_keys"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, validators=YEAR_VALIDATORS, help_text=_("Empty: every year of the plan.")
    )
    region_percent = models.DecimalField(
        _("region's share (%)"), max_digits=5, decimal_places=2, default=Decimal(50), validators=PERCENT_VALIDATORS
    )
    municipalities_percent = models.DecimalField(
        _("municipalities' share (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(50),
        validators=PERCENT_VALIDATORS,
    )
    municipal_split = models.CharField(
        _("split among municipalities"), max_length=20, choices=MunicipalSplit.choices, default=MunicipalSplit.EQUAL
    )
    population_date = models.DateField(
        _("population as of"), null=True, blank=True, help_text=_("Reference date of the populations used.")
    )

    history = HistoricalRecords()
    objects = CostSharingKeyQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "year"]
        verbose_name = _("cost-sharing key")
        verbose_name_plural = _("cost-sharing keys")
        constraints = [
            models.CheckConstraint(
                condition=Q(region_percent__gte=0, municipalities_percent__gte=0)
                & Q(region_percent__lte=100, municipalities_percent__lte=100),
                name="%(app_label)s_%(class)s_percent_range",
            ),
            models.CheckConstraint(
                condition=Q(region_percent=Decimal(100) - F("municipalities_percent")),
                name="%(app_label)s_%(class)s_adds_up_to_100",
                violation_error_message=_("The region's and the municipalities' shares must add up to 100 %%."),
            ),
            models.UniqueConstraint(fields=["plan", "year"], name="%(app_label)s_%(class)s_unique_year"),
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(year__isnull=True),
                name="%(app_label)s_%(class)s_unique_all_years",
                violation_error_message=_("The plan already has a key for all years."),
            ),
        ]

    def __str__(self):
        which = self.year or _("all years")
        return f"{self.region_percent:g}/{self.municipalities_percent:g} ({which})"

    def clean(self):
        super().clean()
        check_dates(self, "population_date")

    def split(self, amount: Decimal) -> tuple[Decimal, Decimal]:
        """(municipalities' part, region's part) of a shared amount; they add up to the amount."""
        return split_amount(amount, self.municipalities_percent)

    def municipal_shares(self, amount: Decimal, municipalities) -> list[tuple[object, Decimal]]:
        """Divide the municipalities' part between the municipalities, equally or by population."""
        municipalities = list(municipalities)
        if self.municipal_split == self.MunicipalSplit.POPULATION:
            missing = [m.name for m in municipalities if not m.population]
            if missing:
                raise ValidationError(_("Population is missing for: %(names)s."), params={"names": ", ".join(missing)})
            weights = [m.population for m in municipalities]
        else:
            weights = [1] * len(municipalities)
        return list(zip(municipalities, apportion(amount, weights), strict=True))


class BudgetEntryQuerySet(models.QuerySet):
    def budget_years(self, keys=None):
        """The yearly tables with balances rolled forward; see ``finance.budget``."""
        from .budget import compute_budget_years

        entries = list(self.order_by("year", "order", "pk"))
        if keys is None:
            plan_ids = {entry.plan_id for entry in entries}
            keys = CostSharingKey.objects.filter(plan_id__in=plan_ids)
        return compute_budget_years(entries, keys)


class BudgetEntry(Versioned, PlanContent):
    """One line of a plan's yearly budget: an opening balance, an income or a cost."""

    class Kind(models.TextChoices):
        OPENING_BALANCE = "opening_balance", _("Opening balance")
        INCOME = "income", _("Income")
        COST = "cost", _("Cost")

    class Category(models.TextChoices):
        STATE_GRANT = "state_grant", _("State stimulus grant")
        PRIZE = "prize", _("Prize")
        OTHER_INCOME = "other_income", _("Other income")
        ACTIVITIES = "activities", _("Activities")
        COORDINATOR = "coordinator", _("Coordinator, conferences and other")
        CONFERENCES = "conferences", _("Conferences")
        OTHER_COST = "other_cost", _("Other costs")

    class Attribution(models.TextChoices):
        SHARED = "shared", _("Shared by the key")
        MUNICIPALITIES = "municipalities", _("Municipalities only")
        REGION = "region", _("Region only")

    INCOME_CATEGORIES = {Category.STATE_GRANT, Category.PRIZE, Category.OTHER_INCOME}
    COST_CATEGORIES = {Category.ACTIVITIES, Category.COORDINATOR, Category.CONFERENCES, Category.OTHER_COST}

    plan = models.ForeignKey(
        "plans.ActionPlan", verbose_name=_("action plan"), on_delete=models.CASCADE, related_name="budget_entries"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    order = models.PositiveIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, blank=True)
    description = models.CharField(_("description"), max_length=200)
    is_estimate = models.BooleanField(_("estimated"), default=False, help_text=_("Estimated rather than actual."))
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("to"), null=True, blank=True)
    amount = models.DecimalField(_("amount (kr)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])
    attribution = models.CharField(
        _("attributed to"),
        max_length=20,
        choices=Attribution.choices,
        default=Attribution.SHARED,
        help_text=_("Opening balances always belong to the municipalities' fund."),
    )

    history = HistoricalRecords()
    objects = BudgetEntryQuerySet.as_manager()

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
            models.UniqueConstraint(
                fields=["plan", "year"],
                condition=Q(kind="opening_balance"),
                name="%(app_label)s_%(class)s_one_opening_balance",
                violation_error_message=_("A year has at most one opening balance."),
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
        if self.kind == self.Kind.OPENING_BALANCE and self.attribution != self.Attribution.MUNICIPALITIES:
            errors["attribution"] = _("An opening balance belongs to the municipalities' fund.")
        if self.plan_id and self.year:
            plan = self.plan
            if not plan.budget_first_year <= self.year <= plan.last_year:
                errors["year"] = _("The year must lie within %(first)s–%(last)s.") % {
                    "first": plan.budget_first_year,
                    "last": plan.last_year,
                }
            elif self.kind == self.Kind.OPENING_BALANCE and self.year != plan.budget_first_year:
                # Later years open with the previous year's closing balance, computed, never typed.
                errors["kind"] = _("Only the first budget year (%(year)s) has a typed opening balance.") % {
                    "year": plan.budget_first_year
                }
        if errors:
            raise ValidationError(errors)

    @property
    def is_cost(self) -> bool:
        return self.kind == self.Kind.COST
