"""A plan's adoption, decisions and revisions, at the addresses people already have in protocols."""

from django.urls import path

from ehalsa.freshness import conditional_page

from . import adoption_views as views

app_name = "adoption"
urlpatterns = [
    path(
        "planer/<int:plan_pk>/antagande/", conditional_page(views.AdoptionStatusView.as_view()), name="adoption_status"
    ),
    path("planer/<int:plan_pk>/skicka-for-antagande/", views.SendForAdoptionView.as_view(), name="send_for_adoption"),
    path("planer/<int:plan_pk>/beslut/nytt/", views.DecisionCreateView.as_view(), name="decision_create"),
    path("beslut/<int:pk>/", conditional_page(views.DecisionExcerptView.as_view()), name="decision_excerpt"),
    path("planer/<int:plan_pk>/revidera/", views.StartRevisionView.as_view(), name="start_revision"),
    path("planer/<int:plan_pk>/jamfor/", conditional_page(views.CompareView.as_view()), name="compare"),
]
