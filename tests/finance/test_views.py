"""The budget page and its editing, as officials and coordinators use them."""

import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.core.cache import cache
from django.urls import reverse

from finance.budget import plan_budget
from finance.models import BudgetEntry, CostSharingKey, FinancingParty
from tests.helpers import as_draft, csv_rows

pytestmark = pytest.mark.django_db


def budget(client, plan, **params):
    return client.get(reverse("finance:budget", args=[plan.pk]), params)


def test_the_budget_page_reproduces_seed_000_to_the_krona(client, plan_2016):
    page = budget(client, plan_2016).content.decode()
    for figure in [
        "3 955 888",
        "3 171 726",
        "−1 018 387",
        "−2 036 774",
        "6 109 227",
        "75 000",
        "−524 925",
        "−1 049 850",
        "−459 029",
        "−918 058",
        "5 125 273",
        "−2 303 562",
        "−4 607 124",
        "2 821 711",
        "−1 631 062",
        "−3 262 124",
        "1 190 649",
    ]:
        assert figure.replace(" ", "\xa0") in page, figure
    assert "Beräknad utgående balans 2015" in page and "Utgående balans 2014" in page


def test_estimated_and_actual_lines_are_told_apart(client, plan_2016):
    page = budget(client, plan_2016).content.decode()
    assert re.search(
        r'<tr class="estimate[^"]*">\s*<th scope="row">Beräknade kostnader 1 oktober – 31 december 2015 <span class="tag">beräknad</span>',
        page,
    )
    assert re.search(
        r'<tr class="actual[^"]*">\s*<th scope="row">Kostnader 1 januari – 30 september 2015 <span class="tag">utfall</span>',
        page,
    )


def test_the_chart_is_an_accessible_svg_with_the_figures_in_words(client, plan_2016):
    page = budget(client, plan_2016).content.decode()
    assert 'role="img" aria-labelledby="chart-title chart-desc"' in page
    assert "2017: intäkter 0\xa0kr, kostnader 3\xa0262\xa0124\xa0kr, utgående balans 1\xa0190\xa0649\xa0kr." in page


def municipal_rows(page):
    table = page.split('class="data municipal-shares"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<th scope="row">([^<]+?)(?: <strong|</th>).*?</tr>', table, re.S), table


def test_each_municipality_has_its_share_and_the_shares_add_up(client, plan_2016):
    page = budget(client, plan_2016).content.decode()
    names, table = municipal_rows(page)
    assert len([n for n in names if n.endswith("kommun")]) == 13
    # 2016: the municipalities' half, 2 303 562 kr, split equally among 13: 177 197 or 177 198 each.
    assert "177\xa0198" in table and "177\xa0197" in table
    assert '<td class="num">2\xa0303\xa0562</td>' in table


def test_an_official_sees_their_own_municipality_highlighted(client, plan_2016, official):
    client.force_login(official)
    page = budget(client, plan_2016).content.decode()
    assert re.search(
        r'<tr class="own[^"]*"[^>]*>\s*<th scope="row">Mjölby kommun <strong class="tag">din kommun</strong>', page
    )


def test_a_population_key_splits_by_population(client, plan_2016):
    from tests.helpers import publish

    as_draft(plan_2016)
    key = CostSharingKey.objects.get(plan=plan_2016)
    key.municipal_split, key.population_date = "population", "2024-12-31"
    key.save()
    publish(plan_2016)
    page = budget(client, plan_2016).content.decode()
    linkoping = page.split("Linköpings kommun</th>", 1)[1].split("</tr>", 1)[0]
    assert "35,6&nbsp;%" in linkoping  # 168 035 of 472 446 inhabitants
    assert "819\xa0308" in linkoping  # its share of 2016's 2 303 562 kr
    ydre = page.split("Ydre kommun</th>", 1)[1].split("</tr>", 1)[0]
    assert "0,8&nbsp;%" in ydre


def test_a_population_key_without_populations_says_whose_are_missing(client, vastkom_plan):
    as_draft(vastkom_plan)
    BudgetEntry.objects.create(plan=vastkom_plan, year=2017, kind="cost", description="Kostnad", amount=Decimal(1000))
    FinancingParty.objects.create(plan=vastkom_plan, is_municipalities=True)
    CostSharingKey.objects.create(plan=vastkom_plan, municipal_split="population")
    from tests.helpers import publish

    publish(vastkom_plan)
    page = budget(client, vastkom_plan).content.decode()
    assert "Folkmängd saknas för: Ale kommun, Alingsås kommun" in page


def test_effort_written_per_person_is_shown_as_written_and_left_out_of_totals(client, vastkom_plan):
    page = budget(client, vastkom_plan).content.decode()
    assert "24 timmar/ person" in page and "räknas inte" in page
    # Hours in total: 50+300+300+1000+24+200? no: "200 timmar eller 3 tillfällen" is not a plain total.
    counted = sum(a.effort_hours for a in vastkom_plan.activities.all() if a.effort_counts_in_totals)
    assert f'<td class="num">{counted:.0f}'.replace(",", "") in page.replace("\xa0", "")
    excluded = sum(1 for a in vastkom_plan.activities.all() if a.effort_display and not a.effort_counts_in_totals)
    assert f"{excluded} aktiviteter anger sin insats per person" in page


def test_effort_per_party_is_totalled(client, plan_2016):
    from activities.models import EffortShare
    from governance.models import Organisation
    from tests.helpers import publish

    as_draft(plan_2016)
    region = Organisation.objects.get(name="Region Östergötland")
    for number, hours in (("1", "100"), ("2", "50.5")):
        EffortShare.objects.create(
            activity=plan_2016.activities.get(number=number), organisation=region, hours=Decimal(hours)
        )
    EffortShare.objects.create(activity=plan_2016.activities.get(number="2"), party="Konsulter", hours=Decimal("20"))
    publish(plan_2016)
    page = budget(client, plan_2016).content.decode()
    assert re.search(r"<th scope=\"row\">Region Östergötland</th><td class=\"num\">150,5</td>", page)
    assert re.search(r"<th scope=\"row\">Konsulter</th><td class=\"num\">20</td>", page)
    assert re.search(r"<th scope=\"row\">Totalt</th><td class=\"num\">170,5</td>", page)


def test_the_budget_exports_with_numbers_as_numbers(client, plan_2016):
    response = budget(client, plan_2016, export="xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    header = rows[0]
    assert header[:3] == ("År", "Rad", "Typ")
    column = {name: header.index(name) for name in ("Kommunerna (kr)", "Region Östergötland (kr)", "Totalt (kr)")}
    costs_2014 = next(row for row in rows if row[1] == "Kostnader 2014")
    assert [costs_2014[i] for i in column.values()] == [-1018387, -1018387, -2036774]
    closing = [row for row in rows if str(row[1]).startswith(("Utgående balans", "Beräknad utgående balans"))]
    assert [row[column["Kommunerna (kr)"]] for row in closing] == [6109227, 5125273, 2821711, 1190649]
    assert csv_rows(budget(client, plan_2016, export="csv").content)[1][0] == "2014"


def test_a_drafts_budget_answers_404_to_outsiders(client, h2o_plan):
    assert budget(client, h2o_plan).status_code == 404


# --- Editing -------------------------------------------------------------------------------------


def line_data(**overrides):
    data = {
        "year": "2018",
        "kind": "cost",
        "category": "activities",
        "description": "Insatser 2018",
        "amount": "1 234 567,50",
        "repeat": "once",
        "party": "",
        "start_date": "",
        "end_date": "",
    }
    data.update(overrides)
    return data


def test_the_next_period_opens_at_the_previous_plans_closing_balance_without_typing_it(signed_in, draft):
    years = plan_budget(draft)
    assert (years[0].year, years[0].opening_balance) == (2018, Decimal("1190649"))
    page = signed_in.get(reverse("finance:budget", args=[draft.pk])).content.decode()
    assert "1\xa0190\xa0649" in page and "Handlingsplan för ehälsa i Östergötland 2016-2017" in page


def test_a_coordinator_adds_a_line_and_the_balances_follow(signed_in, draft):
    response = signed_in.post(reverse("finance:budgetentry_create", args=[draft.pk]), line_data())
    assert response.status_code == 302
    entry = draft.budget_entries.get(description="Insatser 2018")
    assert entry.amount == Decimal("1234567.50")
    page = signed_in.get(reverse("finance:budget", args=[draft.pk])).content.decode()
    # 1 190 649 carried − 617 283,75 (the municipalities' half of 1 234 567,50) = 573 365,25 → 573 365 kr on screen.
    assert "Beräknad utgående balans 2018" not in page and "Utgående balans 2018" in page
    assert "573\xa0365" in page


def test_a_typed_opening_balance_other_than_the_carried_one_needs_a_reason(signed_in, draft):
    url = reverse("finance:budgetentry_create", args=[draft.pk])
    opening = line_data(kind="opening_balance", category="", description="Ingående balans 2018", amount="1 200 000")
    response = signed_in.post(url, opening)
    assert "Skriv varför den ingående balansen skiljer sig från 1\xa0190\xa0649\xa0kr" in response.content.decode()
    assert not draft.budget_entries.exists()
    assert signed_in.post(url, {**opening, "reason": "Utfallet 2017 blev högre"}).status_code == 302
    assert plan_budget(draft)[0].opening_balance == Decimal("1200000")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"amount": "tusen"}, "Fyll i ett tal."),
        ({"amount": "10,123"}, "inte är mer än 2 decimaler"),
        ({"amount": "-5"}, "större än eller lika med 0"),
        ({"year": "2030"}, "Året måste ligga inom 2016–2019."),
        ({"start_date": "2017-12-01", "end_date": "2018-01-31"}, "Datumet måste ligga inom radens år."),
        ({"start_date": "2018-05-01", "end_date": "2018-01-31"}, "Datumintervallet kan inte sluta innan det börjar."),
        ({"category": "prize"}, "Kategorin gäller intäktsrader."),
        ({"kind": "income", "category": "state_grant", "co_financing_percent": "150"}, "mindre än eller lika med 100"),
        ({"kind": "income", "category": "own_contribution"}, "Ange vilken part som bidrar."),
        ({"repeat": "once", "last_year": "2019"}, "En rad för ett år har inget sista år"),
    ],
)
def test_bad_budget_input_is_refused_in_swedish_and_nothing_is_saved(signed_in, draft, overrides, message):
    response = signed_in.post(reverse("finance:budgetentry_create", args=[draft.pk]), line_data(**overrides))
    page = response.content.decode()
    assert response.status_code == 200 and message in page
    assert not draft.budget_entries.exists()
    assert 'value="Insatser 2018"' in page


def key_data(draft, municipalities="50", region="50", **extra):
    m, r = draft.parties.get(is_municipalities=True), draft.parties.get(is_municipalities=False)
    return {f"share_{m.pk}": municipalities, f"share_{r.pk}": region, "municipal_split": "equal", **extra}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"region": "60"}, "Andelarna blir 110 %; de ska bli 100 %."),
        ({}, "Planen har redan en nyckel från sitt första år."),
        ({"region": "abc"}, "Fyll i ett tal."),
        ({"from_year": "2040"}, "Året måste ligga inom"),
        ({"from_year": "2019", "municipal_split": "population"}, "Ange vilket datum folkmängden avser."),
    ],
)
def test_bad_keys_are_refused_in_swedish(signed_in, draft, data, message):
    before = draft.cost_keys.count()
    shares = {name: data.pop(name) for name in ("municipalities", "region") if name in data}
    response = signed_in.post(
        reverse("finance:costsharingkey_create", args=[draft.pk]), key_data(draft, **shares) | data
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert draft.cost_keys.count() == before


def test_a_key_from_a_year_changes_the_split_from_that_year(signed_in, draft):
    for year in ("2018", "2019"):
        signed_in.post(reverse("finance:budgetentry_create", args=[draft.pk]), line_data(year=year, amount="1000"))
    response = signed_in.post(
        reverse("finance:costsharingkey_create", args=[draft.pk]),
        key_data(draft, municipalities="30", region="70", from_year="2019"),
    )
    assert response.status_code == 302
    m, r = draft.parties.get(is_municipalities=True), draft.parties.get(is_municipalities=False)
    first, second = plan_budget(draft)
    assert (first.costs_of(m), first.costs_of(r)) == (Decimal(500), Decimal(500))
    assert (second.costs_of(m), second.costs_of(r)) == (Decimal(300), Decimal(700))


def test_a_party_outside_the_cooperation_is_refused(signed_in, draft):
    from governance.models import Organisation

    outsider = Organisation.objects.filter(kind="region").exclude(cooperations=draft.cooperation).first()
    response = signed_in.post(
        reverse("finance:party_create", args=[draft.pk]), {"organisation": outsider.pk, "in_fund": "on"}
    )
    assert f"{outsider.name} är inte medlem i {draft.cooperation.name}." in response.content.decode()
    assert not draft.parties.filter(organisation=outsider).exists()


def test_removing_a_party_with_lines_says_what_changes_and_keeps_the_lines(signed_in, draft):
    region = draft.parties.get(is_municipalities=False)
    signed_in.post(
        reverse("finance:budgetentry_create", args=[draft.pk]),
        line_data(kind="income", category="prize", description="Pris", party=region.pk),
    )
    url = reverse("finance:party_delete", args=[region.pk])
    page = signed_in.get(url).content.decode()
    assert "har en andel i" in page  # the key names it: change the key first
    signed_in.post(url)
    assert draft.parties.filter(pk=region.pk).exists()
    key = draft.cost_keys.get()
    key.shares.filter(party=region).delete()
    page = signed_in.get(url).content.decode()
    assert "1 budgetrad är bokförd på Region Östergötland" in page.replace("En budgetrad", "1 budgetrad")
    assert signed_in.post(url).status_code == 302
    assert draft.budget_entries.get(description="Pris").party is None


def test_budget_lines_are_protected_from_lost_updates(signed_in, draft):
    signed_in.post(reverse("finance:budgetentry_create", args=[draft.pk]), line_data())
    entry = draft.budget_entries.get()
    url = reverse("finance:budgetentry_update", args=[entry.pk])
    assert signed_in.post(url, line_data(version=entry.version, amount="100")).status_code == 302
    response = signed_in.post(url, line_data(version=entry.version, amount="200"))
    assert "Någon annan har ändrat detta" in response.content.decode()
    entry.refresh_from_db()
    assert entry.amount == 100


def test_only_coordinators_edit_budgets_and_adopted_budgets_are_locked(client, draft, plan_2016, official, coordinator):
    client.force_login(official)
    assert client.get(reverse("finance:budgetentry_create", args=[draft.pk])).status_code == 403
    assert "Ny budgetrad" not in budget(client, draft).content.decode()
    client.force_login(coordinator)
    response = client.get(
        reverse("finance:budgetentry_update", args=[plan_2016.budget_entries.first().pk]), follow=True
    )
    assert "Planen är antagen och kan inte ändras direkt." in response.content.decode()


def test_budget_changes_are_in_the_plans_history(signed_in, draft):
    signed_in.post(reverse("finance:budgetentry_create", args=[draft.pk]), line_data())
    page = signed_in.get(reverse("plans:actionplan_history", args=[draft.pk])).content.decode()
    assert "skapade budgetrad" in page


def test_control_characters_in_a_budget_line_are_cleaned(signed_in, draft):
    response = signed_in.post(
        reverse("finance:budgetentry_create", args=[draft.pk]), line_data(description="Insatser\x0b2018\x02")
    )
    assert response.status_code == 302
    assert draft.budget_entries.get().description == "Insatser\n2018"


@pytest.mark.parametrize("population_date", ["0001-01-01", "1989-12-31", "9999-12-31"])
def test_a_population_date_outside_1990_to_today_is_refused(signed_in, draft, population_date):
    data = key_data(draft, from_year="2019", population_date=population_date)
    response = signed_in.post(reverse("finance:costsharingkey_create", args=[draft.pk]), data)
    assert response.status_code == 200
    assert "Ange ett datum från 1990-01-01 till " in response.content.decode()
    assert not draft.cost_keys.filter(from_year=2019).exists()


def test_the_municipalities_share_says_why_it_is_empty(client, administrator, plan_2016):
    """Only a cooperation without member municipalities is told it has none (issue 19, item 7)."""
    from governance.models import Cooperation, Organisation
    from tests.helpers import make_plan

    alone = Cooperation.objects.create(name="Samverkan utan kommuner")
    plan = make_plan(alone, title="Plan utan kommuner")
    BudgetEntry.objects.create(plan=plan, year=2026, kind="cost", description="Kostnad", amount=Decimal(1000))
    FinancingParty.objects.create(plan=plan, is_municipalities=True)
    alone.members.add(Organisation.objects.get(name="Region Kalmar län"))  # a region: still no municipality
    client.force_login(administrator)
    assert "Samverkan har inga medlemskommuner." in budget(client, plan).content.decode()
    assert "Samverkan har inga medlemskommuner." not in budget(client, plan_2016).content.decode()


def test_the_history_writes_shares_and_amounts_as_swedish_does(signed_in, draft):
    """A key of 62,5 / 37,5 % in the history reads as Swedish writes it (issue 19, item 11)."""
    key = draft.cost_keys.first()
    first, second = key.shares.all()[:2]
    first.percent, second.percent = Decimal("62.50"), Decimal("37.50")
    first.save()
    second.save()
    page = signed_in.get(reverse("plans:actionplan_history", args=[draft.pk])).content.decode()
    assert "62,5\xa0%" in page and "62.50" not in page and "62.5 " not in page


def test_an_adopted_plans_shares_stay_as_adopted_when_members_and_populations_change(
    client, plan_2016, ostergotland, coordinator
):
    """The municipalities' split of an adopted plan is the one decided: a member leaving the
    cooperation, or a new population figure in the register, changes only drafts."""
    from governance.models import Organisation
    from tests.helpers import publish

    as_draft(plan_2016)
    key = CostSharingKey.objects.get(plan=plan_2016)
    key.municipal_split, key.population_date = "population", "2024-12-31"
    key.save()
    publish(plan_2016)  # adopted again: its version records the members and their populations
    before = municipal_rows(budget(client, plan_2016).content.decode())

    ydre = Organisation.objects.get(name="Ydre kommun")
    ostergotland.members.remove(ydre)
    linkoping = Organisation.objects.get(name="Linköpings kommun")
    linkoping.population = 300_000
    linkoping.save()  # saved, so its history tells the kept pages that the data changed

    after = municipal_rows(budget(client, plan_2016).content.decode())
    assert after == before
    assert "Ydre kommun" in after[0] and len([n for n in after[0] if n.endswith("kommun")]) == 13
    linkoping = after[1].split("Linköpings kommun</th>", 1)[1].split("</tr>", 1)[0]
    assert "168\xa0035" in linkoping and "35,6&nbsp;%" in linkoping  # the population as adopted

    as_draft(plan_2016)  # a draft divides among today's members, by today's figures
    cache.clear()  # as_draft writes no history: the kept page would be shown
    client.force_login(coordinator)  # who may read the draft
    names, table = municipal_rows(budget(client, plan_2016).content.decode())
    assert "Ydre kommun" not in names and len([n for n in names if n.endswith("kommun")]) == 12
    assert "300\xa0000" in table.split("Linköpings kommun</th>", 1)[1].split("</tr>", 1)[0]


def test_an_officials_share_is_the_adopted_one(client, plan_2016, official, ostergotland):
    """``organisation_share``: the share the start page and the plan's header show a municipality."""
    from governance.models import Organisation
    from plans.parts import organisation_share

    mjolby = Organisation.objects.get(name="Mjölby kommun")
    adopted = organisation_share(plan_2016, mjolby)
    ostergotland.members.remove(Organisation.objects.get(name="Ydre kommun"))
    assert organisation_share(plan_2016, mjolby) == adopted
    assert dict(adopted)[2016] in (Decimal("177198"), Decimal("177197"))  # a 13th of 2 303 562 kr


def test_a_line_names_the_activities_it_pays_for_with_links(client, plan_2016):
    """Found looking at the page: "betalar för: 5" said neither what 5 was nor where to read it."""
    from tests.helpers import publish

    as_draft(plan_2016)
    entry = plan_2016.budget_entries.filter(kind="cost").first()
    activities = list(plan_2016.activities.filter(number__in=["1", "2"]).order_by("number"))
    entry.activities.set(activities[:1])
    publish(plan_2016)
    page = budget(client, plan_2016).content.decode()
    link = f'<a href="{activities[0].get_absolute_url()}">1</a>'
    assert f"betalar för aktivitet {link}" in page
    as_draft(plan_2016)
    entry.activities.set(activities)
    publish(plan_2016)
    assert "betalar för aktiviteterna " in budget(client, plan_2016).content.decode()
