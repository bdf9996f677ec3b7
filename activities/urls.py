from django.urls import path

from ehalsa.freshness import conditional_page

from . import edit_views, views

app_name = "activities"
urlpatterns = [
    path("", conditional_page(views.ActivitySearchView.as_view()), name="activity_search"),
    path("<int:pk>/", conditional_page(views.ActivityDetailView.as_view()), name="activity_detail"),
    path("ny/<int:plan_pk>/", edit_views.ActivityCreateView.as_view(), name="activity_create"),
    path("<int:pk>/redigera/", edit_views.ActivityUpdateView.as_view(), name="activity_update"),
    path("<int:pk>/ta-bort/", edit_views.ActivityDeleteView.as_view(), name="activity_delete"),
    path("<int:pk>/flytta/", edit_views.ActivityMoveView.as_view(), name="activity_move"),
    path("numrera-om/<int:plan_pk>/", edit_views.RenumberActivitiesView.as_view(), name="activity_renumber"),
    path("<int:activity_pk>/uppfoljning/ny/", edit_views.FollowUpCreateView.as_view(), name="followup_create"),
    path("<int:activity_pk>/delmal/nytt/", edit_views.MilestoneCreateView.as_view(), name="milestone_create"),
    path("delmal/<int:pk>/redigera/", edit_views.MilestoneUpdateView.as_view(), name="milestone_update"),
    path("delmal/<int:pk>/uppnatt/", edit_views.MilestoneReachedView.as_view(), name="milestone_reached"),
    path("delmal/<int:pk>/ta-bort/", edit_views.MilestoneDeleteView.as_view(), name="milestone_delete"),
    path(
        "<int:activity_pk>/kommunstatus/ny/",
        edit_views.MunicipalStatusCreateView.as_view(),
        name="municipal_status_create",
    ),
    path("<int:pk>/historik/", views.ActivityHistoryView.as_view(), name="activity_history"),
]
