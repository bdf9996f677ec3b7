"""Double submits on PostgreSQL: every state-changing action posted several times at once.

    .venv/bin/python bench/concurrency.py [--copies 6]

Builds its own PostgreSQL database (``ehalsa_concurrency``) with the demo data, serves it with
production settings (gunicorn, 2 workers x 4 threads) and, for each action, sends ``--copies``
identical posts at the same moment from one signed-in browser session (a double click, a resent
request): the next period's plan, a revision, a new goal, a new activity, a follow-up, a budget
line, an edit of a goal, sending for adoption, the route's adopting decision and a municipality's
decision. It then counts in the database what each action made and prints one line per action.

It exits non-zero when any action made more than one of anything, when any answer was a server
error (5xx), or when no post succeeded. `.ci/run` runs it (issue 13).
"""

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import load  # bench/ is on sys.path when a bench runs
import psycopg2
from load import ROOT, Client, build

DATABASE = "ehalsa_concurrency"


def at_once(session: Client, copies: int, method: str, path: str, data: dict) -> Counter:
    """``copies`` identical requests of one browser session, released together; the statuses."""
    clients = [Client(session.cookies) for _ in range(copies)]
    barrier = threading.Barrier(copies)
    statuses = Counter()

    def send(client):
        barrier.wait()
        status, _ = client.request(method, path, data)
        statuses[status] += 1

    threads = [threading.Thread(target=send, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def form_of(session: Client, path: str) -> dict:
    """The hidden fields of the form on ``path`` (the CSRF token, a new row's token, a version)."""
    status, page = session.request("GET", path)
    assert status == 200, f"GET {path}: {status}"
    return {
        name.decode(): value.decode()
        for name, value in re.findall(rb'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)
    }


class Check:
    def __init__(self, url: str, copies: int):
        self.database = psycopg2.connect(url)
        self.database.autocommit = True
        self.copies = copies
        self.failures = []

    def one(self, sql: str, *args):
        with self.database.cursor() as cursor:
            cursor.execute(sql, args)
            return cursor.fetchone()[0]

    def report(self, action: str, statuses: Counter, made: int, expected: int = 1):
        errors = sum(n for status, n in statuses.items() if status >= 500 or status == 0)
        succeeded = sum(n for status, n in statuses.items() if status in (200, 302))
        verdict = "ok" if made == expected and not errors and succeeded else "FAIL"
        answers = ", ".join(f"{n} x {status}" for status, n in sorted(statuses.items()))
        print(f"  {verdict:<4} {action:<42} made {made} (expected {expected}); answers: {answers}")
        if verdict != "ok":
            self.failures.append(action)


def run(check: Check, coordinator: Client, secretary: Client) -> None:
    copies, one = check.copies, check.one

    def count(table: str, where: str, *args) -> int:
        return one(f"SELECT count(*) FROM {table} WHERE {where}", *args)

    def posted(session: Client, path: str, **fields) -> Counter:
        return at_once(session, copies, "POST", path, form_of(session, path) | fields)

    adopted = one("SELECT id FROM plans_actionplan WHERE title LIKE '%%2016-2017' AND status = 'adopted'")
    next_plan = "previous_plan_id = %s AND revision_of_id IS NULL"
    statuses = at_once(
        coordinator, copies, "POST", f"/planer/{adopted}/nasta-period/", form_of(coordinator, f"/planer/{adopted}/")
    )
    check.report("next period's plan", statuses, count("plans_actionplan", next_plan, adopted))
    draft = one(f"SELECT id FROM plans_actionplan WHERE {next_plan}", adopted)

    statuses = posted(coordinator, f"/planer/{adopted}/revidera/", reason="Ny kostnadsbild")
    check.report("revision", statuses, count("plans_actionplan", "revision_of_id = %s", adopted))

    statuses = posted(coordinator, f"/planer/{draft}/mal/ny/", title="Samtidigt mål")
    check.report("new goal", statuses, count("plans_goal", "title = 'Samtidigt mål'"))

    activity = f"/aktiviteter/ny/{draft}/"
    fields = {
        "number": "99",
        "title": "Samtidig aktivitet",
        "status": "planned",
        "start_year": "2018",
        "end_year": "2019",
    }
    statuses = posted(coordinator, activity, **fields)
    check.report("new activity", statuses, count("activities_activity", "title = 'Samtidig aktivitet'"))

    # Colleagues, each with their own form, add the same activity number at the same moment.
    forms = [fields | form_of(coordinator, activity) | {"number": "98"} for _ in range(copies)]
    statuses = Counter()
    barrier = threading.Barrier(copies)

    def colleague(form):
        barrier.wait()
        statuses[Client(coordinator.cookies).request("POST", activity, form)[0]] += 1

    threads = [threading.Thread(target=colleague, args=(form,)) for form in forms]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    check.report("activity number taken at once by others", statuses, count("activities_activity", "number = '98'"))

    first_activity = one("SELECT min(id) FROM activities_activity WHERE plan_id = %s", adopted)
    fields = {"date": "2016-06-30", "period": "2016", "phase": "ongoing", "text": "Samtidig uppföljning"}
    statuses = posted(coordinator, f"/aktiviteter/{first_activity}/uppfoljning/ny/", **fields)
    check.report("follow-up", statuses, count("activities_followup", "text = 'Samtidig uppföljning'"))

    # Activity 1 (NPÖ 2.0) is carried out by every member: a municipality's status, sent six times.
    mjolby = one("SELECT id FROM governance_organisation WHERE name = 'Mjölby kommun'")
    fields = {"municipality": str(mjolby), "status": "ongoing", "date": "2016-06-30", "comment": "Samtidig status"}
    statuses = posted(coordinator, f"/aktiviteter/{first_activity}/kommunstatus/ny/", **fields)
    check.report(
        "status per municipality", statuses, count("activities_municipalstatus", "comment = 'Samtidig status'")
    )

    fields = {"year": "2018", "kind": "cost", "category": "conferences", "description": "Samtidig konferens"}
    fields |= {"amount": "25000", "repeat": "once", "party": "", "is_estimate": "on"}
    statuses = posted(coordinator, f"/planer/{draft}/budget/rad/ny/", **fields)
    check.report("budget line", statuses, count("finance_budgetentry", "description = 'Samtidig konferens'"))

    statuses = at_once(
        coordinator, copies, "POST", f"/planer/{draft}/pdf/skapa/", form_of(coordinator, f"/planer/{draft}/")
    )
    check.report("draft PDF asked for (Skapa PDF)", statuses, count("plans_pdfjob", "plan_id = %s", draft))

    goal = one("SELECT id FROM plans_goal WHERE title = 'Samtidigt mål'")
    statuses = posted(coordinator, f"/planer/mal/{goal}/redigera/", title="Samtidigt ändrat mål")
    # One save wins; the others are told that someone else saved first, and keep their input.
    check.report(
        "edit of a goal (saves that won)", statuses, one("SELECT version - 1 FROM plans_goal WHERE id = %s", goal)
    )

    ssvo = one("SELECT id FROM governance_body WHERE name = 'Sakområdessamråd vård och omsorg'")
    statuses = posted(coordinator, f"/planer/{draft}/skicka-for-antagande/", route=str(ssvo), send_anyway="on")
    check.report("send for adoption (route steps)", statuses, count("plans_adoptionstep", "plan_id = %s", draft))

    # The meeting is today in Sweden: the product's dates are Stockholm's, not the machine's (UTC).
    decide, today = f"/planer/{draft}/beslut/nytt/", f"{datetime.now(ZoneInfo('Europe/Stockholm')):%Y-%m-%d}"
    statuses = posted(coordinator, decide, body=str(ssvo), meeting_date=today, kind="adopt", text="Planen antas.")
    check.report("adopting decision", statuses, count("governance_decision", "plan_id = %s", draft))
    check.report("adopted version", statuses, count("plans_planversion", "plan_id = %s", draft))
    adopted_pdf = "plan_id = %s AND version_number IS NOT NULL"
    check.report("adopted version's PDF queued", statuses, count("plans_pdfjob", adopted_pdf, draft))

    board = one(
        "SELECT b.id FROM governance_body b JOIN governance_organisation o ON o.id = b.organisation_id "
        "WHERE o.name = 'Mjölby kommun' AND b.name = 'Kommunstyrelsens arbetsutskott'"
    )
    statuses = posted(secretary, decide, body=str(board), meeting_date=today, kind="adopt", text="Kommunen antar.")
    check.report(
        "a municipality's decision",
        statuses,
        count("governance_decision", "plan_id = %s AND body_id = %s", draft, board),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=6, help="identical posts sent at once per action")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="ehalsa-concurrency-"))
    env = build(workdir, DATABASE)
    log = open(workdir / "gunicorn.log", "wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "ehalsa.wsgi", "-c", str(ROOT / "gunicorn.conf.py")],
        cwd=ROOT,
        env=env | {"GUNICORN_BIND": f"127.0.0.1:{load.PORT}", "GUNICORN_WORKERS": "2"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        coordinator, secretary = Client(), Client()
        for _ in range(120):
            if coordinator.request("GET", "/healthz")[0] == 200:
                break
            time.sleep(0.5)
        coordinator.log_in("samordnare")
        secretary.log_in("sekreterare")
        check = Check(env["DATABASE_URL"], args.copies)
        print(f"{args.copies} identical posts at once per action (PostgreSQL, gunicorn 2 x 4):")
        run(check, coordinator, secretary)
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()
        load.print_server_errors(workdir / "gunicorn.log")
        shutil.rmtree(workdir, ignore_errors=True)
    if check.failures:
        print(f"Duplicates or errors in: {', '.join(check.failures)}")
        return 1
    print("No action made a duplicate.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
