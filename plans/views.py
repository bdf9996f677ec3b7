from django.views.generic import DetailView

from governance.models import Decision

from .models import ActionPlan


class ActionPlanDetailView(DetailView):
    """A plan as its readers see it; drafts answer 404 to anyone outside the cooperation."""

    model = ActionPlan

    def get_queryset(self):
        return ActionPlan.objects.visible_to(self.request.user).select_related("cooperation", "previous_plan")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = self.object
        context["sections"] = plan.sections.all()
        context["goals"] = plan.goals.all()
        context["activities"] = (
            plan.activities.select_related("area").prefetch_related("lika_indicators").order_by("order", "pk")
        )
        if plan.previous_plan_id:
            context["previous_activities"] = plan.previous_plan.activities.prefetch_related("follow_ups").order_by(
                "order", "pk"
            )
        context["decisions"] = Decision.objects.filter(plan=plan).select_related(
            "body", "body__organisation", "body__cooperation"
        )
        context["budget_years"] = plan.budget_entries.budget_years()
        return context
