"""Pages of activities across many plans without sorting them all.

The search lists activities plan by plan (plans in display order, each plan's activities in
their own order). With no filter on the activities themselves, a page is found from the plans'
tallies and read from the (plan, order, id) index: the cost of a page does not grow with the
number of activities in the country.
"""

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

    The hits are counted only up to ``cap`` (the page then says "more than …"), and a page is read
    from the plans it falls in: each plan's hits are counted and read from the (plan, order, id)
    index, so a page costs about the same however many activities the country has.
    """

    def __init__(self, hits, activities, plans, cap):
        self.hits = hits.order_by()
        self.activities = activities
        self.plan_ids = list(plans.values_list("pk", flat=True))
        self.cap = cap
        self.total = self.hits.values("pk")[: cap + 1].count()

    def __getitem__(self, key):
        if isinstance(key, int):
            return super().__getitem__(key)
        start, stop, step = key.indices(self.total)
        ids, position = [], 0
        for plan_id in self.plan_ids:
            if position >= stop:
                break
            in_plan = self.hits.filter(plan_id=plan_id)
            count = in_plan.count()
            if count and position + count > start:
                ordered = in_plan.order_by("order", "pk").values_list("pk", flat=True)
                ids += list(ordered[max(start - position, 0) : min(stop - position, count)])
            position += count
        return self.fetch(ids)

    def __iter__(self):
        return iter(self[0 : self.total])
