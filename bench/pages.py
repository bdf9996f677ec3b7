"""Throughput of the main pages as a share of /healthz measured next to them, gunicorn 2 workers.

    .venv/bin/python bench/pages.py [--seconds 2] [--rounds 4] [--connections 4] [--port 8765]
                                    [--only LABEL]

Builds its own SQLite database with the demo data (bench/results/bench.sqlite3), serves it with
production settings (gunicorn.conf.py: workers restart after max_requests 100 000 + jitter
10 000; set GUNICORN_MAX_REQUESTS=2000, say, to see what frequent restarts cost), warms every page
up, then measures with one load generator (wrk when installed, else a Python keep-alive client),
for an anonymous reader and for a signed-in one (a viewer of the Östergötland cooperation, who may
read its draft for the next period, made here).

Method: the machine is shared and noisy (/healthz alone varies twofold from one window to the next),
so a page is never compared with /healthz measured at another moment. Per page, short windows
alternate: /healthz, page (anonymous), /healthz, page (signed in), /healthz … --rounds times per
reader, ending on /healthz. Each page window is divided by the mean of the two /healthz windows
around it, and the table gives the median of those shares with their spread (min–max) and the
median requests/s. About four minutes with the defaults.

Targets (issue 14): the adopted plan page >= 30 % of /healthz for anonymous and signed-in readers
alike; the draft plan page and the activity search >= 10 % signed in; the other pages >= 5 %. A
median well inside the spread of its windows is a verdict to repeat, not to trust.
"""

import argparse
import http.client
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
PORT = 8765  # --port


def environment(database: Path) -> dict:
    return {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"sqlite:///{database}",
    }


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def prepare(env, database: Path):
    RESULTS.mkdir(parents=True, exist_ok=True)
    if database.exists():
        database.unlink()
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo_data", "--allow-without-debug")
    manage(env, "collectstatic", "--noinput")


def start_server(env):
    gunicorn = shutil.which("gunicorn", path=str(Path(PYTHON).parent)) or "gunicorn"
    server = subprocess.Popen(
        [gunicorn, "ehalsa.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{PORT}", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,  # the access log (gunicorn.conf.py)
    )
    for _ in range(100):
        try:
            if get("/healthz")[0] == 200:
                return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def get(path, connection=None, cookie=None):
    own = connection is None
    connection = connection or http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    headers = {"Host": "127.0.0.1"}
    if cookie:
        headers["Cookie"] = cookie
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    if own:
        connection.close()
    return response.status, body


def browser_cookies(cookie: str) -> str:
    """The cookies a browser would send after its first signed-in page: the session and the CSRF
    cookie that page set (a signed-in page carries the sign-out form's token)."""
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    connection.request("GET", "/", headers={"Host": "127.0.0.1", "Cookie": cookie})
    response = connection.getresponse()
    response.read()
    for header in response.headers.get_all("Set-Cookie") or []:
        name_value = header.split(";", 1)[0]
        if name_value.startswith("csrftoken="):
            cookie += "; " + name_value
    connection.close()
    return cookie


def python_load(path, seconds, connections, cookie=None):
    counts = [0] * connections
    errors = []
    deadline = time.perf_counter() + seconds

    def worker(index):
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        while time.perf_counter() < deadline:
            status, _ = get(path, connection, cookie)
            if status != 200:
                errors.append(status)
            counts[index] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise SystemExit(f"{path}: {len(errors)} answers were not 200: {sorted(set(errors))}")
    return sum(counts) / elapsed


def wrk_load(path, seconds, connections, cookie=None):
    header = ["-H", f"Cookie: {cookie}"] if cookie else []
    out = subprocess.run(
        ["wrk", "-t", "1", "-c", str(connections), "-d", f"{seconds:g}s", *header, f"http://127.0.0.1:{PORT}{path}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if "Non-2xx" in out:
        raise SystemExit(f"{path}: some answers were not 2xx\n{out}")
    for line in out.splitlines():
        if line.startswith("Requests/sec:"):
            return float(line.split()[1])
    raise SystemExit(out)


SETUP_SCRIPT = """
import django
django.setup()
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from plans.models import ActionPlan as P
from plans.services import plan_create_next_period
user = get_user_model().objects.get(username="lasare")
session = SessionStore()
session["_auth_user_id"] = str(user.pk)
session["_auth_user_backend"] = "ehalsa.login.ThrottledModelBackend"  # one of AUTHENTICATION_BACKENDS, else anonymous
session["_auth_user_hash"] = user.get_session_auth_hash()
session.create()
adopted = P.objects.get(title__startswith="Handlingsplan för ehälsa i Östergötland 2016")
draft = plan_create_next_period(plan=adopted, user=None)
print(adopted.pk, P.objects.get(cooperation__short_name="VästKom", is_template=True).pk, draft.pk, session.session_key)
"""


def main():
    global PORT
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=2, help="one window (whole seconds: wrk's unit)")
    parser.add_argument("--rounds", type=int, default=4, help="windows per page and reader")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--port", type=int, default=PORT)
    parser.add_argument("--only", default="", help="only the pages whose label contains this")
    options = parser.parse_args()
    PORT = options.port
    database = RESULTS / "bench.sqlite3"
    env = environment(database)
    prepare(env, database)
    server = start_server(env)
    started = time.perf_counter()
    try:
        ids = subprocess.run(
            [PYTHON, "-c", SETUP_SCRIPT],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": "ehalsa.settings"},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        cookie = browser_cookies(f"sessionid={ids[3]}")
        pages = [  # path, label, target anonymous, target signed in (None: not readable anonymously)
            (f"/planer/{ids[0]}/", "adopted plan Östergötland 2016–2017", 0.30, 0.30),
            (f"/planer/{ids[1]}/", "adopted plan VästKom (31 activities)", 0.05, 0.05),
            (f"/planer/{ids[2]}/", "draft plan Östergötland 2018–2019", None, 0.10),
            ("/aktiviteter/", "activity search", 0.05, 0.10),
            ("/aktiviteter/?q=np%C3%B6&lika=A28", "activity search, filtered", 0.05, 0.10),
            ("/planer/", "plan list", 0.05, 0.05),
        ]
        pages = [page for page in pages if options.only in page[1]]
        load = wrk_load if shutil.which("wrk") else python_load
        for path, _, anonymous_target, _ in [("/healthz", "", True, None), *pages]:  # warm up
            for who in (None, cookie) if anonymous_target else (cookie,):
                status, _ = get(path, cookie=who)
                assert status == 200, (path, status)
                # Under load, so that every worker process has rendered it, not only the first one asked.
                load(path, 1, options.connections, who)
        healthz_rates, results = [], []
        for path, label, anonymous_target, signed_in_target in pages:
            readers = [(None, anonymous_target)] if anonymous_target else []
            readers.append((cookie, signed_in_target))
            # healthz, page, healthz, page …, healthz: each page window between two of /healthz.
            windows = [(path, who) for _ in range(options.rounds) for who, _ in readers]
            rates = [load("/healthz", options.seconds, options.connections)]
            ratios = {who: [] for who, _ in readers}
            for page_path, who in windows:
                rate = load(page_path, options.seconds, options.connections, who)
                rates.append(load("/healthz", options.seconds, options.connections))
                ratios[who].append((rate, rate / statistics.mean(rates[-2:])))
            healthz_rates += rates
            results.append((label, [(target, ratios[who]) for who, target in readers], len(readers) == 1))
    finally:
        server.terminate()
        server.wait()
    print(
        f"gunicorn 2 workers (max_requests {max_requests()}), {options.connections} connections, client"
        f" {load.__name__}; per page and reader {options.rounds} windows of {options.seconds} s, each"
        f" between two of /healthz; {time.perf_counter() - started:.0f} s"
    )
    print(
        f"/healthz: median {statistics.median(healthz_rates):.0f} req/s,"
        f" {min(healthz_rates):.0f}–{max(healthz_rates):.0f} over {len(healthz_rates)} windows"
    )
    print("share of /healthz next to it: median (min–max over the windows), median req/s")
    heading = f"{'of healthz':>10} {'min–max':>11} {'req/s':>5} {'target':>6}      "
    print(f"{'':37} {'anonymous':^{len(heading)}} {'signed in':^{len(heading)}}")
    print(f"{'page':37} {heading} {heading}")
    for label, columns, signed_in_only in results:
        cells = [" " * len(heading)] if signed_in_only else []
        cells += [figures(target, measured) for target, measured in columns]
        print(f"{label:37} {' '.join(cells)}")


def max_requests() -> str:
    """gunicorn's max_requests as this run's server has it (gunicorn.conf.py, GUNICORN_MAX_REQUESTS)."""
    value = int(os.environ.get("GUNICORN_MAX_REQUESTS", 100_000))
    return f"{value} + jitter {value // 10}" if value else "0: workers never restart"


def figures(target, measured) -> str:
    """Median share of /healthz, its spread, median requests/s, the target and whether it is met."""
    shares = [share for _, share in measured]
    median = statistics.median(shares)
    spread = f"{min(shares) * 100:.0f}–{max(shares) * 100:.0f} %"
    target_text = f"≥{target * 100:.0f} %"
    verdict = "ok" if median >= target else "BELOW"
    rate = statistics.median(rate for rate, _ in measured)
    return f"{median:10.1%} {spread:>11} {rate:5.0f} {target_text:>6} {verdict:5}"


if __name__ == "__main__":
    main()
