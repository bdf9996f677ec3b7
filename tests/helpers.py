"""Plain helpers that make test objects; no factory library."""

from decimal import Decimal
from urllib.parse import urlencode

from django.contrib.auth import get_user_model

from activities.models import Activity
from finance.models import BudgetEntry
from governance.models import Cooperation, Membership, Organisation
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
    plan.status = status
    plan.save()
    return plan


class Browser:
    """A reader's browser over the test client: it keeps each page with its ETag, asks again with
    ``If-None-Match`` and shows its kept copy when told ``304 Not Modified``. Tests read pages
    through it, so a validator that failed to change would show as the stale page a reader sees."""

    def __init__(self, client):
        self.client = client
        self.kept: dict[str, tuple[str, str]] = {}
        self.not_modified = 0

    def get(self, url, params=None) -> str:
        key = f"{url}?{urlencode(params or {}, doseq=True)}"
        headers = {"If-None-Match": self.kept[key][0]} if key in self.kept else {}
        response = self.client.get(url, params or {}, headers=headers)
        if response.status_code == 304:
            self.not_modified += 1
            return self.kept[key][1]
        assert response.status_code == 200, (url, response.status_code)
        page = response.content.decode()
        if response.has_header("ETag"):
            self.kept[key] = (response["ETag"], page)
        return page
