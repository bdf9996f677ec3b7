"""The invented cooperation in the demo data (fixtures/demo/pahittad_vast.json): budgets of other
shapes than seed 000's, reckoned by hand here and checked where users read them.

- A two-party plan: VästKom and Västra Götalandsregionen share the costs 50/50, each pays a fixed
  yearly contribution into the common fund, and the fund's balance rolls forward.
- A grant plan: a state grant spread over three years that requires co-financing of 50 % of the
  grant, the municipalities' co-financing through VästKom, costs under two headings.
"""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from finance.budget import financing, plan_budget
from finance.models import BudgetEntry
from governance.models import Body
from plans import pdf as plan_pdfs
from plans.models import ActionPlan

pytestmark = pytest.mark.django_db

NBSP = "\xa0"


def kr(amount: int) -> str:
    """As the pages write kronor: ``1 200 000 kr`` with no-break spaces."""
    return f"{amount:,}".replace(",", NBSP) + f"{NBSP}kr"


@pytest.fixture
def two_party_plan(db):
    return ActionPlan.objects.get(title="Gemensam handlingsplan för ehälsa 2024–2026")


@pytest.fixture
def grant_plan(db):
    return ActionPlan.objects.get(title="Projektplan välfärdsteknik i hemtjänsten 2025–2027")


def test_the_invented_cooperation_has_real_members_and_its_bodies(two_party_plan, grant_plan):
    cooperation = two_party_plan.cooperation
    assert grant_plan.cooperation == cooperation
    assert "Påhittad" in cooperation.name and "påhittad" in cooperation.description
    members = set(cooperation.members.values_list("name", flat=True))
    assert {"VästKom", "Västra Götalandsregionen", "Göteborgs kommun", "Åmåls kommun"} <= members
    assert len(members) == 2 + 49
    assert list(cooperation.bodies.order_by("level").values_list("level", flat=True)) == [
        Body.Level.POLITICAL,
        Body.Level.STRATEGIC,
        Body.Level.OPERATIVE_MANAGEMENT,
        Body.Level.OPERATIVE_EXECUTION,
    ]
    assert two_party_plan.status == grant_plan.status == ActionPlan.Status.ADOPTED


# --- The two-party plan ----------------------------------------------------------------------------


def test_the_two_party_plan_has_only_the_contributions_and_costs(two_party_plan):
    parties = list(two_party_plan.parties.select_related("organisation"))
    assert [(p.organisation.name, p.in_fund) for p in parties] == [
        ("VästKom", True),
        ("Västra Götalandsregionen", True),
    ]
    (key,) = two_party_plan.cost_keys.all()
    assert sorted((s.party.organisation.name, s.percent) for s in key.shares.all()) == [
        ("VästKom", Decimal(50)),
        ("Västra Götalandsregionen", Decimal(50)),
    ]
    for entry in two_party_plan.budget_entries.all():
        if entry.kind == BudgetEntry.Kind.INCOME:
            assert entry.category == BudgetEntry.Category.OWN_CONTRIBUTION, entry
            assert entry.party in parties and entry.repeat == BudgetEntry.Repeat.EVERY_YEAR, entry
            assert (entry.year, entry.amount, entry.last_year) == (2024, Decimal(300_000), None), entry
        else:
            assert entry.kind == BudgetEntry.Kind.COST, entry
            assert entry.party is None, entry  # shared by the key


def test_the_two_party_plan_closes_each_year_at_the_balance_reckoned_by_hand(client, two_party_plan):
    # Each year: 2 x 300 000 kr in; the coordinator 360 000 kr and the meetings 60 000 kr every year,
    # and one activity a year: 80 000, 120 000, 150 000 kr. No opening balance: the fund starts empty.
    closing_2024 = 0 + 600_000 - (360_000 + 60_000 + 80_000)  # 100 000
    closing_2025 = closing_2024 + 600_000 - (360_000 + 60_000 + 120_000)  # 160 000
    closing_2026 = closing_2025 + 600_000 - (360_000 + 60_000 + 150_000)  # 190 000
    years = plan_budget(two_party_plan)
    assert [(y.year, y.opening_balance, y.closing_balance) for y in years] == [
        (2024, 0, closing_2024),
        (2025, closing_2024, closing_2025),
        (2026, closing_2025, closing_2026),
    ]
    page = client.get(reverse("finance:budget", args=[two_party_plan.pk])).content.decode()
    assert f"190{NBSP}000" in page


def test_each_party_pays_its_contribution_and_carries_half_of_the_net_cost(two_party_plan):
    costs = {2024: 500_000, 2025: 540_000, 2026: 570_000}
    for year in plan_budget(two_party_plan):
        vastkom, region = year.columns
        assert year.income_of(vastkom) == year.income_of(region) == 300_000
        assert year.outside_income_total == 0
        assert year.net_cost == costs[year.year]
        assert year.net_share(vastkom) == year.net_share(region) == costs[year.year] / 2


# --- The grant plan ----------------------------------------------------------------------------------


def test_grant_and_co_financing_pay_the_costs_exactly_and_meet_the_requirement(grant_plan):
    years = plan_budget(grant_plan)
    assert [y.year for y in years] == [2025, 2026, 2027]
    for year in years:
        sources = year.income_by_source()
        assert sources == {"state_grant": 800_000, "co_financing": 400_000}  # 2 400 000 kr spread over 3 years
        assert year.income_total == year.costs_total == 1_200_000
        assert year.closing_balance == 0
        (vastkom,) = year.columns
        assert year.net_share(vastkom) == year.net_cost == 400_000  # what the municipalities pay themselves
    money = financing(years)
    assert money.totals["income"] == money.totals["costs"] == 3_600_000
    assert money.totals["difference"] == 0
    assert (money.co_financing.required, money.co_financing.budgeted) == (1_200_000, 1_200_000)  # 50 % of the grant
    assert money.co_financing.is_met


def test_the_grant_plans_costs_fall_under_two_headings(grant_plan):
    assert list(grant_plan.budget_headings.values_list("title", flat=True)) == ["Organisation", "Samordning"]
    # Organisation: project manager 720 000 + administration 60 000 every year.
    # Samordning: meetings 60 000 every year; 180 000 + 180 000, 160 000 + 200 000, 240 000 + 120 000.
    for year in plan_budget(grant_plan):
        assert [(g.heading.title, g.total) for g in year.groups(year.cost_lines)] == [
            ("Organisation", 780_000),
            ("Samordning", 420_000),
        ]
    entries = grant_plan.budget_entries.filter(kind=BudgetEntry.Kind.COST)
    assert not entries.filter(heading=None).exists()
    linked = set(grant_plan.activities.filter(budget_entries__isnull=False).values_list("number", flat=True))
    assert linked == {"1", "2", "3", "4", "5"}
    assert {e.description for e in entries.filter(activities__number="2")} == {
        "Utbildning i digital tillsyn nattetid",
        "Införandestöd digital tillsyn nattetid",
    }


def financing_sentence() -> list[str]:
    """The financing as the page says it in Swedish: the grant first, as people say it."""
    return [
        f"Statsbidrag eller stimulansmedel {kr(2_400_000)} + Medfinansiering {kr(1_200_000)}"
        f" = {kr(3_600_000)}, lika med kostnaderna.",
        "Kravet på medfinansiering är uppfyllt:",
        f"bidragen kräver {kr(1_200_000)} i medfinansiering; {kr(1_200_000)} är budgeterat.",
    ]


def test_the_budget_page_says_how_the_grant_plan_is_financed(client, grant_plan):
    page = client.get(reverse("finance:budget", args=[grant_plan.pk])).content.decode()
    sentence, met, requirement = financing_sentence()
    assert f'<p class="financing-sum">{sentence}</p>' in page
    assert f'<p class="ok"><strong>{met}</strong> {requirement}</p>' in page


def test_the_spreadsheet_has_the_financing_rows(client, grant_plan):
    response = client.get(reverse("finance:budget", args=[grant_plan.pk]), {"export": "xlsx"})
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    header = rows[0]
    labels = dict(BudgetEntry.Category.choices)
    with translation.override("sv"):
        year, line, kind, total = (header.index(gettext(name)) for name in ("Year", "Line", "Kind", "Total (kr)"))
        financing_kind, period = gettext("Financing"), gettext("The whole period")
        expected = {
            str(labels["state_grant"]): 2_400_000,
            str(labels["co_financing"]): 1_200_000,
            gettext("Income in total"): 3_600_000,
            gettext("Costs in total"): 3_600_000,
            gettext("Income less costs"): 0,
        }
        grant, co_financing, heading = str(labels["state_grant"]), str(labels["co_financing"]), gettext("Heading")
    whole_period = {row[line]: row[total] for row in rows if row[kind] == financing_kind and row[year] == period}
    assert whole_period == expected
    in_2026 = {row[line]: row[total] for row in rows if row[kind] == financing_kind and row[year] == 2026}
    assert (in_2026[grant], in_2026[co_financing]) == (800_000, 400_000)
    headings = {row[line]: row[header.index(heading)] for row in rows if row[year] == 2025}
    assert headings["Projektledare 100 %"] == "Organisation"
    assert headings["Kartläggning av välfärdsteknik"] == "Samordning"


def test_the_plans_pdf_states_the_financing(client, grant_plan, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    plan_pdfs.store_plan_pdf(grant_plan)  # as the worker does when the plan is adopted
    response = client.get(reverse("plans:actionplan_pdf", args=[grant_plan.pk]))
    assert response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = " ".join("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())
    for part in financing_sentence():
        assert " ".join(part.split()) in text
    labels = dict(BudgetEntry.Category.choices)
    with translation.override("sv"):
        assert f"{labels['state_grant']} 800 000 800 000 800 000" in text
        assert f"{labels['co_financing']} 400 000 400 000 400 000" in text
        assert f"{gettext('Income less costs')} 0 0 0" in text


def test_the_next_period_carries_parties_key_recurring_lines_and_the_closing_balance(two_party_plan, coordinator):
    from plans import services

    new_plan = services.plan_create_next_period(plan=two_party_plan, user=coordinator)
    years = plan_budget(new_plan)
    assert [(y.year, y.opening_balance) for y in years][:1] == [(2027, Decimal(190_000))]
    assert years[0].carried.source == two_party_plan.title
    assert [y.year for y in years] == [2027, 2028, 2029]
    recurring = [e for e in two_party_plan.budget_entries.all() if e.repeat == BudgetEntry.Repeat.EVERY_YEAR]
    assert sorted(e.description for e in new_plan.budget_entries.all()) == sorted(e.description for e in recurring)
    for year in years:
        vastkom, region = year.columns
        assert year.income_of(vastkom) == year.income_of(region) == 300_000
    (key,) = new_plan.cost_keys.all()
    assert sorted(share.percent for share in key.shares.all()) == [50, 50]
