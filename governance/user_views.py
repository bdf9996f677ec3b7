"""The users of a cooperation's organisations: their roles, deactivation, invitations by e-mail and
the invitee's page that sets their name and password (``/konto/inbjudan/<token>/``).

Who may do what is ``governance.access`` (``may_grant``, ``may_change_membership``,
``may_deactivate``), asked by these views and by the pages that offer the actions.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView, View
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from ehalsa import once
from ehalsa.editing import FormPageMixin
from ehalsa.login import remember_browser

from . import invitations, services
from .access import may_change_membership, may_deactivate, may_grant
from .administration_forms import AcceptInvitationForm, InvitationForm, RoleChangeForm, RoleForm
from .administration_tables import InvitationTable, UserTable
from .administration_views import CooperationAdminMixin
from .filters import UserFilter
from .models import Invitation, Membership


def users_of(cooperation):
    """The users with a role in the cooperation's organisations, each with ``roles_here``."""
    organisations = cooperation.organisations()
    here = Membership.objects.filter(organisation__in=organisations).select_related("organisation")
    return (
        get_user_model()
        .objects.filter(memberships__organisation__in=organisations)
        .distinct()
        .prefetch_related(Prefetch("memberships", queryset=here, to_attr="roles_here"))
        .order_by("last_name", "first_name", "username")
    )


def users_url(cooperation) -> str:
    return reverse("administration:user_list", args=[cooperation.pk])


def user_url(cooperation, user) -> str:
    return reverse("administration:user_detail", args=[cooperation.pk, user.pk])


class UserListView(CooperationAdminMixin, SingleTableMixin, FilterView):
    """Users (name, address, organisation and role, active, last signed in) and the open invitations."""

    template_name = "governance/administration/user_list.html"
    table_class = UserTable
    filterset_class = UserFilter

    def get_queryset(self):
        return users_of(self.cooperation)

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "organisations": self.cooperation.organisations()}

    def get_table_kwargs(self):
        return {"cooperation": self.cooperation}

    def get_context_data(self, **kwargs):
        open_invitations = (
            Invitation.objects.filter(cooperation=self.cooperation)
            .open()
            .select_related("organisation", "invited_by")
            .order_by("email")
        )
        return super().get_context_data(
            invitations=InvitationTable(open_invitations, cooperation=self.cooperation), **kwargs
        )


class UserDetailView(CooperationAdminMixin, TemplateView):
    """One user: every role they hold (those this administrator may change, with the controls), a
    role to add, and deactivation."""

    template_name = "governance/administration/user_detail.html"

    def get_context_data(self, **kwargs):
        person = get_object_or_404(users_of(self.cooperation), pk=self.kwargs["pk"])
        user = self.request.user
        roles = [
            {
                "membership": membership,
                "changeable": may_change_membership(user, membership),
                "form": RoleChangeForm(
                    initial={"role": membership.role},
                    prefix=f"roll-{membership.pk}",
                    roles=[role for role in Membership.Role if may_grant(user, membership.organisation, role)],
                ),
            }
            for membership in person.memberships.select_related("organisation").order_by("organisation__name")
        ]
        return super().get_context_data(
            person=person,
            roles=roles,
            role_form=RoleForm(cooperation=self.cooperation, initial={"account": person.get_username()}),
            may_deactivate=may_deactivate(user, person),
            **kwargs,
        )


class PostOnlyMixin:
    http_method_names = ["post"]


class RoleAddView(CooperationAdminMixin, PostOnlyMixin, View):
    """Give a role to an existing user (from the user's page, or instead of inviting their address)."""

    def post(self, request, *args, **kwargs):
        form = RoleForm(request.POST, cooperation=self.cooperation)
        person = invitations.user_with_address(request.POST.get("account", ""))
        if person is None or not form.is_valid():
            messages.error(request, _("Choose an organisation and a role for an existing user."))
            return redirect(users_url(self.cooperation))
        organisation, role = form.cleaned_data["organisation"], form.cleaned_data["role"]
        if not may_grant(request.user, organisation, role):
            messages.error(request, not_yours_to_give(organisation))
            return redirect(user_url(self.cooperation, person))
        try:
            membership = services.membership_grant(user=person, organisation=organisation, role=role)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, role_text(_("%(user)s is now %(role)s in %(organisation)s."), membership))
        return redirect(user_url(self.cooperation, person))


def not_yours_to_give(organisation) -> str:
    return _(
        "You cannot give or change roles in %(organisation)s: it also takes part in a cooperation you do not "
        "administer, whose administrators do that."
    ) % {"organisation": organisation}


def role_text(text: str, membership) -> str:
    return text % {
        "user": services.display(membership.user),
        "role": membership.get_role_display().lower(),
        "organisation": membership.organisation,
    }


class MembershipMixin(CooperationAdminMixin, PostOnlyMixin):
    """The role in the address: one of the cooperation's organisations', and one this user may change."""

    def permitted(self) -> bool:
        if not super().permitted():
            return False
        self.membership = get_object_or_404(
            Membership.objects.select_related("user", "organisation"),
            pk=self.kwargs["pk"],
            organisation__in=self.cooperation.organisations(),
        )
        return may_change_membership(self.request.user, self.membership)

    def done(self):
        return redirect(user_url(self.cooperation, self.membership.user))


class RoleChangeView(MembershipMixin, View):
    def post(self, request, *args, **kwargs):
        form = RoleChangeForm(request.POST, prefix=f"roll-{self.membership.pk}", roles=list(Membership.Role))
        if not form.is_valid():
            messages.error(request, _("Choose one of the roles."))
            return self.done()
        role = form.cleaned_data["role"]
        if not may_grant(request.user, self.membership.organisation, role):
            messages.error(request, not_yours_to_give(self.membership.organisation))
            return self.done()
        try:
            membership = services.membership_change(membership=self.membership, role=role)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, role_text(_("%(user)s is now %(role)s in %(organisation)s."), membership))
        return self.done()


class RoleRemoveView(MembershipMixin, View):
    def post(self, request, *args, **kwargs):
        try:
            services.membership_remove(membership=self.membership)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, role_text(_("%(user)s is no longer %(role)s in %(organisation)s."), self.membership)
            )
        return self.done()


class UserActiveView(CooperationAdminMixin, PostOnlyMixin, View):
    """Deactivate a user (they can no longer sign in) or activate them again."""

    def permitted(self) -> bool:
        if not super().permitted():
            return False
        self.person = get_object_or_404(users_of(self.cooperation), pk=self.kwargs["pk"])
        return may_deactivate(self.request.user, self.person)

    def post(self, request, *args, **kwargs):
        active = request.POST.get("active") == "1"
        try:
            services.user_set_active(user=self.person, active=active, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            text = _("%(user)s can sign in again.") if active else _("%(user)s is deactivated and cannot sign in.")
            messages.success(request, text % {"user": services.display(self.person)})
        return redirect(user_url(self.cooperation, self.person))


# --- Invitations ----------------------------------------------------------------------------------


class InvitationCreateView(CooperationAdminMixin, FormPageMixin, FormView):
    """Invite an address to a role; an address a user already has is offered that role directly."""

    template_name = "governance/administration/invitation_form.html"
    form_class = InvitationForm
    heading = gettext_lazy("Invite a user")
    submit_label = gettext_lazy("Send the invitation")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "cooperation": self.cooperation}

    def get_success_url(self):
        return users_url(self.cooperation)

    def form_valid(self, form):
        data = form.cleaned_data
        if not may_grant(self.request.user, data["organisation"], data["role"]):
            form.add_error("role", not_yours_to_give(data["organisation"]))
            return self.form_invalid(form)
        try:
            with transaction.atomic():
                earlier = once.claim(form, self.request.user)
                if earlier is not None:
                    return once.where_it_went(self.request, earlier, self.get_success_url())
                invitation = invitations.invitation_create(
                    cooperation=self.cooperation,
                    email=data["email"],
                    organisation=data["organisation"],
                    role=data["role"],
                    invited_by=self.request.user,
                )
                once.record_result(form, self.get_success_url())
        except invitations.AddressInUse as in_use:
            form.add_error("email", in_use)
            return self.form_invalid(form, existing=in_use.user)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The invitation to %(email)s is on its way; the link in it works until %(date)s.")
            % {"email": invitation.email, "date": invitations.local_date(invitation.expires_at)},
        )
        return redirect(self.get_success_url())

    def form_invalid(self, form, existing=None):
        if (earlier := once.already_saved(form, self.request.user)) is not None:
            return once.where_it_went(self.request, earlier, self.get_success_url())
        offer = None
        if existing is not None:
            organisation, role = form.cleaned_data["organisation"], form.cleaned_data["role"]
            offer = {
                "user": existing,
                "account": existing.email or existing.get_username(),
                "organisation": organisation,
                "role": role,
                "role_label": Membership.Role(role).label.lower(),
            }
        return self.render_to_response(self.get_context_data(form=form, offer=offer))


class InvitationMixin(CooperationAdminMixin, PostOnlyMixin):
    def permitted(self) -> bool:
        if not super().permitted():
            return False
        self.invitation = get_object_or_404(Invitation, pk=self.kwargs["pk"], cooperation=self.cooperation)
        return True


class InvitationResendView(InvitationMixin, View):
    def post(self, request, *args, **kwargs):
        try:
            invitation = invitations.invitation_resend(invitation=self.invitation)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The invitation to %(email)s is sent again; the new link works until %(date)s.")
                % {"email": invitation.email, "date": invitations.local_date(invitation.expires_at)},
            )
        return redirect(users_url(self.cooperation))


class InvitationWithdrawView(InvitationMixin, View):
    def post(self, request, *args, **kwargs):
        try:
            invitations.invitation_withdraw(invitation=self.invitation)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("The invitation to %(email)s was withdrawn.") % {"email": self.invitation.email}
            )
        return redirect(users_url(self.cooperation))


class InvitationAcceptView(View):
    """The link in the e-mail: the invitee sets their name and password, and is signed in.

    No sign-in needed (the token is the key). An unknown, used, withdrawn or expired link, or an
    address that has an account by now, is told so in words, never with a server error."""

    template_name = "governance/administration/invitation_accept.html"

    def dispatch(self, request, *args, **kwargs):
        self.invitation = invitations.invitation_of_token(kwargs["token"])
        reason = invitations.refusal(self.invitation)
        if reason:
            status = 404 if self.invitation is None else 410
            return render(request, self.template_name, {"refusal": reason}, status=status)
        return super().dispatch(request, *args, **kwargs)

    def form(self, data=None):
        return AcceptInvitationForm(data, email=self.invitation.email)

    def get(self, request, *args, **kwargs):
        return self.show(self.form())

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if not form.is_valid():
            return self.show(form)
        try:
            user = invitations.invitation_accept(
                invitation=self.invitation,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as error:
            return render(request, self.template_name, {"refusal": " ".join(error.messages)}, status=410)
        login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
        messages.success(
            request,
            _("Welcome! You are signed in. Next time, sign in with %(username)s and your password.")
            % {"username": user.get_username()},
        )
        response = redirect("home")
        remember_browser(response, request, user.get_username())
        return response

    def show(self, form):
        return render(self.request, self.template_name, {"form": form, "invitation": self.invitation})
