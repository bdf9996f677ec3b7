"""The search's accent folding on PostgreSQL: the unaccent extension and ``ehalsa_unaccent``.

``unaccent(text)`` is only STABLE (its dictionary could change), so no index can be built on it;
``ehalsa_unaccent`` names the dictionary and is IMMUTABLE, which the trigram indexes of the
activity search (activities/migrations/0016_text_search_trigrams_unaccented.py) need. unaccent
is a trusted extension: a database owner may create it without being superuser. On SQLite the
function is Python's (``ehalsa.search.unaccent``, registered on each connection by ehalsa.sqlite)
and this migration does nothing.
"""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations

# The extension's schema is written into the function, which must work whatever the search path
# (a restore runs with none: bench/backup_restore.py).
FUNCTION = """
CREATE OR REPLACE FUNCTION ehalsa_unaccent(text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT {schema}.unaccent('{schema}.unaccent'::regdictionary, $1) $$
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'unaccent'")
        [schema] = cursor.fetchone()
    schema_editor.execute(FUNCTION.format(schema=schema_editor.quote_name(schema)))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS ehalsa_unaccent(text)")


class Migration(migrations.Migration):
    dependencies = [
        ("ehalsa", "0001_initial"),
    ]

    operations = [
        UnaccentExtension(),
        migrations.RunPython(create, drop),
    ]
