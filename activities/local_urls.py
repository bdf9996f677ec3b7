from django.urls import path

from . import local_views

app_name = "local_plans"
urlpatterns = [
    path("<int:plan_pk>/lokal-plan/ny/", local_views.LocalPlanCreateView.as_view(), name="local_plan_create"),
    path("<int:plan_pk>/kommunernas-val/", local_views.TemplateMatrixView.as_view(), name="template_matrix"),
    path(
        "<int:plan_pk>/mallens-aktiviteter/<uuid:lineage>/",
        local_views.LocalChoiceUpdateView.as_view(),
        name="local_choice_update",
    ),
    path("kommun/<int:pk>/", local_views.MunicipalityPlansView.as_view(), name="municipality"),
    path("<int:plan_pk>/mallens-andringar/", local_views.TemplateChangesView.as_view(), name="template_changes"),
]
