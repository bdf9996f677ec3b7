from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("konto/logga-in/", auth_views.LoginView.as_view(), name="login"),
    path("konto/logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("sprak/<str:language>/", views.choose_language, name="choose_language"),
    path("planer/", include("plans.urls")),
    path("aktiviteter/", include("activities.urls")),
    path("", include("finance.urls")),
    path("", include("governance.urls")),
    path("admin/", admin.site.urls),
]

handler500 = "ehalsa.views.server_error"
