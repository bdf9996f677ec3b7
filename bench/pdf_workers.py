"""Plan pages while PDF workers render: p99 idle against p99 while four 300-activity PDFs render.

    .venv/bin/python bench/pdf_workers.py [--seconds 20] [--connections 4] [--workers 2]

Builds its own PostgreSQL database (``ehalsa_pdf_workers``) with the demo data and four drafts of
300 activities each, serves it as in production (gunicorn, ``gunicorn.conf.py``) and starts
``--workers`` PDF workers (``manage.py db_worker``) at the CPU priority the README's worker service
gives them (``--priority``). ``--connections`` readers fetch plan pages (an adopted plan, its table
sorted, the plan list), ``--pause`` seconds apart, for ``--seconds`` with nothing rendering; then the
coordinator asks for the four drafts' PDFs ("Skapa PDF") and the readers go on until all four are
made. Prints p50/p99 of both runs, their ratio, and the renders' wall time.

Target (issue 14): p99 of plan pages while four 300-activity PDFs render ≤ 2 × their p99 when idle.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from load import PORT, ROOT, Client, build  # bench/ is on sys.path when a bench runs

DRAFTS = """
from activities.models import Activity
from governance.models import Cooperation
from plans.models import ActionPlan

cooperation = Cooperation.objects.get(short_name="Östergötland")
for n in range(1, 5):
    plan = ActionPlan.objects.create(
        cooperation=cooperation, title=f"Stor plan {n}", first_year=2030, last_year=2032, status="draft"
    )
    Activity.objects.bulk_create(
        Activity(
            plan=plan,
            number=str(i),
            order=i,
            title=f"Insats {i} i plan {n}: digitala trygghetslarm och e-tjänster",
            content="Kommunerna inför och följer upp digitala lösningar tillsammans med regionen. " * 4,
            owner="Nätverket för ehälsa",
            start_year=2030 + i % 3,
            end_year=2032,
        )
        for i in range(1, 301)
    )
    print(plan.pk)
"""


# How the workers yield the CPU to the web server, as the README's worker service sets it.
LOWER = {"idle": ["chrt", "--idle", "0"], "nice": ["nice", "-n", "10"], "same": []}


SLOW = []  # (ms, path, when) of every page read, for BENCH_DEBUG=1


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def read_pages(paths, seconds_or_event, connections, pause):
    """``connections`` readers fetching ``paths`` in turn, ``pause`` s apart; response times in ms."""
    times, errors, lock = [], [], threading.Lock()
    deadline = time.monotonic() + seconds_or_event if isinstance(seconds_or_event, float) else None

    def reader(offset):
        client = Client()
        index = offset
        while (time.monotonic() < deadline) if deadline else not seconds_or_event.is_set():
            path = paths[index % len(paths)]
            index += 1
            start = time.perf_counter()
            status, _ = client.request("GET", path)
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                (times if status == 200 else errors).append(elapsed if status == 200 else (path, status))
                SLOW.append((elapsed, path, time.monotonic()))
            time.sleep(pause)

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return times, errors


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pause", type=float, default=0.05, help="each reader's pause between pages (s)")
    parser.add_argument("--priority", choices=sorted(LOWER), default="idle", help="the workers' CPU priority")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="ehalsa-pdf-workers-"))
    env = build(workdir, "ehalsa_pdf_workers")
    made = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", DRAFTS],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    drafts = made.stdout.decode().split()
    log = open(workdir / "server.log", "wb")  # noqa: SIM115 — closed below
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "ehalsa.wsgi", "-c", str(ROOT / "gunicorn.conf.py")],
        cwd=ROOT,
        env=env | {"GUNICORN_BIND": f"127.0.0.1:{PORT}", "GUNICORN_WORKERS": "2"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    workers = [
        subprocess.Popen(
            [*LOWER[args.priority], sys.executable, "manage.py", "db_worker", "--no-reload", "--worker-id", f"w{n}"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        for n in range(args.workers)
    ]
    try:
        wait_until_up()
        reader = Client()
        _, plans = reader.request("GET", "/planer/?status=adopted")
        adopted = sorted(set(re.findall(rb'href="(/planer/\d+/)"', plans)))[0].decode()
        coordinator = Client()
        coordinator.log_in("samordnare")
        paths = [adopted, "/planer/", adopted + "?sort=title"]  # the plan as read, the list, a sorted table
        read_pages(paths, 3.0, args.connections, args.pause)  # warm up
        idle, idle_errors = read_pages(paths, args.seconds, args.connections, args.pause)

        done = threading.Event()
        started = time.monotonic()
        for draft in drafts:
            _, page = coordinator.request("GET", f"/planer/{draft}/")
            status, _ = coordinator.request(
                "POST", f"/planer/{draft}/pdf/skapa/", {"csrfmiddlewaretoken": coordinator.csrf_of(page)}
            )
            assert status == 302, f"Skapa PDF for plan {draft} answered {status} (drafts: {drafts})"

        def watch():
            watcher = Client(coordinator.cookies)
            while True:
                statuses = [watcher.request("GET", f"/planer/{draft}/pdf/status/")[0] for draft in drafts]
                if all(status == 200 for status in statuses) or time.monotonic() - started > 900:
                    break
                time.sleep(3)  # as the status page reloads itself (<meta http-equiv="refresh" content="3">)
            done.set()

        watcher = threading.Thread(target=watch)
        watcher.start()
        busy, busy_errors = read_pages(paths, done, args.connections, args.pause)
        watcher.join()
        rendering = time.monotonic() - started
        ready = [coordinator.request("GET", f"/planer/{draft}/pdf/")[0] for draft in drafts]
    finally:
        for process in [*workers, server]:
            process.terminate()
        for process in [*workers, server]:
            process.wait(timeout=30)
        log.close()
        errors = [line for line in (workdir / "server.log").read_text().splitlines() if "Traceback" in line]
        shutil.rmtree(workdir, ignore_errors=True)

    print(f"{args.connections} readers, {args.workers} PDF workers (priority {args.priority}), gunicorn 2 workers:")
    for name, times, failed in (("idle", idle, idle_errors), ("while rendering", busy, busy_errors)):
        print(
            f"  {name:16} {len(times):5} pages  p50 {statistics.median(times):6.1f} ms  "
            f"p95 {percentile(times, 0.95):6.1f} ms  p99 {percentile(times, 0.99):6.1f} ms  "
            f"max {max(times):6.1f} ms  errors {len(failed)}"
        )
    ratio = percentile(busy, 0.99) / percentile(idle, 0.99)
    if os.environ.get("BENCH_DEBUG"):  # the slowest pages, and when (s after the PDFs were asked for)
        for elapsed, path, at in sorted(SLOW)[-30:]:
            print(f"    {elapsed:7.1f} ms {path} at {at - started:6.1f} s")
    print(f"  four 300-activity PDFs made in {rendering:.1f} s; downloads answered {sorted(set(ready))}")
    print(f"  p99 while rendering / p99 idle: {ratio:.2f} × (target ≤ 2)")
    if errors:
        print(f"  the server or a worker logged {len(errors)} tracebacks")
    return 0 if ratio <= 2 and not errors and set(ready) == {200} else 1


def wait_until_up():
    client = Client()
    for _ in range(150):
        if client.request("GET", "/healthz")[0] == 200:
            return
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


if __name__ == "__main__":
    sys.exit(main())
