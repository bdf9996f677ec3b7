"""The activity search's trigram indexes on the fields as the search compares them: without accents.

The search looks for each word as ``UPPER(ehalsa_unaccent(field)) LIKE UPPER(ehalsa_unaccent('%word%'))``
(ehalsa.search), so the indexes of 0007 (on ``UPPER(field)``) are replaced by indexes on that
expression. As in 0007, where pg_trgm cannot be created the indexes are left out, and SQLite
needs none.
"""

from django.db import migrations

FIELDS = ["number", "title", "content", "benefit", "effect_goal", "owner", "regional_support"]


def has_trigrams(schema_editor) -> bool:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        return cursor.fetchone() is not None


def create(apps, schema_editor, *, expression='UPPER(ehalsa_unaccent("{field}"))', suffix="_unaccented"):
    if schema_editor.connection.vendor != "postgresql" or not has_trigrams(schema_editor):
        return
    for field in FIELDS:
        schema_editor.execute(f"DROP INDEX IF EXISTS activities_{field}_trigrams")
        schema_editor.execute(f"DROP INDEX IF EXISTS activities_{field}_trigrams_unaccented")
        schema_editor.execute(
            f"CREATE INDEX activities_{field}_trigrams{suffix} ON activities_activity "
            f"USING gin ({expression.format(field=field)} gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    """Back to 0007's indexes."""
    create(apps, schema_editor, expression='UPPER("{field}")', suffix="")


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0015_activity_lineage_and_local_choices"),
        ("ehalsa", "0002_unaccent"),
    ]

    operations = [migrations.RunPython(create, drop)]
