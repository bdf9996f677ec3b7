"""Plain helpers that make test objects; no factory library."""

import codecs
import csv
import io
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.test import TestCase
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from activities.models import Activity
from finance.models import BudgetEntry
from governance.models import Cooperation, Membership, Organisation
from plans.adoption import plan_freeze
from plans.models import ActionPlan

PASSWORD = "ett-bra-testlosenord"


def csv_rows(content: bytes) -> list[list[str]]:
    """The rows of a CSV download as Swedish Excel reads them: UTF-8 after a byte order mark, the
    cells separated by semicolons."""
    assert content.startswith(codecs.BOM_UTF8), content[:20]
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


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


def work_off_the_queue() -> int:
    """Run the queued tasks that are due, in this process, as ``manage.py db_worker`` would (the same
    worker code, without the process); the number run. Inside the test's transaction, so rolled back."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="tests",
        excluded_queue_names=[],
    )
    ran = 0
    while (result := DBTaskResult.objects.ready().first()) is not None:
        # A task queues its retries on commit, which in a worker comes at once; here, at the end.
        with TestCase.captureOnCommitCallbacks(execute=True):
            result.claim(worker.worker_id)
            worker.run_task(result)
        ran += 1
    return ran


def files_in(directory) -> list[str]:
    """The files below ``directory`` (e.g. the test's media), as paths relative to it."""
    return sorted(str(path.relative_to(directory)) for path in directory.rglob("*") if path.is_file())


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
