from django.urls import path

from . import reminder_views

app_name = "reminders"
urlpatterns = [
    path("", reminder_views.ReminderSettingsView.as_view(), name="settings"),
    path("avsluta/<str:token>/", reminder_views.UnsubscribeView.as_view(), name="unsubscribe"),
]
