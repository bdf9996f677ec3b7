from django.urls import path

from . import views

app_name = "activities"
urlpatterns = [
    path("<int:pk>/", views.ActivityDetailView.as_view(), name="activity_detail"),
]
