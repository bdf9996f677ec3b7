"""Downloads open as they should in Swedish Excel and say what they are (issue 19, items 14 and 17).

CSV: UTF-8 with a byte order mark, semicolons between cells, decimal commas, one number format per
column, ISO dates; XLSX keeps numbers as numbers. File names name the plan and its period."""

import io
import re
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import unquote

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from ehalsa.tables import attachment, download_name, swedish_csv_columns
from tests.helpers import csv_rows, make_plan

pytestmark = pytest.mark.django_db


def budget_csv(client, plan):
    return client.get(reverse("finance:budget", args=[plan.pk]), {"export": "csv"})


def test_a_csv_download_starts_with_the_byte_order_mark_and_separates_cells_with_semicolons(client, plan_2016):
    content = client.get(plan_2016.get_absolute_url(), {"export": "csv"}).content
    assert content.startswith(b"\xef\xbb\xbfNr;Omr\xc3\xa5de;Aktivitet;")
    assert csv_rows(content)[1][:3] == ["1", "", "Nationell Patientöversikt (NPÖ) 2.0"]


def test_amounts_in_a_csv_have_a_decimal_comma_and_always_two_decimals(client, plan_2016):
    rows = csv_rows(budget_csv(client, plan_2016).content)
    header = rows[0]
    costs_2014 = next(row for row in rows if row[1] == "Kostnader 2014")
    assert costs_2014[header.index("Totalt (kr)")] == "-2036774,00"
    assert costs_2014[header.index("Kommunerna (kr)")] == "-1018387,00"
    assert costs_2014[header.index("Från") :][:2] == ["2014-01-01", "2014-12-31"]  # dates in ISO form
    money = [i for i, name in enumerate(header) if name.endswith("(kr)")]
    amounts = [row[i] for row in rows[1:] for i in money if row[i]]
    assert len(amounts) > 20
    assert [amount for amount in amounts if not re.fullmatch(r"-?\d+,\d\d", amount)] == []


def test_the_same_amounts_stay_numbers_in_xlsx(client, plan_2016):
    response = client.get(reverse("finance:budget", args=[plan_2016.pk]), {"export": "xlsx"})
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    costs_2014 = next(row for row in rows if row[1] == "Kostnader 2014")
    assert costs_2014[rows[0].index("Totalt (kr)")] == -2036774


def test_a_column_of_numbers_has_one_format_whatever_each_number_needs():
    rows = [[Decimal("112.5"), 3, "7a"], [1140, 4, date(2016, 2, 29)], [None, 5, datetime(2016, 2, 29, 14, 5)]]
    assert swedish_csv_columns(rows, [None, None, None]) == [
        ["112,5", "3", "7a"],
        ["1140,0", "4", "2016-02-29"],
        [None, "5", "2016-02-29 14:05"],
    ]
    assert swedish_csv_columns([[Decimal("1234.5")], [7]], [2]) == [["1234,50"], ["7,00"]]


def test_the_plan_lists_adoption_column_says_what_the_page_says(client, plan_2016):
    rows = csv_rows(client.get(reverse("plans:actionplan_list"), {"export": "csv"}).content)
    adoption = {row[0]: row[rows[0].index("Antagande i kommunerna")] for row in rows[1:]}
    assert adoption[plan_2016.title] == "0 av 13 kommuner har antagit"
    assert adoption["Gemensam handlingsplan för ehälsa 2024–2026"] == "Ingen kommun tillfrågad"
    page = client.get(reverse("plans:actionplan_list")).content.decode()
    assert "0 av 13 kommuner har antagit" in page and "Ingen kommun tillfrågad" in page


# --- File names -------------------------------------------------------------------------------------


def filename_of(response) -> tuple[str, str]:
    """The ASCII name and, when there is one, the UTF-8 name (``filename*``) of a download."""
    header = response["Content-Disposition"]
    ascii_name = re.search(r'filename="([^"]+)"', header).group(1)
    utf8 = re.search(r"filename\*=utf-8''(\S+)", header)
    return ascii_name, unquote(utf8.group(1)) if utf8 else ascii_name


@pytest.mark.parametrize("export", ["csv", "xlsx"])
def test_a_plans_activities_download_is_named_after_the_plan_and_its_period(client, plan_2016, export):
    response = client.get(plan_2016.get_absolute_url(), {"export": export})
    assert filename_of(response) == (
        f"aktiviteter-handlingsplan-for-ehalsa-i-ostergotland-2016-2017.{export}",
        f"aktiviteter-handlingsplan-för-ehälsa-i-östergötland-2016-2017.{export}",
    )


def test_a_drafts_download_is_dated_as_it_changes(client, h2o_plan):
    from tests.helpers import make_user

    client.force_login(make_user("h2o-lasare", "viewer", h2o_plan.cooperation.members.first().name))
    today = timezone.localdate().isoformat()
    for url in (h2o_plan.get_absolute_url(), reverse("lika:plan", args=[h2o_plan.pk])):
        response = client.get(url, {"export": "csv"})
        assert filename_of(response)[0].endswith(f"-{today}.csv"), url


def test_the_search_names_its_download_after_the_chosen_plan_or_the_filters_and_the_day(client, plan_2016):
    search = reverse("activities:activity_search")
    today = timezone.localdate().isoformat()
    chosen = client.get(search, {"plan": plan_2016.pk, "export": "csv"})
    assert filename_of(chosen)[0] == "aktiviteter-handlingsplan-for-ehalsa-i-ostergotland-2016-2017.csv"
    ongoing = client.get(search, {"plan": plan_2016.pk, "status": "ongoing", "export": "csv"})
    assert filename_of(ongoing)[1] == "aktiviteter-handlingsplan-för-ehälsa-i-östergötland-2016-2017-pågående.csv"
    every = client.get(search, {"export": "csv"})
    assert filename_of(every) == (f"aktiviteter-{today}.csv",) * 2
    searched = client.get(search, {"q": "npö", "lika": ["L19", "A28"], "export": "csv"})
    assert filename_of(searched)[1] == f"aktiviteter-npö-l19-a28-{today}.csv"  # two searches, two names


def test_the_budget_and_the_plan_list_downloads_say_what_they_hold(client, plan_2016):
    assert (
        filename_of(budget_csv(client, plan_2016))[1] == "budget-handlingsplan-för-ehälsa-i-östergötland-2016-2017.csv"
    )
    listed = client.get(reverse("plans:actionplan_list"), {"export": "xlsx"})
    assert filename_of(listed)[0] == f"handlingsplaner-{timezone.localdate().isoformat()}.xlsx"
    adopted = client.get(reverse("plans:actionplan_list"), {"status": "adopted", "export": "xlsx"})
    assert filename_of(adopted)[0] == f"handlingsplaner-antagen-{timezone.localdate().isoformat()}.xlsx"
    in_2016 = client.get(reverse("plans:actionplan_list"), {"year": "2016", "export": "xlsx"})
    assert filename_of(in_2016)[1] == f"handlingsplaner-år-som-omfattas-2016-{timezone.localdate().isoformat()}.xlsx"
    refused = client.get(reverse("plans:actionplan_list"), {"status": "nonsense", "export": "xlsx"})
    assert filename_of(refused)[0] == f"handlingsplaner-{timezone.localdate().isoformat()}.xlsx"  # no filter used


def test_a_plan_whose_title_lacks_its_period_gets_it_and_a_revision_says_so(plan_2016):
    plan = make_plan(title="Handlingsplan – e-hälsa", first_year=2026, last_year=2028, revision_of=plan_2016)
    assert (
        download_name("aktiviteter", *plan.download_name_parts)
        == "aktiviteter-handlingsplan-e-hälsa-2026-2028-revision"
    )


def test_a_name_with_swedish_letters_has_an_ascii_name_beside_it():
    assert attachment("budget-östergötland.csv") == (
        "attachment; filename=\"budget-ostergotland.csv\"; filename*=utf-8''budget-%C3%B6sterg%C3%B6tland.csv"
    )
    assert attachment("handlingsplaner-2026-11-30.csv") == 'attachment; filename="handlingsplaner-2026-11-30.csv"'


def test_a_yes_or_no_filter_names_the_download_in_words(client, plan_2016):
    late = client.get(reverse("activities:activity_search"), {"late": "true", "export": "csv"})
    today = timezone.localdate().isoformat()
    assert filename_of(late)[1] == f"aktiviteter-försenad-{today}.csv"  # as the filter's choice reads
    in_time = client.get(reverse("activities:activity_search"), {"late": "false", "export": "csv"})
    assert filename_of(in_time)[1] == f"aktiviteter-i-tid-{today}.csv"
