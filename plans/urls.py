from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("<int:pk>/", views.ActionPlanDetailView.as_view(), name="actionplan_detail"),
]
