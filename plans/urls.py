from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("", views.ActionPlanListView.as_view(), name="actionplan_list"),
    path("<int:pk>/", views.ActionPlanDetailView.as_view(), name="actionplan_detail"),
    path("<int:pk>/lika/", views.PlanLikaCoverageView.as_view(), name="actionplan_lika"),
    path("samverkan/<int:pk>/lika/", views.CooperationLikaCoverageView.as_view(), name="cooperation_lika"),
]
