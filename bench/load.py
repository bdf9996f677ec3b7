"""Mixed load and a database restart, on gunicorn + PostgreSQL over loopback.

    .venv/bin/python bench/load.py [--seconds 60] [--connections 32] [--restart-postgres-at 25]

Builds its own PostgreSQL database (``ehalsa_load``) with the demo data, serves it with production
settings (gunicorn, 2 workers x 4 threads, worker recycling off so memory can be compared), and
runs ``--connections`` clients for ``--seconds``: reads of plan, activity, budget and list pages,
activity searches, downloads of the stored adopted PDF, and a few edits by a signed-in
coordinator (goal texts of a draft). It prints requests/s, p50/p99 per kind, every status seen,
and the workers' memory at the start and end of the run.

With ``--restart-postgres-at S`` PostgreSQL is restarted S seconds in (pg_ctlcluster): it prints
when the database was down, which answers came then (503 expected), and how long after the
database was back the app answered normally again, without being restarted. Afterwards it checks
that every edit the app confirmed is in the database and that no edit is half-written.

Targets (issue 8): zero 5xx without faults; p99 printed; worker memory growth <= 10 %; errors
only while the database is down; recovery within 5 s.
"""

import argparse
import http.client
import os
import random
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlencode

from common import POSTGRES, fresh_postgres_database  # bench/ is on sys.path when a bench runs

ROOT = Path(__file__).resolve().parent.parent
PORT = 8767
PASSWORD = "ehalsa-demo-2026"
WORDS = ["trygghet", "journal", "video", "e-tjänster", "NPÖ", "mobil", "portal", "termer", "läkemedel"]


def postgres_cluster() -> list[str]:
    version = sorted(os.listdir("/etc/postgresql"))[0]
    return ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main"]


def build(workdir: Path, database: str = "ehalsa_load") -> dict:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN_"))},
        "DATABASE_URL": fresh_postgres_database(database),
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_STATIC_ROOT": str(workdir / "static"),
        "DJANGO_MEDIA_ROOT": str(workdir / "media"),
        "DJANGO_LOG_LEVEL": "WARNING",
        "EHALSA_LOGIN_FAILURE_LIMIT": "1000",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command, extra in ((["migrate", "--noinput", "-v0"], {}), (["load_demo_data"], {"DJANGO_DEBUG": "1"})):
        subprocess.run(manage + command, env=env | extra, cwd=ROOT, check=True, capture_output=True)
    subprocess.run(manage + ["collectstatic", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)
    return env


class Client:
    """One keep-alive connection with its own cookies (a browser tab, roughly)."""

    def __init__(self, cookies=None):
        self.connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        self.cookies = dict(cookies or {})

    def request(self, method, path, body=None):
        headers = {"Host": "127.0.0.1", "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            body = urlencode(body)
            headers |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{PORT}{path}",
            }
        for attempt in (1, 2):  # a keep-alive connection the server has closed is opened again once
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                content = response.read()
                break
            except (OSError, http.client.HTTPException):
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
                if attempt == 2:
                    return 0, b""
        self.location = response.getheader("Location")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, content

    def csrf_of(self, html: bytes) -> str:
        return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1).decode()

    def log_in(self, username):
        _, page = self.request("GET", "/konto/logga-in/")
        status, _ = self.request(
            "POST",
            "/konto/logga-in/",
            {"csrfmiddlewaretoken": self.csrf_of(page), "username": username, "password": PASSWORD, "next": "/"},
        )
        assert status == 302, f"login failed: {status}"


def discover(client) -> dict:
    """Addresses the load uses, found as a reader finds them."""
    _, plans = client.request("GET", "/planer/")
    plan_paths = sorted(set(re.findall(rb'href="(/planer/\d+/)"', plans)))
    _, page = client.request("GET", plan_paths[0].decode())
    activities = sorted(set(re.findall(rb'href="(/aktiviteter/\d+/)"', page)))
    return {
        "plans": [p.decode() for p in plan_paths],
        "activities": [a.decode() for a in activities],
    }


def prepare_draft(coordinator, adopted_plan) -> list[str]:
    """The coordinator makes the next period's draft; its goals are what the edits change."""
    _, page = coordinator.request("GET", adopted_plan)
    status, _ = coordinator.request(
        "POST", adopted_plan + "nasta-period/", {"csrfmiddlewaretoken": coordinator.csrf_of(page)}
    )
    assert status == 302, status
    draft = coordinator.location
    assert draft != adopted_plan, "no new draft was made"
    _, page = coordinator.request("GET", draft)
    return sorted(set(m.decode() for m in re.findall(rb'href="(/planer/mal/\d+/redigera/)"', page)))


def worker_memory(master_pid) -> dict[int, int]:
    """RSS in kB of gunicorn's workers (the master's children)."""
    memory = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{master_pid}$", status, re.M):
            memory[int(pid)] = int(re.search(r"^VmRSS:\s+(\d+)", status, re.M).group(1))
    return memory


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--restart-postgres-at", type=float, default=None)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="ehalsa-load-"))
    env = build(workdir)
    log = open(workdir / "gunicorn.log", "wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "ehalsa.wsgi", "-c", str(ROOT / "gunicorn.conf.py")],
        cwd=ROOT,
        env=env | {"GUNICORN_BIND": f"127.0.0.1:{PORT}", "GUNICORN_WORKERS": "2", "GUNICORN_MAX_REQUESTS": "0"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        run(args, server)
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()
        print_server_errors(workdir / "gunicorn.log")
        shutil.rmtree(workdir, ignore_errors=True)


def print_server_errors(log_path: Path) -> None:
    """The exceptions behind the 5xx answers the server logged, counted by kind, and the traceback
    of the first few 500s (where each began and how it ended)."""
    lines = log_path.read_text(errors="replace").splitlines()
    continued = (" ", "Traceback", "The above", "During", "^")
    kinds, shown = Counter(), 0
    for n, line in enumerate(lines):
        if not line.startswith(("Internal Server Error", "Service Unavailable")):
            continue
        end = last_exception_line(lines, n, continued)
        kinds[f"{line.split(':')[0]}: {lines[end].split(':')[0]}"] += 1
        if line.startswith("Internal Server Error") and shown < 3:
            shown += 1
            block = lines[n : end + 1]
            print("\nserver log:\n" + "\n".join(block if len(block) <= 40 else [*block[:6], "  …", *block[-30:]]))
    for kind, count in kinds.most_common():
        print(f"server log: {count} x {kind}")


def last_exception_line(lines: list[str], start: int, continued: tuple[str, ...]) -> int:
    """The line naming the exception a logged traceback ends with (the last of a chain)."""
    end = start
    for i in range(start + 1, len(lines)):
        if not lines[i] or lines[i].startswith(continued):
            if lines[i].startswith(("The above", "During")):
                end = start  # the chain goes on
            continue
        if end != start:
            break
        end = i
    return end


def run(args, server):
    deadline = time.monotonic() + 30
    probe = Client()
    while probe.request("GET", "/healthz")[0] != 200:
        if time.monotonic() > deadline:
            raise SystemExit("gunicorn did not start")
        time.sleep(0.2)
    urls = discover(probe)
    _, plan_list = probe.request("GET", "/planer/")
    adopted = re.search(
        rb'href="(/planer/\d+/)">Handlingsplan f\xc3\xb6r eh\xc3\xa4lsa i \xc3\x96sterg\xc3\xb6tland 2016-2017<',
        plan_list,
    )
    adopted = adopted.group(1).decode()
    coordinator = Client()
    coordinator.log_in("samordnare")
    goals = prepare_draft(coordinator, adopted)
    pdf = adopted + "pdf/"
    status, body = probe.request("GET", pdf)  # the adopted PDF, stored by load_demo_data
    assert status == 200 and body.startswith(b"%PDF"), (status, body[:300])

    def reads():
        path = random.choice(
            [*urls["plans"], *urls["activities"], "/planer/", "/", adopted + "budget/", adopted + "antagande/"]
        )
        return "read", path

    def search():
        query = {"q": random.choice(WORDS)} if random.random() < 0.7 else {"year": random.choice([2014, 2016, 2017])}
        return "search", "/aktiviteter/?" + urlencode(query)

    # Warm-up, then the memory baseline: every page through several connections at once, half of
    # them signed in with a goal's edit form open, so that every worker has served every kind of
    # page (one keep-alive connection reaches one worker only).
    warm_paths = sorted({reads()[1] for _ in range(200)} | {search()[1] for _ in range(50)} | {pdf})

    def warm(index):
        client = Client()
        if index % 2:
            client.log_in("samordnare")
            client.request("GET", goals[index % len(goals)])
        for path in random.Random(index).sample(warm_paths, len(warm_paths)):
            client.request("GET", path)

    warmers = [threading.Thread(target=warm, args=(index,)) for index in range(8)]
    for thread in warmers:
        thread.start()
    for thread in warmers:
        thread.join()
    time.sleep(1)
    memory_before = worker_memory(server.pid)

    latencies = defaultdict(list)
    statuses = Counter()
    timeline = []  # (seconds since start, kind, status)
    confirmed_edits, attempted_edits = [], []
    lock = threading.Lock()
    start = time.monotonic()
    stop = start + args.seconds

    def client_loop(index):
        client = Client()
        editor = index < 2  # a few edits: two of the clients are coordinators editing goal texts
        if editor:
            client.log_in("samordnare")
        rng = random.Random(index)
        count = 0
        while time.monotonic() < stop:
            count += 1
            roll = rng.random()
            if editor and roll < 0.3:
                kind = "edit"
                goal = goals[(index + count) % len(goals)]
                began = time.perf_counter()
                status, page = client.request("GET", goal)
                if status == 200:
                    text = f"Mål ändrat under last {index}-{count}"
                    version = re.search(rb'name="version" value="(\d+)"', page)
                    form = {
                        "csrfmiddlewaretoken": client.csrf_of(page),
                        "title": text,
                        "description": "",
                        "version": version.group(1).decode() if version else "1",
                    }
                    with lock:
                        attempted_edits.append(text)
                    status, _ = client.request("POST", goal, form)
                    if status == 302:
                        with lock:
                            confirmed_edits.append(text)
            else:
                if roll < 0.6:
                    kind, path = reads()
                elif roll < 0.85:
                    kind, path = search()
                else:
                    kind, path = "pdf", pdf
                began = time.perf_counter()
                status, _ = client.request("GET", path)
            elapsed = (time.perf_counter() - began) * 1000
            with lock:
                latencies[kind].append(elapsed)
                statuses[status] += 1
                timeline.append((time.monotonic() - start, kind, status))

    restart = {}

    def restart_postgres():
        time.sleep(args.restart_postgres_at)
        restart["down"] = time.monotonic() - start
        subprocess.run([*postgres_cluster(), "stop", "-m", "fast"], check=True, capture_output=True)
        time.sleep(2)
        subprocess.run([*postgres_cluster(), "start"], check=True, capture_output=True)
        while subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"]).returncode:
            time.sleep(0.1)
        restart["up"] = time.monotonic() - start

    threads = [threading.Thread(target=client_loop, args=(i,)) for i in range(args.connections)]
    if args.restart_postgres_at is not None:
        threads.append(threading.Thread(target=restart_postgres))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - start
    memory_after = worker_memory(server.pid)

    total = sum(statuses.values())
    print(f"\n{total} requests in {elapsed:.0f} s at {args.connections} connections: {total / elapsed:.0f} req/s")
    print("statuses: " + ", ".join(f"{code or 'no answer'}: {n}" for code, n in sorted(statuses.items())))
    for kind, values in sorted(latencies.items()):
        values.sort()
        p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
        print(f"  {kind:<7} {len(values):>6} requests  p50 {statistics.median(values):7.1f} ms  p99 {p99:7.1f} ms")
    before, after = sum(memory_before.values()), sum(v for k, v in memory_after.items() if k in memory_before)
    same_workers = set(memory_before) == set(memory_after)
    growth = (after - before) / before * 100 if before else float("nan")
    print(
        f"worker memory: {before / 1024:.0f} MB -> {after / 1024:.0f} MB ({growth:+.1f} %, target <= 10 %)"
        + ("" if same_workers else " — a worker was replaced during the run")
    )
    failures = [t for t in timeline if t[2] >= 500 or t[2] == 0]
    if "down" in restart:
        down, up = restart["down"], restart["up"]
        outside = [t for t in failures if not (down <= t[0] <= up + 5)]
        during = Counter(status for when, _, status in failures if down <= when <= up + 5)
        recovered = next(
            (when for when, kind, status in timeline if when > up and status == 200 and kind != "pdf"), None
        )
        last_failure = max((when for when, _, _ in failures), default=None)
        print(f"PostgreSQL down from {down:.1f} s to {up:.1f} s; answers then: {dict(during)}")
        if last_failure is not None:
            print(f"last error answer {last_failure - up:+.1f} s after the database was back (target <= 5 s)")
        print(
            f"first normal answer {recovered - up:+.1f} s after the database was back"
            if recovered
            else "never recovered"
        )
        print(f"errors outside the outage: {len(outside)} (target 0)")
    else:
        print(f"5xx or dropped: {len(failures)} (target 0)")
    verify_edits(confirmed_edits, attempted_edits)


def verify_edits(confirmed, attempted):
    """Every confirmed edit is stored; no goal holds anything but a whole edit or its old text."""
    import psycopg2

    connection = psycopg2.connect(f"{POSTGRES}/ehalsa_load")
    with connection.cursor() as cursor:
        cursor.execute("SELECT title FROM plans_goal")
        stored = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT COUNT(*) FROM plans_historicalgoal WHERE title LIKE 'Mål ändrat under last %%'")
        history = cursor.fetchone()[0]
    connection.close()
    # The newest confirmed edit of each goal is its text; older ones live on in its history.
    half = [t for t in stored if t.startswith("Mål ändrat") and t not in attempted]
    print(
        f"edits: {len(attempted)} sent, {len(confirmed)} confirmed, {history} in the goals' history "
        f"(>= confirmed: {'yes' if history >= len(confirmed) else 'NO'}), half-written: {len(half)}"
    )


if __name__ == "__main__":
    main()
