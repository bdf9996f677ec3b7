"""Plain helpers that make test objects; no factory library."""

from decimal import Decimal

from django.contrib.auth import get_user_model

from activities.models import Activity
from finance.models import BudgetEntry
from governance.models import Cooperation, Membership, Organisation
from plans.adoption import plan_freeze
from plans.models import ActionPlan

PASSWORD = "ett-bra-testlosenord"


def make_user(username, role=None, organisation_name=None):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    if role:
        Membership.objects.create(user=user, organisation=Organisation.objects.get(name=organisation_name), role=role)
    return user


def make_plan(
    cooperation=None, *, title="Testplan", first_year=2026, last_year=2027, status=ActionPlan.Status.DRAFT, **kwargs
):
    cooperation = cooperation or Cooperation.objects.get(short_name="Östergötland")
    return ActionPlan.objects.create(
        cooperation=cooperation, title=title, first_year=first_year, last_year=last_year, status=status, **kwargs
    )


def make_activity(plan, *, number="1", title="Testinsats", **kwargs):
    return Activity.objects.create(plan=plan, number=number, title=title, **kwargs)


def make_budget_entry(plan, *, year, kind=BudgetEntry.Kind.COST, amount="1000", **kwargs):
    kwargs.setdefault("description", f"{kind} {year}")
    return BudgetEntry.objects.create(plan=plan, year=year, kind=kind, amount=Decimal(amount), **kwargs)


def as_draft(plan):
    """The plan back as a draft (as a refer-back decision makes it), so its content may change."""
    ActionPlan.objects.filter(pk=plan.pk).update(status=ActionPlan.Status.DRAFT)
    plan.refresh_from_db()
    return plan


def publish(plan, status=ActionPlan.Status.ADOPTED):
    """The plan given ``status``. A plan adopted before is adopted again as the product does it: a
    new version frozen from its rows (its page and PDF show the version)."""
    latest = plan.versions.order_by("-number").first()
    if status == ActionPlan.Status.ADOPTED and latest is not None:
        plan_freeze(plan=plan, decision=latest.decision, store_pdf=False)
        return plan
    plan.status = status
    plan.save()
    return plan
