"""The cooperation administration (``/administration/``) and the invitee's page (``/konto/inbjudan/``)."""

from django.urls import path

from . import administration_views as views
from . import user_views

app_name = "administration"
COOPERATION = "administration/samverkan/<int:cooperation_pk>/"
urlpatterns = [
    path("administration/", views.AdministrationHomeView.as_view(), name="home"),
    path("administration/samverkan/ny/", views.CooperationCreateView.as_view(), name="cooperation_create"),
    path(COOPERATION, views.CooperationDetailView.as_view(), name="cooperation_detail"),
    path(f"{COOPERATION}andra/", views.CooperationUpdateView.as_view(), name="cooperation_update"),
    path(f"{COOPERATION}medlemmar/", views.MembersView.as_view(), name="members"),
    path(
        f"{COOPERATION}medlemmar/ny-organisation/", views.OrganisationCreateView.as_view(), name="organisation_create"
    ),
    path(f"{COOPERATION}historik/", views.CooperationHistoryView.as_view(), name="history"),
    path(f"{COOPERATION}organ/nytt/", views.BodyCreateView.as_view(), name="body_create"),
    path(f"{COOPERATION}organ/<int:pk>/andra/", views.BodyUpdateView.as_view(), name="body_update"),
    path(f"{COOPERATION}organ/<int:pk>/ta-bort/", views.BodyDeleteView.as_view(), name="body_delete"),
    path(f"{COOPERATION}anvandare/", user_views.UserListView.as_view(), name="user_list"),
    path(f"{COOPERATION}anvandare/<int:pk>/", user_views.UserDetailView.as_view(), name="user_detail"),
    path(f"{COOPERATION}anvandare/<int:pk>/aktiv/", user_views.UserActiveView.as_view(), name="user_active"),
    path(f"{COOPERATION}roller/ny/", user_views.RoleAddView.as_view(), name="role_add"),
    path(f"{COOPERATION}roller/<int:pk>/andra/", user_views.RoleChangeView.as_view(), name="role_change"),
    path(f"{COOPERATION}roller/<int:pk>/ta-bort/", user_views.RoleRemoveView.as_view(), name="role_remove"),
    path(f"{COOPERATION}inbjudningar/ny/", user_views.InvitationCreateView.as_view(), name="invitation_create"),
    path(
        f"{COOPERATION}inbjudningar/<int:pk>/skicka-igen/",
        user_views.InvitationResendView.as_view(),
        name="invitation_resend",
    ),
    path(
        f"{COOPERATION}inbjudningar/<int:pk>/aterkalla/",
        user_views.InvitationWithdrawView.as_view(),
        name="invitation_withdraw",
    ),
    path("konto/inbjudan/<str:token>/", user_views.InvitationAcceptView.as_view(), name="invitation_accept"),
]
