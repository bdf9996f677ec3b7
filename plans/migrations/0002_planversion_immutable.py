"""Adopted versions never change: the database refuses UPDATE and DELETE on them, whoever asks."""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER plans_planversion_no_update BEFORE UPDATE ON plans_planversion
       BEGIN SELECT RAISE(ABORT, 'An adopted version can never be changed.'); END;""",
    """CREATE TRIGGER plans_planversion_no_delete BEFORE DELETE ON plans_planversion
       BEGIN SELECT RAISE(ABORT, 'An adopted version can never be changed.'); END;""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS plans_planversion_no_update;",
    "DROP TRIGGER IF EXISTS plans_planversion_no_delete;",
]
POSTGRESQL = [
    """CREATE OR REPLACE FUNCTION plans_planversion_immutable() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'An adopted version can never be changed.'; END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER plans_planversion_immutable BEFORE UPDATE OR DELETE ON plans_planversion
       FOR EACH ROW EXECUTE FUNCTION plans_planversion_immutable();""",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS plans_planversion_immutable ON plans_planversion;",
    "DROP FUNCTION IF EXISTS plans_planversion_immutable();",
]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        )
    ]
