from django.http import HttpResponse
from django.views.generic import TemplateView

from plans.models import ActionPlan


def healthz(request):
    """Liveness for load balancers; ``HealthCheckMiddleware`` normally answers before this runs."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["recent_plans"] = (
            ActionPlan.objects.visible_to(self.request.user)
            .select_related("cooperation")
            .order_by("-last_year", "-updated_at")[:5]
        )
        return context
