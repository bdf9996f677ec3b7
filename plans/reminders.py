"""The daily reminder ("påminnelse"): an e-mail in Swedish of what is due for a user (``plans.due``).

``manage.py send_reminders`` (cron, daily) sends one to each user with an e-mail address, reminders
on (``ReminderSetting``; on unless turned off) and something due. Each is recorded as sent
(``ReminderSent``, unique per user and day) before it leaves, so two runs at once, or a second run
the same day, send it once; one that fails to leave is forgotten again, so the next run tries anew.
The e-mail links to the service (``settings.SITE_URL``) and to a page that stops the reminders
(a signed token in the address; the page asks for a POST, since a GET never writes).
"""

import logging
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from governance.models import Membership

from .due import DueGroup, due_for
from .models import ReminderSent, ReminderSetting

log = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "plans.reminders.unsubscribe"


def unsubscribe_token(user) -> str:
    """A token naming ``user`` that stops their reminders; it never expires (old e-mails keep working)."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(user.pk))


def user_of_token(token: str):
    """The active user ``token`` names, or None for a damaged or forged token."""
    try:
        pk = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature:
        return None
    if not pk.isdigit():
        return None
    return get_user_model().objects.filter(pk=int(pk), is_active=True).first()


def wants_reminders(user) -> bool:
    setting = ReminderSetting.objects.filter(user=user).first()
    return setting is None or setting.send_reminders


@transaction.atomic
def reminders_set(*, user, on: bool) -> ReminderSetting:
    """Turn ``user``'s reminders on or off (again and again alike)."""
    setting, created = ReminderSetting.objects.select_for_update().get_or_create(
        user=user, defaults={"send_reminders": on}
    )
    if not created and setting.send_reminders != on:
        setting.send_reminders = on
        setting.save()
    return setting


def recipients():
    """Active users with an e-mail address who may have something due (a role that has work, or an
    administrator) and have not turned reminders off."""
    roles = [Membership.Role.COORDINATOR, Membership.Role.OFFICIAL, Membership.Role.SECRETARY]
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .filter(Q(memberships__role__in=roles) | Q(is_superuser=True))
        .exclude(reminder_setting__send_reminders=False)
        .distinct()
        .order_by("pk")
    )


def site_url() -> str:
    if not settings.SITE_URL:
        raise ImproperlyConfigured("Set EHALSA_SITE_URL (say, https://ehalsa.example.se): e-mail links are absolute.")
    return settings.SITE_URL


def digest(user, groups: list[DueGroup], *, today: date) -> EmailMultiAlternatives:
    """The e-mail of what is due for ``user``, plain text and HTML, in the active language."""
    site = site_url()
    count = sum(group.count for group in groups)
    unsubscribe = site + reverse("reminders:unsubscribe", args=[unsubscribe_token(user)])
    context = {
        "user": user,
        "due": groups,
        "site": site,
        "today": today,
        "count": count,
        "unsubscribe_url": unsubscribe,
        "settings_url": site + reverse("reminders:settings"),
    }
    subject = ngettext(
        "Reminder: %(count)s thing is due in the e-health action plans",
        "Reminder: %(count)s things are due in the e-health action plans",
        count,
    ) % {"count": count}
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("reminders/digest.txt", context),
        to=[user.email],
        headers={"List-Unsubscribe": f"<{unsubscribe}>", "Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(render_to_string("reminders/digest.html", context), "text/html")
    return message


def reminder_send(*, user, today: date) -> bool:
    """Send ``user`` today's reminder, if something is due and none was sent today; whether it was sent."""
    with translation.override(settings.LANGUAGE_CODE):
        groups = due_for(user, today=today)
        if not groups:
            return False
        message = digest(user, groups, today=today)
    try:
        with transaction.atomic():
            ReminderSent.objects.create(user=user, day=today, items=sum(group.count for group in groups))
    except IntegrityError:
        return False  # sent today already, by this run's predecessor or a run beside it
    try:
        message.send()
    except Exception:
        # Not sent: forget the record, so that the next run tries again.
        ReminderSent.objects.filter(user=user, day=today).delete()
        raise
    return True
