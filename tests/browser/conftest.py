"""The product in a real browser: Debian's Chromium driven by Playwright, against the app served
by gunicorn on loopback with production settings (DEBUG off, collected static files, strict CSP),
with a PDF worker (``manage.py db_worker``) beside it, as in production.

The server has its own database, made for the session: a temporary SQLite file, or, when the suite
runs on PostgreSQL (``DATABASE_URL``), a database of its own beside the test database. It holds
the demo data, so the journeys start where a new user of the demo would.

Without Chromium (or Playwright, or axe-core from npm) the tests are skipped and the run says so
plainly at the end; under CI (``CI=true``) they fail instead.
"""

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.servers import MANAGE, ROOT, free_port, production_env

CHROMIUM = Path(os.environ.get("EHALSA_CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BROWSER_TESTS = Path(__file__).resolve().parent

# The flags a closed network needs: no background connections, no component updates.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def missing_tools() -> list[str]:
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"Chromium ({CHROMIUM}; apt install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("Playwright for Python (pip install -e '.[test]')")
    if not AXE.exists():
        missing.append("axe-core (npm ci)")
    return missing


def require_tools():
    missing = missing_tools()
    if not missing:
        return
    message = "Browser tests need " + ", ".join(missing)
    if in_ci():
        pytest.fail(message + " — under CI a missing browser is a failure.", pytrace=False)
    pytest.skip(message)


def pytest_terminal_summary(terminalreporter):
    skipped = [
        report
        for report in terminalreporter.stats.get("skipped", [])
        if str(BROWSER_TESTS.relative_to(ROOT)) in report.location[0]
    ]
    if skipped:
        terminalreporter.write_sep("!", "THE BROWSER TESTS DID NOT RUN", red=True, bold=True)
        terminalreporter.write_line(
            f"{len(skipped)} browser and accessibility tests were skipped: " + ", ".join(missing_tools()) + " missing."
        )


def server_database_url(base_dir: Path, migrated_schema: Path | None) -> str:
    """A fresh database for the server: beside the suite's PostgreSQL database, or a SQLite file (a
    copy of the migrated schema the test database started from: ``migrate`` then finds nothing to do)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        database = base_dir / "browser.sqlite3"
        if migrated_schema is not None:
            shutil.copyfile(migrated_schema, database)
        return f"sqlite:///{database}"
    import psycopg2

    parts = urlsplit(url)
    # One per test process (pytest-xdist names them gw0, gw1 …), so parallel runs never share it.
    name = parts.path.lstrip("/") + "_browser" + os.environ.get("PYTEST_XDIST_WORKER", "")
    admin = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture(scope="session")
def server_files(tmp_path_factory):
    """The directory of the server's database, logs, media and mail."""
    return tmp_path_factory.mktemp("browser-server")


@pytest.fixture(scope="session")
def mailbox(server_files):
    """Where the server's mail goes (a file per message): the journeys read invitations there."""
    return server_files / "mail"


@pytest.fixture(scope="session")
def server_env(server_files, mailbox, migrated_schema, collected_static):
    """The server's environment (production settings, its database with the demo data, its port)."""
    require_tools()
    port = free_port()
    database_url = server_database_url(server_files, migrated_schema)
    env = production_env(server_files, database_url, collected_static) | {
        "DJANGO_EMAIL_FILE_PATH": str(mailbox),
        "EHALSA_SITE_URL": f"http://127.0.0.1:{port}",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
    }
    # The demo accounts' passwords are published, so the command wants DEBUG on to load them.
    for command, extra in ((["migrate", "--noinput"], {}), (["load_demo_data"], {"DJANGO_DEBUG": "1"})):
        done = subprocess.run(MANAGE + command, cwd=ROOT, env=env | extra, capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(f"manage.py {command[0]} failed:\n{done.stdout}\n{done.stderr}")
    return env


# What the pages the tests name by address are, found in the server's database (its ids are its own).
DEMO_IDS = """
import json
from django.contrib.auth import get_user_model
from activities.models import Activity
from governance.models import Body, Cooperation, Decision, Organisation
from plans.models import ActionPlan
from plans.report_models import FollowUpReport

plans = ActionPlan.objects
first = lambda model: model.objects.order_by("pk").values_list("pk", flat=True).first()
plan_2016 = plans.get(title="Handlingsplan för ehälsa i Östergötland 2016-2017")
print(json.dumps({
    "plan_2014": plans.get(title="Handlingsplan för ehälsa 2014-2015").pk,
    "plan_2016": plan_2016.pk,
    "template": plans.get(cooperation__short_name="VästKom", is_template=True).pk,
    "draft": plans.get(cooperation__short_name="H2O").pk,
    "project": plans.get(title="Projektplan välfärdsteknik i hemtjänsten 2025–2027").pk,
    "local_plan": plans.get(municipality__name="Alingsås kommun").pk,
    "alingsas": Organisation.objects.get(name="Alingsås kommun").pk,
    "ostergotland": Cooperation.objects.get(short_name="Östergötland").pk,
    "activity": Activity.objects.get(plan=plan_2016, number="1").pk,
    "coordinator": get_user_model().objects.get(username="samordnare").pk,
    "body": first(Body),
    "report": first(FollowUpReport),
    "decision": first(Decision),
}))
"""


@pytest.fixture(scope="session")
def demo_ids(server_env) -> dict:
    """The ids of the demo's plans, activity, bodies … in the server's database, by name, read as the
    server starts (``live_url`` asks for them), before any journey adds a plan of its own."""
    done = subprocess.run(MANAGE + ["shell", "-c", DEMO_IDS], cwd=ROOT, env=server_env, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"the demo's ids were not found:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])  # after what the shell says of its imports


@pytest.fixture(scope="session")
def live_url(server_env, server_files, demo_ids):
    """The app under gunicorn with production settings and the demo data; yields its base URL."""
    base, env = server_files, server_env
    url = env["EHALSA_SITE_URL"]
    log = open(base / "gunicorn.log", "wb")  # noqa: SIM115 — closed when the server stops
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "ehalsa.wsgi", "-c", str(ROOT / "gunicorn.conf.py")],
        cwd=ROOT,
        env=env | {"GUNICORN_WORKERS": "2"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    worker_log = open(base / "worker.log", "wb")  # noqa: SIM115 — closed when the worker stops
    worker = subprocess.Popen(
        MANAGE + ["db_worker", "--no-reload", "--interval", "0.5"],
        cwd=ROOT,
        env=env,
        stdout=worker_log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1):
                break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                worker.kill()
                raise RuntimeError("gunicorn did not start:\n" + (base / "gunicorn.log").read_text()) from None
            time.sleep(0.2)
    yield url
    server.terminate()
    worker.terminate()  # after the PDF it may be making
    server.wait(timeout=10)
    worker.wait(timeout=120)
    log.close()
    worker_log.close()
    failed = [line for line in (base / "worker.log").read_text().splitlines() if "state=FAILED" in line]
    assert not failed, "a task failed in the worker:\n" + (base / "worker.log").read_text()[-5000:]
    lines = (base / "gunicorn.log").read_text().splitlines()
    errors = [index for index, line in enumerate(lines) if line.startswith("Internal Server Error")]
    assert not errors, "the server answered 500:\n" + "\n".join("\n".join(lines[i : i + 40]) for i in errors)


@pytest.fixture(scope="module")
def browser(live_url):
    """Chromium, for one module's tests. Playwright's synchronous API runs an event loop while it is
    started, and Django refuses database work in a thread with a running loop: it must be stopped
    before the process goes on to other tests (the browser tests share a process with others)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser, live_url):
    context = browser.new_context(base_url=live_url, locale="sv-SE", accept_downloads=True)
    # A page is rendered in well under a second; on a loaded machine (CI, parallel sessions) it has
    # taken over 15 s. A longer limit costs a passing test nothing.
    context.set_default_timeout(60_000)
    from playwright.sync_api import expect

    expect.set_options(timeout=60_000)  # the same for assertions that wait (5 s by default)
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    problems = []  # console errors (a blocked inline script …) and failed requests of the page
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and not message.text.startswith("Failed to load resource")  # reported with its address below
            and problems.append(message.text)
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "response", lambda response: response.status >= 400 and problems.append(f"{response.status} {response.url}")
    )
    page.problems = problems
    yield page
    page.close()


@pytest.fixture
def axe_source():
    return AXE.read_text(encoding="utf-8")
