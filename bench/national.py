"""Activity search and plan list at national scale, on PostgreSQL: 1 000 against 100 000 activities.

    .venv/bin/python bench/national.py [--sizes 1000 100000] [--requests 40] [--reuse]

For each size it makes a database of its own on the local PostgreSQL (``ehalsa_bench_<size>``,
rebuilt each run unless ``--reuse`` finds it from an earlier run, which then is only migrated;
``BENCH_POSTGRES`` overrides the server address), migrates it, runs
``generate_national_data --activities <size>`` and then renders each page in one process with
Django's test client, the page cache emptied before every request (what the first reader after a
change gets), for anonymous readers and for a signed-in coordinator. It prints the median (p50) and
p90 per page and size, and the ratio of the largest size's p50 to the smallest's.
Target (issue 8): p50 at 100 000 <= 1.5 x p50 at 1 000.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

# bench/ is on sys.path when a bench runs
from common import POSTGRES, fresh_postgres_database, postgres_database_exists

ROOT = Path(__file__).resolve().parent.parent

PAGES = [
    ("activity search", "/aktiviteter/"),
    ("activity search, page 3", "/aktiviteter/?page=3"),
    ("activity search, text", "/aktiviteter/?q=trygghetslarm"),
    ("activity search, word in no activity", "/aktiviteter/?q=journalgranskning"),
    ("activity search, year + LIKA", "/aktiviteter/?year=2024&lika=L2"),
    ("plan list", "/planer/"),
    ("plan list, adopted", "/planer/?status=adopted"),
]


def build(size: int, reuse: bool) -> str:
    name = f"ehalsa_bench_{size}"
    found = reuse and postgres_database_exists(name)
    url = f"{POSTGRES}/{name}" if found else fresh_postgres_database(name)
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "1"}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    if found:
        print(f"  {size:>7} activities: database {name} from an earlier run", flush=True)
    else:
        started = time.monotonic()
        subprocess.run(
            [*manage, "generate_national_data", "--activities", str(size)],
            env=env,
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        print(f"  {size:>7} activities generated in {time.monotonic() - started:.0f} s", flush=True)
    subprocess.run(
        [
            *manage,
            "shell",
            "--no-imports",
            "-c",
            "from django.db import connection; connection.cursor().execute('VACUUM ANALYZE')",
        ],
        env=env,
        check=True,
        cwd=ROOT,
    )
    return url


def measure(requests: int) -> dict:
    """Run inside the bench's own process for one database (DATABASE_URL)."""
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ehalsa.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.test import Client

    from governance.models import Membership

    coordinator, _ = get_user_model().objects.get_or_create(username="bench-samordnare")
    region = Membership.objects.model._meta.get_field("organisation").related_model.objects.get(
        name="Region Östergötland"
    )
    Membership.objects.get_or_create(user=coordinator, organisation=region, role=Membership.Role.COORDINATOR)
    results = {}
    for reader in ("anonymous", "signed in"):
        client = Client(HTTP_HOST="127.0.0.1")
        if reader == "signed in":
            client.force_login(coordinator)
        for label, url in PAGES:
            for _ in range(3):  # warm up
                cache.clear()
                assert client.get(url).status_code == 200, url
            times = []
            for _ in range(requests):
                cache.clear()
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200
            times.sort()
            results[f"{label} ({reader})"] = {
                "p50": statistics.median(times),
                "p90": times[int(len(times) * 0.9) - 1],
                "rows": response.content.count(b"<tr") - 1,  # table rows on the page, less the header
            }
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100000])
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--reuse", action="store_true", help="keep the databases of an earlier run")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.requests)))
        return
    figures = {}
    for size in args.sizes:
        url = build(size, args.reuse)
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "1", "DJANGO_LOG_LEVEL": "WARNING"}
        done = subprocess.run(
            [sys.executable, __file__, "--measure", "--requests", str(args.requests)],
            env=env,
            check=True,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        figures[size] = json.loads(done.stdout.strip().splitlines()[-1])
    small, large = min(args.sizes), max(args.sizes)
    print(
        f"\n{'page':<52}"
        + "".join(f"{f'p50 @ {s}':>15}" for s in args.sizes)
        + f"{'ratio':>8}  target <= 1.5   rows shown"
    )
    worst = 0.0
    for label in figures[small]:
        ratio = figures[large][label]["p50"] / figures[small][label]["p50"]
        worst = max(worst, ratio)
        cells = "".join(f"{figures[s][label]['p50']:>12.1f} ms" for s in args.sizes)
        rows = " / ".join(str(figures[s][label]["rows"]) for s in args.sizes)
        print(f"{label:<52}{cells}{ratio:>7.2f}x {'ok' if ratio <= 1.5 else 'OVER':<14}{rows}")
    print(
        f"\nworst ratio {worst:.2f}x (p90 at {large}: "
        + ", ".join(f"{k} {v['p90']:.0f} ms" for k, v in figures[large].items())
        + ")"
    )


if __name__ == "__main__":
    main()
