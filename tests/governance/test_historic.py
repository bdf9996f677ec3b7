"""A plan adopted before it was entered (issue 17): its real meetings, years back, in the route's
order whatever order they are entered in, and the plan says it was registered afterwards."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.models import Decision
from plans.models import ActionPlan
from tests.governance.test_adoption import body, decide, mjolby, page
from tests.governance.test_adoption import sent as sent  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

NETWORK, LGVO, SSVO = "Nätverket för ehälsa", "Ledningsgrupp för vård och omsorg", "Sakområdessamråd vård och omsorg"


def test_a_plan_adopted_years_ago_is_registered_with_its_real_meetings(client, sent, coordinator, ostergotland):
    assert (
        decide(
            client, coordinator, sent, body(ostergotland, NETWORK), kind="propose", meeting_date="2016-02-04"
        ).status_code
        == 302
    )
    assert (
        decide(
            client, coordinator, sent, body(ostergotland, LGVO), kind="endorse", meeting_date="2016-02-19"
        ).status_code
        == 302
    )
    response = decide(client, coordinator, sent, body(ostergotland, SSVO), meeting_date="2016-03-10", paragraph="7")
    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.status == ActionPlan.Status.ADOPTED
    assert sent.versions.get().adopted_on == date(2016, 3, 10)
    name = coordinator.get_full_name()
    text = page(client, sent.get_absolute_url())
    assert "Registrerad i efterhand" in text
    assert (
        f'Antogs <span class="date">2016-03-10</span>, fördes in här <span class="date">{timezone.localdate():%Y-%m-%d}</span>; antagandet registrerades av {name}.'
        in text
    )
    status = page(client, reverse("adoption:adoption_status", args=[sent.pk]))
    assert 'Registrerad i efterhand: antogs <span class="date">2016-03-10</span>' in status
    # A municipality's decision of the time too.
    assert decide(client, coordinator, sent, mjolby("Kommunstyrelsen"), meeting_date="2016-04-20").status_code in (
        302,
        200,
    )


def test_a_plan_adopted_after_it_was_entered_does_not_say_so(client, sent, coordinator, ostergotland):
    assert decide(client, coordinator, sent, body(ostergotland, SSVO)).status_code == 302
    assert "Registrerad i efterhand" not in page(client, sent.get_absolute_url())


def test_decisions_may_be_entered_in_any_order_but_their_dates_follow_the_route(
    client, sent, coordinator, ostergotland
):
    # The strategic body's meeting is entered first; the network's, entered afterwards, was earlier.
    assert (
        decide(
            client, coordinator, sent, body(ostergotland, LGVO), kind="endorse", meeting_date="2016-02-19"
        ).status_code
        == 302
    )
    response = decide(client, coordinator, sent, body(ostergotland, NETWORK), kind="propose", meeting_date="2016-03-01")
    assert response.status_code == 200
    assert (
        "LGVO kommer efter detta organ i beslutsvägen och beslutade 2016-02-19: "
        "sammanträdesdatumet kan inte ligga senare." in response.content.decode()
    )
    assert (
        decide(
            client, coordinator, sent, body(ostergotland, NETWORK), kind="propose", meeting_date="2016-02-04"
        ).status_code
        == 302
    )
    response = decide(client, coordinator, sent, body(ostergotland, SSVO), meeting_date="2016-01-15")
    assert response.status_code == 200
    assert (
        "LGVO kommer före detta organ i beslutsvägen och beslutade 2016-02-19: "
        "sammanträdesdatumet kan inte ligga tidigare." in response.content.decode()
    )
    sent.refresh_from_db()
    assert sent.status == ActionPlan.Status.OUT_FOR_ADOPTION
    assert Decision.objects.filter(plan=sent).count() == 2


def test_a_future_meeting_is_still_refused(client, sent, coordinator, ostergotland):
    response = decide(
        client, coordinator, sent, body(ostergotland, SSVO), meeting_date=f"{date.today().year + 1}-01-10"
    )
    assert "Sammanträdesdatumet kan inte ligga i framtiden." in response.content.decode()
    assert not Decision.objects.filter(plan=sent).exists()


def test_after_a_referral_back_the_new_round_is_ordered_on_its_own(client, sent, coordinator, ostergotland):
    assert (
        decide(
            client,
            coordinator,
            sent,
            body(ostergotland, SSVO),
            kind="return",
            meeting_date="2016-03-10",
            text="Återremiss.",
        ).status_code
        == 302
    )
    sent.refresh_from_db()
    assert sent.status == ActionPlan.Status.DRAFT
    steps = {"route": [body(ostergotland, name).pk for name in (NETWORK, SSVO)], "send_anyway": "on"}
    client.post(reverse("adoption:send_for_adoption", args=[sent.pk]), steps)
    # The network meets again after the referral; its date is compared with this round only.
    assert (
        decide(
            client, coordinator, sent, body(ostergotland, NETWORK), kind="propose", meeting_date="2016-04-01"
        ).status_code
        == 302
    )
    assert decide(client, coordinator, sent, body(ostergotland, SSVO), meeting_date="2016-05-12").status_code == 302
    sent.refresh_from_db()
    assert sent.status == ActionPlan.Status.ADOPTED


def test_a_plan_loaded_with_its_adoption_says_when_it_was_entered_without_a_name(client, plan_2016):
    """The demo's 2016 adoption was loaded, not recorded by a person: no empty "registrerades av"."""
    text = page(client, plan_2016.get_absolute_url())
    assert f'Antogs <span class="date">{plan_2016.versions.get().adopted_on:%Y-%m-%d}</span>' in text
    assert "registrerades av ." not in text and "antagandet registrerades av" not in text
