"""The daily reminder e-mail (``manage.py send_reminders``), read from Django's in-memory outbox:
who gets what, in Swedish, once a day at most, and how a user stops and restarts them."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from plans.models import ReminderSent, ReminderSetting
from plans.reminders import reminder_send, reminders_set, unsubscribe_token
from tests.helpers import make_activity, make_plan, make_user

pytestmark = pytest.mark.django_db

SITE = "https://ehalsa.example.se"


def today():
    return timezone.localdate()


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def late_milestone(ostergotland):
    """A milestone three days late, on Östergötland's adopted plan in force this year."""
    year = today().year
    plan = make_plan(ostergotland, title="Plan i kraft", first_year=year, last_year=year + 1)
    activity = make_activity(plan, title="E-tjänster", start_year=year, end_year=year + 1)
    plan.status = plan.Status.ADOPTED
    plan.save()
    return activity.milestones.create(title="Upphandling klar", due_date=today() - timedelta(days=3))


@pytest.fixture
def addressed(coordinator, official, secretary, viewer):
    """The demo's people, with e-mail addresses (the secretary and the administrator have none)."""
    get_user_model().objects.update(email="")
    for user in (coordinator, official, viewer):
        user.email = f"{user.username}@kommun.example.se"
        user.save()
    return {"coordinator": coordinator, "official": official, "secretary": secretary, "viewer": viewer}


def sent_to() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def message_to(user):
    return next(message for message in mail.outbox if message.to == [user.email])


def test_each_user_with_something_due_gets_one_swedish_digest_with_absolute_links(addressed, late_milestone):
    call_command("send_reminders", verbosity=0)
    coordinator, official = addressed["coordinator"], addressed["official"]
    assert sent_to() == sorted([coordinator.email, official.email])  # the viewer has nothing due

    message = message_to(coordinator)
    assert re.fullmatch(r"Påminnelse: \d+ saker att göra i handlingsplanerna för e-hälsa", message.subject)
    body = message.body
    assert body.startswith("Hej Sara Samordnare!")
    assert "Försenade delmål" in body
    late_since = (today() - timedelta(days=3)).isoformat()
    assert f"- Upphandling klar – Aktivitet 1 E-tjänster – Plan i kraft – försenat sedan {late_since}" in body
    assert f"  {SITE}/aktiviteter/{late_milestone.activity_id}/#delmal" in body
    assert f"Uppföljningar som inte registrerats för {today().year}" in body
    unsubscribe = f"{SITE}{reverse('reminders:unsubscribe', args=[unsubscribe_token(coordinator)])}"
    assert f"Avsluta påminnelserna: {unsubscribe}" in body
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    html, kind = message.alternatives[0]
    assert kind == "text/html"
    assert f'<a href="{SITE}/aktiviteter/{late_milestone.activity_id}/#delmal">Upphandling klar</a>' in html
    assert f'<a href="{unsubscribe}">Avsluta påminnelserna</a>' in html

    official_body = message_to(official).body
    assert "Planer som väntar på beslut i din organisation" in official_body
    assert "Handlingsplan för ehälsa i Östergötland 2016-2017" in official_body
    assert "Upphandling klar" not in official_body


def test_nobody_gets_two_digests_the_same_day(addressed, late_milestone):
    call_command("send_reminders", verbosity=0)
    first = len(mail.outbox)
    call_command("send_reminders", verbosity=0)
    assert len(mail.outbox) == first == 2
    assert ReminderSent.objects.filter(day=today()).count() == 2
    # Tomorrow is another day.
    assert reminder_send(user=addressed["coordinator"], today=today() + timedelta(days=1))
    assert len(mail.outbox) == 3


def test_a_run_beside_another_that_sent_first_sends_nothing(addressed, late_milestone):
    coordinator = addressed["coordinator"]
    ReminderSent.objects.create(user=coordinator, day=today())  # the other run's record, made first
    assert not reminder_send(user=coordinator, today=today())
    assert mail.outbox == []


def test_unsubscribed_users_get_nothing(addressed, late_milestone):
    reminders_set(user=addressed["coordinator"], on=False)
    call_command("send_reminders", verbosity=0)
    assert sent_to() == [addressed["official"].email]


def test_users_without_anything_due_or_an_address_get_nothing(addressed):
    other = make_user("h2o-samordnare", "coordinator", "Oskarshamns kommun")
    other.email = "h2o@example.se"
    other.save()
    call_command("send_reminders", verbosity=0)
    # The H2O coordinator and the viewer have nothing due; the secretary has no address.
    assert sent_to() == sorted([addressed["coordinator"].email, addressed["official"].email])


def test_a_digest_that_fails_to_leave_is_tried_again_by_the_next_run(addressed, late_milestone, monkeypatch):
    real_send = EmailMultiAlternatives.send

    def refused(message, *args, **kwargs):
        if message.to == [addressed["coordinator"].email]:
            raise OSError("550 mailbox unavailable")
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", refused)
    with pytest.raises(CommandError, match="1 reminder"):
        call_command("send_reminders", verbosity=0)
    assert sent_to() == [addressed["official"].email]  # the others were sent all the same
    assert not ReminderSent.objects.filter(user=addressed["coordinator"]).exists()
    monkeypatch.setattr(EmailMultiAlternatives, "send", real_send)
    call_command("send_reminders", verbosity=0)
    assert sent_to() == sorted([addressed["coordinator"].email, addressed["official"].email])


def test_the_command_needs_the_sites_address(settings, addressed, late_milestone):
    settings.SITE_URL = ""
    with pytest.raises(CommandError, match="EHALSA_SITE_URL"):
        call_command("send_reminders", verbosity=0)
    assert mail.outbox == []


def test_the_link_in_the_email_asks_before_it_stops_the_reminders_and_needs_no_sign_in(client, addressed):
    coordinator = addressed["coordinator"]
    url = reverse("reminders:unsubscribe", args=[unsubscribe_token(coordinator)])
    page = client.get(url)
    assert page.status_code == 200
    assert "Sluta skicka dagliga påminnelser till samordnare@kommun.example.se?" in page.content.decode()
    assert not ReminderSetting.objects.filter(user=coordinator).exists()  # a GET writes nothing
    done = client.post(url)
    assert "Inga fler påminnelser skickas till samordnare@kommun.example.se." in done.content.decode()
    assert not ReminderSetting.objects.get(user=coordinator).send_reminders
    client.post(url)  # sent again: still off, once
    assert ReminderSetting.objects.get(user=coordinator).history.count() == 1


def test_a_damaged_or_forged_link_stops_nothing(client, addressed):
    token = unsubscribe_token(addressed["coordinator"])
    for bad in (token[:-3], "MQ:1abcde:forged"):
        response = client.post(reverse("reminders:unsubscribe", args=[bad]))
        assert response.status_code == 404
        assert "Länken är inte giltig" in response.content.decode()
    assert not ReminderSetting.objects.exists()


def test_the_user_turns_reminders_on_again_in_their_settings(client, addressed, late_milestone):
    coordinator = addressed["coordinator"]
    reminders_set(user=coordinator, on=False)
    url = reverse("reminders:settings")
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(coordinator)
    page = client.get(url).content.decode()
    assert "Det skickas till samordnare@kommun.example.se." in page
    assert 'name="send_reminders"' in page and "checked" not in page.split('name="send_reminders"')[1][:40]
    assert client.post(url, {"send_reminders": "on"}).status_code == 302
    assert ReminderSetting.objects.get(user=coordinator).send_reminders
    call_command("send_reminders", verbosity=0)
    assert coordinator.email in sent_to()
