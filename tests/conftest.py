"""Personas and the demo data, loaded once per test session into the test database.

Each test runs in a transaction that is rolled back, so tests may change the demo data freely.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection

from fixtures.demo import load_demo_data
from governance.models import Cooperation
from plans.models import ActionPlan

from .helpers import make_user
from .servers import collect_static

# The tests that start a server with production settings run in one test process (pytest-xdist's
# loadgroup, see the Makefile): its static files are collected once, and its demo data loaded once.
SERVERS = pytest.mark.xdist_group("servers")


@pytest.hookimpl(wrapper=True)  # a wrapper runs before every plain hook: pytest-xdist's reads the groups
def pytest_collection_modifyitems(items):
    for item in items:
        if "collected_static" in item.fixturenames:
            item.add_marker(SERVERS)
    return (yield)


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """The static files as production serves them (hashed, compressed), collected once per test
    process for every server the tests start with production settings."""
    root = tmp_path_factory.mktemp("static")
    collect_static(root)
    return root


def start_ids_high() -> None:
    """Every table's ids start high, and each table's elsewhere (101 000…, 102 000…): a page that
    prints an id the way it prints numbers ("101 001") is caught on SQLite as on PostgreSQL, whose
    ids grow past 999 within a test run while SQLite's start again after each rolled-back test, and
    an id of one table taken for another's finds nothing."""
    tables = sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT schemaname, sequencename FROM pg_sequences ORDER BY 1, 2")
            for index, (schema, sequence) in enumerate(cursor.fetchall(), start=1):
                cursor.execute("SELECT setval(%s, %s, false)", [f'"{schema}"."{sequence}"', 100_000 + 1000 * index])
        else:
            cursor.execute("DELETE FROM sqlite_sequence")
            for index, table in enumerate(tables, start=1):
                cursor.execute(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, 100_000 + 1000 * index]
                )


@pytest.fixture(scope="session")
def migrated_schema(django_db_setup):
    """A SQLite file holding the migrated schema, with no data and the ids as migrations leave them,
    copied from the test database before the demo data: the browser tests' server starts from it
    instead of migrating again (half a minute). None on PostgreSQL. (A copy with the demo data
    would not do: ``manage.py load_demo_data`` also stores the adopted plans' PDFs, as adoption in
    the product does, which the loading the tests do leaves out; a download would wait for them.)"""
    return django_db_setup


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock():
        name = str(connection.settings_dict["NAME"])
        if "memorydb" not in name and not name.startswith("test"):
            return None  # no test of the session uses the database (the browser tests alone): none was made
        schema = None
        if connection.vendor == "sqlite":
            import sqlite3

            schema = tmp_path_factory.mktemp("schema") / "migrated.sqlite3"
            connection.ensure_connection()
            with sqlite3.connect(schema) as copy:
                connection.connection.backup(copy)
            copy.close()
        start_ids_high()
        load_demo_data()
    return schema


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts and ends with an empty cache, whatever it rendered."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def ostergotland(db):
    return Cooperation.objects.get(short_name="Östergötland")


@pytest.fixture
def h2o(db):
    return Cooperation.objects.get(short_name="H2O")


@pytest.fixture
def plan_2016(db):
    return ActionPlan.objects.get(title="Handlingsplan för ehälsa i Östergötland 2016-2017")


@pytest.fixture
def plan_2014(db):
    return ActionPlan.objects.get(title="Handlingsplan för ehälsa 2014-2015")


@pytest.fixture
def vastkom_plan(db):
    """VästKom's template plan (seed 003), proposed to its 49 municipalities."""
    return ActionPlan.objects.get(cooperation__short_name="VästKom", is_template=True)


@pytest.fixture
def h2o_plan(db):
    return ActionPlan.objects.get(cooperation__short_name="H2O")


def demo_user(username):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def coordinator(db):
    """E-health coordinator at Region Östergötland."""
    return demo_user("samordnare")


@pytest.fixture
def official(db):
    """Official at Mjölby kommun."""
    return demo_user("tjansteman")


@pytest.fixture
def secretary(db):
    """Committee secretary at Mjölby kommun."""
    return demo_user("sekreterare")


@pytest.fixture
def viewer(db):
    return demo_user("lasare")


@pytest.fixture
def administrator(db):
    """The superuser (the Django admin's operator)."""
    return demo_user("admin")


@pytest.fixture
def cooperation_administrator(db):
    """Administrator of Region Östergötland, so of the Östergötland cooperation it leads."""
    return demo_user("forvaltare")


@pytest.fixture
def official_elsewhere(db):
    """An official of a municipality outside Östergötland (Oskarshamn, in H2O)."""
    return make_user("oskarshamn", "official", "Oskarshamns kommun")


@pytest.fixture
def stranger(db):
    """Signed in, but a member of no organisation."""
    return make_user("utomstaende")


@pytest.fixture
def draft(plan_2016, coordinator):
    """Östergötland's 2018–2019 draft, made from the adopted 2016–2017 plan ("Ny plan för nästa period")."""
    from plans import services

    return services.plan_create_next_period(plan=plan_2016, user=coordinator)


@pytest.fixture
def signed_in(client, coordinator):
    """The client, signed in as Östergötland's coordinator."""
    client.force_login(coordinator)
    return client
