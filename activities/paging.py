"""Pages of activities across many plans without sorting them all.

The search lists activities plan by plan (plans in display order, each plan's activities in
their own order). With no filter on the activities themselves, a page is found from the plans'
tallies and read from the (plan, order, id) index: the cost of a page does not grow with the
number of activities in the country.
"""

from django.db.models import Case, Value, When

from ehalsa.db import activity_count_of_plan_row

from .models import Activity


class ActivitiesPlanByPlan:
    """A sequence (len, slices, iteration) of the activities of ``plans`` in display order."""

    model = Activity

    def __init__(self, activities, plans):
        self.activities = activities
        self.counts = [
            (plan_id, count)
            for plan_id, count in plans.annotate(tally=activity_count_of_plan_row()).values_list("pk", "tally")
            if count
        ]
        self.total = sum(count for _, count in self.counts)

    def __len__(self):
        return self.total

    def count(self):
        return self.total

    def ids_of_plan(self, plan_id, start=0, stop=None):
        return list(
            Activity.objects.filter(plan_id=plan_id).order_by("order", "pk").values_list("pk", flat=True)[start:stop]
        )

    def fetch(self, ids):
        """The activities (with what the rows show) in the order of ``ids``, in one query."""
        found = {activity.pk: activity for activity in self.activities.filter(pk__in=ids).order_by()}
        return [found[pk] for pk in ids if pk in found]

    def __getitem__(self, key):
        if isinstance(key, int):
            index = key if key >= 0 else self.total + key
            if not 0 <= index < self.total:
                raise IndexError(key)
            return self[index : index + 1][0]
        start, stop, step = key.indices(self.total)
        if step != 1:
            raise ValueError("Only contiguous slices.")
        ids, position = [], 0
        for plan_id, count in self.counts:
            if position >= stop:
                break
            if position + count > start:
                ids += self.ids_of_plan(plan_id, max(start - position, 0), min(stop - position, count))
            position += count
        return self.fetch(ids)

    def __iter__(self):
        for plan_id, _ in self.counts:
            yield from self.fetch(self.ids_of_plan(plan_id))


class HitsPlanByPlan(ActivitiesPlanByPlan):
    """Hits of filters on the activities themselves, plan by plan, for a large data set.

    The hits are counted only up to ``cap`` (the page then says "more than …"): the first
    ``cap + 1`` hits are read in display order, plan after plan, and every page is a slice of
    them. Each read takes as many plans as the hits found so far per plan suggest are needed, so
    where hits are frequent it ends after a plan or two whatever the number of activities in the
    country; where they are rare, every plan left is asked at once and in any order, so that the
    database can take the hits from an index instead of reading every activity of every plan.
    """

    def __init__(self, hits, activities, plans, cap):
        self.hits = hits.order_by()
        self.activities = activities
        self.found = self.first_hits(list(plans.values_list("pk", flat=True)), cap + 1)
        self.total = len(self.found)

    def first_hits(self, plan_ids: list[int], wanted: int) -> list[int]:
        found, read, batch = [], 0, 1
        while len(found) < wanted and read < len(plan_ids):
            found += self.hits_of(plan_ids[read : read + batch], wanted - len(found))
            read += batch
            missing, left = wanted - len(found), len(plan_ids) - read
            if missing and left:
                # Enough plans for what is missing at the rate found so far, with a margin.
                per_plan = len(found) / read
                needed = missing / per_plan * 1.25 if per_plan else left
                if needed >= left:  # rare hits: every plan left is read at once
                    return found + self.hits_of_rare(plan_ids[read:], missing)
                batch = int(needed) + 1
        return found

    def hits_of_rare(self, plan_ids: list[int], limit: int) -> list[int]:
        """As ``hits_of``, for hits thought rare: first asked for in any order, which lets the
        database take them from an index on what is searched for (trigrams of the text, LIKA
        mappings) instead of reading every activity of the plans in their order."""
        rows = list(self.hits.filter(plan_id__in=plan_ids).values_list("plan_id", "order", "pk")[:limit])
        if len(rows) == limit:  # not rare after all: the first ones in display order
            return self.hits_of(plan_ids, limit)
        rank = {plan_id: n for n, plan_id in enumerate(plan_ids)}
        return [pk for _, _, pk in sorted(rows, key=lambda row: (rank[row[0]], row[1], row[2]))]

    def hits_of(self, plan_ids: list[int], limit: int) -> list[int]:
        """The ids of the first ``limit`` hits in these plans, in display order."""
        if len(plan_ids) == 1:
            in_order = self.hits.filter(plan_id=plan_ids[0]).order_by("order", "pk")
        else:
            rank = Case(*(When(plan_id=plan_id, then=Value(n)) for n, plan_id in enumerate(plan_ids)))
            in_order = self.hits.filter(plan_id__in=plan_ids).order_by(rank, "order", "pk")
        return list(in_order.values_list("pk", flat=True)[:limit])

    def __getitem__(self, key):
        if isinstance(key, int):
            return super().__getitem__(key)
        start, stop, step = key.indices(self.total)
        if step != 1:
            raise ValueError("Only contiguous slices.")
        return self.fetch(self.found[start:stop])

    def __iter__(self):
        return iter(self[0 : self.total])
