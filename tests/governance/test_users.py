"""Users of a cooperation's organisations (issue 17, item 1): the list, roles given, changed and
taken away, deactivation; who may do which; every change in the history."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from governance import access
from governance.models import Body, Cooperation, Membership, Organisation
from tests.helpers import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def page(response) -> str:
    return response.content.decode()


def user_url(cooperation, user):
    return reverse("administration:user_detail", args=[cooperation.pk, user.pk])


def test_the_list_shows_each_users_organisation_role_and_whether_active(
    client, ostergotland, cooperation_administrator, official
):
    official.is_active = False
    official.save()
    client.force_login(cooperation_administrator)
    text = page(client.get(reverse("administration:user_list", args=[ostergotland.pk])))
    assert "Tomas Tjänsteman" in text and "tjansteman@demo.example" in text
    assert "Mjölby kommun: tjänsteman" in text
    assert '<span class="badge badge--danger">Inaktiverad</span>' in text
    assert "Linn Läsare" in text and "Oskarshamn" not in text
    filtered = page(client.get(reverse("administration:user_list", args=[ostergotland.pk]), {"role": "secretary"}))
    assert "Siv Sekreterare" in filtered and "Tomas Tjänsteman" not in filtered


def test_a_role_is_changed_added_and_removed_and_the_history_says_who(
    client, ostergotland, cooperation_administrator, official
):
    client.force_login(cooperation_administrator)
    membership = official.memberships.get()
    client.post(
        reverse("administration:role_change", args=[ostergotland.pk, membership.pk]),
        {f"roll-{membership.pk}-role": "coordinator"},
    )
    membership.refresh_from_db()
    assert membership.role == "coordinator"
    motala = Organisation.objects.get(name="Motala kommun")
    response = client.post(
        reverse("administration:role_add", args=[ostergotland.pk]),
        {"account": official.username, "organisation": motala.pk, "role": "viewer"},
        follow=True,
    )
    assert "Tomas Tjänsteman är nu läsare i Motala kommun." in page(response)
    response = client.post(reverse("administration:role_remove", args=[ostergotland.pk, membership.pk]), follow=True)
    assert "Tomas Tjänsteman är inte längre e-hälsosamordnare i Mjölby kommun." in page(response)
    assert list(official.memberships.values_list("organisation__name", "role")) == [("Motala kommun", "viewer")]
    changes = Membership.history.filter(user_id=official.pk)
    assert {record.history_type for record in changes} >= {"~", "+", "-"}
    made_here = [record for record in changes if record.history_type != "+" or record.organisation_id == motala.pk]
    assert len(made_here) == 3 and {record.history_user for record in made_here} == {cooperation_administrator}
    history = page(client.get(reverse("administration:history", args=[ostergotland.pk])))
    assert "Frida Förvaltare</strong> tog bort medlemskap" in history


def test_a_users_only_role_stays_deactivate_instead(client, ostergotland, cooperation_administrator, viewer):
    client.force_login(cooperation_administrator)
    membership = viewer.memberships.get()
    response = client.post(reverse("administration:role_remove", args=[ostergotland.pk, membership.pk]), follow=True)
    assert "Det är den enda rollen som Linn Läsare har. Inaktivera användaren i stället" in page(response)
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_the_lead_organisation_keeps_an_administrator(client, ostergotland, administrator, cooperation_administrator):
    client.force_login(administrator)
    membership = cooperation_administrator.memberships.get(role="administrator")
    cooperation_administrator.memberships.create(organisation=membership.organisation, role="viewer")
    response = client.post(reverse("administration:role_remove", args=[ostergotland.pk, membership.pk]), follow=True)
    assert "skulle inte ha någon administratör kvar" in page(response)
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_deactivated_user_cannot_sign_in_and_is_in_the_history(client, ostergotland, cooperation_administrator):
    person = make_user("kinda-handlaggare", "official", "Kinda kommun")
    person.first_name, person.last_name = "Kim", "Kinda"
    person.save()
    client.force_login(cooperation_administrator)
    text = page(client.get(user_url(ostergotland, person)))
    assert "Inaktivera användaren" in text
    response = client.post(
        reverse("administration:user_active", args=[ostergotland.pk, person.pk]), {"active": "0"}, follow=True
    )
    assert "Kim Kinda är inaktiverad och kan inte logga in." in page(response)
    person.refresh_from_db()
    assert not person.is_active
    record = get_user_model().history.filter(id=person.pk).latest("history_date")
    assert record.is_active is False and record.history_user == cooperation_administrator
    client.logout()
    assert not client.login(username="kinda-handlaggare", password=PASSWORD)
    client.force_login(cooperation_administrator)
    history = page(client.get(reverse("administration:history", args=[ostergotland.pk])))
    assert "kinda-handlaggare" in history and "Aktiv" in history


def test_signing_in_records_no_change_of_the_user(client, coordinator):
    before = get_user_model().history.filter(id=coordinator.pk).count()
    client.force_login(coordinator)
    assert get_user_model().history.filter(id=coordinator.pk).count() == before


def test_an_administrator_never_deactivates_themselves_nor_users_of_other_cooperations(
    client, ostergotland, cooperation_administrator
):
    assert not access.may_deactivate(cooperation_administrator, cooperation_administrator)
    elsewhere = make_user("h2o-handlaggare", "official", "Oskarshamns kommun")
    both = make_user("dubbel", "official", "Mjölby kommun")
    Membership.objects.create(
        user=both, organisation=Organisation.objects.get(name="Oskarshamns kommun"), role="viewer"
    )
    assert not access.may_deactivate(cooperation_administrator, elsewhere)
    assert not access.may_deactivate(cooperation_administrator, both)  # one of their roles is outside
    client.force_login(cooperation_administrator)
    assert "Inaktivera användaren" not in page(client.get(user_url(ostergotland, cooperation_administrator)))
    assert "Inaktivera användaren" not in page(client.get(user_url(ostergotland, both)))
    response = client.post(reverse("administration:user_active", args=[ostergotland.pk, both.pk]), {"active": "0"})
    assert response.status_code == 403
    assert client.get(user_url(ostergotland, elsewhere)).status_code == 404  # not a user of Östergötland's
    both.refresh_from_db()
    assert both.is_active


def test_the_administrator_role_in_an_organisation_leading_another_cooperation_is_not_theirs_to_give(
    client, ostergotland, cooperation_administrator, official
):
    mjolby = Organisation.objects.get(name="Mjölby kommun")
    Cooperation.objects.create(name="Mjölbys egen samverkan", lead_organisation=mjolby)
    assert not access.may_grant(cooperation_administrator, mjolby, "administrator")
    # Nor any role: Mjölby takes part in a cooperation Östergötland's administrator does not administer.
    assert not access.may_grant(cooperation_administrator, mjolby, "secretary")
    assert access.may_grant(cooperation_administrator, Organisation.objects.get(name="Motala kommun"), "secretary")
    client.force_login(cooperation_administrator)
    response = client.post(
        reverse("administration:role_add", args=[ostergotland.pk]),
        {"account": official.username, "organisation": mjolby.pk, "role": "administrator"},
        follow=True,
    )
    assert "Du kan inte ge eller ändra roller i Mjölby kommun: den deltar också i en samverkan" in page(response)
    assert not official.memberships.filter(role="administrator").exists()
    assert "Byt roll" not in page(client.get(user_url(ostergotland, official)))  # Mjölby's roles are not theirs


def test_adding_another_cooperations_municipality_gives_no_say_over_its_people_or_bodies(
    client, ostergotland, cooperation_administrator, official_elsewhere
):
    """Oskarshamn (H2O) made a member of Östergötland: its roles, its users and its bodies stay H2O's."""
    oskarshamn = Organisation.objects.get(name="Oskarshamns kommun")
    ostergotland.members.add(oskarshamn)
    assert not access.may_grant(cooperation_administrator, oskarshamn, "coordinator")
    assert not access.may_deactivate(cooperation_administrator, official_elsewhere)
    client.force_login(cooperation_administrator)
    response = client.post(
        reverse("administration:role_add", args=[ostergotland.pk]),
        {"account": cooperation_administrator.username, "organisation": oskarshamn.pk, "role": "coordinator"},
        follow=True,
    )
    assert "Du kan inte ge eller ändra roller i Oskarshamns kommun" in page(response)
    assert not cooperation_administrator.memberships.filter(organisation=oskarshamn).exists()
    response = client.post(
        reverse("administration:user_active", args=[ostergotland.pk, official_elsewhere.pk]), {"active": "0"}
    )
    assert response.status_code == 403
    official_elsewhere.refresh_from_db()
    assert official_elsewhere.is_active
    board = Body.objects.create(organisation=oskarshamn, name="Socialnämnden i Oskarshamn", level=1)
    assert client.get(reverse("administration:body_update", args=[ostergotland.pk, board.pk])).status_code == 403
    assert client.post(reverse("administration:body_delete", args=[ostergotland.pk, board.pk])).status_code == 403
    assert Body.objects.filter(pk=board.pk).exists()
    overview = page(client.get(reverse("administration:cooperation_detail", args=[ostergotland.pk])))
    assert "Sköts av administratörerna för Oskarshamns kommun" in overview
    new_body = page(client.get(reverse("administration:body_create", args=[ostergotland.pk])))
    owners = re.search(r'<select name="owner".*?</select>', new_body, re.S).group(0)
    assert "Oskarshamns kommun" not in owners and "Mjölby kommun" in owners
