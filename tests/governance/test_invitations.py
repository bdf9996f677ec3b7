"""Invitations by e-mail (issue 17, item 1): the administrator invites an address to a role, a worker
sends the e-mail with a one-time link, the invitee sets name and password and signs in with the role.
Every bad link and address gets a Swedish answer, never a server error."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from governance import invitations
from governance.models import Cooperation, Invitation, Membership, Organisation
from tests.helpers import make_user, work_off_the_queue

pytestmark = pytest.mark.django_db

SITE = "https://ehalsa.example.se"
PASSWORD = "Vårdkedjan-2026!"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE


def page(response) -> str:
    return response.content.decode()


def token_of(response) -> str:
    return re.search(r'name="submission" value="([0-9a-f-]{36})"', page(response)).group(1)


def invite(client, cooperation, capture, *, email, organisation, role="official"):
    url = reverse("administration:invitation_create", args=[cooperation.pk])
    data = {
        "submission": token_of(client.get(url)),
        "email": email,
        "organisation": Organisation.objects.get(name=organisation).pk,
        "role": role,
    }
    with capture(execute=True):  # the e-mail is queued once the request's transaction commits
        return client.post(url, data)


def link_in(message) -> str:
    return re.search(rf"{re.escape(SITE)}(/konto/inbjudan/[^/\s]+/)", message.body).group(1)


def accept(client, link, **values):
    data = {"first_name": "Maja", "last_name": "Motala", "password1": PASSWORD, "password2": PASSWORD}
    return client.post(link, data | values)


@pytest.fixture
def invited(client, ostergotland, cooperation_administrator, django_capture_on_commit_callbacks):
    """An official of Motala invited by Östergötland's administrator, the e-mail sent by the worker."""
    client.force_login(cooperation_administrator)
    response = invite(
        client,
        ostergotland,
        django_capture_on_commit_callbacks,
        email="Maja.Motala@motala.se ",
        organisation="Motala kommun",
    )
    assert response.status_code == 302, page(response)
    assert mail.outbox == []  # nothing is sent in the request
    assert work_off_the_queue() == 1
    client.logout()
    return Invitation.objects.get(email="maja.motala@motala.se")


def test_an_invited_official_sets_a_password_and_signs_in_with_the_role(client, invited):
    (message,) = mail.outbox
    assert message.to == ["maja.motala@motala.se"]
    assert message.subject == "Inbjudan till handlingsplanerna för e-hälsa: Östergötland"
    assert "som tjänsteman i Motala kommun, i Nätverket för ehälsa i Östergötland" in message.body
    assert "Inbjudan kommer från Frida Förvaltare." in message.body
    assert f"Länken gäller till {invitations.local_date(invited.expires_at)}" in message.body
    html = message.alternatives[0][0]
    link = link_in(message)
    assert f'href="{SITE}{link}"' in html
    token = link.split("/")[-2]
    assert token not in str(Invitation.objects.values_list().get(pk=invited.pk))  # only its hash is kept
    assert invited.expires_at - invited.created_at == timedelta(days=7)

    form = page(client.get(link))
    assert "Ditt användarnamn är din e-postadress" in form and "maja.motala@motala.se" in form
    response = accept(client, link)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    user = get_user_model().objects.get(username="maja.motala@motala.se")
    assert (user.first_name, user.email) == ("Maja", "maja.motala@motala.se")
    membership = Membership.objects.get(user=user)
    assert (membership.organisation.name, membership.role) == ("Motala kommun", "official")
    assert "Inloggad som <strong>Maja Motala</strong> (tjänsteman, Motala kommun)" in page(client.get("/"))

    client.logout()
    login = client.post(reverse("login"), {"username": "maja.motala@motala.se", "password": PASSWORD})
    assert login.status_code == 302
    invited.refresh_from_db()
    assert invited.accepted_at and invited.user == user
    assert invited.history.filter(accepted_at__isnull=False).exists()


def test_the_password_is_checked_by_djangos_validators_and_the_name_is_kept(client, invited):
    link = link_in(mail.outbox[0])
    response = accept(client, link, password1="maja", password2="maja")
    text = page(response)
    assert response.status_code == 200
    assert "Det här lösenordet är för kort" in text and 'value="Motala"' in text
    response = accept(client, link, password2="Annat-lösenord-99")
    assert "De två lösenorden skiljer sig åt" in page(response)
    assert not get_user_model().objects.filter(username="maja.motala@motala.se").exists()


def test_a_used_link_says_so(client, invited):
    link = link_in(mail.outbox[0])
    assert accept(client, link).status_code == 302
    client.logout()
    again = client.get(link)
    assert again.status_code == 410
    assert "Inbjudan har redan använts. Logga in med din e-postadress och ditt lösenord." in page(again)
    assert accept(client, link).status_code == 410
    assert get_user_model().objects.filter(username="maja.motala@motala.se").count() == 1


def test_an_expired_link_says_to_ask_for_a_new_one(client, invited):
    Invitation.objects.filter(pk=invited.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    link = link_in(mail.outbox[0])
    response = client.get(link)
    assert response.status_code == 410
    assert "Inbjudan har gått ut" in page(response) and "Be administratören om en ny." in page(response)
    assert accept(client, link).status_code == 410
    assert not get_user_model().objects.filter(username="maja.motala@motala.se").exists()


@pytest.mark.parametrize("token", ["okand-token", "x" * 500, "%00"])
def test_an_unknown_link_says_so(client, token):
    response = client.get(f"/konto/inbjudan/{token}/")
    assert response.status_code == 404
    assert "Länken gäller inte." in page(response)


def test_resending_gives_a_new_link_and_the_old_one_stops_working(
    client, invited, cooperation_administrator, ostergotland, django_capture_on_commit_callbacks
):
    old_link = link_in(mail.outbox[0])
    Invitation.objects.filter(pk=invited.pk).update(expires_at=timezone.now() - timedelta(days=1))
    client.force_login(cooperation_administrator)
    users = page(client.get(reverse("administration:user_list", args=[ostergotland.pk])))
    assert "maja.motala@motala.se" in users and "Har gått ut" in users
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("administration:invitation_resend", args=[ostergotland.pk, invited.pk]))
    work_off_the_queue()
    client.logout()
    assert len(mail.outbox) == 2
    new_link = link_in(mail.outbox[1])
    assert new_link != old_link
    assert client.get(old_link).status_code == 404
    assert client.get(new_link).status_code == 200


def test_a_withdrawn_invitation_says_so(client, invited, cooperation_administrator, ostergotland):
    client.force_login(cooperation_administrator)
    response = client.post(
        reverse("administration:invitation_withdraw", args=[ostergotland.pk, invited.pk]), follow=True
    )
    assert "Inbjudan till maja.motala@motala.se återkallades." in page(response)
    client.logout()
    refused = client.get(link_in(mail.outbox[0]))
    assert refused.status_code == 410 and "Inbjudan har återkallats." in page(refused)


def test_an_address_already_in_use_is_offered_the_role_directly(
    client, ostergotland, cooperation_administrator, official, django_capture_on_commit_callbacks
):
    client.force_login(cooperation_administrator)
    response = invite(
        client,
        ostergotland,
        django_capture_on_commit_callbacks,
        email="TJANSTEMAN@demo.example",
        organisation="Mjölby kommun",
        role="secretary",
    )
    text = page(response)
    assert response.status_code == 200
    assert "tjansteman@demo.example hör redan till en användare, Tomas Tjänsteman." in text
    assert "Ge Tomas Tjänsteman rollen" in text
    assert 'value="TJANSTEMAN@demo.example"' in text  # the input stays
    assert not Invitation.objects.exists() and not DBTaskResult.objects.exists()
    offer = re.search(r'<form method="post" action="([^"]+)">(.*?)</form>', text, re.S)
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', offer.group(2)))
    response = client.post(offer.group(1), fields, follow=True)
    assert "Tomas Tjänsteman är nu nämndsekreterare i Mjölby kommun." in page(response)
    assert official.memberships.filter(role="secretary", organisation__name="Mjölby kommun").exists()


def test_a_second_pending_invitation_to_the_same_address_and_organisation_is_refused(
    client, invited, ostergotland, cooperation_administrator, django_capture_on_commit_callbacks
):
    client.force_login(cooperation_administrator)
    response = invite(
        client,
        ostergotland,
        django_capture_on_commit_callbacks,
        email="maja.motala@motala.se",
        organisation="Motala kommun",
    )
    assert response.status_code == 200
    assert "har redan en inbjudan till Motala kommun som väntar" in page(response)
    assert Invitation.objects.filter(email="maja.motala@motala.se").count() == 1
    # To another organisation, or once the first has expired, it is another invitation.
    Invitation.objects.filter(pk=invited.pk).update(expires_at=timezone.now() - timedelta(days=1))
    response = invite(
        client,
        ostergotland,
        django_capture_on_commit_callbacks,
        email="maja.motala@motala.se",
        organisation="Motala kommun",
    )
    assert response.status_code == 302
    assert Invitation.objects.open().filter(email="maja.motala@motala.se").count() == 1


def test_only_the_cooperations_organisations_and_grantable_roles_are_invited_to(
    client, ostergotland, cooperation_administrator, django_capture_on_commit_callbacks
):
    client.force_login(cooperation_administrator)
    response = invite(
        client,
        ostergotland,
        django_capture_on_commit_callbacks,
        email="ny@oskarshamn.se",
        organisation="Oskarshamns kommun",
    )
    assert "Välj ett giltigt alternativ" in page(response)
    # Mjölby leads a cooperation Östergötland's administrator does not administer: no role there is theirs to give.
    Cooperation.objects.create(
        name="Mjölbys egen samverkan", lead_organisation=Organisation.objects.get(name="Mjölby kommun")
    )
    response = invite(
        client,
        ostergotland,
        django_capture_on_commit_callbacks,
        email="chef@mjolby.se",
        organisation="Mjölby kommun",
        role="administrator",
    )
    assert "Du kan inte ge eller ändra roller i Mjölby kommun" in page(response)
    assert not Invitation.objects.filter(email="chef@mjolby.se").exists()


def test_a_failed_sending_is_shown_and_can_be_tried_again(
    client, ostergotland, cooperation_administrator, django_capture_on_commit_callbacks, settings
):
    client.force_login(cooperation_administrator)
    settings.SITE_URL = ""  # e-mail links cannot be made: the worker records why
    invite(client, ostergotland, django_capture_on_commit_callbacks, email="ny@kinda.se", organisation="Kinda kommun")
    work_off_the_queue()
    invitation = Invitation.objects.get(email="ny@kinda.se")
    assert invitation.send_problem and not invitation.token_hash and mail.outbox == []
    assert "Kunde inte skickas" in page(client.get(reverse("administration:user_list", args=[ostergotland.pk])))
    settings.SITE_URL = SITE
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("administration:invitation_resend", args=[ostergotland.pk, invitation.pk]))
    work_off_the_queue()
    assert len(mail.outbox) == 1


def test_an_invitation_accepted_after_its_address_got_an_account_is_refused(client, invited):
    make_user("maja.motala@motala.se")
    response = client.get(link_in(mail.outbox[0]))
    assert response.status_code == 410
    assert "Det finns redan ett konto med adressen maja.motala@motala.se." in page(response)


def test_an_account_made_for_the_address_at_the_same_moment_is_a_refusal_not_an_error(invited, monkeypatch):
    """Two invitations to one address accepted at once: the second finds the address taken while saving."""
    get_user_model().objects.create_user(username="maja.motala@motala.se", password="x")
    monkeypatch.setattr(invitations, "refusal", lambda invitation: None)  # both checked before either saved
    with translation.override("sv"), pytest.raises(ValidationError) as refused:
        invitations.invitation_accept(invitation=invited, first_name="Maja", last_name="M", password="Lösen-2026-ord")
    assert "Det finns redan ett konto med adressen maja.motala@motala.se" in str(refused.value)
    invited.refresh_from_db()
    assert invited.accepted_at is None
