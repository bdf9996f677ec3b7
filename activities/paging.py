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
