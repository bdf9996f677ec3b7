"""The running site: health check, start page, login, plan and activity pages, access to drafts."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.helpers import make_plan

ROOT = Path(__file__).resolve().parent.parent


def test_healthz_answers_ok_without_touching_the_database(client):
    # No django_db mark: pytest-django raises on any database access.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_healthz_answers_whatever_the_host_header(client):
    assert client.get("/healthz", HTTP_HOST="10.0.0.7:8000").content == b"ok"


@pytest.mark.django_db
def test_start_page_lists_adopted_plans_to_anonymous_users_in_swedish(client, plan_2016, h2o_plan):
    response = client.get("/")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="sv">' in page
    assert plan_2016.title in page
    assert '<span class="badge badge--ok">Antagen</span>' in page  # its status, as everywhere
    assert h2o_plan.title not in page
    assert "Logga in" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "shown"),
    [
        ("samordnare", "e-hälsosamordnare, Region Östergötland"),
        ("tjansteman", "tjänsteman, Mjölby"),
        ("sekreterare", "nämndsekreterare, Mjölby"),
        ("lasare", "läsare, Linköpings kommun"),
        ("admin", "Ada Administratör"),
    ],
)
def test_every_demo_account_can_sign_in_and_sees_who_it_is(client, username, shown):
    response = client.post(reverse("login"), {"username": username, "password": "ehalsa-demo-2026"}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Inloggad som" in page
    assert shown in page


@pytest.mark.django_db
def test_a_wrong_password_gets_a_swedish_message(client):
    response = client.post(reverse("login"), {"username": "samordnare", "password": "fel"})
    assert response.status_code == 200
    assert "Ange ett korrekt användarnamn och lösenord" in response.content.decode()


@pytest.mark.django_db
def test_the_adopted_plan_page_shows_activities_follow_up_budget_and_decisions(client, plan_2016):
    page = client.get(plan_2016.get_absolute_url()).content.decode()
    assert "Rätt och säker information, enkelt (Säker e-post och e-signering)" in page
    assert "Uppföljning av föregående plan" in page
    assert "Fem kommuner har tagit fram en handlingsplan" in page
    assert "6\xa0109\xa0227" in page and "1\xa0190\xa0649" in page
    assert "Beräknad utgående balans 2017" in page
    assert "OSN/2015:169" in page and "KS/2016:51" in page


@pytest.mark.django_db
def test_user_text_is_escaped_and_bullets_become_lists(client, h2o_plan, official_elsewhere):
    section = h2o_plan.sections.first()
    section.body = "<script>alert(1)</script>\n\n- första\n- andra"
    section.save()
    client.force_login(official_elsewhere)  # the draft is read from its rows
    page = client.get(h2o_plan.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<ul><li>första</li><li>andra</li></ul>" in page


@pytest.mark.django_db
def test_a_draft_answers_404_to_outsiders_without_leaking_its_title(client, official_elsewhere, coordinator):
    draft = make_plan(title="Hemligt utkast")
    anonymous = client.get(draft.get_absolute_url())
    assert anonymous.status_code == 404
    assert "Hemligt utkast" not in anonymous.content.decode()
    assert "Sidan finns inte" in anonymous.content.decode()
    client.force_login(official_elsewhere)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(coordinator)
    assert client.get(draft.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_an_activity_page_shows_its_mappings_and_continuation(client, vastkom_plan, plan_2016):
    activity = vastkom_plan.activities.get(number="15")
    page = client.get(activity.get_absolute_url()).content.decode()
    assert "L12" in page and "Förvaltningen har en strategi för informationssäkerhet" in page
    assert "3 timmar / medarb." in page
    npo = plan_2016.activities.get(number="1")
    page = client.get(npo.get_absolute_url()).content.decode()
    assert "Införande och användning av NPÖ" in page


@pytest.mark.django_db
def test_activities_of_a_draft_answer_404_to_outsiders(client, h2o_plan):
    draft_activity = h2o_plan.activities.create(number="1", title="Dold aktivitet")
    assert client.get(draft_activity.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_unknown_ids_answer_a_swedish_404(client):
    response = client.get("/planer/999999/")
    assert response.status_code == 404
    assert "Sidan finns inte" in response.content.decode()


@pytest.mark.django_db
def test_the_interface_is_swedish_even_for_an_english_browser(client, plan_2016):
    page = client.get(plan_2016.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="sv">' in page
    assert "Uppföljning av föregående plan" in page


@pytest.mark.django_db
def test_the_interface_switches_to_english(client, plan_2016):
    response = client.get(reverse("choose_language", args=["en"]), {"next": plan_2016.get_absolute_url()})
    assert response.status_code == 302 and response["Location"] == plan_2016.get_absolute_url()
    page = client.get(plan_2016.get_absolute_url()).content.decode()
    assert '<html lang="en">' in page
    assert "Follow-up of the previous plan" in page


def run_manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_without_warnings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="ehalsa.example.se",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_serve_without_a_secret_key():
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, "-c", "import ehalsa.wsgi"],
        cwd=ROOT,
        env={**env, "DJANGO_DEBUG": "0"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_database_url_selects_postgresql_with_persistent_checked_connections():
    code = (
        "import django; django.setup(); from django.conf import settings; d = settings.DATABASES['default'];"
        "print(d['ENGINE'], d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ehalsa.settings",
        "DATABASE_URL": "postgres://u@db.example:5432/ehalsa",
    }
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["django.db.backends.postgresql", "600", "True"], result.stderr


@pytest.mark.parametrize(
    ("url", "backend"),
    [
        ("", "django.core.cache.backends.locmem.LocMemCache"),
        ("redis://127.0.0.1:6379/1", "django.core.cache.backends.redis.RedisCache"),
        ("memcached://127.0.0.1", "ImproperlyConfigured"),
    ],
)
def test_the_cache_is_chosen_by_the_environment(url, backend):
    code = (
        "import django\n"
        "try:\n"
        "    django.setup()\n"
        "except Exception as error:\n"
        "    print(type(error).__name__)\n"
        "else:\n"
        "    from django.conf import settings\n"
        "    print(settings.CACHES['default']['BACKEND'])\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ehalsa.settings", "DJANGO_CACHE_URL": url}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == [backend], result.stderr


@pytest.mark.django_db
def test_the_language_link_never_redirects_off_site_and_knows_only_its_languages(client):
    response = client.get(reverse("choose_language", args=["en"]), {"next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert client.get(reverse("choose_language", args=["de"])).status_code == 404


@pytest.mark.django_db
def test_repeated_wrong_passwords_lock_the_account_for_a_while(client):
    url = reverse("login")
    for _ in range(4):
        assert client.post(url, {"username": "samordnare", "password": "fel"}).status_code == 200
    assert client.post(url, {"username": "samordnare", "password": "fel"}).status_code == 429  # the fifth
    locked = client.post(url, {"username": "samordnare", "password": "ehalsa-demo-2026"})
    assert locked.status_code == 429
    assert "För många försök" in locked.content.decode()


@pytest.mark.django_db
def test_every_page_has_a_strict_content_security_policy(client, plan_2016):
    for url in ("/", plan_2016.get_absolute_url(), plan_2016.get_absolute_url()):
        policy = client.get(url)["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy
        assert client.get(url)["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_pages_have_no_inline_scripts_or_styles(client, plan_2016, vastkom_plan):
    import re

    for url in (
        "/",
        "/planer/",
        plan_2016.get_absolute_url(),
        vastkom_plan.get_absolute_url(),
        "/aktiviteter/",
        f"/planer/{plan_2016.pk}/budget/",
    ):
        page = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)", page), url
        assert "<style" not in page and " style=" not in page, url


def test_while_the_database_is_unreachable_readers_get_a_swedish_503(db, client, monkeypatch):
    from django.db import OperationalError

    from plans.views import ActionPlanListView

    def unreachable(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(ActionPlanListView, "get", unreachable)
    client.raise_request_exception = False
    response = client.get("/planer/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Tjänsten är tillfälligt otillgänglig" in response.content.decode()


@pytest.mark.parametrize(
    ("error", "raw_connection", "unreachable"),
    [
        ("OperationalError", "open", True),
        ("driver's OperationalError", "closed", True),  # a server-side cursor closed on a dead connection
        ("driver's InterfaceError", "closed", True),
        ("DatabaseError", "closed", True),  # "error with status PGRES_TUPLES_OK and no message from the libpq"
        ("ProgrammingError", "closed", True),  # "named cursor isn't valid anymore", the connection gone
        ("ProgrammingError", "let go", True),  # Django closed it after a failed rollback
        ("ProgrammingError", "open", False),  # a wrong query on a working connection is a fault: 500
        ("driver's ProgrammingError", "open", False),
        ("IntegrityError", "open", False),
    ],
)
def test_lost_connections_are_told_from_wrong_queries(error, raw_connection, unreachable):
    from types import SimpleNamespace

    from django import db

    from ehalsa.views import database_unreachable

    driver = db.connection.Database  # sqlite3 or psycopg2, whichever the suite runs on
    kind = getattr(driver, error.removeprefix("driver's ")) if error.startswith("driver's") else getattr(db, error)
    raw = {"open": SimpleNamespace(closed=0), "closed": SimpleNamespace(closed=2), "let go": None}[raw_connection]
    database = SimpleNamespace(connection=raw, Database=driver)
    assert database_unreachable(kind("x"), database) is unreachable
    assert database_unreachable(ZeroDivisionError(), SimpleNamespace(connection=None, Database=driver)) is False


def test_other_errors_are_a_plain_500(db, client, monkeypatch):
    from plans.views import ActionPlanListView

    monkeypatch.setattr(ActionPlanListView, "get", lambda *a, **k: 1 / 0)
    client.raise_request_exception = False
    response = client.get("/planer/")
    assert response.status_code == 500
    assert "Ett fel inträffade" in response.content.decode()


def refused_query_error(driver):
    """The driver's own error for a query the database refuses as too large, as the driver raises it."""
    if driver.__name__ == "sqlite3":
        error = driver.OperationalError("Expression tree is too large (maximum depth 1000)")
        error.sqlite_errorcode = 1  # SQLITE_ERROR: the statement, not the database
        return error

    class StatementTooComplex(driver.OperationalError):
        pgcode = "54001"  # program limit exceeded: the statement, not the server

    return StatementTooComplex("stack depth limit exceeded")


def test_a_query_the_database_refuses_is_a_500_not_an_outage(db, client, monkeypatch):
    from django import db as django_db

    from plans.views import ActionPlanListView

    def refused(*args, **kwargs):
        cause = refused_query_error(django_db.connection.Database)
        raise django_db.OperationalError(*cause.args) from cause  # as Django wraps the driver's errors

    monkeypatch.setattr(ActionPlanListView, "get", refused)
    client.raise_request_exception = False
    response = client.get("/planer/")
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "Ett fel inträffade" in response.content.decode()


@pytest.mark.parametrize(
    ("driver_name", "code", "unreachable"),
    [
        ("sqlite3", 1, False),  # SQLITE_ERROR: "Expression tree is too large", "too many SQL variables"
        ("sqlite3", 18, False),  # SQLITE_TOOBIG: "string or blob too big"
        ("sqlite3", 5, True),  # SQLITE_BUSY: "database is locked", gone on the next try
        ("sqlite3", 14, True),  # SQLITE_CANTOPEN
        ("psycopg2", "54001", False),  # statement too complex ("stack depth limit exceeded")
        ("psycopg2", "57014", False),  # statement timeout: the query, not the server
        ("psycopg2", "08006", True),  # connection failure
        ("psycopg2", "57P01", True),  # administrator shutdown (a restart)
        ("psycopg2", "53300", True),  # too many connections
        ("psycopg2", "40P01", True),  # deadlock detected: lost a race, try again
        ("psycopg2", "40001", True),  # serialization failure
        ("psycopg2", "55P03", True),  # lock not available
    ],
)
def test_the_databases_own_error_codes_tell_an_outage_from_a_refused_query(driver_name, code, unreachable):
    import importlib
    from types import SimpleNamespace

    from django import db

    from ehalsa.views import database_unreachable

    driver = importlib.import_module(driver_name)
    attribute = "sqlite_errorcode" if driver_name == "sqlite3" else "pgcode"
    cause = type("CodedError", (driver.OperationalError,), {attribute: code})("x")
    database = SimpleNamespace(connection=SimpleNamespace(closed=0), Database=driver)
    assert database_unreachable(cause, database) is unreachable
    try:
        raise db.OperationalError("x") from cause
    except db.OperationalError as wrapped:
        assert database_unreachable(wrapped, database) is unreachable
