"""The cooperation administration (in the app; the Django admin is for the product's operators):
cooperations, their members from the register, bodies and the history of it all. Users, roles and
invitations are in ``governance.user_views``.

Access is ``governance.access`` and checked here in two mixins only: ``AdministrationMixin`` (anyone
who may start a cooperation: an administrator of some organisation, or a superuser) and
``CooperationAdminMixin`` (those who administer the cooperation in the address).
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, DeleteView, FormView, TemplateView, UpdateView
from django_tables2 import SingleTableMixin

from ehalsa.editing import EditConflict, FormPageMixin, KeepInputMixin, VersionedSaveMixin
from ehalsa.history import entries_from
from ehalsa.tables import filtered

from . import services
from .access import (
    cooperations_user_administers,
    lead_organisations_for,
    may_administer,
    may_create_cooperation,
    may_keep_body,
    may_use_administration,
    organisations_user_manages,
)
from .administration_forms import BodyForm, CooperationForm, MembersForm, OrganisationForm
from .administration_tables import AdministeredCooperationTable, BodyTable
from .filters import OrganisationFilter
from .leaving import consequences
from .models import Body, Cooperation, Invitation, Membership, Organisation

FORM_PAGE = "governance/administration/form_page.html"


class AdministrationMixin(KeepInputMixin):
    """Signed in and let in by ``permitted`` (403 otherwise; the sign-in page for anonymous users)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not self.permitted():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def permitted(self) -> bool:
        return may_use_administration(self.request.user)


class CooperationAdminMixin(AdministrationMixin):
    """``self.cooperation``, from the address, for those who administer it."""

    def permitted(self) -> bool:
        self.cooperation = get_object_or_404(Cooperation, pk=self.kwargs["cooperation_pk"])
        return may_administer(self.request.user, self.cooperation)

    def get_context_data(self, **kwargs):
        return super().get_context_data(cooperation=self.cooperation, **kwargs)


def detail_url(cooperation, anchor: str = "") -> str:
    url = reverse("administration:cooperation_detail", args=[cooperation.pk])
    return f"{url}#{anchor}" if anchor else url


def bodies_of(cooperation):
    """The cooperation's bodies and its organisations' bodies, from the top level down."""
    return (
        Body.objects.filter(Q(cooperation=cooperation) | Q(organisation__in=cooperation.organisations()))
        .select_related("cooperation", "organisation", "reports_to")
        .order_by("level", "organisation__name", "name")
    )


# --- Cooperations ---------------------------------------------------------------------------------


class AdministrationHomeView(AdministrationMixin, SingleTableMixin, TemplateView):
    """The cooperations the user administers, and the way to start a new one."""

    template_name = "governance/administration/home.html"
    table_class = AdministeredCooperationTable

    def get_table_data(self):
        return (
            cooperations_user_administers(self.request.user)
            .select_related("lead_organisation")
            .annotate(member_count=Count("members", distinct=True), body_count=Count("bodies", distinct=True))
            .order_by("name")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(may_create=may_create_cooperation(self.request.user), **kwargs)


class CooperationCreateView(AdministrationMixin, FormPageMixin, VersionedSaveMixin, CreateView):
    model = Cooperation
    form_class = CooperationForm
    template_name = FORM_PAGE
    heading = gettext_lazy("New cooperation")
    submit_label = gettext_lazy("Create the cooperation")

    def permitted(self) -> bool:
        return may_create_cooperation(self.request.user)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "lead_organisations": lead_organisations_for(self.request.user)}

    def after_save(self, form):
        services.lead_is_member(self.object)

    def get_success_url(self):
        if getattr(self, "object", None) is not None and self.object.pk:
            return reverse("administration:members", args=[self.object.pk])
        return reverse("administration:home")

    @property
    def success_text(self):
        return _("The cooperation was created. Now pick its members from the register.")


class CooperationUpdateView(CooperationAdminMixin, FormPageMixin, VersionedSaveMixin, UpdateView):
    model = Cooperation
    form_class = CooperationForm
    template_name = FORM_PAGE
    heading = gettext_lazy("Edit the cooperation")

    def get_object(self, queryset=None):
        return self.cooperation

    def after_save(self, form):
        services.lead_is_member(self.object)

    def get_form_kwargs(self):
        leads = Q(pk__in=lead_organisations_for(self.request.user).values("pk"))
        if self.cooperation.lead_organisation_id:
            leads |= Q(pk=self.cooperation.lead_organisation_id)  # kept, whoever may choose it now
        return {**super().get_form_kwargs(), "lead_organisations": Organisation.objects.filter(leads)}

    def get_success_url(self):
        return detail_url(self.cooperation)

    @property
    def success_text(self):
        return _("The cooperation was saved.")


class CooperationDetailView(CooperationAdminMixin, TemplateView):
    """The cooperation at a glance: its details, members, bodies, and the ways to change them."""

    template_name = "governance/administration/cooperation_detail.html"

    def get_context_data(self, **kwargs):
        cooperation = self.cooperation
        members = list(cooperation.members.order_by("kind", "name"))
        return super().get_context_data(
            members=members,
            municipality_count=sum(1 for m in members if m.kind == Organisation.Kind.MUNICIPALITY),
            bodies=BodyTable(
                bodies_of(cooperation),
                cooperation=cooperation,
                kept=organisations_user_manages(self.request.user).values_list("pk", flat=True),
            ),
            user_count=Membership.objects.filter(organisation__in=cooperation.organisations())
            .values("user")
            .distinct()
            .count(),
            open_invitations=Invitation.objects.filter(cooperation=cooperation).pending().count(),
            **kwargs,
        )


class MembersView(CooperationAdminMixin, FormView):
    """Members picked from the register: filtered by county, kind and name, ticked in a list.

    The list shown is the filter's (the address keeps it); saving changes only the organisations
    shown, so members elsewhere in the register stay."""

    template_name = "governance/administration/members.html"
    form_class = MembersForm

    def dispatch(self, request, *args, **kwargs):
        self.conflict = None
        return super().dispatch(request, *args, **kwargs)

    def get_filterset(self):
        data = self.request.GET.copy()
        if not data and self.cooperation.county:
            data["county"] = self.cooperation.county  # start with the cooperation's county
        return OrganisationFilter(data, queryset=Organisation.objects.order_by("name"))

    def get_form_kwargs(self):
        self.filterset = self.get_filterset()
        self.shown = filtered(self.filterset)
        return {**super().get_form_kwargs(), "shown": self.shown, "cooperation": self.cooperation}

    def form_valid(self, form):
        chosen = list(self.shown) if "add_all" in self.request.POST else form.cleaned_data["members"]
        stale = form.cleaned_data["version"] != self.cooperation.version
        leaving = services.members_leaving(cooperation=self.cooperation, shown=self.shown, chosen=chosen)
        # Confirmed are the members the page warned about: one ticked off after the warning is asked about.
        confirmed = {int(pk) for pk in self.request.POST.getlist("confirmed") if pk.isdigit()}
        if not stale and not (self.request.POST.get("confirm_removal") and {o.pk for o in leaving} <= confirmed):
            if affected := consequences(self.cooperation, leaving):
                # Nothing is saved yet: the page says what leaving changes, the ticks as they were.
                named = {organisation.pk for organisation, _sentences in affected}
                quietly = [organisation for organisation in leaving if organisation.pk not in named]
                return self.render_to_response(
                    self.get_context_data(form=form, leaving=affected, leaving_quietly=quietly)
                )
        try:
            services.members_set(
                cooperation=self.cooperation,
                shown=self.shown,
                chosen=chosen,
                version=form.cleaned_data["version"],
            )
        except EditConflict:
            self.cooperation.refresh_from_db()
            form.add_error(
                None,
                _(
                    "Someone else changed this cooperation while you were choosing, so nothing was saved. "
                    "Your choice is still ticked below; save again to keep it."
                ),
            )
            form.data = form.data.copy()
            form.data["version"] = self.cooperation.version
            return self.form_invalid(form)
        count = self.cooperation.members.count()
        messages.success(self.request, _("The members were saved: %(count)d in all.") % {"count": count})
        return redirect(self.request.get_full_path())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        shown_ids = set(self.shown.values_list("pk", flat=True))
        members = list(self.cooperation.members.order_by("name"))
        return {
            **context,
            "filter": self.filterset,
            "shown_count": len(shown_ids),
            "member_count": len(members),
            "members_elsewhere": [member for member in members if member.pk not in shown_ids],
            "new_organisation_url": reverse("administration:organisation_create", args=[self.cooperation.pk]),
        }


class OrganisationCreateView(CooperationAdminMixin, FormPageMixin, VersionedSaveMixin, CreateView):
    """An organisation the register lacks (another association, a national actor, a company)."""

    model = Organisation
    form_class = OrganisationForm
    template_name = FORM_PAGE
    heading = gettext_lazy("Add an organisation to the register")
    submit_label = gettext_lazy("Add to the register")

    def get_success_url(self):
        url = reverse("administration:members", args=[self.cooperation.pk])
        if getattr(self, "object", None) is not None and self.object.pk:
            # The members list shows the new organisation, to be ticked.
            return f"{url}?{urlencode({'q': self.object.name, 'county': '', 'kind': ''})}"
        return url

    @property
    def success_text(self):
        return _("“%(name)s” was added to the register; tick it to make it a member.") % {"name": self.object.name}


# --- Bodies ---------------------------------------------------------------------------------------


class BodyEditMixin(CooperationAdminMixin, FormPageMixin, VersionedSaveMixin):
    model = Body
    form_class = BodyForm
    template_name = FORM_PAGE

    def get_form_kwargs(self):
        managed = organisations_user_manages(self.request.user).values("pk")
        owners = self.cooperation.organisations().filter(pk__in=managed)
        return {**super().get_form_kwargs(), "cooperation": self.cooperation, "owners": owners}

    def get_success_url(self):
        return detail_url(self.cooperation, "organ")


class BodyCreateView(BodyEditMixin, CreateView):
    heading = gettext_lazy("New body")

    @property
    def success_text(self):
        return _("The body “%(name)s” was added.") % {"name": self.object.name}


class BodyOfCooperationMixin:
    """The body in the address, if it belongs to the cooperation or to one of its organisations."""

    def get_object(self, queryset=None):
        body = bodies_of(self.cooperation).filter(pk=self.kwargs["pk"]).first()
        if body is None:
            raise Http404
        if not may_keep_body(self.request.user, body):  # another cooperation's organisation's body
            raise PermissionDenied
        return body


class BodyUpdateView(BodyOfCooperationMixin, BodyEditMixin, UpdateView):
    heading = gettext_lazy("Edit the body")

    @property
    def success_text(self):
        return _("The body “%(name)s” was saved.") % {"name": self.object.name}


class BodyDeleteView(BodyOfCooperationMixin, CooperationAdminMixin, DeleteView):
    """Asks first, and says so when the body cannot be removed (decisions, an adoption route)."""

    template_name = "governance/administration/body_confirm_delete.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            refusal=services.body_removal_refusal(self.object),
            reporting=list(self.object.reporting_bodies.all()),
            back_url=detail_url(self.cooperation, "organ"),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            services.body_delete(body=self.object)
        except ValidationError as error:
            messages.error(self.request, " ".join(error.messages))
        else:
            messages.success(self.request, _("The body “%(name)s” was removed.") % {"name": self.object.name})
        return redirect(detail_url(self.cooperation, "organ"))


# --- History --------------------------------------------------------------------------------------


class CooperationHistoryView(CooperationAdminMixin, TemplateView):
    """Every change to the cooperation, its bodies, its organisations' roles and users, and its invitations."""

    template_name = "history.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        cooperation = self.cooperation
        organisations = list(cooperation.organisations().values_list("pk", flat=True))
        users = Membership.history.filter(organisation_id__in=organisations).values("user_id")
        entries = entries_from(
            [
                Cooperation.history.filter(id=cooperation.pk),
                Body.history.filter(Q(cooperation_id=cooperation.pk) | Q(organisation_id__in=organisations)),
                Membership.history.filter(organisation_id__in=organisations),
                Invitation.history.filter(cooperation_id=cooperation.pk),
                get_user_model().history.filter(id__in=users),
            ]
        )
        page = Paginator(entries, self.paginate_by).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            page_obj=page,
            entries=page.object_list,
            subject=cooperation,
            back_url=detail_url(cooperation),
            **kwargs,
        )
