"""The activities mapped to an indicator straight from an index, without reading the mapping rows.

The mapping table is the one Django makes for ``Activity.lika_indicators``; its own indexes are
(activity, indicator) and each column alone, so the search's "mapped to L2" read every mapping
row of the indicator from the table. Same SQL on SQLite and PostgreSQL.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0005_activity_years_in_plan"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX activities_lika_mapped_by_indicator"
            " ON activities_activity_lika_indicators (likaindicator_id, activity_id)",
            "DROP INDEX activities_lika_mapped_by_indicator",
        ),
    ]
