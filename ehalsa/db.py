"""Query helpers shared by the apps."""

from django.db.models import IntegerField, Subquery


class SubqueryCount(Subquery):
    """``COUNT(*)`` of a correlated subquery: counts per row without joins that multiply rows.

    The queryset should select one column, e.g. ``.values("pk")`` (add ``.distinct()`` to count
    distinct values).
    """

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()
