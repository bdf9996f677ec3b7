"""What the PostgreSQL benches share."""

import os

POSTGRES = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")


def postgres_database_exists(name: str) -> bool:
    import psycopg2

    admin = psycopg2.connect(f"{POSTGRES}/postgres")
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        found = cursor.fetchone() is not None
    admin.close()
    return found


def fresh_postgres_database(name: str) -> str:
    """Drop and create ``name`` on the bench's PostgreSQL server; return its URL."""
    import psycopg2

    admin = psycopg2.connect(f"{POSTGRES}/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    return f"{POSTGRES}/{name}"
