"""Activities imported from a table (issue 17, items 4 and 5): each cell read as plans write it, every
row's errors in Swedish with its row number, and the plan's own spreadsheet imported as the same
activities, field for field (seed 003's table, VästKom)."""

from decimal import Decimal

import pytest

from activities.models import Activity, Area
from tests.helpers import make_activity, make_plan
from tests.importing import confirm, errors_of, imported, semicolon_csv, xlsx

pytestmark = pytest.mark.django_db

# Seed 003's table as the plan writes its header (shared/reference/seed003_activities.tsv, the seed's text).
SEED_HEADER = [
    "Nr i GANT",
    "Område",
    "Aktivitet",
    "Ansvarig",
    "Effektmål",
    "Finansiering",
    "Tids-\nperiod",
    "Regionalt samarbetsorgan",
    "Område i LIKA\nsocialtjänst",
    "SKL\nRekommendation\nKvalitet i särskilt boende",
    "Vision\neHälsa 2025",
]


@pytest.fixture
def plan(ostergotland):
    return make_plan(ostergotland, title="Handlingsplan 2026–2027", first_year=2026, last_year=2027)


def test_seed_003s_header_proposes_every_field(plan, coordinator):
    row = [
        "10",
        "Finansiering",
        "Delta i utbildning för att beräkna ekonomisk nytta*",
        "",
        "Tydlig prioritering av välfärdsteknik.",
        "24 timmar/ person",
        "2026-2027",
        "Stödjer genom kompetenshöjande aktiviteter",
        "L19: Förvaltningen följer aktivt upp effekter och kostnader.",
        "",
        "Insatsområden: Standarder.(sid 8) Nationellt forum för standardisering inom e-hälsa (sid 10)",
    ]
    table_import = imported(plan, coordinator, xlsx([SEED_HEADER, row]))
    assert table_import.mapping == [
        "number",
        "area",
        "title",
        "owner",
        "effect_goal",
        "effort",
        "period",
        "regional_support",
        "lika",
        "reference:SKL nattetid 2017",
        "reference:Vision e-hälsa 2025",
    ]
    assert table_import.summary["with_errors"] == 0, errors_of(table_import)
    confirm(table_import)
    activity = plan.activities.get()
    assert activity.title == "Delta i utbildning för att beräkna ekonomisk nytta"
    assert activity.whole_municipality  # the seed's asterisk
    assert (activity.effort_hours, activity.effort_basis, activity.effort_note) == (
        Decimal("24.0"),
        Activity.EffortBasis.PER_PERSON,
        "24 timmar/ person",
    )
    assert (activity.start_year, activity.end_year, activity.regional_role) == (2026, 2027, "supports")
    assert [indicator.code for indicator in activity.lika_indicators.all()] == ["L19"]
    assert [(r.area.name if r.area else "", r.text, r.page) for r in activity.references.order_by("pk")] == [
        ("Standarder", "", "8"),
        ("", "Nationellt forum för standardisering inom e-hälsa", "10"),
    ]


@pytest.mark.parametrize(
    "written, hours, basis, note",
    [
        ("24 timmar/ person", Decimal("24"), Activity.EffortBasis.PER_PERSON, "24 timmar/ person"),
        ("Egen uträkning", None, Activity.EffortBasis.OWN_CALCULATION, "Egen uträkning"),
        ("1 200,5 timmar", Decimal("1200.5"), Activity.EffortBasis.TOTAL, "1 200,5 timmar"),
        ("12,5 h", Decimal("12.5"), Activity.EffortBasis.TOTAL, ""),  # as the plan's spreadsheet writes hours
        (Decimal("40"), Decimal("40"), Activity.EffortBasis.TOTAL, ""),  # a number cell
        ("Del av ordinarie verksamhet", None, Activity.EffortBasis.ORDINARY_WORK, "Del av ordinarie verksamhet"),
    ],
)
def test_effort_is_read_as_written(plan, coordinator, written, hours, basis, note):
    cell = float(written) if isinstance(written, Decimal) else written
    confirm(imported(plan, coordinator, xlsx([["Aktivitet", "Insats"], ["Målarkitektur", cell]])))
    activity = plan.activities.get()
    assert (activity.effort_hours, activity.effort_basis, activity.effort_note) == (hours, basis, note)


def test_every_rows_errors_are_said_in_swedish_with_the_files_row_numbers(plan, coordinator):
    make_activity(plan, number="12", title="Finns redan")
    rows = [
        ["Handlingsplan"],
        ["Nr", "Område", "Aktivitet", "Tidsperiod", "LIKA", "Status", "Gäller hela kommunen"],
        ["1", "Arkitektur", "Rätt", "2026", "L19", "Pågående", "ja"],
        ["2", "Arkitektur", "Perioden baklänges", "2027-2026", "", "", ""],
        ["3", "Trädgård", "Okänt område", "2026", "", "", ""],
        ["4", "Arkitektur", "Okänd indikator", "2026", "L19, A99", "", ""],
        ["5", "Arkitektur", "Ingen kod", "2026", "Ledning", "", ""],
        ["4", "Arkitektur", "Samma nummer", "2026", "", "", ""],
        ["12", "Arkitektur", "Numret finns", "2026", "", "", ""],
        ["13", "Arkitektur", "Utanför planen", "2030", "", "", ""],
        ["14", "Arkitektur", "Fel status", "2026", "", "Snart", "kanske"],
    ]
    table_import = imported(plan, coordinator, xlsx(rows))
    assert errors_of(table_import) == [
        "Rad 4: perioden slutar före den börjar (2027–2026).",
        "Rad 5: området ”Trädgård” finns inte. Områdena är: "
        + ", ".join(a.name for a in Area.objects.filter(cooperation=None))
        + ".",
        "Rad 6: LIKA-indikatorn A99 finns inte.",
        "Rad 6 och 8 har samma aktivitetsnummer 4.",
        "Rad 7: ”Ledning” är ingen LIKA-kod (som L19 eller A28).",
        "Rad 6 och 8 har samma aktivitetsnummer 4.",
        "Rad 9: planen har redan en aktivitet med nummer 12 (”Finns redan”).",
        "Rad 10: Från år: Året måste ligga inom planens period, 2026–2027.",
        "Rad 10: Till år: Året måste ligga inom planens period, 2026–2027.",
        "Rad 11: statusen ”Snart” är inte någon av Planerad, Pågående, Genomförd, Delvis genomförd, Uppskjuten eller Avbruten.",
        "Rad 11: Gäller hela kommunen: skriv ja eller nej (cellen innehåller ”kanske”).",
    ]
    assert table_import.summary == table_import.summary | {"rows": 9, "valid": 1, "with_errors": 8}


def test_nothing_of_a_table_with_an_error_is_imported(plan, coordinator):
    table_import = imported(plan, coordinator, xlsx([["Nr", "Aktivitet"], ["1", "Rätt"], ["1", "Samma nummer"]]))
    from django.core.exceptions import ValidationError

    from plans.imports import services

    with pytest.raises(ValidationError, match="Inget importerades: 2 av raderna har fel."):
        services.import_confirm(table_import=table_import)
    assert not plan.activities.exists()


def test_the_plan_changed_after_the_check_so_nothing_is_imported_and_the_preview_says_why(plan, coordinator):
    table_import = imported(plan, coordinator, xlsx([["Nr", "Aktivitet"], ["1", "Målarkitektur"], ["2", "Utbildning"]]))
    assert table_import.summary["with_errors"] == 0
    make_activity(plan, number="2", title="Någon hann före")  # a colleague, meanwhile
    table_import = confirm(table_import)
    assert table_import.status == "checked" and table_import.problem.startswith(
        "Inget importerades: planen har ändrats"
    )
    assert errors_of(table_import) == ["Rad 3: planen har redan en aktivitet med nummer 2 (”Någon hann före”)."]
    assert list(plan.activities.values_list("title", flat=True)) == ["Någon hann före"]


def test_activities_are_added_after_the_plans_own_in_the_files_order(plan, coordinator):
    make_activity(plan, number="1", title="Först", order=4)
    confirm(imported(plan, coordinator, semicolon_csv([["Nr", "Aktivitet"], ["2", "Andra"], ["3", "Tredje"]])))
    assert list(plan.activities.order_by("order").values_list("order", "title")) == [
        (4, "Först"),
        (5, "Andra"),
        (6, "Tredje"),
    ]


# What the round trip does not compare, with the reason; every other concrete field must come back the same.
NOT_COMPARED = {
    "id": "a new row",
    "plan": "the plan imported into",
    "version": "bookkeeping of edits",
    "lineage": "the identity copies of one activity share (a revision, a local plan); an imported row is a new activity",
    "continues": "a link to an earlier plan's activity, which a spreadsheet of the plan does not hold",
}


def fields_of(activity) -> dict:
    values = {
        field.name: getattr(activity, field.attname)
        for field in Activity._meta.concrete_fields
        if field.name not in NOT_COMPARED
    }
    return values | {
        "lika_indicators": [indicator.code for indicator in activity.lika_indicators.all()],
        "references": sorted(
            (r.framework.short_name, r.area.name if r.area else "", r.text, r.page) for r in activity.references.all()
        ),
        "goals": [goal.title for goal in activity.goals.all()],
        "effort_shares": list(activity.effort_shares.values_list("party", "hours", "as_written")),
    }


@pytest.mark.parametrize("export", ["xlsx", "csv"])
def test_the_plans_own_spreadsheet_imports_into_a_new_plan_as_the_same_activities(
    client, vastkom_plan, administrator, export
):
    exported = client.get(vastkom_plan.get_absolute_url(), {"export": export})
    assert exported.status_code == 200
    copy = make_plan(
        vastkom_plan.cooperation,
        title="VästKom, inläst från kalkylark",
        first_year=vastkom_plan.first_year,
        last_year=vastkom_plan.last_year,
    )
    table_import = imported(copy, administrator, exported.content, name=f"aktiviteter.{export}")
    assert table_import.summary["with_errors"] == 0, errors_of(table_import)
    assert table_import.summary["unknown_columns"] == [
        "Timmar, alla parter",
        "Insats i text, ingår inte i summan",
        "Läge",
        "Delmål",
    ]
    confirm(table_import)
    originals = list(vastkom_plan.activities.order_by("order", "pk"))
    imported_activities = list(copy.activities.order_by("order", "pk"))
    assert len(originals) == len(imported_activities) == 31
    for original, again in zip(originals, imported_activities, strict=True):
        assert fields_of(again) == fields_of(original), original.number
    assert any(a.whole_municipality for a in imported_activities) and any(
        a.references.exists() for a in imported_activities
    )
