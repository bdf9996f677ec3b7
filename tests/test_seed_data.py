"""The demo data is seeds 000, 003 and 004 as written, not an approximation of them."""

import pytest

from activities.models import Activity, LikaIndicator
from governance.models import Body, Decision, Organisation
from plans.models import ActionPlan

pytestmark = pytest.mark.django_db


def test_reference_data_has_the_27_lika_indicators_in_four_areas():
    assert LikaIndicator.objects.count() == 27
    assert set(LikaIndicator.objects.values_list("area", flat=True)) == {"L", "I", "K", "A"}
    assert LikaIndicator.objects.get(code="A28").text.startswith("Personal har digitalt tillgång")


def test_ostergotland_has_its_region_and_13_municipalities_with_population(ostergotland):
    municipalities = ostergotland.members.municipalities()
    assert municipalities.count() == 13
    assert sum(m.population for m in municipalities) == 472446
    assert ostergotland.members.regions().get().name == "Region Östergötland"
    assert Organisation.objects.get(municipality_code="0586").name == "Mjölby kommun"


def test_all_21_regions_and_vastkoms_49_municipalities_exist():
    assert Organisation.objects.regions().count() == 21
    assert Organisation.objects.municipalities().filter(county="Västra Götalands län").count() == 49


def test_the_2014_2015_plan_has_14_activities_each_with_its_follow_up(plan_2014):
    activities = list(plan_2014.activities.prefetch_related("follow_ups"))
    assert [a.number for a in activities] == [str(n) for n in range(1, 15)]
    assert all(len(a.follow_ups.all()) == 1 for a in activities)
    assert activities[10].follow_ups.get().text.startswith("Insatsen har delvis genomförts. Fem kommuner")


def test_the_2016_2017_plan_has_its_11_planned_activities_with_content_and_benefit(plan_2016):
    activities = list(plan_2016.activities.all())
    assert [a.number for a in activities] == ["1", "2", "3", "4", "5", "6", "7a", "7b", "8", "9a", "9b"]
    assert all(a.content and a.benefit for a in activities)
    assert plan_2016.previous_plan.title == "Handlingsplan för ehälsa 2014-2015"
    assert plan_2016.status == ActionPlan.Status.ADOPTED


def test_continued_activities_point_at_their_origin(plan_2016):
    pairs = {a.number: a.continues.number for a in plan_2016.activities.exclude(continues=None)}
    assert pairs == {"1": "5", "2": "9", "4": "6", "5": "4", "6": "12", "7a": "7", "8": "14", "9a": "13", "9b": "11"}


def test_the_2016_2017_plan_has_its_goals_and_sections(plan_2016):
    assert plan_2016.goals.count() == 6
    headings = list(plan_2016.sections.filter(level=1).values_list("heading", flat=True))
    assert headings == [
        "Inledning",
        "Nationell ehälsa",
        "Målbild för ehälsa",
        "Genomförda insatser 2014 och 2015",
        "Planerade insatser 2016-2017",
        "Ekonomi och finansiering",
        "Uppföljning och utvärdering",
        "Referenser",
    ]


def test_the_adoption_chain_has_the_five_decisions_of_seed_000(plan_2016):
    chain = [
        (d.body.display_name, d.meeting_date.isoformat(), d.paragraph, d.diary_number, d.kind)
        for d in Decision.objects.filter(plan=plan_2016)
    ]
    assert chain == [
        ("Nätverket för ehälsa", "2015-10-20", None, "", "adopt"),
        ("LGVO", "2015-11-13", None, "", "endorse"),
        ("SSVO", "2015-11-27", None, "", "adopt"),
        ("OSN", "2016-01-26", 17, "OSN/2015:169", "endorse"),
        ("KSAU", "2016-02-29", 35, "KS/2016:51", "refer"),
    ]
    mjolby = Decision.objects.get(plan=plan_2016, paragraph=17)
    assert mjolby.body.organisation.name == "Mjölby kommun"
    assert mjolby.forwarded_to.name == "Kommunstyrelsen"
    assert mjolby.recipient_list == ["Akten", "Kommunstyrelsen"]


def test_ostergotlands_bodies_form_seed_000s_hierarchy(ostergotland):
    bodies = {b.display_name: b for b in ostergotland.bodies.all()}
    assert bodies["LGVO"].reports_to == bodies["SSVO"]
    assert bodies["Nätverket för ehälsa"].reports_to == bodies["LGVO"]
    assert bodies["Operativa arbetsgruppen"].reports_to == bodies["Nätverket för ehälsa"]
    assert [b.level for b in (bodies["SSVO"], bodies["LGVO"], bodies["Nätverket för ehälsa"])] == [
        Body.Level.POLITICAL,
        Body.Level.STRATEGIC,
        Body.Level.OPERATIVE_MANAGEMENT,
    ]
    mjolby = set(Body.objects.filter(organisation__name="Mjölby kommun").values_list("name", flat=True))
    assert mjolby == {"Omsorgs- och socialnämnden", "Kommunstyrelsens arbetsutskott", "Kommunstyrelsen"}


def test_h2o_has_strategic_tactical_and_operative_bodies(h2o):
    levels = list(h2o.bodies.order_by("level").values_list("level", flat=True))
    assert levels == [Body.Level.STRATEGIC, Body.Level.TACTICAL, Body.Level.OPERATIVE_MANAGEMENT]
    assert h2o.plans.get().sections.filter(heading="Taktisk nivå").exists()


def test_vastkoms_plan_has_every_activity_of_seed_003s_table(vastkom_plan):
    activities = list(vastkom_plan.activities.prefetch_related("lika_indicators", "references__area"))
    assert len(activities) == 31
    assert sum(1 for a in activities if not a.number) == 3
    by_number = {a.number: a for a in activities if a.number}
    fifteen = by_number["15"]
    assert fifteen.area.name == "Informationssäkerhet"
    assert {i.code for i in fifteen.lika_indicators.all()} == {"L12", "K13"}
    assert (fifteen.effort_hours, fifteen.effort_basis, fifteen.effort_note) == (
        3,
        "per_employee",
        "3 timmar / medarb.",
    )
    assert fifteen.whole_municipality is True
    assert (by_number["14"].start_year, by_number["14"].end_year) == (2017, 2021)
    seven = [
        (r.area.name if r.area else r.text, r.page) for r in by_number["7"].references.all() if r.framework.is_vision
    ]
    assert seven == [("Standarder", "8"), ("Nationellt forum för standardisering inom e-hälsa", "10")]


def test_effort_written_per_person_is_kept_apart_from_totals(vastkom_plan):
    counted = vastkom_plan.activities.filter(effort_basis=Activity.EffortBasis.TOTAL)
    assert {a.number for a in counted} >= {"7", "11", "19"}
    ten = vastkom_plan.activities.get(number="10")
    assert ten.effort_note == "24 timmar/ person" and not ten.effort_counts_in_totals
