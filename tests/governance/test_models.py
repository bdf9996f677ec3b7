from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.forms import modelform_factory
from django.utils import translation

from governance.models import Body, Decision, Organisation

pytestmark = pytest.mark.django_db


def mjolby_body(name):
    return Body.objects.get(organisation__name="Mjölby kommun", name=name)


def test_a_decision_without_body_or_date_is_refused(plan_2016):
    form_class = modelform_factory(Decision, fields=["plan", "body", "meeting_date", "kind", "text"])
    with translation.override("sv"):
        form = form_class(data={"plan": plan_2016.pk, "kind": "adopt", "text": "Beslut"})
        assert not form.is_valid()
        assert form.errors["body"] == ["Detta fält måste fyllas i."]
        assert form.errors["meeting_date"] == ["Detta fält måste fyllas i."]
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.create(plan=plan_2016, kind="adopt", text="Utan organ och datum")


def test_a_duplicate_paragraph_for_the_same_body_and_meeting_is_refused(plan_2016):
    duplicate = Decision(
        plan=plan_2016,
        body=mjolby_body("Omsorgs- och socialnämnden"),
        meeting_date=date(2016, 1, 26),
        paragraph=17,
        kind=Decision.Kind.ADOPT,
        text="Samma paragraf igen",
    )
    with translation.override("sv"), pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "Organet har redan ett beslut med denna § vid detta sammanträde." in error.value.messages
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_decisions_without_paragraph_may_share_a_meeting(plan_2016, plan_2014, ostergotland):
    network = ostergotland.bodies.get(name="Nätverket för ehälsa")
    Decision.objects.create(plan=plan_2014, body=network, meeting_date=date(2015, 10, 20), kind="adopt", text="Igen")
    assert Decision.objects.filter(body=network, meeting_date=date(2015, 10, 20)).count() == 2


def test_a_body_decides_once_of_a_kind_on_a_plan_at_a_meeting(plan_2016, ostergotland):
    network = ostergotland.bodies.get(name="Nätverket för ehälsa")
    twice = Decision(plan=plan_2016, body=network, meeting_date=date(2015, 10, 20), kind="adopt", text="Igen")
    with pytest.raises(ValidationError, match="redan ett beslut av det slaget"):
        twice.full_clean()


def test_a_paragraph_must_be_a_positive_number(plan_2016):
    decision = Decision(
        plan=plan_2016,
        body=mjolby_body("Kommunstyrelsen"),
        meeting_date=date(2016, 3, 1),
        paragraph=0,
        kind="adopt",
        text="Noll",
    )
    with pytest.raises(ValidationError) as error:
        decision.full_clean()
    assert "paragraph" in error.value.message_dict


def test_a_body_cannot_forward_a_matter_to_itself(plan_2016):
    board = mjolby_body("Kommunstyrelsen")
    decision = Decision(
        plan=plan_2016, body=board, forwarded_to=board, meeting_date=date(2016, 3, 1), kind="refer", text="x"
    )
    with translation.override("sv"), pytest.raises(ValidationError) as error:
        decision.full_clean()
    assert "Ett organ kan inte föreslå eller hänskjuta ett ärende till sig självt." in error.value.messages


def test_a_body_has_exactly_one_owner(ostergotland):
    both = Body(
        name="Dubbel",
        level=Body.Level.TACTICAL,
        cooperation=ostergotland,
        organisation=Organisation.objects.get(name="Mjölby kommun"),
    )
    with translation.override("sv"), pytest.raises(ValidationError) as error:
        both.full_clean()
    assert "Ett organ hör antingen till en samverkan eller till en organisation, inte båda." in error.value.messages
    with pytest.raises(IntegrityError), transaction.atomic():
        Body.objects.create(name="Ingen ägare", level=Body.Level.TACTICAL)


def test_a_municipality_code_is_four_digits_and_unique():
    organisation = Organisation(name="Ny kommun", kind="municipality", municipality_code="586")
    with translation.override("sv"), pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert error.value.message_dict["municipality_code"] == ["En kommunkod består av fyra siffror, t.ex. 0586."]
    organisation.municipality_code = "0586"
    with translation.override("sv"), pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert "En annan organisation har redan denna SCB-kod." in error.value.messages


@pytest.mark.parametrize(
    "kind, county, code, message",
    [
        ("region", "Östergötlands län", "0586", "En regions SCB-kod är länets två siffror, t.ex. 05."),
        ("association", "", "0586", "Bara kommuner och regioner har en SCB-kod."),
        ("municipality", "", "1199", "Inget län har koden 11."),
        ("municipality", "Kalmar län", "0599", "Koden 0599 hör till Östergötlands län, inte till Kalmar län."),
    ],
)
def test_an_scb_code_fits_the_kind_and_the_county(kind, county, code, message):
    organisation = Organisation(name="Ny organisation", kind=kind, county=county, municipality_code=code)
    with translation.override("sv"), pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert error.value.message_dict["municipality_code"] == [message]


@pytest.mark.parametrize("population_date", [date(1, 1, 1), date(9999, 12, 31)])
def test_a_population_date_outside_1990_to_today_is_refused(population_date):
    organisation = Organisation.objects.get(name="Mjölby kommun")
    organisation.population_date = population_date
    with translation.override("sv"), pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert error.value.message_dict["population_date"][0].startswith("Ange ett datum från 1990-01-01 till ")


@pytest.mark.parametrize("meeting_date", [date(1, 1, 1), date(9999, 12, 31)])
def test_a_decision_dated_outside_1990_to_today_is_refused_also_in_the_admin(plan_2016, meeting_date):
    decision = Decision(
        plan=plan_2016,
        body=mjolby_body("Omsorgs- och socialnämnden"),
        meeting_date=meeting_date,
        kind="adopt",
        text="x",
    )
    with translation.override("sv"), pytest.raises(ValidationError) as error:
        decision.full_clean()
    assert error.value.message_dict["meeting_date"][0].startswith("Ange ett datum från 1990-01-01 till ")
