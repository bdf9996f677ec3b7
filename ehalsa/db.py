"""Query helpers shared by the apps."""

from django.db import connection, connections, router
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


def get_by_pk(model, pk):
    """The row of ``model``'s table with primary key ``pk`` as the ORM makes it (``model.from_db``,
    values through the same converters), or None, from a statement built once per connection.

    For the reads every signed-in request makes (its session, its user), where building the ORM's
    query costs several times what running it does. The table's rows as they are: no manager's
    filter applies."""
    using = router.db_for_read(model)
    db = connections[using]
    statements = db.__dict__.setdefault("ehalsa_get_by_pk", {})
    if model not in statements:
        statements[model] = pk_statement(model, db)
    sql, names, converters = statements[model]
    with db.cursor() as cursor:
        cursor.execute(sql, [model._meta.pk.get_db_prep_value(pk, db)])
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for index, column, functions in converters:
        for convert in functions:
            values[index] = convert(values[index], column, db)
    return model.from_db(using, names, values)


def pk_statement(model, db):
    """``SELECT`` every concrete field of ``model`` by its primary key; the field names; the
    converters of each column that has any (as the ORM's compiler finds them)."""
    quote, table = db.ops.quote_name, model._meta.db_table
    fields = model._meta.concrete_fields
    sql = (
        f"SELECT {', '.join(quote(field.column) for field in fields)} FROM {quote(table)}"
        f" WHERE {quote(model._meta.pk.column)} = %s"
    )
    converters = []
    for index, field in enumerate(fields):
        column = field.get_col(table)
        functions = db.ops.get_db_converters(column) + column.get_db_converters(db)
        if functions:
            converters.append((index, column, functions))
    return sql, [field.attname for field in fields], converters
