"""Budget lines imported from a table (issue 17, item 4): the same upload, mapping, preview and single
transaction as activities; amounts as Swedes write them, exact to the öre."""

from decimal import Decimal

import pytest
from django.urls import reverse

from finance.models import BudgetEntry, BudgetHeading, FinancingParty
from governance.models import Organisation
from tests.helpers import make_activity, make_budget_entry, make_plan
from tests.importing import confirm, errors_of, imported, semicolon_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(ostergotland):
    plan = make_plan(ostergotland, title="Handlingsplan 2026–2027", first_year=2026, last_year=2027)
    FinancingParty.objects.create(plan=plan, order=1, organisation=Organisation.objects.get(name="Region Östergötland"))
    FinancingParty.objects.create(plan=plan, order=2, is_municipalities=True)
    make_activity(plan, number="7a", title="Trygghetslarm")
    return plan


def test_a_semicolon_csv_in_windows_1252_gives_budget_lines_to_the_ore(signed_in, plan, coordinator):
    content = semicolon_csv(
        [
            ["Budget 2026–2027", "", "", "", "", ""],
            ["År", "Beskrivning", "Typ", "Belopp", "Rubrik", "Part", "Aktiviteter"],
            ["2026", "Stimulansmedel från staten", "Intäkt", "1 200,5", "", "", ""],
            ["2026", "Samordnare, lön", "Kostnad", "-650 000 kr", "Samordning", "Region Östergötland", ""],
            ["2027", "Larm i hemmet", "Kostnad", "300 000,25", "Samordning", "Kommunerna", "7a"],
        ]
    )
    table_import = imported(plan, coordinator, content, kind="budget", name="budget.csv")
    assert table_import.mapping == ["year", "description", "kind", "amount", "heading", "party", "activities"]
    assert table_import.summary["with_errors"] == 0, errors_of(table_import)
    assert table_import.summary["notes"] == ["Nya budgetrubriker skapas: Samordning."]
    preview = signed_in.get(table_import.get_absolute_url()).content.decode()
    assert "Importera 3 budgetrader" in preview and "650\xa0000\xa0kr" in preview
    assert "300\xa0000,25\xa0kr" in preview  # to the öre, as it is imported
    confirm(table_import)
    lines = list(plan.budget_entries.order_by("order").values_list("year", "description", "kind", "amount"))
    assert lines == [
        (2026, "Stimulansmedel från staten", "income", Decimal("1200.50")),
        (2026, "Samordnare, lön", "cost", Decimal("650000.00")),
        (2027, "Larm i hemmet", "cost", Decimal("300000.25")),
    ]
    heading = BudgetHeading.objects.get(plan=plan)
    assert heading.title == "Samordning" and heading.entries.count() == 2
    alarm = plan.budget_entries.get(description="Larm i hemmet")
    assert alarm.party.is_municipalities and [a.number for a in alarm.activities.all()] == ["7a"]
    budget = signed_in.get(reverse("finance:budget", args=[plan.pk])).content.decode()
    assert "Larm i hemmet" in budget


def test_without_a_kind_column_the_sign_says_cost_or_income(plan, coordinator):
    content = semicolon_csv(
        [["År", "Rad", "Totalt (kr)"], ["2026", "Bidrag", "100 000"], ["2026", "Konferens", "-25 000"]]
    )
    confirm(imported(plan, coordinator, content, kind="budget"))
    assert list(plan.budget_entries.order_by("order").values_list("kind", "amount")) == [
        ("income", Decimal("100000.00")),
        ("cost", Decimal("25000.00")),
    ]


def test_each_budget_rows_errors_are_said_with_its_row_number(plan, coordinator):
    make_budget_entry(plan, year=2026, kind=BudgetEntry.Kind.OPENING_BALANCE, amount="5000", description="IB")
    content = semicolon_csv(
        [
            ["År", "Beskrivning", "Typ", "Belopp", "Part", "Aktiviteter"],
            ["2026", "Rätt", "Kostnad", "100", "", ""],
            ["2026", "Fel belopp", "Kostnad", "många", "", ""],
            ["2026", "Negativ intäkt", "Intäkt", "-100", "", ""],
            ["2026", "Okänd part", "Kostnad", "100", "Konsulter", ""],
            ["2026", "Okänd aktivitet", "Kostnad", "100", "", "7a, 99"],
            ["2031", "Fel år", "Kostnad", "100", "", ""],
            ["tjugo", "Inget år", "Kostnad", "100", "", ""],
            ["2026", "Ny IB", "Ingående balans", "100", "", ""],
            ["2026", "Okänd typ", "Utgifter", "100", "", ""],
        ]
    )
    table_import = imported(plan, coordinator, content, kind="budget")
    assert errors_of(table_import) == [
        "Rad 3: beloppet ”många” är inte ett tal.",
        "Rad 4: bara en kostnad får skrivas med minustecken.",
        "Rad 5: parten ”Konsulter” är inte en part i planen. Dess parter är: Region Östergötland, Kommunerna.",
        "Rad 6: planen har ingen aktivitet med nummer 99.",
        "Rad 7: År: Året måste ligga inom 2026–2027.",
        "Rad 8: År: ”tjugo” är inte ett årtal.",
        "Rad 9: budgeten har redan en ingående balans, och den har bara en.",
        "Rad 10: typen ”Utgifter” är inte någon av Ingående balans, Intäkt eller Kostnad.",
    ]


def test_the_budget_page_offers_the_import_to_those_who_may_edit_it(client, plan, coordinator, viewer):
    url = reverse("finance:budget", args=[plan.pk])
    link = reverse("plans:import_upload", args=[plan.pk, "budgetrader"])
    client.force_login(coordinator)
    assert f'href="{link}"' in client.get(url).content.decode()
    client.force_login(viewer)
    assert f'href="{link}"' not in client.get(url).content.decode()
    assert client.get(link).status_code == 403
