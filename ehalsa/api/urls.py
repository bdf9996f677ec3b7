from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from . import dcat, views

app_name = "api"

router = SimpleRouter()
router.register("cooperations", views.CooperationViewSet, basename="cooperation")
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("bodies", views.BodyViewSet, basename="body")
router.register("plans", views.PlanViewSet, basename="plan")
router.register("activities", views.ActivityViewSet, basename="activity")
router.register("decisions", views.DecisionViewSet, basename="decision")

urlpatterns = [
    path("", views.RootView.as_view(lists=[(name, basename) for name, _, basename in router.registry]), name="root"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("dcat/", dcat.CatalogView.as_view(), name="catalog"),
    *router.urls,
    re_path(r"^(?P<rest>[\s\S]*)$", views.not_found, name="not_found"),
]
