"""Importing a table: the preview of 2 000 and of 20 000 activity rows, and their ratio.

    .venv/bin/python bench/import_preview.py [--rows 2000 20000] [--repeat 3]

The preview is what a worker does between the upload and the page that shows every row: read the
XLSX (find its header, count its rows, propose the columns' fields), check every row through the
mapping and store what each creates and what is wrong with it; then the preview page's first page
is rendered as its user asks for it. Each size is a generated workbook of realistic rows (effort as
written, periods, LIKA codes, national references, one row in a hundred with an error).

Target (issue 17): the preview of 20 000 rows in under 10 × the time of 2 000: no step may grow faster
than the rows. The median of ``--repeat`` runs of each size, taken in turn. Figures from one run.
"""

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ehalsa.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'bench' / 'results' / 'bench-import.sqlite3'}"

HEADER = [
    "Nr",
    "Område",
    "Aktivitet",
    "Ansvarig",
    "Effektmål",
    "Insats",
    "Tidsperiod",
    "LIKA",
    "Status",
    "Nationella referenser",
]
AREAS = [
    "Arkitektur",
    "Finansiering",
    "Informationssäkerhet",
    "Infrastruktur",
    "Kompetens välfärdsteknik",
    "Organisation",
]
EFFORTS = ["50 timmar", "24 timmar/ person", "Egen uträkning", "1 200,5 timmar", "8 timmar/ system"]
LIKA = ["L19", "I3, K6", "A28", "", "K13, A40"]


def workbook(rows: int) -> bytes:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Aktiviteter")
    sheet.append(["Handlingsplan för e-hälsa 2026–2027"])
    sheet.append([])
    sheet.append(HEADER)
    for n in range(1, rows + 1):
        sheet.append(
            [
                str(n),
                AREAS[n % len(AREAS)],
                f"Aktivitet {n}: införande av digital tjänst i kommunens verksamheter",
                "Nätverket för ehälsa",
                "Alla enheter använder tjänsten 2027 och följer upp effekterna årligen.",
                EFFORTS[n % len(EFFORTS)],
                "2026–2027" if n % 100 else "2027–2026",  # one row in a hundred has its period backwards
                LIKA[n % len(LIKA)],
                "Planerad",
                "Vision e-hälsa 2025: Standarder (sid 8)" if n % 3 == 0 else "",
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    (ROOT / "bench" / "results").mkdir(parents=True, exist_ok=True)
    database = ROOT / "bench" / "results" / "bench-import.sqlite3"
    for path in database.parent.glob(database.name + "*"):
        path.unlink()

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import transaction
    from django.test import Client
    from django.utils import translation

    call_command("migrate", verbosity=0)
    call_command("load_demo_data", verbosity=0, stdout=io.StringIO())
    from governance.models import Cooperation
    from plans.imports import services, steps
    from plans.imports.registry import importer_of
    from plans.models import ActionPlan, TableImport

    user = get_user_model().objects.get(username="samordnare")
    cooperation = Cooperation.objects.get(short_name="Östergötland")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)

    def preview(content: bytes, run: str) -> dict:
        plan = ActionPlan.objects.create(cooperation=cooperation, title=f"Bench {run}", first_year=2026, last_year=2027)
        with transaction.atomic():
            table_import, _ = services.import_upload(
                plan=plan,
                user=user,
                importer=importer_of("activities"),
                filename="aktiviteter.xlsx",
                content=content,
                language="sv",
            )
        times = {}
        with translation.override("sv"):
            start = time.perf_counter()
            steps.read_step(table_import)
            times["read"] = time.perf_counter() - start
            table_import.refresh_from_db()
            with transaction.atomic():
                services.import_map(table_import=table_import, mapping=table_import.mapping)
            table_import.refresh_from_db()
            start = time.perf_counter()
            steps.check_step(table_import)
            times["check"] = time.perf_counter() - start
        client.get(f"/planer/importer/{table_import.pk}/")  # templates compiled, as on a server that is up
        start = time.perf_counter()
        response = client.get(f"/planer/importer/{table_import.pk}/")
        times["page"] = time.perf_counter() - start
        table_import.refresh_from_db()
        assert response.status_code == 200 and table_import.status == TableImport.Status.CHECKED
        assert table_import.summary["rows"] == table_import.row_count
        times["total"] = times["read"] + times["check"] + times["page"]
        times["errors"] = table_import.summary["with_errors"]
        return times

    # The sizes in turn, ``--repeat`` times, so that a busy moment of a shared machine falls on all of them.
    contents = {rows: workbook(rows) for rows in options.rows}
    runs: dict[int, list[dict]] = {rows: [] for rows in options.rows}
    for repeat in range(options.repeat):
        for rows, content in contents.items():
            runs[rows].append(preview(content, f"{rows}-{repeat}"))
    results = {}
    for rows, content in contents.items():
        results[rows] = {key: statistics.median(run[key] for run in runs[rows]) for key in runs[rows][0]}
        r = results[rows]
        print(
            f"{rows:>7} rows ({len(content) / 1024:,.0f} kB): read {r['read']:6.2f} s, check {r['check']:6.2f} s, "
            f"first page {r['page'] * 1000:5.0f} ms, preview {r['total']:6.2f} s ({r['errors']:.0f} rows with errors)"
        )
    if len(options.rows) >= 2:
        small, large = min(options.rows), max(options.rows)
        ratio = results[large]["total"] / results[small]["total"]
        print(f"preview of {large} rows / {small} rows: {ratio:.1f}× for {large / small:.0f}× the rows (target < 10×)")


if __name__ == "__main__":
    main()
