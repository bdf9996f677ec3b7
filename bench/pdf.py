"""PDF export: the app's time next to WeasyPrint's own rendering of the same HTML, the stored file's
serving time next to rendering it, a stamped appendix next to rendering, and whether other pages
keep answering while PDFs render.

    .venv/bin/python bench/pdf.py [--repeat 3]

Targets (issue 7): the app's overhead over WeasyPrint ≤ 15 %; serving a stored adopted PDF
≥ 100× faster than rendering it; pages keep answering during two large exports. Issue 14: the
stamped appendix of the Östergötland plan (a recorded decision's stamp laid onto its stored PDF,
served) ≤ 0.1 × a full render of the same plan. Ratios from one run.
"""

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ehalsa.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'bench' / 'results' / 'bench-pdf.sqlite3'}"
os.environ.setdefault("DJANGO_MEDIA_ROOT", str(ROOT / "bench" / "results" / "media"))


def timed(function, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    (ROOT / "bench" / "results").mkdir(parents=True, exist_ok=True)
    database = ROOT / "bench" / "results" / "bench-pdf.sqlite3"
    if database.exists():
        database.unlink()

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from weasyprint import HTML

    call_command("migrate", verbosity=0)
    call_command("load_demo_data", verbosity=0)
    from activities.models import Activity
    from ehalsa.pdf import render_pdf
    from governance.models import Decision
    from plans.models import ActionPlan, StoredPdf
    from plans.pdf import plan_pdf_bytes, plan_pdf_html

    big = ActionPlan.objects.create(
        cooperation_id=ActionPlan.objects.first().cooperation_id,
        title="Genererad plan med 300 aktiviteter",
        first_year=2026,
        last_year=2028,
    )
    Activity.objects.bulk_create(
        Activity(
            plan=big,
            number=str(n),
            order=n,
            title=f"Aktivitet {n}: införande av digital tjänst",
            content="Förstudie, upphandling och införande i samtliga kommuner. " * 3,
            start_year=2026 + n % 3,
            end_year=2028,
        )
        for n in range(1, 301)
    )
    ActionPlan.objects.filter(pk=big.pk).update(status=ActionPlan.Status.ADOPTED)  # public, without a version
    plans = [
        (
            "Östergötland 2016–2017",
            ActionPlan.objects.get(title__startswith="Handlingsplan för ehälsa i Östergötland 2016"),
        ),
        ("VästKom", ActionPlan.objects.get(cooperation__short_name="VästKom", is_template=True)),
        ("300 activities", big),
    ]
    print(f"{'plan':26} {'app export s':>12} {'WeasyPrint s':>12} {'overhead':>9}")
    for label, plan in plans:
        html = plan_pdf_html(plan)
        weasy = timed(
            lambda html=html: HTML(string=html).write_pdf(pdf_variant="pdf/a-2b", pdf_tags=True), options.repeat
        )
        app = timed(lambda plan=plan: render_pdf(plan_pdf_html(plan)), options.repeat)
        print(f"{label:26} {app:12.2f} {weasy:12.2f} {app / weasy - 1:9.1%}  (target ≤ 15 %)")

    client = Client(HTTP_HOST="127.0.0.1")
    adopted = plans[0][1]
    url = f"/planer/{adopted.pk}/pdf/"
    assert StoredPdf.objects.filter(plan=adopted).exists()  # load_demo_data stored it, as adopting does
    render_time = timed(lambda: plan_pdf_bytes(adopted), options.repeat)

    def serve():
        response = client.get(url)
        b"".join(response.streaming_content)

    serve_time = timed(serve, 20)
    print(
        f"adopted PDF: rendering {render_time:.2f} s, "
        f"stored download {serve_time * 1000:.1f} ms: "
        f"{render_time / serve_time:.0f}× faster (target ≥ 100×)"
    )

    decision = Decision.objects.get(plan=adopted, paragraph=17)  # Omsorgs- och socialnämnden 2016-01-26 § 17
    stored_bytes = b"".join(client.get(url).streaming_content)

    def serve_stamped():
        response = client.get(url, {"decision": decision.pk})
        assert response.status_code == 200 and response.content.startswith(stored_bytes)

    stamped_time = timed(serve_stamped, 20)
    print(
        f"stamped appendix of the Östergötland plan: {stamped_time * 1000:.0f} ms served, "
        f"full render {render_time:.2f} s: {stamped_time / render_time:.3f} × (target ≤ 0.1)"
    )

    # Pages while two large PDFs render in other threads of this process. Requests no longer render
    # PDFs (a worker process does, plans/tasks.py), so this is the worst case: a worker in-process.
    page_times = []
    stop = threading.Event()

    def export():
        while not stop.is_set():
            plan_pdf_bytes(big)

    exporters = [threading.Thread(target=export) for _ in range(2)]
    for thread in exporters:
        thread.start()
    reader = Client(HTTP_HOST="127.0.0.1")
    deadline = time.perf_counter() + 10
    while time.perf_counter() < deadline:
        start = time.perf_counter()
        assert reader.get("/planer/").status_code == 200
        page_times.append(time.perf_counter() - start)
    stop.set()
    for thread in exporters:
        thread.join()
    print(
        f"plan list while two 300-activity PDFs render: {len(page_times)} answers in 10 s, "
        f"median {statistics.median(page_times) * 1000:.0f} ms, slowest {max(page_times) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
