from django.urls import path

from . import views

app_name = "governance"
urlpatterns = [
    path("organ/", views.CooperationListView.as_view(), name="cooperation_list"),
    path("organ/<int:pk>/", views.CooperationBodiesView.as_view(), name="cooperation_bodies"),
]
