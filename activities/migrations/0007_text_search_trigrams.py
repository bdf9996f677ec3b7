"""Text search through trigram indexes on PostgreSQL.

The activity search looks for each word anywhere in seven fields (``UPPER(field) LIKE
UPPER('%word%')``). Without an index, a word that few or no activities contain means reading
every activity in the country. A GIN index of each field's trigrams (pg_trgm) answers those
LIKEs directly. pg_trgm is a trusted extension: a database owner may create it without being
superuser. Where it cannot be created the indexes are left out (the search still works, only
slower for rare words) and the migration says so. SQLite has no such index and needs none at
the sizes it is used for.
"""

from django.db import migrations, transaction

FIELDS = ["number", "title", "content", "benefit", "effect_goal", "owner", "regional_support"]


def index_name(field: str) -> str:
    return f"activities_{field}_trigrams"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception as error:  # noqa: BLE001 - any refusal only means no index
        print(f"\n  pg_trgm could not be created ({error}); text search runs without trigram indexes.")
        return
    for field in FIELDS:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {index_name(field)} ON activities_activity USING gin (UPPER("{field}") gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for field in FIELDS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {index_name(field)}")


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0006_lika_mapping_by_indicator"),
    ]

    operations = [migrations.RunPython(create, drop)]
