"""An adopted plan changes only through a revision: decisions on it never reopen it (issue 13, finding 1),
and the actions a double click repeats (decision, revision, next-period plan) happen once (finding 8)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from governance.models import Body, Decision
from plans import adoption as services
from plans import services as plan_services
from plans.models import ActionPlan, PlanVersion

pytestmark = pytest.mark.django_db

# Plans entered today accept decisions from today on (registering historic decisions is issue 17).
TODAY = timezone.localdate()

SSVO = "Sakområdessamråd vård och omsorg"


def post_decision(client, plan, body, **fields):
    data = {"body": body.pk, "meeting_date": TODAY.isoformat(), "kind": "return", "text": "Återremitteras."} | fields
    return client.post(reverse("adoption:decision_create", args=[plan.pk]), data)


@pytest.mark.parametrize("kind", ["return", "reject", "adopt", "endorse"])
def test_a_route_bodys_decision_on_an_adopted_plan_is_refused_and_the_plan_stays_adopted(
    client, plan_2016, coordinator, ostergotland, kind
):
    decisions, versions = Decision.objects.count(), PlanVersion.objects.count()
    client.force_login(coordinator)
    response = post_decision(client, plan_2016, ostergotland.bodies.get(name=SSVO), kind=kind)
    assert response.status_code == 200
    assert "Planen är antagen och ändras bara genom en revidering" in response.content.decode()
    plan_2016.refresh_from_db()
    assert plan_2016.status == ActionPlan.Status.ADOPTED
    assert Decision.objects.count() == decisions and PlanVersion.objects.count() == versions
    client.logout()
    assert client.get(plan_2016.get_absolute_url()).status_code == 200


def test_the_decision_form_of_an_adopted_plan_offers_the_municipalities_bodies_only(
    client, plan_2016, coordinator, secretary
):
    client.force_login(coordinator)  # the coordinator records for the cooperation's bodies only
    response = client.get(reverse("adoption:decision_create", args=[plan_2016.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("adoption:adoption_status", args=[plan_2016.pk])
    assert "Planen är antagen och ändras bara genom en revidering" in response.content.decode()
    assert ">Registrera beslut<" not in response.content.decode()
    client.force_login(secretary)
    text = client.get(reverse("adoption:decision_create", args=[plan_2016.pk])).content.decode()
    assert "Omsorgs- och socialnämnden" in text and SSVO not in text


def test_a_municipalitys_refer_back_on_an_adopted_plan_is_recorded_without_touching_the_plan(
    client, plan_2016, secretary
):
    snapshot = plan_2016.versions.get().snapshot
    board = Body.objects.get(organisation__name="Mjölby kommun", name="Omsorgs- och socialnämnden")
    client.force_login(secretary)
    response = post_decision(client, plan_2016, board, text="Återremitteras till förvaltningen.")
    assert response.status_code == 302
    assert Decision.objects.filter(plan=plan_2016, body=board, kind="return").exists()
    plan_2016.refresh_from_db()
    assert plan_2016.status == ActionPlan.Status.ADOPTED and plan_2016.returned_reason == ""
    assert plan_2016.versions.get().snapshot == snapshot


def test_the_service_refuses_a_route_decision_on_an_adopted_plan(plan_2016, coordinator, ostergotland):
    with pytest.raises(ValidationError, match="ändras bara genom en revidering"):
        services.decision_record(
            plan=plan_2016,
            user=coordinator,
            body=ostergotland.bodies.get(name=SSVO),
            meeting_date=TODAY,
            kind=Decision.Kind.ADOPT,
            text="Antas igen.",
        )
    assert plan_2016.versions.count() == 1


# --- The same action twice ------------------------------------------------------------------------


def test_the_same_decision_recorded_twice_is_stored_once(client, plan_2016, secretary):
    board = Body.objects.get(organisation__name="Mjölby kommun", name="Kommunstyrelsens arbetsutskott")
    client.force_login(secretary)
    fields = {"kind": "adopt", "text": "Antas.", "paragraph": "41"}
    first = post_decision(client, plan_2016, board, **fields)
    second = post_decision(client, plan_2016, board, **fields)
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert Decision.objects.filter(plan=plan_2016, body=board, meeting_date=TODAY).count() == 1


def test_a_different_decision_by_the_same_body_at_the_same_meeting_is_refused_with_a_message(
    client, plan_2016, secretary
):
    board = Body.objects.get(organisation__name="Mjölby kommun", name="Kommunstyrelsens arbetsutskott")
    client.force_login(secretary)
    post_decision(client, plan_2016, board, kind="adopt", text="Antas.")
    response = post_decision(client, plan_2016, board, kind="adopt", text="Antas med tillägg.")
    assert response.status_code == 200
    assert "har redan ett beslut av det slaget från sammanträdet" in response.content.decode()
    assert Decision.objects.filter(plan=plan_2016, body=board, meeting_date=TODAY).count() == 1


def test_a_second_revision_of_the_same_plan_is_refused(client, plan_2016, coordinator):
    client.force_login(coordinator)
    url = reverse("adoption:start_revision", args=[plan_2016.pk])
    assert client.post(url, {"reason": "Ny kostnadsbild"}).status_code == 302
    response = client.post(url, {"reason": "Ny kostnadsbild"})
    assert "En revidering av planen pågår redan" in response.content.decode()
    assert ActionPlan.objects.filter(revision_of=plan_2016).count() == 1


def test_the_database_allows_one_open_revision_of_a_plan(plan_2016, coordinator):
    from django.db import IntegrityError, transaction

    revision = plan_services.plan_start_revision(plan=plan_2016, reason="Ny kostnadsbild", user=coordinator)
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionPlan.objects.create(
            cooperation=revision.cooperation, title="Dubblett", first_year=2016, last_year=2017, revision_of=plan_2016
        )


def test_the_database_allows_one_next_period_plan(draft, plan_2016):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ActionPlan.objects.create(
            cooperation=draft.cooperation, title="Dubblett", first_year=2018, last_year=2019, previous_plan=plan_2016
        )


def test_a_second_next_period_plan_is_refused_with_a_message(client, plan_2016, coordinator, draft):
    client.force_login(coordinator)
    response = client.post(reverse("plans:actionplan_next_period", args=[plan_2016.pk]), follow=True)
    assert "Det finns redan en plan för nästa period" in response.content.decode()
    assert ActionPlan.objects.filter(previous_plan=plan_2016, revision_of=None).count() == 1


def test_a_repeat_that_changes_the_recipients_is_not_taken_for_the_same_decision(client, plan_2016, secretary):
    board = Body.objects.get(organisation__name="Mjölby kommun", name="Kommunstyrelsens arbetsutskott")
    client.force_login(secretary)
    post_decision(client, plan_2016, board, kind="adopt", text="Antas.", recipients="Akten")
    response = post_decision(client, plan_2016, board, kind="adopt", text="Antas.", recipients="Akten\nKommunstyrelsen")
    assert response.status_code == 200 and "har redan ett beslut av det slaget" in response.content.decode()
    assert Decision.objects.get(plan=plan_2016, body=board, meeting_date=TODAY).recipients == "Akten"
