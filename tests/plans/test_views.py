"""The plan list and plan page as readers use them: filters, sorting, pages, exports, access."""

import io
import re
from urllib.parse import unquote

import openpyxl
import pytest
from django.urls import reverse

from activities.models import Activity, LikaIndicator
from tests.helpers import csv_rows, make_activity, make_plan, publish

pytestmark = pytest.mark.django_db

LIST = reverse("plans:actionplan_list")


def rows_of(response):
    """The titles in the page's table body."""
    import re

    body = response.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<a href="/planer/\d+/">([^<]+)</a>', body)


def test_anonymous_readers_see_adopted_and_superseded_plans_but_no_drafts(client, h2o_plan):
    titles = rows_of(client.get(LIST))
    assert "Handlingsplan för ehälsa i Östergötland 2016-2017" in titles
    assert "Handlingsplan för ehälsa 2014-2015" in titles
    assert h2o_plan.title not in titles


def test_members_see_their_cooperations_drafts_in_the_list(client, h2o_plan, official_elsewhere):
    client.force_login(official_elsewhere)
    assert h2o_plan.title in rows_of(client.get(LIST))


def test_the_list_shows_activity_counts_and_municipal_adoption_progress(client):
    page = client.get(LIST).content.decode()
    assert "0 av 13 kommuner har antagit" in page
    assert ">11<" in page and ">31<" in page


def test_the_list_counts_adoption_as_the_adoption_page_does(client, plan_2016, plan_2014, vastkom_plan):
    """One definition (issue 19, item 12): of the municipalities asked to decide, those that adopted."""
    rows = {
        title: row
        for title, row in re.findall(
            r'<a href="[^"]*">([^<]+)</a></td>(.*?)</tr>', client.get(LIST).content.decode(), re.S
        )
    }
    status = client.get(reverse("adoption:adoption_status", args=[plan_2016.pk])).content.decode()
    count = re.search(r"\d+ av 13 kommuner har antagit", status).group(0)
    assert count in rows[plan_2016.title]
    for plan in (plan_2014, vastkom_plan):  # nobody was asked: not "0 av 13" or "0 av 49"
        assert "Ingen kommun tillfrågad" in rows[plan.title]
        assert (
            "Inga kommuner har ombetts att besluta."
            in client.get(reverse("adoption:adoption_status", args=[plan.pk])).content.decode()
        )


def test_adoption_progress_counts_municipalities_that_adopted(client, plan_2016):
    from datetime import date

    from governance.models import Body, Decision, Organisation

    mjolby_board = Body.objects.get(organisation__name="Mjölby kommun", name="Kommunstyrelsen")
    Decision.objects.create(
        plan=plan_2016,
        body=mjolby_board,
        meeting_date=date(2016, 3, 14),
        paragraph=40,
        kind="adopt",
        text="Kommunstyrelsen antar handlingsplanen.",
    )
    linkoping = Organisation.objects.get(name="Linköpings kommun")
    board = Body.objects.create(organisation=linkoping, name="Kommunstyrelsen", level=1)
    Decision.objects.create(plan=plan_2016, body=board, meeting_date=date(2016, 3, 1), kind="adopt", text="Antas.")
    Decision.objects.create(plan=plan_2016, body=board, meeting_date=date(2016, 3, 8), kind="adopt", text="Igen.")
    page = client.get(LIST, {"cooperation": plan_2016.cooperation_id, "status": "adopted"}).content.decode()
    assert "2 av 13 kommuner har antagit" in page


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "superseded"}, ["Handlingsplan för ehälsa 2014-2015"]),
        ({"year": "2019"}, ["Handlingsplan för e-hälsa – förslag till kommunerna i Västra Götaland"]),
        ({"county": "Östergötlands län", "year": "2014"}, ["Handlingsplan för ehälsa 2014-2015"]),
        ({"q": "östergötland 2016"}, ["Handlingsplan för ehälsa i Östergötland 2016-2017"]),
    ],
)
def test_the_plan_list_filters(client, params, expected):
    assert rows_of(client.get(LIST, params)) == expected


def test_the_cooperation_filter(client, ostergotland):
    titles = rows_of(client.get(LIST, {"cooperation": ostergotland.pk}))
    assert sorted(titles) == ["Handlingsplan för ehälsa 2014-2015", "Handlingsplan för ehälsa i Östergötland 2016-2017"]


@pytest.mark.parametrize("params", [{"year": "abc"}, {"year": "20167"}, {"cooperation": "999999"}, {"status": "bogus"}])
def test_nonsense_filter_values_show_an_error_and_the_page_still_renders(client, params):
    response = client.get(LIST, params)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Några filter kunde inte användas" in page
    assert rows_of(response) == []


def test_letters_typed_as_a_year_stay_in_the_form(client):
    page = client.get(LIST, {"year": "abc"}).content.decode()
    assert 'value="abc"' in page
    assert "Fyll i ett heltal." in page


def test_sorting_by_period(client):
    titles = rows_of(client.get(LIST, {"sort": "period"}))
    assert titles[0] == "Handlingsplan för ehälsa 2014-2015"
    titles = rows_of(client.get(LIST, {"sort": "-period"}))
    assert titles[-1] == "Handlingsplan för ehälsa 2014-2015"


def test_a_huge_page_number_shows_the_last_page(client):
    for index in range(30):
        make_plan(title=f"Antagen plan {index:02d}", status="adopted")
    response = client.get(LIST, {"page": "99999", "sort": "title"})
    assert response.status_code == 200
    assert "Sida 2 av 2" in response.content.decode()
    assert client.get(LIST, {"page": "x"}).status_code == 200


def test_csv_export_has_swedish_headers_and_the_filters_applied(client):
    response = client.get(LIST, {"status": "adopted", "export": "csv", "sort": "title"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "handlingsplaner-" in response["Content-Disposition"]
    rows = csv_rows(response.content)
    assert rows[0] == ["Titel", "Samverkan", "Period", "Status", "Aktiviteter", "Antagande i kommunerna"]
    assert [row[0] for row in rows[1:]] == [
        "Gemensam handlingsplan för ehälsa 2024–2026",
        "Handlingsplan för e-hälsa – förslag till kommunerna i Västra Götaland",
        "Handlingsplan för ehälsa i Östergötland 2016-2017",
        "Projektplan välfärdsteknik i hemtjänsten 2025–2027",
    ]
    assert rows[3][2:4] == ["2016–2017", "Antagen"]


def test_xlsx_export_keeps_numbers_as_numbers(client):
    response = client.get(LIST, {"status": "adopted", "export": "xlsx", "sort": "title"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    assert header[4] == "Aktiviteter"
    assert sheet.cell(row=4, column=1).value == "Handlingsplan för ehälsa i Östergötland 2016-2017"
    assert sheet.cell(row=4, column=5).value == 11
    assert isinstance(sheet.cell(row=4, column=5).value, int)


@pytest.mark.parametrize(
    "url, query",
    [(LIST, {"status": "adopted"}), ("/aktiviteter/", {"q": "trygghet"}), ("plan_2016", {"lika": "L19"})],
)
def test_every_table_offers_its_downloads_with_the_filters_kept(client, url, query, plan_2016):
    url = plan_2016.get_absolute_url() if url == "plan_2016" else url
    page = client.get(url, query).content.decode()
    links = re.findall(r'<a href="\?([^"]*export=(csv|xlsx)[^"]*)" download>(CSV|XLSX)</a>', page)
    assert [label for _, _, label in links] == ["CSV", "XLSX"]
    for href, _, _ in links:
        for name, value in query.items():
            assert f"{name}={value}" in href.replace("&amp;", "&")


def test_an_unknown_export_format_just_shows_the_page(client):
    response = client.get(LIST, {"export": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


# --- The plan page ----------------------------------------------------------------------------


def activity_rows(response):
    """The activity titles in the plan page's activity table (the timeline lists them all)."""
    import re

    table = response.content.decode().split('id="aktiviteter"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<a href="/aktiviteter/\d+/">([^<]+)</a>', table)


def test_the_plan_page_filters_its_activities(client, vastkom_plan):
    url = vastkom_plan.get_absolute_url()
    assert activity_rows(client.get(url, {"lika": "L19"})) == [
        "Delta i utbildning för att beräkna ekonomisk nytta med välfärdstekniska investeringar med hjälp av "
        "Myndigheten för delaktighets verktyg.",
        "Delta i utbildning kring E-Delegationens vägledning för att realisera beräknade nyttor",
    ]
    security = activity_rows(client.get(url, {"area": vastkom_plan.activities.get(number="15").area_id}))
    assert len(security) == 4 and "Införa Singel-Sign-On (SSO)." in security
    assert [title[:20] for title in activity_rows(client.get(url, {"q": "ssbtek"}))] == [
        "Bidra i regionala st",
        "Ansluta till SSBTEK",
    ]
    assert activity_rows(client.get(url, {"owner": "ingen"})) == []
    assert len(activity_rows(client.get(url, {"status": "planned"}))) == 31


def test_an_unknown_lika_code_is_a_form_error_not_a_server_error(client, vastkom_plan):
    response = client.get(vastkom_plan.get_absolute_url(), {"lika": "Z99"})
    assert response.status_code == 200
    assert "Z99 finns inte bland tillgängliga alternativ" in response.content.decode()


def test_the_plan_page_exports_its_activities(client, vastkom_plan):
    response = client.get(vastkom_plan.get_absolute_url(), {"lika": "L19", "export": "csv"})
    rows = csv_rows(response.content)
    assert rows[0] == [
        "Nr",
        "Område",
        "Aktivitet",
        "Ansvarig",
        "Insats",
        "Timmar, alla parter",
        "Insats i text, ingår inte i summan",
        "Period",
        "Status",
        "Läge",
        "Delmål",
        "LIKA",
        # For spreadsheets only: what an import of the sheet needs to give the same activities.
        "Innehåll",
        "Nytta",
        "Effektmål",
        "Regionalt samarbetsorgan",
        "Regional roll",
        "Gäller hela kommunen",
        "Genomförs av varje medlemskommun",
        "Nationella referenser",
    ]
    assert [(row[0], row[4], row[7], row[11]) for row in rows[1:]] == [
        ("10", "24 timmar/ person", "2016–2017", "L19"),
        ("16", "32 timmar/ person", "2017", "L19"),
    ]


def test_the_plan_page_draws_the_timeline_as_accessible_svg(client, vastkom_plan):
    page = client.get(vastkom_plan.get_absolute_url()).content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="timeline-title timeline-desc"' in page
    assert "Tidslinje för aktiviteterna" in page
    assert "28 aktiviteter placerade på åren 2016–2021" in page
    assert "<li>14 Genomföra informationsklassning" in page and ": 2017–2021</li>" in page
    assert "Ansluta till NPÖ.: Utifrån behov</li>" in page


def test_the_plan_page_shows_the_budget_summary_and_adoption_chain(client, plan_2016):
    page = client.get(plan_2016.get_absolute_url()).content.decode()
    assert "4\xa0607\xa0124" in page and "2\xa0303\xa0562" in page
    assert "1\xa0190\xa0649" in page
    assert "Sakområdessamråd vård och omsorg" in page and "OSN/2015:169" in page


def plan_with_activities(count, previous=None):
    plan = make_plan(title=f"Plan med {count} aktiviteter", status="adopted", previous_plan=previous)
    Activity.objects.bulk_create(
        Activity(plan=plan, number=str(n), order=n, title=f"Aktivitet {n}", start_year=2026, end_year=2027)
        for n in range(1, count + 1)
    )
    indicators = LikaIndicator.objects.all()[:2]
    for activity in plan.activities.all():
        activity.lika_indicators.set(indicators)
        activity.follow_ups.create(date="2026-06-01", phase="ongoing", text="Pågår")
    return plan


def queries_for(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["plans:actionplan_detail", "lika:plan"])
def test_plan_pages_run_the_same_number_of_queries_for_10_and_200_activities(client, page):
    counts = []
    for count in (10, 200):
        plan = plan_with_activities(count, previous=plan_with_activities(count))
        counts.append(queries_for(client, reverse(page, args=[plan.pk])))
    assert counts[0] == counts[1]


def test_the_plan_list_runs_the_same_number_of_queries_for_few_and_many_plans(client):
    few = queries_for(client, LIST)
    for _index in range(30):
        plan_with_activities(3)
    assert queries_for(client, LIST) == few


def test_lika_coverage_names_the_indicators_no_activity_addresses(client, plan_2016, vastkom_plan):
    page = client.get(reverse("lika:plan", args=[plan_2016.pk])).content.decode()
    assert "Planens aktiviteter berör 0 av 27 LIKA-indikatorer." in page
    assert "Förvaltningen följer aktivt upp effekter och kostnader" in page
    page = client.get(reverse("lika:plan", args=[vastkom_plan.pk])).content.decode()
    assert "Planens aktiviteter berör 27 av 27 LIKA-indikatorer." in page
    assert "Varje indikator berörs av minst en aktivitet." in page


def test_lika_coverage_of_a_plan_marks_the_right_cells(client, ostergotland):
    plan = make_plan(title="Liten plan")
    activity = make_activity(plan, number="1")
    activity.lika_indicators.set(activity.lika_indicators.model.objects.filter(code__in=["L19", "A28"]))
    publish(plan)
    page = client.get(reverse("lika:plan", args=[plan.pk])).content.decode()
    assert "Planens aktiviteter berör 2 av 27 LIKA-indikatorer." in page
    assert page.count('<span class="visually-hidden">Ja</span>') == 2


def test_lika_coverage_of_a_plan_downloads_as_a_spreadsheet(client, ostergotland):
    plan = make_plan(title="Liten plan")
    activity = make_activity(plan, number="1", title="Trygghetslarm")
    activity.lika_indicators.set(activity.lika_indicators.model.objects.filter(code__in=["L19", "A28"]))
    publish(plan)
    url = reverse("lika:plan", args=[plan.pk])
    assert 'href="?export=csv" download>CSV</a>' in client.get(url).content.decode()
    response = client.get(url, {"export": "csv"})
    assert "filename*=utf-8''lika-täckning-liten-plan-2026-2027.csv" in unquote(response["Content-Disposition"])
    rows = csv_rows(response.content)
    assert rows[0] == ["Indikator", "1 Trygghetslarm"]  # the activity in words, not its link
    by_code = {row[0].split(" ", 1)[0]: row for row in rows[1:]}
    assert len(by_code) == 27
    assert by_code["L19"][1] == by_code["A28"][1] == "Ja" and by_code["K6"][1] == ""
    assert by_code["L19"][0].startswith("L19 ") and len(by_code["L19"][0]) > 10  # the indicator's text too


def test_lika_coverage_of_a_cooperation_downloads_with_each_plans_activities(client, ostergotland):
    plan = make_plan(title="Täckningsplan")
    make_activity(plan, number="3a").lika_indicators.set(
        make_activity(plan, number="3b").lika_indicators.model.objects.filter(code="K6")
    )
    publish(plan)
    rows = csv_rows(client.get(reverse("lika:cooperation", args=[ostergotland.pk]), {"export": "csv"}).content)
    column = rows[0].index("Täckningsplan")
    k6 = next(row for row in rows if row[0].startswith("K6 "))
    assert k6[column] == "3a"
    assert all("<" not in header for header in rows[0])


def test_cooperation_coverage_lists_each_plans_activities_per_indicator(client, ostergotland, h2o_plan):
    plan = make_plan(title="Täckningsplan")
    make_activity(plan, number="3a").lika_indicators.set(
        make_activity(plan, number="3b").lika_indicators.model.objects.filter(code="K6")
    )
    publish(plan)
    page = client.get(reverse("lika:cooperation", args=[ostergotland.pk])).content.decode()
    assert "Samverkans planer berör 1 av 27 LIKA-indikatorer." in page
    assert ">3a</a>" in page
    h2o = client.get(reverse("lika:cooperation", args=[h2o_plan.cooperation_id])).content.decode()
    assert h2o_plan.title not in h2o


def test_a_drafts_coverage_answers_404_to_outsiders(client, h2o_plan):
    assert client.get(reverse("lika:plan", args=[h2o_plan.pk])).status_code == 404


@pytest.mark.parametrize("url", ["/planer/", "/aktiviteter/", "vastkom"])
def test_every_table_row_has_as_many_cells_as_the_header(client, url, vastkom_plan):
    import re

    page = client.get(vastkom_plan.get_absolute_url() if url == "vastkom" else url).content.decode()
    table = re.split(r'<table class="data(?: grouped[^"]*)?">', page, maxsplit=1)[1].split("</table>", 1)[0]
    headers = len(re.findall(r"<th scope=\"col\"", table.split("</thead>")[0]))
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table.split("</thead>")[1], re.S)
    assert rows and headers >= 6
    # a cell spanning columns (the search's heading of a plan's row group) counts as many
    widths = [
        sum(int(span or 1) for span in re.findall(r'<t[dh](?=[ >])(?:[^>]*colspan="(\d+)")?', row)) for row in rows
    ]
    assert all(width == headers for width in widths), widths


def test_a_plan_search_of_too_many_words_asks_for_fewer(client):
    response = client.get(LIST, {"q": " ".join("abcdefghijklmnopqrs" * 100)})
    assert response.status_code == 200
    assert "Sök på högst 10 olika ord." in response.content.decode()
    assert rows_of(client.get(LIST, {"q": "ehälsa " * 20})) == rows_of(client.get(LIST, {"q": "ehälsa"}))


@pytest.mark.parametrize("per_page", ["-5", "0", "x", "99999999999999999999"])
def test_any_page_size_in_the_address_shows_a_page_of_plans_or_activities(client, vastkom_plan, per_page):
    response = client.get(LIST, {"per_page": per_page})
    assert response.status_code == 200 and rows_of(response)
    response = client.get(vastkom_plan.get_absolute_url(), {"per_page": per_page})
    assert response.status_code == 200 and activity_rows(response)


def test_a_plans_activity_search_of_too_many_words_asks_for_fewer(client, vastkom_plan):
    response = client.get(vastkom_plan.get_absolute_url(), {"q": " ".join("abcdefghijklmnopqrs" * 100)})
    assert response.status_code == 200
    assert "Sök på högst 10 olika ord." in response.content.decode()
