"""LIKA coverage, at the plans' addresses (/planer/…/lika/)."""

from django.urls import path

from ehalsa.freshness import conditional_page

from . import lika_views

app_name = "lika"
urlpatterns = [
    path("<int:pk>/lika/", conditional_page(lika_views.PlanLikaCoverageView.as_view()), name="plan"),
    path(
        "samverkan/<int:pk>/lika/",
        conditional_page(lika_views.CooperationLikaCoverageView.as_view()),
        name="cooperation",
    ),
]
