"""The start page: what is due for the signed-in user (``plans.due``), their work, and the latest plans."""

from django.urls import path
from django.views.generic import TemplateView

from ehalsa.freshness import conditional_page

from .access import may_create_plans, plans_listed_for
from .awaiting import work_for
from .due import due_for
from .parts import start_page


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["work"] = work = work_for(self.request.user)
        context["due"] = due_for(self.request.user, work=work)
        context["may_create_plan"] = may_create_plans(self.request.user)
        if self.request.user.is_authenticated:
            context |= start_page(self.request.user)  # the other apps' blocks
        context["recent_plans"] = (
            plans_listed_for(self.request.user).select_related("cooperation").order_by("-last_year", "-updated_at")[:5]
        )
        return context


# Included at the site's root by ehalsa.urls.
urlpatterns = [path("", conditional_page(HomeView.as_view()), name="home")]
