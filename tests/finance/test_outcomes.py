"""Outcomes (utfall) recorded after adoption: beside the adopted budget, never inside it."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from finance.budget import plan_budget
from finance.models import BudgetEntry, BudgetOutcome
from tests.helpers import as_draft, make_plan, publish

pytestmark = pytest.mark.django_db


def cost_line(plan):
    return plan.budget_entries.filter(kind=BudgetEntry.Kind.COST).order_by("year", "order", "pk").first()


def outcome_url(entry, year):
    return reverse("finance:budgetoutcome", args=[entry.pk, year])


def record(client, entry, year, amount, comment=""):
    """Open the form and save it, as a browser does."""
    form = client.get(outcome_url(entry, year)).context["form"]
    data = {"amount": amount, "comment": comment}
    # As a browser posts the hidden fields: an empty version for a new outcome.
    data |= {name: form[name].value() or "" for name in ("version", "submission") if name in form.fields}
    return client.post(outcome_url(entry, year), data)


def test_the_coordinator_records_a_line_s_outcome_and_the_budget_page_shows_it(client, plan_2016, coordinator):
    entry = cost_line(plan_2016)
    client.force_login(coordinator)
    response = record(client, entry, entry.year, "1 001 234,50", comment="Lägre personalkostnad")
    assert response.status_code == 302 and response["Location"].endswith(f"#budget-{entry.year}")
    outcome = BudgetOutcome.objects.get(entry=entry, year=entry.year)
    assert outcome.amount == Decimal("1001234.50") and outcome.recorded_by == coordinator
    page = client.get(reverse("finance:budget", args=[plan_2016.pk])).content.decode()
    assert "−1\xa0001\xa0234,50" in page or "−1\xa0001\xa0235" in page
    assert "Ändra utfall" in page


def test_the_adopted_plan_page_keeps_the_budget_as_adopted(client, plan_2016, coordinator):
    entry = cost_line(plan_2016)
    client.get(plan_2016.get_absolute_url())  # the adopted body is rendered and kept
    BudgetOutcome.objects.create(entry=entry, year=entry.year, amount=Decimal("123457"))
    page = client.get(plan_2016.get_absolute_url()).content.decode()
    overview, _, document = page.partition('<section class="progress-overview"')[2].partition("</section>")
    assert "123\xa0457" in overview  # the progress, read live beside the document
    assert "123\xa0457" not in document  # the adopted budget, as adopted
    line = next(line for year in plan_budget(plan_2016) for line in year.lines if line.entry == entry)
    assert line.outcome == Decimal("123457")


def test_correcting_an_outcome_changes_the_one_row_and_keeps_the_earlier_value_in_the_history(
    client, plan_2016, coordinator
):
    entry = cost_line(plan_2016)
    client.force_login(coordinator)
    record(client, entry, entry.year, "500 000")
    record(client, entry, entry.year, "510 000")
    (outcome,) = BudgetOutcome.objects.filter(entry=entry)
    assert outcome.amount == Decimal("510000")
    assert [h.amount for h in outcome.history.order_by("history_date")] == [Decimal("500000"), Decimal("510000")]


def test_an_outcome_saved_meanwhile_by_someone_else_is_not_overwritten(client, plan_2016, coordinator):
    entry = cost_line(plan_2016)
    client.force_login(coordinator)
    record(client, entry, entry.year, "500 000")
    page = client.get(outcome_url(entry, entry.year))
    version = page.context["form"]["version"].value()
    outcome = BudgetOutcome.objects.get(entry=entry)
    outcome.amount, outcome.version = Decimal("600000"), outcome.version + 1
    outcome.save()
    response = client.post(outcome_url(entry, entry.year), {"amount": "700 000", "comment": "", "version": version})
    assert response.status_code == 200 and "Någon annan" in response.content.decode()
    assert BudgetOutcome.objects.get(entry=entry).amount == Decimal("600000")


def test_the_same_form_posted_twice_records_one_outcome(client, plan_2016, coordinator):
    entry = cost_line(plan_2016)
    client.force_login(coordinator)
    form = client.get(outcome_url(entry, entry.year)).context["form"]
    data = {"amount": "500 000", "comment": "", "version": "", "submission": form["submission"].value()}
    client.post(outcome_url(entry, entry.year), data)
    response = client.post(outcome_url(entry, entry.year), data, follow=True)
    assert BudgetOutcome.objects.filter(entry=entry).count() == 1
    assert "sparades en gång" in response.content.decode()


def test_a_year_that_has_not_begun_is_refused_in_swedish(client, ostergotland, coordinator):
    next_year = timezone.localdate().year + 1
    plan = make_plan(ostergotland, first_year=next_year - 1, last_year=next_year)
    entry = BudgetEntry.objects.create(
        plan=plan, year=next_year, kind="cost", description="Licenser", amount=Decimal(1000)
    )
    publish(plan)
    client.force_login(coordinator)
    response = record(client, entry, next_year, "1 000")
    assert response.status_code == 200
    assert f"År {next_year} har inte börjat" in response.content.decode()
    assert not BudgetOutcome.objects.exists()


def test_a_year_the_line_has_no_amount_in_has_no_outcome_page(client, plan_2016, coordinator):
    entry = cost_line(plan_2016)
    client.force_login(coordinator)
    assert client.get(outcome_url(entry, 2001)).status_code == 404
    assert client.post(outcome_url(entry, 2001), {"amount": "1 000", "comment": ""}).status_code == 404
    assert not BudgetOutcome.objects.exists()
    with pytest.raises(ValidationError, match="Raden har inget belopp 2001"):  # the model says so too
        BudgetOutcome(entry=entry, year=2001, amount=Decimal(1000)).full_clean()


def test_a_draft_s_outcome_is_written_on_the_line_not_recorded_beside_it(client, plan_2016, coordinator):
    as_draft(plan_2016)
    entry = cost_line(plan_2016)
    client.force_login(coordinator)
    response = record(client, entry, entry.year, "1 000")
    assert "när planen har antagits" in response.content.decode()
    assert not BudgetOutcome.objects.exists()


def test_only_the_coordinator_records_outcomes(client, plan_2016, official, viewer):
    entry = cost_line(plan_2016)
    url = outcome_url(entry, entry.year)
    assert client.get(url).status_code == 302  # to the sign-in page
    for user in (official, viewer):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"amount": "1"}).status_code == 403
    assert "Registrera utfall" not in client.get(reverse("finance:budget", args=[plan_2016.pk])).content.decode()
    assert not BudgetOutcome.objects.exists()


def test_the_coordinator_sees_where_to_record_outcomes_on_an_adopted_plan(client, plan_2016, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("finance:budget", args=[plan_2016.pk])).content.decode()
    assert "Registrera utfall" in page
