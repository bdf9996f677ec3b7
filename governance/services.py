"""The cooperation administration's changes that carry rules: members, removing bodies, roles and users.

Who may make them is ``governance.access``'s to say (the views ask it); these functions keep what
must hold whoever makes them, and refuse with a ``ValidationError`` in words a user understands.
Every change is saved through the models, so their history records it and who made it.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.db.models import ProtectedError, RestrictedError
from django.db.models.deletion import Collector
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ehalsa.editing import save_checked

from .models import Body, Cooperation, Membership

ADMINISTRATOR = Membership.Role.ADMINISTRATOR


@transaction.atomic
def members_set(*, cooperation: Cooperation, shown, chosen, version: int) -> None:
    """Of the organisations ``shown`` (a filtered part of the register), exactly ``chosen`` are
    members afterwards; members not shown stay. ``version`` is the cooperation's when the list was
    shown: a change made meanwhile refuses the save (``EditConflict``)."""
    shown_ids = {organisation.pk for organisation in shown}
    kept = {pk for pk in cooperation.members.values_list("pk", flat=True) if pk not in shown_ids}
    save_checked(cooperation, expected_version=version)
    lead = {cooperation.lead_organisation_id} - {None}  # the lead stays a member
    cooperation.members.set(kept | lead | {organisation.pk for organisation in chosen})


def members_leaving(*, cooperation: Cooperation, shown, chosen) -> list:
    """The members that saving ``chosen`` of the organisations ``shown`` would remove (the lead stays)."""
    keep = {organisation.pk for organisation in chosen} | {cooperation.lead_organisation_id}
    shown_ids = [organisation.pk for organisation in shown]
    return list(cooperation.members.filter(pk__in=shown_ids).exclude(pk__in=keep - {None}).order_by("name"))


def lead_is_member(cooperation: Cooperation) -> None:
    """The lead organisation takes part as a member: its coordinators write the cooperation's plans
    and its people read its drafts, like every member's."""
    lead = cooperation.lead_organisation_id
    if lead and not cooperation.members.filter(pk=lead).exists():  # else no change to record
        cooperation.members.add(lead)


# What keeps a body from being removed, by the model that holds on to it.
HELD_BY = {
    "governance.Decision": gettext_lazy("it has recorded decisions (or decisions were proposed or referred to it)"),
    "plans.ReportDecision": gettext_lazy("it has recorded decisions on follow-up reports"),
    "plans.AdoptionStep": gettext_lazy("it is on a plan's adoption route"),
    "plans.ReportRecipient": gettext_lazy("a follow-up report was sent to it"),
}


def body_removal_refusal(body: Body) -> str | None:
    """Why ``body`` cannot be removed, or None when it can: what refers to it, found as a delete would
    (Django's collector), without deleting anything."""
    try:
        Collector(using=router.db_for_write(Body)).collect([body])
    except (ProtectedError, RestrictedError) as error:
        held = getattr(error, "protected_objects", None) or getattr(error, "restricted_objects", ())
        labels = sorted({item._meta.label for item in held})
        reasons = [str(HELD_BY.get(label, _("other records refer to it"))) for label in labels]
        return _("“%(body)s” cannot be removed: %(reasons)s. Change its name or level instead if it has changed.") % {
            "body": body.name,
            "reasons": "; ".join(dict.fromkeys(reasons)),
        }
    return None


@transaction.atomic
def body_delete(*, body: Body) -> None:
    """Remove a body that nothing refers to; bodies reporting to it then report to no one.

    A body with decisions, or on an adoption route, stays: the plans' history needs it."""
    body = Body.objects.select_for_update().get(pk=body.pk)
    refusal = body_removal_refusal(body)
    if refusal:
        raise ValidationError(refusal)
    body.delete()


def check_administrator_remains(membership: Membership) -> None:
    """An organisation that leads a cooperation keeps at least one active administrator."""
    if membership.role != ADMINISTRATOR:
        return
    led = list(Cooperation.objects.filter(lead_organisation=membership.organisation_id))
    if not led:
        return
    others = Membership.objects.filter(
        organisation=membership.organisation_id, role=ADMINISTRATOR, user__is_active=True
    ).exclude(pk=membership.pk)
    if not others.exists():
        raise ValidationError(
            _(
                "%(organisation)s leads %(cooperations)s and would have no administrator left. "
                "Give someone else the administrator role first."
            )
            % {
                "organisation": membership.organisation,
                "cooperations": ", ".join(cooperation.display_name for cooperation in led),
            }
        )


@transaction.atomic
def membership_grant(*, user, organisation, role) -> Membership:
    """Give ``user`` ``role`` in ``organisation`` (an active account; a role once)."""
    if not user.is_active:
        raise ValidationError(_("%(user)s is deactivated; activate the account first.") % {"user": display(user)})
    membership, created = Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    if not created:
        raise ValidationError(
            _("%(user)s already has the role %(role)s in %(organisation)s.")
            % {"user": display(user), "role": membership.get_role_display().lower(), "organisation": organisation}
        )
    return membership


@transaction.atomic
def membership_change(*, membership: Membership, role: str) -> Membership:
    """Another role in the same organisation."""
    membership = Membership.objects.select_for_update().select_related("user", "organisation").get(pk=membership.pk)
    if membership.role == role:
        return membership
    if Membership.objects.filter(user=membership.user, organisation=membership.organisation, role=role).exists():
        raise ValidationError(
            _("%(user)s already has the role %(role)s in %(organisation)s.")
            % {
                "user": display(membership.user),
                "role": Membership.Role(role).label.lower(),
                "organisation": membership.organisation,
            }
        )
    check_administrator_remains(membership)
    membership.role = role
    membership.save()
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    """Take a role away; a user's only role stays (deactivate the user instead)."""
    membership = Membership.objects.select_for_update().select_related("user", "organisation").get(pk=membership.pk)
    if not Membership.objects.filter(user=membership.user).exclude(pk=membership.pk).exists():
        raise ValidationError(
            _("This is %(user)s's only role. Deactivate the user instead, or give them another role first.")
            % {"user": display(membership.user)}
        )
    check_administrator_remains(membership)
    membership.delete()


@transaction.atomic
def user_set_active(*, user, active: bool, by) -> None:
    """Deactivate a user (they can no longer sign in; their work and history stay) or activate them again."""
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    if user.pk == by.pk:
        raise ValidationError(_("You cannot deactivate yourself."))
    if user.is_active == active:
        return
    if not active:
        for membership in user.memberships.select_related("organisation"):
            check_administrator_remains(membership)
    user.is_active = active
    user.save(update_fields=["is_active"])


def display(user) -> str:
    return user.get_full_name() or user.get_username()
