"""LIKA coverage, at the plans' addresses (/planer/…/lika/)."""

from django.urls import path

from . import lika_views

app_name = "lika"
urlpatterns = [
    path("<int:pk>/lika/", lika_views.PlanLikaCoverageView.as_view(), name="plan"),
    path("samverkan/<int:pk>/lika/", lika_views.CooperationLikaCoverageView.as_view(), name="cooperation"),
]
