"""On SQLite (the default database), simultaneous saves of one form: one wins, the others get the
app's edit-conflict message, and nobody gets an error page ("database is locked"); readers do not
wait for a save.

The suite's own SQLite database lives in memory, so this runs the app as production does (gunicorn,
two workers with four threads each) on port 8203 against a copy of the suite's demo database in a
file, and sends the saves at once from several threads.
"""

import http.client
import re
import sqlite3
import subprocess
import sys
import threading
import time
from html import unescape
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from django.db import connection

from tests.servers import ROOT, free_port, production_env

PORT = free_port()
PASSWORD = "ehalsa-demo-2026"  # fixtures/demo/accounts.json
SAVES_AT_ONCE = 8


class Browser:
    """One signed-in person's cookies; each request on its own connection, so requests can overlap."""

    def __init__(self):
        self.cookies = {}

    def request(self, method, path, data=None, **headers):
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), **headers}
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers.update({"Content-Type": "application/x-www-form-urlencoded", "Origin": f"http://127.0.0.1:{PORT}"})
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        page = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        conn.close()
        return response.status, response.headers, page


def token_of(page):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


@pytest.fixture(scope="module")
def server(tmp_path_factory, django_db_setup, django_db_blocker, collected_static):
    """gunicorn with production settings on a file copy of the suite's SQLite demo database."""
    if connection.vendor != "sqlite":
        # SQLite's lock handling is what is tested; PostgreSQL's concurrent saves are checked by
        # bench/concurrency.py in .ci/run, and the suite runs on SQLite in `make test` as well.
        pytest.skip("concerns SQLite's write lock only (PostgreSQL: bench/concurrency.py)")
    tmp_path = tmp_path_factory.mktemp("sqlite-server")
    with django_db_blocker.unblock():  # outside any test's transaction, which would hold the copy up
        connection.ensure_connection()
        target = sqlite3.connect(tmp_path / "db.sqlite3")
        connection.connection.backup(target)
    (plan_id,) = target.execute(
        "SELECT id FROM plans_actionplan WHERE title = 'Handlingsplan för ehälsa i Östergötland 2016-2017'"
    ).fetchone()
    target.close()
    env = production_env(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite3'}", collected_static)
    log = open(tmp_path / "gunicorn.log", "wb")  # noqa: SIM115 — closed when the server stops
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "ehalsa.wsgi", "-c", str(ROOT / "gunicorn.conf.py")],
        cwd=ROOT,
        env=env | {"GUNICORN_BIND": f"127.0.0.1:{PORT}", "GUNICORN_WORKERS": "2", "GUNICORN_THREADS": "4"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            Browser().request("GET", "/healthz")
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("gunicorn did not start:\n" + (tmp_path / "gunicorn.log").read_text()) from None
            time.sleep(0.2)
    yield tmp_path / "gunicorn.log", f"/planer/{plan_id}/", tmp_path / "db.sqlite3"
    process.terminate()
    process.wait(timeout=20)
    log.close()


def signed_in_coordinator():
    browser = Browser()
    _, _, page = browser.request("GET", "/konto/logga-in/")
    status, _, _ = browser.request(
        "POST",
        "/konto/logga-in/",
        {"csrfmiddlewaretoken": token_of(page), "username": "samordnare", "password": PASSWORD, "next": "/"},
    )
    assert status == 302, "sign-in failed"
    return browser


def a_draft_goal(browser, plan_path):
    """The edit address of a goal in a draft made with "Ny plan för nästa period" from the plan."""
    _, _, plan_page = browser.request("GET", plan_path)
    status, headers, _ = browser.request(
        "POST", plan_path + "nasta-period/", {"csrfmiddlewaretoken": token_of(plan_page)}
    )
    assert status == 302
    _, _, draft_page = browser.request("GET", headers["Location"])
    return re.search(r'href="(/planer/mal/\d+/redigera/)"', draft_page).group(1)


def post_at_once(browser, url, forms):
    """Post every form to ``url`` at the same moment, each from its own thread; the answers in order."""
    barrier = threading.Barrier(len(forms))
    answers = [None] * len(forms)

    def post(index):
        barrier.wait()
        answers[index] = browser.request("POST", url, forms[index])

    threads = [threading.Thread(target=post, args=(index,)) for index in range(len(forms))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


@pytest.mark.django_db  # the suite's database, with the demo data, is made for this test too
def test_simultaneous_saves_on_sqlite_give_one_save_and_conflict_messages_never_errors(server):
    log, plan_path, _ = server
    browser = signed_in_coordinator()
    goal_url = a_draft_goal(browser, plan_path)
    for round in range(3):
        _, _, form = browser.request("GET", goal_url)
        common = {
            "csrfmiddlewaretoken": token_of(form),
            "version": re.search(r'name="version" value="(\d+)"', form).group(1),
            "description": unescape(
                re.search(r'<textarea name="description"[^>]*>\n?(.*?)</textarea>', form, re.S).group(1)
            ),
        }
        forms = [{**common, "title": f"Mål sparat av flik {tab} i omgång {round}"} for tab in range(SAVES_AT_ONCE)]
        answers = post_at_once(browser, goal_url, forms)
        statuses = sorted(status for status, _, _ in answers)
        assert all(status < 500 for status in statuses), (statuses, log.read_text()[-3000:])
        assert statuses.count(302) == 1, statuses
        for status, _, page in answers:
            if status != 302:
                assert status == 200 and "Någon annan har ändrat detta medan du redigerade." in page
    assert "database is locked" not in log.read_text()


@pytest.mark.django_db
def test_readers_get_their_pages_while_a_save_holds_the_write_lock(server):
    """A GET reads without the write lock: a save in progress holds up no reader, signed in or not.

    The "save" holds SQLite's write lock until every reader has its answer (or 15 s, far longer
    than any page takes); the readers' answers must come while it still holds the lock."""
    log, plan_path, database = server
    readers = {"anonymous": Browser(), "signed in": signed_in_coordinator()}
    addresses = [plan_path + "?lasare=1", "/planer/", "/aktiviteter/?q=journal"]  # not kept yet: the views run
    answered_under_lock = {}
    lock_held = threading.Event()
    writer = sqlite3.connect(database, isolation_level=None, timeout=20)
    writer.execute("BEGIN IMMEDIATE")
    lock_held.set()
    try:

        def read(who, browser, address):
            status, _, _ = browser.request("GET", address)
            answered_under_lock[who, address] = (status, lock_held.is_set())

        threads = [
            threading.Thread(target=read, args=(who, browser, address))
            for who, browser in readers.items()
            for address in addresses
        ]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 15
        for thread in threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
    finally:
        lock_held.clear()
        writer.execute("ROLLBACK")
        writer.close()
    for thread in threads:
        thread.join()
    assert answered_under_lock == {(who, address): (200, True) for who in readers for address in addresses}, (
        log.read_text()[-3000:]
    )
