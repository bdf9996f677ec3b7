from django.urls import path

from ehalsa.freshness import conditional_page

from . import edit_views, measure_views, views

app_name = "activities"
urlpatterns = [
    path("", conditional_page(views.ActivitySearchView.as_view()), name="activity_search"),
    path("<int:pk>/", conditional_page(views.ActivityDetailView.as_view()), name="activity_detail"),
    path("ny/<int:plan_pk>/", edit_views.ActivityCreateView.as_view(), name="activity_create"),
    path("<int:pk>/redigera/", edit_views.ActivityUpdateView.as_view(), name="activity_update"),
    path("<int:pk>/ta-bort/", edit_views.ActivityDeleteView.as_view(), name="activity_delete"),
    path("<int:pk>/flytta/", edit_views.ActivityMoveView.as_view(), name="activity_move"),
    path("<int:pk>/granskad/", edit_views.ActivityReviewedView.as_view(), name="activity_reviewed"),
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
    path("<int:activity_pk>/matt/ny/", measure_views.MeasureCreateView.as_view(), name="measure_create"),
    path("mal/<int:goal_pk>/matt/ny/", measure_views.MeasureCreateView.as_view(), name="measure_create_for_goal"),
    path("matt/<int:pk>/redigera/", measure_views.MeasureUpdateView.as_view(), name="measure_update"),
    path("matt/<int:pk>/ta-bort/", measure_views.MeasureDeleteView.as_view(), name="measure_delete"),
    path(
        "matt/<int:measure_pk>/varde/ny/", measure_views.MeasuredValueCreateView.as_view(), name="measuredvalue_create"
    ),
    path("plan/<int:plan_pk>/matt/", measure_views.PlanMeasuresView.as_view(), name="plan_measures"),
]
