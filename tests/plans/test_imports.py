"""Importing a table into a plan (issue 17, item 4): upload, mapping, preview, import, through the
pages, with the work done by the worker (the queue worked off in the test's process).

What an activity table's cells mean is tested in tests/activities/test_import.py, budget lines in
tests/finance/test_import.py; reading files (encodings, headers, formulas, refusals) here.
"""

import io
import zipfile
from datetime import timedelta

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from activities.models import Activity
from plans.imports import services
from plans.models import ColumnMapping, ImportRow, TableImport
from tests.helpers import make_plan, make_user, work_off_the_queue
from tests.importing import confirm, errors_of, imported, semicolon_csv, upload, with_saved_values, xlsx

pytestmark = pytest.mark.django_db

HEADER = ["Nr", "Område", "Aktivitet", "Ansvarig", "Tidsperiod", "LIKA"]


@pytest.fixture
def plan(ostergotland):
    return make_plan(ostergotland, title="Handlingsplan 2026–2027", first_year=2026, last_year=2027)


def page(response) -> str:
    return response.content.decode()


def upload_url(plan, kind="aktiviteter"):
    return reverse("plans:import_upload", args=[plan.pk, kind])


def test_a_coordinator_imports_activities_from_an_excel_file_through_the_pages(
    signed_in, plan, django_capture_on_commit_callbacks
):
    link = page(signed_in.get(plan.get_absolute_url()))
    assert f'href="{upload_url(plan)}"' in link and "Importera aktiviteter från Excel" in link
    form = page(signed_in.get(upload_url(plan)))
    assert 'enctype="multipart/form-data"' in form and "Filen med tabellen (XLSX eller CSV)" in form
    content = xlsx(
        [
            ["Handlingsplan e-hälsa 2026–2027"],
            [],
            HEADER,
            ["1", "Arkitektur", "Gemensam målarkitektur", "Nätverket", "2026–2027", "I3, K6"],
            ["2", "Kompetens välfärdsteknik", "Utbildning i välfärdsteknik", "", "2027", ""],
        ],
        merged=("A1:F1",),
    )
    response = upload(signed_in, plan, content, capture=django_capture_on_commit_callbacks)
    table_import = TableImport.objects.get(plan=plan)
    assert response["Location"] == table_import.get_absolute_url()
    assert not Activity.objects.filter(plan=plan).exists()  # nothing in the plan yet

    # Read: the mapping page, each column proposed from its header.
    detail = signed_in.get(table_import.get_absolute_url())
    assert detail.status_code == 302 and detail["Location"] == reverse("plans:import_mapping", args=[table_import.pk])
    mapping = page(signed_in.get(detail["Location"]))
    assert "Vad innehåller kolumnerna?" in mapping and "XLSX, bladet ”Aktiviteter”" in mapping
    assert '<option value="title" selected>Aktivitet</option>' in mapping
    assert "Till exempel: Gemensam målarkitektur · Utbildning i välfärdsteknik" in mapping
    fields = {f"column_{index}": key for index, key in enumerate(table_import.mapping)}
    assert list(fields.values()) == ["number", "area", "title", "owner", "period", "lika"]
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(detail["Location"], fields)
    assert response["Location"] == table_import.get_absolute_url()
    assert "Raderna kontrolleras" in page(signed_in.get(response["Location"]))  # under way: the page reloads itself
    work_off_the_queue()

    preview = page(signed_in.get(table_import.get_absolute_url()))
    assert "Gemensam målarkitektur" in preview and "Importera 2 aktiviteter" in preview
    assert not Activity.objects.filter(plan=plan).exists()
    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(reverse("plans:import_confirm", args=[table_import.pk]))
    work_off_the_queue()
    done = page(signed_in.get(table_import.get_absolute_url()))
    assert "2 aktiviteter importerades från aktiviteter.xlsx." in done
    activities = list(plan.activities.order_by("order"))
    assert [(a.number, a.title, a.period) for a in activities] == [
        ("1", "Gemensam målarkitektur", "2026–2027"),
        ("2", "Utbildning i välfärdsteknik", "2027"),
    ]
    assert [i.code for i in activities[0].lika_indicators.all()] == ["I3", "K6"]
    assert f'href="{activities[0].get_absolute_url()}"' in done


def test_the_plans_history_shows_the_import_as_one_entry_beside_what_it_created(signed_in, plan, coordinator):
    content = xlsx([HEADER, ["1", "Arkitektur", "Målarkitektur", "", "2026", ""]])
    confirm(imported(plan, coordinator, content, name="plan.xlsx"))
    history = page(signed_in.get(reverse("plans:actionplan_history", args=[plan.pk])))
    assert "importerade uppladdad tabell <q>plan.xlsx: 1 aktivitet</q>" in history
    table_import = TableImport.objects.get(plan=plan)
    assert (
        f'skapade aktivitet <q>1 Målarkitektur</q> <span class="note">(Import {table_import.pk}: plan.xlsx)' in history
    )
    record = Activity.history.get(plan_id=plan.pk, history_type="+")
    assert record.history_user == coordinator and record.history_change_reason == f"Import {table_import.pk}: plan.xlsx"


def test_nothing_is_imported_while_a_row_has_an_error_and_the_upload_and_mapping_are_kept(
    signed_in, plan, coordinator, django_capture_on_commit_callbacks
):
    content = xlsx(
        [
            HEADER,
            ["1", "Arkitektur", "Målarkitektur", "", "2026", "A99"],
            ["2", "Arkitektur", "Informationssäkerhet", "", "2027–2026", ""],
        ]
    )
    table_import = imported(plan, coordinator, content)
    preview = page(signed_in.get(table_import.get_absolute_url()))
    assert "2 rader har fel" in preview
    assert "Rad 2: LIKA-indikatorn A99 finns inte." in preview
    assert "Rad 3: perioden slutar före den börjar (2027–2026)." in preview
    assert reverse("plans:import_confirm", args=[table_import.pk]) not in preview  # no button to import
    response = signed_in.post(reverse("plans:import_confirm", args=[table_import.pk]), follow=True)
    assert "Inget importerades: 2 av raderna har fel." in page(response)
    assert not Activity.objects.filter(plan=plan).exists()
    # The upload and its mapping are kept: map again (a column left out), and it is checked anew.
    mapping = page(signed_in.get(reverse("plans:import_mapping", args=[table_import.pk])))
    assert '<option value="lika" selected>' in mapping
    assert table_import.file.content and TableImport.objects.get(pk=table_import.pk).mapping == table_import.mapping


def test_the_preview_lists_the_columns_that_are_not_imported(signed_in, plan, coordinator):
    content = xlsx([[*HEADER, "Kommentar"], ["1", "Arkitektur", "Målarkitektur", "", "2026", "", "Ring Eva"]])
    table_import = imported(plan, coordinator, content)
    assert table_import.summary["unknown_columns"] == ["Kommentar"]
    preview = page(signed_in.get(table_import.get_absolute_url()))
    assert "Kolumner som inte importeras:</strong> Kommentar." in preview
    assert "Ring Eva" not in preview


def test_a_mapping_is_remembered_for_the_cooperation_and_proposed_for_its_next_file(plan, coordinator, ostergotland):
    content = xlsx([["Id", "Insatsens namn", "Område"], ["A1", "Målarkitektur", "Arkitektur"]])
    first = imported(plan, coordinator, content, mapping=["number", "title", ""])
    assert ColumnMapping.objects.get(cooperation=ostergotland, kind="activities").columns == {
        "id": "number",
        "insatsens namn": "title",
        "område": "",
    }
    assert first.mapping == ["number", "title", ""]
    # Another plan of the cooperation, another file with the same headers: proposed as chosen before.
    other = make_plan(ostergotland, title="Nästa plan", first_year=2028, last_year=2029)
    again = xlsx([["Område", "Insatsens namn", "Id", "Ansvarig"], ["Arkitektur", "Målarkitektur", "B2", "Eva"]])
    second = imported(other, coordinator, again, name="ny.xlsx", mapping=None)
    assert second.mapping == ["", "title", "number", "owner"]


def test_an_error_while_creating_the_rows_leaves_nothing_half_imported(plan, coordinator, monkeypatch):
    content = xlsx([HEADER] + [[str(n), "Arkitektur", f"Insats {n}", "", "2026", "K6"] for n in range(1, 6)])
    table_import = imported(plan, coordinator, content)
    assert table_import.summary["valid"] == 5
    saved = []
    original = Activity.save

    def fail_on_the_third(self, *args, **kwargs):
        saved.append(self.title)
        if len(saved) == 3:
            raise OSError("disken är full")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Activity, "save", fail_on_the_third)
    confirm(table_import)  # the worker records the task as failed, with the error
    assert saved == ["Insats 1", "Insats 2", "Insats 3"]
    assert not Activity.objects.filter(plan=plan).exists()  # the first two were taken back too
    assert not Activity.history.filter(plan_id=plan.pk).exists()
    assert table_import.status == TableImport.Status.FAILED
    assert "Inget importerades" in table_import.problem and "disken är full" in table_import.problem
    monkeypatch.setattr(Activity, "save", original)
    with TestCase.captureOnCommitCallbacks(execute=True):  # "Försök igen"
        services.import_retry(table_import=table_import)
    work_off_the_queue()
    assert plan.activities.count() == 5


def test_the_same_file_uploaded_twice_is_one_import(signed_in, plan, django_capture_on_commit_callbacks):
    content = xlsx([HEADER, ["1", "Arkitektur", "Målarkitektur", "", "2026", ""]])
    upload(signed_in, plan, content, capture=django_capture_on_commit_callbacks)
    response = upload(signed_in, plan, content, capture=django_capture_on_commit_callbacks)
    assert TableImport.objects.filter(plan=plan).count() == 1
    assert "Den här filen är redan uppladdad" in page(signed_in.get(response["Location"], follow=True))


def test_a_file_that_is_not_a_spreadsheet_is_refused_at_once_in_swedish(
    signed_in, plan, django_capture_on_commit_callbacks
):
    for content, name in (
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "plan.pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "bild.png"),
    ):
        response = upload(signed_in, plan, content, name=name, capture=django_capture_on_commit_callbacks)
        assert response.status_code == 200
        assert "Filen är inte ett kalkylark (XLSX eller CSV)." in page(response)
        assert "Filen laddades inte upp." in page(response)
    assert not TableImport.objects.exists() and not DBTaskResult.objects.exists()


def test_an_old_excel_file_is_refused_with_how_to_save_it(signed_in, plan, django_capture_on_commit_callbacks):
    old = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
    response = upload(signed_in, plan, old, name="plan.xls", capture=django_capture_on_commit_callbacks)
    assert "Filen är i Excels äldre format (XLS)." in page(response)


def test_a_file_larger_than_ten_megabytes_is_refused(signed_in, plan, django_capture_on_commit_callbacks):
    big = semicolon_csv([["Nr", "Aktivitet"]]) + b"1;" + b"x" * (10 * 1024 * 1024)
    response = upload(signed_in, plan, big, name="stor.csv", capture=django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert "Filen är 10,0\xa0MB; filer på upp till 10,0\xa0MB kan importeras." in page(response).replace(
        "&nbsp;", "\xa0"
    )
    assert not TableImport.objects.exists()


def zip_bomb() -> bytes:
    """An "XLSX" whose sheet unpacks from a few hundred kilobytes to 300 MB of nothing."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            chunk = b"\x00" * (1024 * 1024)
            for _ in range(300):
                sheet.write(chunk)
    return out.getvalue()


def test_a_zip_bomb_disguised_as_xlsx_is_refused_before_it_is_opened(
    signed_in, plan, django_capture_on_commit_callbacks
):
    bomb = zip_bomb()
    assert len(bomb) < 1024 * 1024
    response = upload(signed_in, plan, bomb, name="aktiviteter.xlsx", capture=django_capture_on_commit_callbacks)
    text = page(response).replace("&nbsp;", "\xa0")
    assert "Filen skulle packas upp till långt mer än en tabell av den här storleken rymmer (300,0\xa0MB)" in text
    assert not TableImport.objects.exists()


def test_a_table_of_too_many_rows_is_refused_when_it_is_read(plan, coordinator, monkeypatch):
    monkeypatch.setattr("ehalsa.spreadsheets.MAX_ROWS", 3)
    content = semicolon_csv([["Nr", "Aktivitet"], *[[str(n), f"Insats {n}"] for n in range(1, 5)]])
    table_import = imported(plan, coordinator, content, name="lång.csv")
    assert table_import.status == TableImport.Status.REFUSED
    assert table_import.problem == (
        "Tabellen har fler än 3 rader, fler än som kan importeras på en gång. Dela upp den i flera filer."
    )


def test_a_semicolon_csv_in_windows_1252_is_read_with_its_swedish_letters(plan, coordinator):
    content = semicolon_csv(
        [
            ["Nr", "Område", "Aktivitet", "Insats", "Tidsperiod"],
            ["4", "Inköp/upphandling", "Gemensam upphandling av trygghetslarm", "1 200,5 timmar", "2026–2027"],
        ]
    )
    assert "å".encode("cp1252") in content
    table_import = imported(plan, coordinator, content, name="aktiviteter.csv")
    assert table_import.read_as == "CSV (windows-1252, avgränsad med semikolon)"
    activity = confirm(table_import) and plan.activities.get()
    assert (activity.area.name, activity.title) == ("Inköp/upphandling", "Gemensam upphandling av trygghetslarm")
    assert (str(activity.effort_hours), activity.effort_basis, activity.effort_note) == (
        "1200.5",
        "total",
        "1 200,5 timmar",
    )


def test_utf8_with_a_byte_order_mark_and_comma_separated_utf8_are_read(plan, coordinator):
    bom = "\ufeffNr;Aktivitet;Ansvarig\r\n1;Målarkitektur;Åsa Öberg\r\n".encode()
    table_import = imported(plan, coordinator, bom, name="bom.csv")
    assert table_import.headers == ["Nr", "Aktivitet", "Ansvarig"] and table_import.mapping == [
        "number",
        "title",
        "owner",
    ]
    assert table_import.rows.get().values["owner"] == "Åsa Öberg"
    commas = 'Nr,Aktivitet,Insats\n2,"Säker inloggning, steg 2","40 timmar"\n'.encode()
    table_import = imported(plan, coordinator, commas, name="komma.csv")
    assert table_import.read_as == "CSV (utf-8, avgränsad med kommatecken)"
    assert table_import.rows.get().values["title"] == "Säker inloggning, steg 2"


def test_merged_header_cells_title_rows_and_empty_rows(plan, coordinator):
    content = xlsx(
        [
            ["Handlingsplan för e-hälsa 2026–2027"],
            [None],
            ["Nr", "Aktivitet", "Nationella referenser", None, "Tids-\nperiod"],
            [None, None, "SKL nattetid 2017", "Vision e-hälsa 2025", None],
            ["1", "Målarkitektur", "", "Standarder (sid 8)", "2026"],
            [],
            [],
            ["2", "Trygghetslarm", "Utifrån individens behov (s10)", "", "2027"],
        ],
        merged=("A1:E1", "C3:D3", "A3:A4", "B3:B4", "E3:E4"),
    )
    table_import = imported(plan, coordinator, content)
    assert table_import.header_rows == [3, 4]
    assert table_import.headers == [
        "Nr",
        "Aktivitet",
        "Nationella referenser SKL nattetid 2017",
        "Nationella referenser Vision e-hälsa 2025",
        "Tids-period",
    ]
    assert table_import.mapping == [
        "number",
        "title",
        "reference:SKL nattetid 2017",
        "reference:Vision e-hälsa 2025",
        "period",
    ]
    assert table_import.summary["skipped_empty"] == 2
    assert [row.number for row in table_import.rows.all()] == [5, 8]
    confirm(table_import)
    first, second = plan.activities.order_by("order")
    assert [
        (r.framework.short_name, r.area.name if r.area else "", r.text, r.page) for r in first.references.all()
    ] == [("Vision e-hälsa 2025", "Standarder", "", "8")]
    assert [(r.framework.short_name, r.text, r.page) for r in second.references.all()] == [
        ("SKL nattetid 2017", "Utifrån individens behov", "10")
    ]


def test_a_formula_cell_is_read_by_its_saved_value_and_one_without_a_value_is_an_error(plan, coordinator):
    rows = [["Nr", "Aktivitet", "Insats"], ["1", "Målarkitektur", "=20+30"], ["2", "Utbildning", "=SUM(C2:C2)"]]
    content = with_saved_values(xlsx(rows), {"C2": "50"})
    table_import = imported(plan, coordinator, content)
    first, second = table_import.rows.all()
    assert first.values["effort"].startswith("50 h") and not first.errors
    assert second.errors == [
        "Rad 3: cellen C3 innehåller en formel (=SUM(C2:C2)) utan sparat värde: öppna filen i Excel och spara den "
        "igen, eller skriv in värdet"
    ]
    assert table_import.summary["formula_values"] == 1


def test_an_import_is_its_uploaders_other_coordinators_of_the_plan_are_refused(client, plan, coordinator, ostergotland):
    content = xlsx([HEADER, ["1", "Arkitektur", "Målarkitektur", "", "2026", ""]])
    table_import = imported(plan, coordinator, content)
    colleague = make_user("kollega", "coordinator", "Linköpings kommun")
    client.force_login(colleague)
    assert client.get(table_import.get_absolute_url()).status_code == 403
    assert client.post(reverse("plans:import_confirm", args=[table_import.pk])).status_code == 403
    assert client.get(upload_url(plan)).status_code == 200  # the colleague may upload their own


def test_a_stopped_worker_is_shown_with_a_way_to_try_again(signed_in, plan, coordinator):
    content = xlsx([HEADER, ["1", "Arkitektur", "Målarkitektur", "", "2026", ""]])
    table_import = imported(plan, coordinator, content)
    TableImport.objects.filter(pk=table_import.pk).update(
        status=TableImport.Status.CREATING, step="create", updated_at=timezone.now() - timedelta(hours=1)
    )
    stopped = page(signed_in.get(table_import.get_absolute_url()))
    assert "Arbetet avbröts innan det var klart" in stopped and "http-equiv" not in stopped
    assert f'action="{reverse("plans:import_retry", args=[table_import.pk])}"' in stopped


def test_removing_an_upload_removes_its_file_and_rows(signed_in, plan, coordinator):
    content = xlsx([HEADER, ["1", "Arkitektur", "Målarkitektur", "", "2026", "X1"]])
    table_import = imported(plan, coordinator, content)
    assert ImportRow.objects.filter(table_import=table_import).exists()
    response = signed_in.post(reverse("plans:import_discard", args=[table_import.pk]), follow=True)
    assert "Uppladdningen av tabell.xlsx togs bort; inget importerades." in page(response)
    assert not TableImport.objects.filter(pk=table_import.pk).exists() and not ImportRow.objects.exists()


def test_errors_mention_rows_by_their_number_in_the_file(plan, coordinator):
    content = xlsx([["Titel"], [None], ["Nr", "Aktivitet"], ["1", ""]], at=1)
    table_import = imported(plan, coordinator, content)
    assert errors_of(table_import) == ["Rad 4: aktiviteten saknar namn (kolumnen som kopplats till Aktivitet är tom)."]
