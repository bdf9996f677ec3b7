"""How many activities each plan has, kept by the database itself.

Plan lists and the activity search show counts; counting 100 000 activities on every page does
not scale. Triggers keep one row per plan current on every insert, delete and move of an
activity, whatever path made the change (forms, services, bulk inserts, loaddata). The table is
not a Django model, so backups (dumpdata) leave it out and a restore rebuilds it row by row.
"""

from django.db import migrations

TABLE = "activities_plan_tally"

COMMON = [
    f"CREATE TABLE {TABLE} (plan_id bigint PRIMARY KEY, activities integer NOT NULL DEFAULT 0)",
    f"""INSERT INTO {TABLE} (plan_id, activities)
        SELECT plan_id, COUNT(*) FROM activities_activity GROUP BY plan_id""",
]
SQLITE = [
    *COMMON,
    f"""CREATE TRIGGER activities_tally_insert AFTER INSERT ON activities_activity BEGIN
          INSERT INTO {TABLE} (plan_id, activities) VALUES (NEW.plan_id, 1)
          ON CONFLICT (plan_id) DO UPDATE SET activities = activities + 1; END;""",
    f"""CREATE TRIGGER activities_tally_delete AFTER DELETE ON activities_activity BEGIN
          UPDATE {TABLE} SET activities = activities - 1 WHERE plan_id = OLD.plan_id; END;""",
    f"""CREATE TRIGGER activities_tally_move AFTER UPDATE OF plan_id ON activities_activity
          WHEN OLD.plan_id <> NEW.plan_id BEGIN
          UPDATE {TABLE} SET activities = activities - 1 WHERE plan_id = OLD.plan_id;
          INSERT INTO {TABLE} (plan_id, activities) VALUES (NEW.plan_id, 1)
          ON CONFLICT (plan_id) DO UPDATE SET activities = activities + 1; END;""",
    f"""CREATE TRIGGER activities_tally_plan_gone AFTER DELETE ON plans_actionplan BEGIN
          DELETE FROM {TABLE} WHERE plan_id = OLD.id; END;""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS activities_tally_insert",
    "DROP TRIGGER IF EXISTS activities_tally_delete",
    "DROP TRIGGER IF EXISTS activities_tally_move",
    "DROP TRIGGER IF EXISTS activities_tally_plan_gone",
    f"DROP TABLE IF EXISTS {TABLE}",
]
POSTGRESQL = [
    *COMMON,
    f"""CREATE OR REPLACE FUNCTION activities_tally() RETURNS trigger AS $$
        BEGIN
          IF TG_OP IN ('DELETE', 'UPDATE') THEN
            UPDATE {TABLE} SET activities = activities - 1 WHERE plan_id = OLD.plan_id;
          END IF;
          IF TG_OP IN ('INSERT', 'UPDATE') THEN
            INSERT INTO {TABLE} (plan_id, activities) VALUES (NEW.plan_id, 1)
            ON CONFLICT (plan_id) DO UPDATE SET activities = {TABLE}.activities + 1;
          END IF;
          RETURN NULL;
        END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER activities_tally_insert_delete AFTER INSERT OR DELETE ON activities_activity
       FOR EACH ROW EXECUTE FUNCTION activities_tally()""",
    """CREATE TRIGGER activities_tally_move AFTER UPDATE OF plan_id ON activities_activity
       FOR EACH ROW WHEN (OLD.plan_id IS DISTINCT FROM NEW.plan_id) EXECUTE FUNCTION activities_tally()""",
    f"""CREATE OR REPLACE FUNCTION activities_tally_plan_gone() RETURNS trigger AS $$
        BEGIN DELETE FROM {TABLE} WHERE plan_id = OLD.id; RETURN NULL; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER activities_tally_plan_gone AFTER DELETE ON plans_actionplan
       FOR EACH ROW EXECUTE FUNCTION activities_tally_plan_gone()""",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS activities_tally_insert_delete ON activities_activity",
    "DROP TRIGGER IF EXISTS activities_tally_move ON activities_activity",
    "DROP TRIGGER IF EXISTS activities_tally_plan_gone ON plans_actionplan",
    "DROP FUNCTION IF EXISTS activities_tally()",
    "DROP FUNCTION IF EXISTS activities_tally_plan_gone()",
    f"DROP TABLE IF EXISTS {TABLE}",
]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("activities", "0002_initial"), ("plans", "0002_planversion_immutable")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        )
    ]
