"""The queue end to end with real processes: a request queues a draft's PDF in the database, a
separate ``manage.py db_worker`` process renders and stores it, and the web side serves the file.

The suite's own database is a transaction that is never committed (and on SQLite lives in memory),
so this works on a copy of it: a SQLite file, or a PostgreSQL database made from it as a template.
"""

import json
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
import pytest
from django.db import connection, connections

from tests.servers import production_env

ROOT = Path(__file__).resolve().parents[1]
# Declares the database the copy is made of (pytest-django sets up only the databases tests ask for).
pytestmark = pytest.mark.django_db


def copy_of_the_suite_database(tmp_path) -> tuple[str, Callable[[], None]]:
    """A database URL with the suite's demo data, outside the suite's transactions, and what removes it."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        target = sqlite3.connect(tmp_path / "worker.sqlite3")
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{tmp_path / 'worker.sqlite3'}", lambda: None  # tmp_path goes by itself
    source = connection.settings_dict["NAME"]
    copy = f"{source}_worker"
    connections.close_all()  # a template database must have no other sessions
    parts = urlsplit(
        f"postgres://{connection.settings_dict['USER']}:{connection.settings_dict['PASSWORD'] or ''}"
        f"@{connection.settings_dict['HOST'] or '127.0.0.1'}:{connection.settings_dict['PORT'] or 5432}/postgres"
    )

    def run(*statements):
        admin = psycopg2.connect(urlunsplit(parts))
        admin.autocommit = True
        with admin.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        admin.close()

    run(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)', f'CREATE DATABASE "{copy}" TEMPLATE "{source}"')
    return urlunsplit(parts._replace(path=f"/{copy}")), lambda: run(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')


@pytest.fixture(scope="module")
def env(tmp_path_factory, django_db_setup, django_db_blocker):
    tmp_path = tmp_path_factory.mktemp("worker")
    with django_db_blocker.unblock():
        url, remove = copy_of_the_suite_database(tmp_path)
    # DEBUG on only so that pages find static files without collectstatic; the worker is told not to reload.
    yield production_env(tmp_path, url) | {"DJANGO_DEBUG": "1"}
    remove()


def django(env, code: str) -> dict:
    """Run ``code`` in a fresh process of the app (as the web side would); what it prints, as JSON."""
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", textwrap.dedent(code)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


ASK = """
    import json
    from django.contrib.auth import get_user_model
    from django.test import Client
    from plans.models import ActionPlan
    from django_tasks_db.models import DBTaskResult

    plan = ActionPlan.objects.get(cooperation__short_name="H2O")
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(get_user_model().objects.get(username="admin"))
    asked = client.post(f"/planer/{plan.pk}/pdf/skapa/")
    waiting = client.get(asked["Location"])
    print(json.dumps({
        "plan": plan.pk,
        "asked": asked.status_code,
        "waiting": waiting.status_code,
        "says": "PDF:en skapas …" in waiting.content.decode(),
        "queued": list(DBTaskResult.objects.values_list("status", flat=True)),
    }))
"""

FETCH = """
    import json
    from django.contrib.auth import get_user_model
    from django.test import Client
    from plans.models import ActionPlan, PdfJob

    plan = ActionPlan.objects.get(cooperation__short_name="H2O")
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(get_user_model().objects.get(username="admin"))
    page = client.get(f"/planer/{plan.pk}/pdf/status/")
    download = client.get(f"/planer/{plan.pk}/pdf/")
    job = PdfJob.objects.get(plan=plan)
    print(json.dumps({
        "page": page.status_code,
        "ready": "PDF:en är klar." in page.content.decode(),
        "job": [job.status, job.attempts, job.path],
        "starts": b"".join(download.streaming_content)[:5].decode(),
    }))
"""


def test_a_worker_process_makes_the_pdf_that_a_request_queued_in_the_database(env):
    asked = django(env, ASK)
    assert (asked["asked"], asked["waiting"], asked["says"]) == (302, 202, True)
    assert asked["queued"] == ["READY"]  # in the database, for any worker to take

    worker = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert worker.returncode == 0, worker.stdout + worker.stderr
    assert "state=SUCCESSFUL" in worker.stdout + worker.stderr

    fetched = django(env, FETCH)
    assert (fetched["page"], fetched["ready"], fetched["starts"]) == (200, True, "%PDF-")
    status, attempts, path = fetched["job"]
    assert (status, attempts) == ("ready", 1)
    media = Path(env["DJANGO_MEDIA_ROOT"])
    assert [str(p.relative_to(media)) for p in media.rglob("*.pdf")] == [path]
