"""Invitations by e-mail ("inbjudan"): an administrator invites an address to a role in one of the
cooperation's organisations; the invitee sets name and password through a one-time link.

- ``invitation_create`` (and ``invitation_resend``) saves the invitation and, once the request's
  transaction commits, queues its e-mail as a task (``governance.tasks.send_invitation``): a worker
  sends it, never the web request.
- The worker makes the link's token when it sends the e-mail (``invitation_send``): the token lives
  only in the e-mail; the database keeps its SHA-256. Sending again makes a new token, so an older
  e-mail's link no longer works.
- The link works once and for ``Invitation.VALID_FOR`` (7 days) from the invitation or its last
  sending; ``invitation_accept`` makes the user (the address is the username) with the role.
"""

import hashlib
import secrets
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .models import Invitation, Membership

TOKEN_BYTES = 32
LONGEST_TOKEN = 128  # anything longer in an address is no token of ours


class AddressInUse(ValidationError):
    """The address already belongs to a user: give that user the role instead."""

    def __init__(self, user):
        self.user = user
        super().__init__(
            _("%(email)s already belongs to a user, %(name)s. Give that user the role directly instead.")
            % {"email": user.email or user.get_username(), "name": user.get_full_name() or user.get_username()},
            code="address_in_use",
        )


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalised(address: str) -> str:
    return address.strip().lower()


def user_with_address(address: str):
    """The user whose e-mail address or username is ``address`` (in any case), if any."""
    address = normalised(address)
    return get_user_model().objects.filter(Q(email__iexact=address) | Q(username__iexact=address)).first()


def queue_sending(invitation_id: int) -> None:
    """Queue the e-mail once the current transaction commits (at once outside one)."""
    from .tasks import send_invitation

    transaction.on_commit(partial(send_invitation.enqueue, invitation_id), robust=True)


@transaction.atomic
def invitation_create(*, cooperation, email: str, organisation, role: str, invited_by) -> Invitation:
    """Invite ``email`` to ``role`` in ``organisation`` (the cooperation's member or lead organisation).

    Refused for an address a user already has (``AddressInUse``) and while an invitation of the same
    address to the same organisation is pending; an expired one gives way to the new one."""
    email = normalised(email)
    if not cooperation.organisations().filter(pk=organisation.pk).exists():
        raise ValidationError(_("Invite only to the cooperation's own organisations."))
    user = user_with_address(email)
    if user is not None:
        raise AddressInUse(user)
    earlier = Invitation.objects.select_for_update().open().filter(email=email, organisation=organisation).first()
    if earlier is not None and earlier.status == Invitation.Status.PENDING:
        raise ValidationError(
            _(
                "%(email)s already has a pending invitation to %(organisation)s, made %(date)s. "
                "Send that one again instead, or withdraw it first."
            )
            % {"email": email, "organisation": organisation, "date": local_date(earlier.created_at)}
        )
    if earlier is not None:  # expired: it gives way
        earlier.withdrawn_at = timezone.now()
        earlier.save()
    now = timezone.now()
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                cooperation=cooperation,
                email=email,
                organisation=organisation,
                role=role,
                invited_by=invited_by,
                created_at=now,
                expires_at=now + Invitation.VALID_FOR,
            )
    except IntegrityError:  # the same invitation made at the same moment, from another window
        raise ValidationError(_("This address already has an open invitation to this organisation.")) from None
    queue_sending(invitation.pk)
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: Invitation) -> Invitation:
    """Send an open invitation again, valid for another 7 days; the link of the earlier e-mail stops working."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise ValidationError(
            _("The invitation is %(status)s and cannot be sent again.") % {"status": invitation_status(invitation)}
        )
    if (user := user_with_address(invitation.email)) is not None:
        raise AddressInUse(user)
    invitation.expires_at = timezone.now() + Invitation.VALID_FOR
    invitation.token_hash = ""
    invitation.sent_at = None
    invitation.send_problem = ""
    invitation.save()
    queue_sending(invitation.pk)
    return invitation


@transaction.atomic
def invitation_withdraw(*, invitation: Invitation) -> Invitation:
    """Withdraw an open invitation: its link then says so."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise ValidationError(
            _("The invitation is %(status)s and cannot be withdrawn.") % {"status": invitation_status(invitation)}
        )
    invitation.withdrawn_at = timezone.now()
    invitation.save()
    return invitation


def invitation_send(*, invitation_id: int) -> str:
    """The worker's part: make the link's token, keep its hash, send the e-mail (what happened, in a word)."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().filter(pk=invitation_id).first()
        if invitation is None or invitation.status != Invitation.Status.PENDING:
            return "not pending"
        token = secrets.token_urlsafe(TOKEN_BYTES)
        invitation.token_hash = token_hash(token)
        invitation.sent_at = timezone.now()
        invitation.send_problem = ""
        invitation.save()
    try:
        invitation_email(invitation, token).send()
    except Exception as error:
        with transaction.atomic():
            failed = Invitation.objects.select_for_update().get(pk=invitation_id)
            if failed.token_hash == invitation.token_hash:  # not sent again meanwhile
                failed.token_hash, failed.sent_at = "", None
                failed.send_problem = f"{type(error).__name__}: {error}"[:300]
                failed.save()
        raise
    return "sent"


def site_url() -> str:
    if not settings.SITE_URL:
        raise ImproperlyConfigured("Set EHALSA_SITE_URL (say, https://ehalsa.example.se): e-mail links are absolute.")
    return settings.SITE_URL


def invitation_email(invitation: Invitation, token: str) -> EmailMultiAlternatives:
    """The invitation in the active language, plain text and HTML, with the one-time link."""
    inviter = invitation.invited_by
    context = {
        "invitation": invitation,
        "inviter": (inviter.get_full_name() or inviter.get_username()) if inviter else "",
        "role": invitation.get_role_display().lower(),
        "link": site_url() + reverse("administration:invitation_accept", args=[token]),
        "expires": local_date(invitation.expires_at),
        "site": site_url(),
    }
    message = EmailMultiAlternatives(
        subject=_("Invitation to the e-health action plans: %(cooperation)s")
        % {"cooperation": invitation.cooperation.display_name},
        body=render_to_string("governance/email/invitation.txt", context),
        to=[invitation.email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(render_to_string("governance/email/invitation.html", context), "text/html")
    return message


def local_date(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "Y-m-d")


def invitation_of_token(token: str) -> Invitation | None:
    """The invitation whose link carries ``token``, whatever its state; None for an unknown token."""
    if not token or len(token) > LONGEST_TOKEN:
        return None
    return (
        Invitation.objects.select_related("organisation", "cooperation", "invited_by")
        .filter(token_hash=token_hash(token))
        .first()
    )


def invitation_status(invitation: Invitation) -> str:
    return invitation.get_status_display().lower()


def refusal(invitation: Invitation | None) -> str | None:
    """Why the link cannot be used, in the invitee's words; None when it can."""
    if invitation is None:
        return _(
            "This link is not valid. It may have been copied incompletely, or replaced by a newer invitation: "
            "use the link in the latest e-mail, or ask the administrator for a new invitation."
        )
    status = invitation.status
    if status == Invitation.Status.ACCEPTED:
        return _("This invitation has already been used. Sign in with your e-mail address and your password.")
    if status == Invitation.Status.WITHDRAWN:
        return _("This invitation has been withdrawn. Ask the administrator for a new one if you need access.")
    if status == Invitation.Status.EXPIRED:
        return _("The invitation has expired (it was valid until %(date)s). Ask the administrator for a new one.") % {
            "date": local_date(invitation.expires_at)
        }
    if user_with_address(invitation.email) is not None:
        return _(
            "There is already an account with the address %(email)s. Sign in with it; the administrator can give "
            "that account the role directly."
        ) % {"email": invitation.email}
    return None


@transaction.atomic
def invitation_accept(*, invitation: Invitation, first_name: str, last_name: str, password: str):
    """Make the invitee's user (username: the address) with the invited role; the link is used up."""
    invitation = Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation.pk)
    reason = refusal(invitation)
    if reason:
        raise ValidationError(reason)
    user = get_user_model()(
        username=invitation.email, email=invitation.email, first_name=first_name.strip(), last_name=last_name.strip()
    )
    user.set_password(password)
    try:
        with transaction.atomic():  # another invitation to the address, accepted at the same moment
            user.save()
    except IntegrityError:
        raise ValidationError(
            _(
                "There is already an account with the address %(email)s. Sign in with it; the administrator can "
                "give that account the role directly."
            )
            % {"email": invitation.email}
        ) from None
    Membership.objects.create(user=user, organisation=invitation.organisation, role=invitation.role)
    invitation.accepted_at = timezone.now()
    invitation.user = user
    invitation.save()
    return user
