"""Query helpers shared by the apps."""

from django.db import connection
from django.db.models import IntegerField, Subquery
from django.db.models.expressions import RawSQL


class SubqueryCount(Subquery):
    """``COUNT(*)`` of a correlated subquery: counts per row without joins that multiply rows.

    The queryset should select one column, e.g. ``.values("pk")`` (add ``.distinct()`` to count
    distinct values).
    """

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()


# Kept by database triggers (activities/migrations/0003_activity_tally.py).
TALLY = "activities_plan_tally"


def activity_count_of_plan_row(plan_table: str = "plans_actionplan") -> RawSQL:
    """Annotation: the plan row's number of activities, from the tally (one primary-key lookup)."""
    return RawSQL(
        f"COALESCE((SELECT t.activities FROM {TALLY} t WHERE t.plan_id = {plan_table}.id), 0)",
        [],
        output_field=IntegerField(),
    )


def activity_count_of_plans(plans) -> int:
    """How many activities the plans of a queryset have, without counting activities."""
    query, params = plans.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(SUM(activities), 0) FROM {TALLY} WHERE plan_id IN ({query})", params)
        return cursor.fetchone()[0]
