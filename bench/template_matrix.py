"""The region's view of a template (issue 18): VästKom's template with 31 activities and a local plan
for each of its 49 municipalities, against the same page with a few: time and SQL queries.

    .venv/bin/python bench/template_matrix.py [--repeat 5]

The number of queries must not grow with the number of municipalities (tests/activities/
test_local_matrix.py asserts it); this prints the page's time (median of ``--repeat``) beside it.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ehalsa.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'bench' / 'results' / 'bench-template-matrix.sqlite3'}"
os.environ.setdefault("DJANGO_MEDIA_ROOT", str(ROOT / "bench" / "results" / "media"))


def measure(client, url, repeat):
    from django.db import connection

    queries = []  # counted as they run: Django empties its own log when a request starts

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        assert client.get(url).status_code == 200
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - start)
    return len(queries), statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    (ROOT / "bench" / "results").mkdir(parents=True, exist_ok=True)
    database = ROOT / "bench" / "results" / "bench-template-matrix.sqlite3"
    if database.exists():
        database.unlink()

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    call_command("migrate", verbosity=0)
    call_command("load_demo_data", verbosity=0)
    from activities.local_models import LocalChoice
    from activities.local_plans import ActivityChoice, local_plan_create
    from plans.models import ActionPlan

    template = ActionPlan.objects.get(is_template=True, cooperation__short_name="VästKom")
    activities = list(template.activities.all())
    url = reverse("local_plans:template_matrix", args=[template.pk])
    client = Client(HTTP_HOST="127.0.0.1")
    members = list(template.cooperation.members.municipalities().order_by("name"))
    figures = []
    rng = random.Random(2026)
    choices = [LocalChoice.Choice.TAKEN] * 6 + [LocalChoice.Choice.LEFT_OUT, LocalChoice.Choice.CHANGED]
    for municipality in members:
        if municipality.local_plans.exists():
            continue
        picks = {}
        for activity in activities:
            choice = rng.choice(choices)
            reason = "Ej aktuellt för kommunen." if choice == LocalChoice.Choice.LEFT_OUT else ""
            note = "Lokal anpassning." if choice == LocalChoice.Choice.CHANGED else ""
            picks[str(activity.lineage)] = ActivityChoice(choice, reason=reason, note=note)
        local = local_plan_create(template=template, municipality=municipality, choices=picks)
        ActionPlan.objects.filter(pk=local.pk).update(status=ActionPlan.Status.ADOPTED)
        adopted = ActionPlan.objects.filter(template_version__plan=template, status="adopted").count()
        if adopted in (4, len(members)):
            figures.append((adopted, *measure(client, url, options.repeat)))
    print(f"{'adopted local plans':>20} {'activities':>10} {'queries':>8} {'median ms':>10}")
    for adopted, queries, seconds in figures:
        print(f"{adopted:>20} {len(activities):>10} {queries:>8} {seconds * 1000:>10.1f}")
    (few, few_queries, _), (many, many_queries, _) = figures[0], figures[-1]
    verdict = "same" if few_queries == many_queries else "GROWS"
    print(f"queries at {few} and {many} municipalities: {verdict}")
    return 0 if few_queries == many_queries else 1


if __name__ == "__main__":
    sys.exit(main())
