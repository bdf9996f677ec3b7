"""Throughput of the main pages next to /healthz, on gunicorn with 2 workers on loopback.

    .venv/bin/python bench/pages.py [--seconds 5] [--connections 4] [--port 8765]

Builds its own SQLite database with the demo data (bench/results/bench.sqlite3), serves it with
production settings, warms every page up, then measures each URL for the same time with the same
load generator (wrk when installed, else a Python keep-alive client) and prints requests/s and the
ratio to /healthz, for an anonymous reader and for a signed-in one (a viewer of the Östergötland
cooperation, who may read its draft for the next period, made here). Figures are ratios from one run:
this machine is noisy. Targets (issue 14): the adopted plan page >= 30 % of /healthz for anonymous and
signed-in readers alike; the draft plan page and the activity search >= 10 % signed in; the other
pages >= 5 %.
"""

import argparse
import http.client
import os
import secrets
import shutil
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
print(adopted.pk, P.objects.get(cooperation__short_name="VästKom").pk, draft.pk, session.session_key)
"""


def main():
    global PORT
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--port", type=int, default=PORT)
    options = parser.parse_args()
    PORT = options.port
    database = RESULTS / "bench.sqlite3"
    env = environment(database)
    prepare(env, database)
    server = start_server(env)
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
            ("/healthz", "healthz", None, None),
            (f"/planer/{ids[0]}/", "adopted plan Östergötland 2016–2017", 0.30, 0.30),
            (f"/planer/{ids[1]}/", "adopted plan VästKom (31 activities)", 0.05, 0.05),
            (f"/planer/{ids[2]}/", "draft plan Östergötland 2018–2019", None, 0.10),
            ("/aktiviteter/", "activity search", 0.05, 0.10),
            ("/aktiviteter/?q=np%C3%B6&lika=A28", "activity search, filtered", 0.05, 0.10),
            ("/planer/", "plan list", 0.05, 0.05),
        ]
        load = wrk_load if shutil.which("wrk") else python_load
        for path, _, anonymous_target, _ in pages:  # warm up: caches, connections, imports
            for who in (None, cookie) if anonymous_target or path == "/healthz" else (cookie,):
                for _ in range(5):
                    status, _ = get(path, cookie=who)
                    assert status == 200, (path, status)
        results = []
        for path, label, anonymous_target, signed_in_target in pages:
            anonymous = None
            if anonymous_target or path == "/healthz":
                anonymous = load(path, options.seconds, options.connections)
            signed_in = None if path == "/healthz" else load(path, options.seconds, options.connections, cookie)
            results.append((label, anonymous_target, anonymous, signed_in_target, signed_in))
    finally:
        server.terminate()
        server.wait()
    floor = results[0][2]
    print(
        f"gunicorn 2 workers, {options.connections} connections, {options.seconds:g} s per page,"
        f" client: {load.__name__}"
    )
    print(
        f"{'page':38} {'anon req/s':>10} {'of healthz':>10} {'target':>7}      "
        f" {'signed-in req/s':>15} {'of healthz':>10} {'target':>7}"
    )
    for label, anonymous_target, anonymous, signed_in_target, signed_in in results:
        print(
            f"{label:38} {figures(anonymous, floor, anonymous_target, 10)}"
            f"  {figures(signed_in, floor, signed_in_target, 15)}"
        )


def figures(rate, floor, target, width) -> str:
    """Requests/s, the share of /healthz, the target and whether it is met, as one column group."""
    if rate is None:
        return " " * (width + 26)
    ratio = rate / floor
    target_text = "" if target is None else f"≥{target:.0%}"
    verdict = "" if target is None else ("ok" if ratio >= target else "BELOW")
    return f"{rate:{width}.0f} {ratio:10.1%} {target_text:>7} {verdict:5}"


if __name__ == "__main__":
    main()
