from django.views.generic import DetailView

from plans.models import ActionPlan

from .models import Activity


class ActivityDetailView(DetailView):
    """One activity with its mappings and follow-ups; hidden with its plan when that is a draft."""

    model = Activity

    def get_queryset(self):
        plans = ActionPlan.objects.visible_to(self.request.user)
        return (
            Activity.objects.filter(plan__in=plans)
            .select_related("plan", "plan__cooperation", "area", "continues", "continues__plan")
            .prefetch_related(
                "lika_indicators",
                "goals",
                "references__framework",
                "references__area",
                "follow_ups",
                "effort_shares__organisation",
                "continuations__plan",
            )
        )
