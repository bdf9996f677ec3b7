from django.urls import path

from . import views

app_name = "activities"
urlpatterns = [
    path("", views.ActivitySearchView.as_view(), name="activity_search"),
    path("<int:pk>/", views.ActivityDetailView.as_view(), name="activity_detail"),
]
