from django.urls import path

from ehalsa.freshness import conditional_page

from . import views

app_name = "governance"
urlpatterns = [
    path("organ/", conditional_page(views.CooperationListView.as_view()), name="cooperation_list"),
    path("organ/<int:pk>/", conditional_page(views.CooperationBodiesView.as_view()), name="cooperation_bodies"),
]
