from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from . import views
from .login import LoginView

urlpatterns = [
    path("", include("plans.home")),
    path("healthz", views.healthz, name="healthz"),
    path("api/v1/", include("ehalsa.api.urls")),
    path("konto/logga-in/", LoginView.as_view(), name="login"),
    path("konto/logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("konto/paminnelser/", include("plans.reminder_urls")),
    path("sprak/<str:language>/", views.choose_language, name="choose_language"),
    path("planer/", include("plans.urls")),
    path("planer/", include("activities.lika_urls")),
    path("planer/", include("activities.local_urls")),
    path("aktiviteter/", include("activities.urls")),
    path("", include("finance.urls")),
    path("", include("governance.urls")),
    path("", include("governance.administration_urls")),
    path("", include("plans.adoption_urls")),
    # The admin signs in on the throttled page above (which also marks the browser as known).
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/", admin.site.urls),
]

handler500 = "ehalsa.views.server_error"
