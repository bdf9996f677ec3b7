"""Forms of the cooperation administration: the cooperation, its members, the register, bodies,
invitations and roles, and the invitee's own form."""

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.utils.translation import gettext_lazy as _

from ehalsa.editing import VersionedModelForm
from ehalsa.forms import PlainTextMixin
from ehalsa.once import SubmittedOnceForm

from .counties import county_choices
from .models import Body, Cooperation, Membership, Organisation
from .services import body_removal_refusal

NO_COUNTY = _("– no county (a national or cross-county cooperation) –")


class CooperationForm(VersionedModelForm):
    county = forms.ChoiceField(label=_("County"), required=False)

    class Meta:
        model = Cooperation
        fields = ["name", "short_name", "county", "description", "lead_organisation"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        error_messages = {"name": {"unique": _("There is already a cooperation with this name.")}}

    def __init__(self, *args, lead_organisations, **kwargs):
        super().__init__(*args, **kwargs)
        choices = county_choices(str(NO_COUNTY))
        if self.instance.county and self.instance.county not in dict(choices):
            choices.append((self.instance.county, self.instance.county))  # as written before the list
        self.fields["county"].choices = choices
        lead = self.fields["lead_organisation"]
        lead.queryset = lead_organisations.order_by("name")
        lead.required = True
        lead.help_text = _("Its administrators administer the cooperation: the organisations you administer.")


class OrganisationForm(SubmittedOnceForm, PlainTextMixin, forms.ModelForm):
    """An organisation added to the register (its code checked against kind and county)."""

    county = forms.ChoiceField(label=_("County"), required=False)

    class Meta:
        model = Organisation
        fields = ["name", "short_name", "kind", "county", "municipality_code"]
        error_messages = {"name": {"unique": _("There is already an organisation with this name in the register.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = county_choices(str(_("– no county –")))
        self.fields["municipality_code"].widget.attrs.update({"inputmode": "numeric", "size": 5})

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        same = Organisation.objects.filter(name__iexact=name).first()
        if same is not None:
            raise forms.ValidationError(
                _("The register already has “%(name)s”: pick it from the list instead.") % {"name": same.name}
            )
        return name

    def clean_municipality_code(self):
        code = self.cleaned_data["municipality_code"].strip()
        holder = Organisation.objects.filter(municipality_code=code).first() if code else None
        if holder is not None:
            raise forms.ValidationError(
                _("The SCB code %(code)s already belongs to %(name)s.") % {"code": code, "name": holder.name}
            )
        return code


class MembersForm(forms.Form):
    """Which of the organisations shown are members (those not shown stay as they are)."""

    members = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, shown, cooperation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = shown
        self.fields["members"].label = _("Members of %(cooperation)s") % {"cooperation": cooperation.display_name}
        self.fields["members"].label_from_instance = member_label
        self.fields["members"].initial = list(cooperation.members.filter(pk__in=shown.values("pk")))
        self.fields["version"].initial = cooperation.version


def member_label(organisation) -> str:
    parts = [organisation.get_kind_display()]
    if organisation.municipality_code:
        parts.append(organisation.municipality_code)
    if organisation.county:
        parts.append(organisation.county)
    return f"{organisation.name} ({', '.join(parts)})"


COOPERATION_ITSELF = "cooperation"


class BodyForm(VersionedModelForm):
    """A body of the cooperation or of one of its organisations, and whom it reports to."""

    owner = forms.ChoiceField(label=_("Belongs to"))

    class Meta:
        model = Body
        fields = ["name", "short_name", "level", "owner", "reports_to", "decides_on", "description"]
        widgets = {"decides_on": forms.Textarea(attrs={"rows": 3}), "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, cooperation, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.cooperation = cooperation
        self.organisations = cooperation.organisations().order_by("name")
        # A body may belong to the organisations whose bodies the user keeps (``owners``), never others'.
        self.fields["owner"].choices = [
            (COOPERATION_ITSELF, _("The cooperation: %(name)s") % {"name": cooperation.display_name}),
            *((str(organisation.pk), organisation.name) for organisation in owners.order_by("name")),
        ]
        self.fields["owner"].help_text = _("A body of the cooperation itself, or of one of its organisations.")
        self.owner_before = (self.instance.cooperation_id, self.instance.organisation_id)
        if self.instance.organisation_id:
            self.fields["owner"].initial = str(self.instance.organisation_id)
        else:
            self.fields["owner"].initial = COOPERATION_ITSELF
        in_scope = Body.objects.filter(cooperation=cooperation) | Body.objects.filter(
            organisation__in=self.organisations
        )
        if self.instance.pk:
            in_scope = in_scope.exclude(pk=self.instance.pk)
        self.fields["reports_to"].queryset = in_scope.select_related("cooperation", "organisation").order_by(
            "level", "name"
        )
        self.fields["reports_to"].label_from_instance = body_label

    def clean(self):
        cleaned = super().clean()
        owner = cleaned.get("owner")
        if owner == COOPERATION_ITSELF:
            self.instance.cooperation, self.instance.organisation = self.cooperation, None
        elif owner:
            organisation = self.organisations.filter(pk=owner).first()
            if organisation is None:
                self.add_error("owner", _("Choose the cooperation or one of its organisations."))
            self.instance.cooperation, self.instance.organisation = None, organisation
        moved = self.instance.pk and (
            (self.instance.cooperation_id, self.instance.organisation_id) != self.owner_before
        )
        if moved and body_removal_refusal(Body.objects.get(pk=self.instance.pk)):
            self.add_error(
                "owner",
                _(
                    "The body has recorded decisions or is on an adoption route: it stays where it belongs, so "
                    "that the decisions stay true. Make a new body for the other owner instead."
                ),
            )
        name = cleaned.get("name")
        if name and owner and not self.errors:
            same = Body.objects.filter(
                cooperation=self.instance.cooperation, organisation=self.instance.organisation, name__iexact=name
            ).exclude(pk=self.instance.pk)
            if same.exists():
                self.add_error(
                    "name",
                    _("%(owner)s already has a body named “%(name)s”.") % {"owner": self.instance.owner, "name": name},
                )
        return cleaned


def body_label(body) -> str:
    return f"{body} – {body.owner.display_name if body.owner else ''}"


class InvitationForm(SubmittedOnceForm, PlainTextMixin, forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=150,
        help_text=_("The address is the user's username. The link in the e-mail works once, for 7 days."),
    )
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Organisation"))
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)

    def __init__(self, *args, cooperation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = cooperation.organisations().order_by("name")
        self.fields["email"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})


class RoleForm(forms.Form):
    """A role in one of the cooperation's organisations, given to an existing user (``account``:
    their username or e-mail address)."""

    account = forms.CharField(widget=forms.HiddenInput, max_length=254)
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Organisation"))
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)

    def __init__(self, *args, cooperation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = cooperation.organisations().order_by("name")


class RoleChangeForm(forms.Form):
    """Another role in the same organisation, of ``roles`` (those the user may give there)."""

    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(role.value, role.label) for role in roles]


class AcceptInvitationForm(PlainTextMixin, forms.Form):
    """The invitee's name and password (Django's password validators, the name and address counted)."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ; type the same password twice."))
        if first and not self.has_error("password1"):
            user = get_user_model()(
                username=self.email,
                email=self.email,
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(first, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
