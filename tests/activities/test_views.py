"""The activity search across plans, and the activity page."""

import io
import re

import openpyxl
import pytest
from django.core.cache import cache
from django.urls import reverse

from activities.models import Activity, FrameworkArea, LikaIndicator
from tests.helpers import as_draft, csv_rows, make_activity, make_plan, publish

pytestmark = pytest.mark.django_db

SEARCH = reverse("activities:activity_search")


def titles(response):
    body = "".join(re.findall(r"<tbody>(.*?)</tbody>", response.content.decode(), re.S))  # a row group per plan
    return re.findall(r'<a href="/aktiviteter/\d+/">([^<]+)</a>', body)


def count_shown(response):
    return int(re.search(r'<p class="result-count" role="status">(\d+) aktivitet', response.content.decode()).group(1))


def test_the_search_covers_every_readable_plan_and_shows_the_plan(client, h2o_plan):
    make_activity(h2o_plan, number="1", title="Hemlig H2O-aktivitet")
    response = client.get(SEARCH, {"per_page": 100})
    assert count_shown(response) == 14 + 11 + 31 + 3 + 5  # Östergötland, VästKom, the invented cooperation
    assert "Hemlig H2O-aktivitet" not in response.content.decode()
    assert "Handlingsplan för ehälsa i Östergötland 2016-2017" in response.content.decode()


def test_members_also_find_their_drafts_activities(client, h2o_plan, official_elsewhere):
    make_activity(h2o_plan, number="1", title="Hemlig H2O-aktivitet")
    client.force_login(official_elsewhere)
    assert "Hemlig H2O-aktivitet" in titles(client.get(SEARCH, {"q": "hemlig"}))


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"lika": "L19"}, 2),
        ({"lika": ["I5", "A28"]}, 2),
        ({"whole_municipality": "true"}, 13),
        ({"year": "2021"}, 5),
        ({"status": "completed"}, 5),
        ({"county": "Östergötlands län"}, 25),
        ({"q": "npö"}, 4),
        ({"q": "trygghetslarm"}, 3),
    ],
)
def test_search_filters(client, params, expected):
    assert count_shown(client.get(SEARCH, params)) == expected


def test_search_by_vision_area_and_plan(client, vastkom_plan, plan_2016):
    regelverk = FrameworkArea.objects.vision().get(name="Regelverk")
    assert sorted(titles(client.get(SEARCH, {"vision_area": regelverk.pk}))) == [
        "Införa Singel-Sign-On (SSO).",
        "Planera och genomföra förändringar från regionalt framtaget förslag för hantering av "
        "EU:s dataskyddsförordning.",
    ]
    assert count_shown(client.get(SEARCH, {"plan": plan_2016.pk})) == 11


def test_a_draft_plan_cannot_be_chosen_by_outsiders(client, h2o_plan):
    response = client.get(SEARCH, {"plan": h2o_plan.pk})
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in response.content.decode()
    assert h2o_plan.title not in response.content.decode()


@pytest.mark.parametrize(
    "params", [{"year": "tjugo"}, {"lika": "Z99"}, {"area": "x"}, {"whole_municipality": "kanske"}]
)
def test_nonsense_search_values_show_an_error_and_no_server_error(client, params):
    response = client.get(SEARCH, params)
    assert response.status_code == 200
    assert "Några filter kunde inte användas" in response.content.decode() or params == {"whole_municipality": "kanske"}


def test_search_export_to_xlsx_keeps_the_filters_and_shows_the_plan(client):
    response = client.get(SEARCH, {"lika": "L19", "export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:4] == ("Handlingsplan", "Samverkan", "Nr", "Område")
    assert [row[2] for row in rows[1:]] == ["10", "16"]
    assert rows[1][1] == "VästKom"


def test_spreadsheet_cells_that_look_like_formulas_are_defused(client):
    plan = make_plan(title='=HYPERLINK("http://x")')
    make_activity(plan, number="1", title="+SUM(A1:A2)", owner="@ansvarig")
    publish(plan)
    response = client.get(SEARCH, {"plan": plan.pk, "export": "csv"})
    row = csv_rows(response.content)[1]
    assert row[0] == '\'=HYPERLINK("http://x")'
    assert row[4] == "'+SUM(A1:A2)"
    assert row[5] == "'@ansvarig"


def test_the_search_runs_the_same_number_of_queries_for_few_and_many_activities(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            client.get(SEARCH, {"sort": "title"})
        return len(captured)

    before = queries()
    plan = make_plan(title="Stor plan", status="adopted")
    Activity.objects.bulk_create(Activity(plan=plan, number=str(n), title=f"A {n}") for n in range(200))
    indicator = LikaIndicator.objects.first()
    for activity in plan.activities.all():
        activity.lika_indicators.set([indicator])
    assert queries() == before


def test_the_activity_page_shows_follow_ups_and_what_continues_it(client, plan_2014):
    activity = plan_2014.activities.get(number="13")
    page = client.get(activity.get_absolute_url()).content.decode()
    assert "Insatsen har fördröjts" in page
    assert "Trygghet, service och delaktighet i hemmet (Digitala trygghetslarm 2.0)" in page
    assert "Fortsätts av" in page


def test_a_continuation_in_a_draft_is_not_named_to_outsiders(client, plan_2016, h2o_plan, coordinator):
    from tests.helpers import make_plan

    draft = make_plan(title="Utkast 2018-2019", first_year=2018, last_year=2019, previous_plan=plan_2016)
    origin = plan_2016.activities.get(number="3")
    make_activity(draft, number="3", title="Hemlig fortsättning", continues=origin)
    assert "Hemlig fortsättning" not in client.get(origin.get_absolute_url()).content.decode()
    assert "Utkast 2018-2019" not in client.get(plan_2016.get_absolute_url()).content.decode()
    client.force_login(coordinator)
    assert "Hemlig fortsättning" in client.get(origin.get_absolute_url()).content.decode()


def test_the_activity_page_shows_goals_and_effort_per_party(client, plan_2016):
    from decimal import Decimal

    from activities.models import EffortShare
    from governance.models import Organisation

    as_draft(plan_2016)
    activity = plan_2016.activities.get(number="2")
    activity.goals.add(plan_2016.goals.get(order=3))
    EffortShare.objects.create(
        activity=activity, organisation=Organisation.objects.get(name="Region Östergötland"), hours=Decimal("120")
    )
    EffortShare.objects.create(activity=activity, party="Konsulter", hours=Decimal("80.5"), note="Upphandlas")
    publish(plan_2016)
    page = client.get(activity.get_absolute_url()).content.decode()
    assert "Medarbetaren ska ha tillgång till aktuell och riktig" in page
    assert "Konsulter" in page and "80,5" in page and "Upphandlas" in page
    assert "Region Östergötland" in page


@pytest.mark.parametrize(("hours", "shown"), [("40.0", "40 h"), ("12.5", "12,5 h"), ("1200.0", "1\xa0200 h")])
def test_hours_without_a_written_effort_are_shown_in_swedish(client, plan_2016, hours, shown):
    """As the budget page shows hours: decimal comma, grouped thousands, no needless ",0"."""
    activity = make_activity(as_draft(plan_2016), number="H1", title="Timmar utan text", effort_hours=hours)
    publish(plan_2016)
    for url in (activity.get_absolute_url(), "/aktiviteter/?q=Timmar+utan+text"):
        page = client.get(url).content.decode()
        assert shown in page.replace("&nbsp;", "\xa0"), url


# --- Bad search input: bounded, answered in Swedish, never a server error ------------------------


def test_a_search_of_a_thousand_words_asks_for_fewer_instead_of_holding_the_server(client):
    words = " ".join("abcdefghijklmnopqrs" * 100)  # 1 900 one-letter words: 32 s on PostgreSQL before
    response = client.get(SEARCH, {"q": words})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Sök på högst 10 olika ord." in page
    assert "Sökningen får vara högst 200 tecken lång (den är 3799)." in page


def test_a_search_of_eleven_words_keeps_them_in_the_form_and_says_why_nothing_is_shown(client):
    words = "ett två tre fyra fem sex sju åtta nio tio elva"
    page = client.get(SEARCH, {"q": words}).content.decode()
    assert "Sök på högst 10 olika ord." in page
    assert f'value="{words}"' in page


def test_repeated_words_in_a_search_count_once(client):
    assert count_shown(client.get(SEARCH, {"q": " ".join(["npö", "NPÖ"] * 15)})) == 4


@pytest.mark.parametrize("per_page", ["-5", "0", "x", "1e3", "99999999999999999999"])
def test_any_page_size_in_the_address_shows_a_page_of_at_most_100_activities(client, per_page):
    plan = make_plan(title="Stor plan", status="adopted")
    Activity.objects.bulk_create(Activity(plan=plan, number=str(n), title=f"Insats {n}") for n in range(120))
    response = client.get(SEARCH, {"per_page": per_page, "plan": plan.pk})
    assert response.status_code == 200
    assert 1 <= len(titles(response)) <= 100


@pytest.mark.parametrize("params", [{"page": "-1"}, {"page": "x"}, {"sort": "-nonsense"}, {"sort": "plan__secret"}])
def test_junk_page_numbers_and_sort_keys_still_show_the_search(client, params):
    response = client.get(SEARCH, params)
    assert response.status_code == 200
    assert titles(response)


def test_the_lika_filter_is_checkboxes_in_a_fieldset_per_area(client):
    page = client.get(SEARCH, {"lika": ["L19", "A28"]}).content.decode()
    lika = page.split('<legend class="visually-hidden">LIKA-indikator</legend>', 1)[1].split('<div class="field', 1)[0]
    # Folded under a summary that names it and counts the ticked ones, open as two are ticked.
    assert '<details class="choices-toggle" open>' in page
    assert re.search(r'<summary>LIKA-indikator <span class="tag">2 valda</span></summary>', page)
    assert '<details class="choices-toggle">' in client.get(SEARCH).content.decode()  # folded when none is
    assert "<summary>LIKA-indikator</summary>" in client.get(SEARCH, {"lika": ""}).content.decode()  # none counted
    assert re.findall(r"<fieldset><legend>([^<]+)</legend>", lika) == [
        "Ledning",
        "Infrastruktur",
        "Kompetens",
        "Användning",
    ]
    assert "<select" not in lika
    checked = re.findall(r'<input type="checkbox" name="lika" value="(\w+)" id="id_lika_\d+" checked>', lika)
    assert checked == ["L19", "A28"]
    leadership = lika.split("<legend>Ledning</legend>", 1)[1].split("</fieldset>", 1)[0]
    assert re.findall(r'value="(\w+)"', leadership) and all(
        code.startswith("L") for code in re.findall(r'value="(\w+)"', leadership)
    )


def test_every_filters_empty_choice_reads_alla(client, plan_2016, coordinator):
    pages = [
        client.get(SEARCH).content.decode(),
        client.get(reverse("plans:actionplan_list")).content.decode(),
        client.get(plan_2016.get_absolute_url()).content.decode(),
    ]
    for page in pages:
        assert "---------" not in page
        form = page.split('class="filter-form"', 1)[1].split("</form>", 1)[0]
        assert len(re.findall(r'<option value=""(?: selected)?>Alla</option>', form)) >= 2


def test_the_search_names_each_plan_once_above_its_activities(client, plan_2016, plan_2014):
    page = client.get(SEARCH, {"cooperation": plan_2016.cooperation_id}).content.decode()
    headings = re.findall(r'<th scope="rowgroup" colspan="\d+"><a href="/planer/(\d+)/">', page)
    assert headings == [str(plan_2016.pk), str(plan_2014.pk)]  # the newer plan first, each once
    assert page.count("<tbody>") == 2
    assert ">Handlingsplan<" not in page.split("<thead>", 1)[1].split("</thead>", 1)[0]


def test_grouping_by_plan_reads_no_more_for_more_plans(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        cache.clear()  # the search's results are kept: read them anew
        with CaptureQueriesContext(connection) as captured:
            client.get(SEARCH, {"q": "grupp"})
        return len(captured)

    first = make_plan(title="Grupp ett")
    make_activity(first, number="1", title="Grupp A")
    publish(first)
    before = queries()
    for index in range(5):
        plan = make_plan(title=f"Grupp {index}", first_year=2030 + index, last_year=2031 + index)
        make_activity(plan, number="1", title=f"Grupp B{index}")
        publish(plan)
    assert queries() == before
    assert "Grupp B4" in titles(client.get(SEARCH, {"q": "grupp"}))
