"""Tables of the cooperation administration: cooperations, bodies, users and invitations."""

import django_tables2 as tables
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from ehalsa.badges import badge, status_badge
from ehalsa.tables import BaseTable, NumberColumn, RowHeaderTemplateColumn

from .models import Body, Cooperation, Invitation

NONE = "–"


def with_cooperation(table):
    """Cell templates link into the table's cooperation (and know which bodies the user keeps)."""
    return {"cooperation": table.cooperation, "kept": getattr(table, "kept", ())}


class AdministeredCooperationTable(BaseTable):
    name = RowHeaderTemplateColumn(
        '<a href="{% url "administration:cooperation_detail" record.pk %}">{{ record.name }}</a>',
        verbose_name=_("Cooperation"),
        order_by="name",
    )
    lead_organisation = tables.Column(verbose_name=_("Lead organisation"), default=NONE)
    county = tables.Column(verbose_name=_("County"), default=NONE)
    member_count = NumberColumn(verbose_name=_("Members"))
    body_count = NumberColumn(verbose_name=_("Bodies"))

    class Meta(BaseTable.Meta):
        model = Cooperation
        fields = ["name", "lead_organisation", "county", "member_count", "body_count"]
        empty_text = _("You administer no cooperation yet.")


class BodyTable(BaseTable):
    """The bodies of a cooperation and of its organisations, from the top level down."""

    name = RowHeaderTemplateColumn(
        "{{ record.name }}{% if record.short_name %} ({{ record.short_name }}){% endif %}", verbose_name=_("Body")
    )
    level = tables.Column(verbose_name=_("Level"))
    owner = tables.Column(accessor="owner", verbose_name=_("Belongs to"), orderable=False, empty_values=())
    reports_to = tables.Column(verbose_name=_("Reports to"), default=NONE, orderable=False)
    actions = tables.TemplateColumn(
        template_name="governance/administration/includes/body_actions.html",
        extra_context=with_cooperation,
        verbose_name=_("Actions"),
        orderable=False,
        exclude_from_export=True,
    )

    class Meta(BaseTable.Meta):
        model = Body
        fields = ["name", "level", "owner", "reports_to", "actions"]
        orderable = False
        per_page = 10_000
        empty_text = _("No bodies yet.")

    def __init__(self, *args, cooperation, kept=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.cooperation = cooperation
        self.kept = set(kept)  # the organisations whose bodies the user keeps (``may_keep_body``)

    def render_owner(self, record):
        return record.owner.display_name if record.owner else NONE

    def render_reports_to(self, value):
        return value.display_name


class UserTable(BaseTable):
    """The users of a cooperation's organisations; each row's ``roles_here`` are their roles there."""

    name = RowHeaderTemplateColumn(
        template_name="governance/administration/includes/user_name_cell.html",
        extra_context=with_cooperation,
        verbose_name=_("Name"),
        order_by=("last_name", "first_name", "username"),
    )
    email = tables.Column(verbose_name=_("E-mail address"), default=NONE)
    roles = tables.TemplateColumn(
        template_name="governance/administration/includes/user_roles_cell.html",
        verbose_name=_("Organisation and role"),
        orderable=False,
    )
    is_active = tables.Column(verbose_name=_("Active"))
    last_login = tables.DateTimeColumn(
        format="Y-m-d H:i", verbose_name=_("Last signed in"), default=_("never"), attrs={"td": {"class": "nowrap"}}
    )

    class Meta(BaseTable.Meta):
        model = get_user_model()
        fields = ["name", "email", "roles", "is_active", "last_login"]
        empty_text = _("No users match.")

    def __init__(self, *args, cooperation, **kwargs):
        super().__init__(*args, **kwargs)
        self.cooperation = cooperation

    def render_is_active(self, value):
        return badge("active", _("Active")) if value else badge("deactivated", _("Deactivated"))

    def value_is_active(self, value):
        return _("Active") if value else _("Deactivated")


class InvitationTable(BaseTable):
    email = RowHeaderTemplateColumn("{{ record.email }}", verbose_name=_("E-mail address"))
    organisation = tables.Column(verbose_name=_("Organisation"))
    role = tables.Column(verbose_name=_("Role"))
    invited_by = tables.Column(verbose_name=_("Invited by"), default=NONE)
    sent = tables.TemplateColumn(
        template_name="governance/administration/includes/invitation_sent_cell.html",
        verbose_name=_("E-mail"),
        orderable=False,
    )
    expires_at = tables.DateColumn(format="Y-m-d", verbose_name=_("Valid until"), attrs={"td": {"class": "nowrap"}})
    status = tables.Column(accessor="status", verbose_name=_("Status"), orderable=False)
    actions = tables.TemplateColumn(
        template_name="governance/administration/includes/invitation_actions.html",
        extra_context=with_cooperation,
        verbose_name=_("Actions"),
        orderable=False,
        exclude_from_export=True,
    )

    class Meta(BaseTable.Meta):
        model = Invitation
        fields = ["email", "organisation", "role", "invited_by", "sent", "expires_at", "status", "actions"]
        orderable = False
        per_page = 10_000
        empty_text = _("No open invitations.")

    def __init__(self, *args, cooperation, **kwargs):
        super().__init__(*args, **kwargs)
        self.cooperation = cooperation

    def render_status(self, record):
        return status_badge(record)

    def value_status(self, record):
        return record.get_status_display()

    def render_invited_by(self, value):
        return value.get_full_name() or value.get_username()
