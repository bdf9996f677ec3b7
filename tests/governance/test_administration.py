"""The cooperation administration in the app (issue 17, item 1): who administers what, creating and
editing a cooperation, picking members from the register, adding to the register, and bodies."""

import re

import pytest
from django.urls import reverse

from governance import access
from governance.models import Body, Cooperation, Decision, Membership, Organisation
from plans.models import AdoptionStep
from tests.helpers import make_plan, make_user

pytestmark = pytest.mark.django_db


def page(response) -> str:
    return response.content.decode()


def token_of(response) -> str:
    return re.search(r'name="submission" value="([0-9a-f-]{36})"', page(response)).group(1)


def version_of(response) -> str:
    return re.search(r'name="version" value="(\d+)"', page(response)).group(1)


@pytest.fixture
def vastkom_admin(db):
    """Administrator of VästKom, which leads VästKom's cooperation (not Östergötland's)."""
    return make_user("vastkom-admin", "administrator", "VästKom")


# --- Who administers a cooperation ----------------------------------------------------------------


def test_the_administrator_of_the_lead_organisation_administers_the_cooperation(
    ostergotland, cooperation_administrator, vastkom_admin, coordinator, administrator
):
    assert access.may_administer(cooperation_administrator, ostergotland)
    assert not access.may_administer(vastkom_admin, ostergotland)
    assert access.may_administer(vastkom_admin, Cooperation.objects.get(short_name="VästKom"))
    assert not access.may_administer(coordinator, ostergotland)  # the coordinator holds no administrator role
    assert access.may_administer(administrator, ostergotland)  # a superuser administers every cooperation
    assert list(access.cooperations_user_administers(cooperation_administrator)) == [ostergotland]


def test_a_coordinator_given_the_administrator_role_too_administers_it(client, ostergotland, coordinator):
    region = Organisation.objects.get(name="Region Östergötland")
    client.force_login(coordinator)
    assert client.get(reverse("administration:cooperation_detail", args=[ostergotland.pk])).status_code == 403
    assert "Administrera samverkan" not in page(client.get("/"))
    coordinator.memberships.create(organisation=region, role="administrator")
    assert client.get(reverse("administration:cooperation_detail", args=[ostergotland.pk])).status_code == 200
    assert "Administrera samverkan" in page(client.get("/"))


def test_the_menu_and_the_start_page_link_the_administration_for_administrators_only(
    client, cooperation_administrator, official
):
    client.force_login(official)
    assert reverse("administration:home") not in page(client.get("/"))
    client.force_login(cooperation_administrator)
    home = page(client.get("/"))
    assert home.count(f'href="{reverse("administration:home")}"') == 2  # the menu and the start page
    listing = page(client.get(reverse("administration:home")))
    assert "Nätverket för ehälsa i Östergötland" in listing and "VästKom" not in listing


def test_another_cooperations_administrator_is_refused(client, ostergotland, vastkom_admin):
    client.force_login(vastkom_admin)
    for name in ("cooperation_detail", "cooperation_update", "members", "user_list", "body_create"):
        assert client.get(reverse(f"administration:{name}", args=[ostergotland.pk])).status_code == 403, name
    response = client.post(reverse("administration:cooperation_update", args=[ostergotland.pk]), {"name": "Kapad"})
    assert response.status_code == 403
    assert Cooperation.objects.get(pk=ostergotland.pk).name != "Kapad"


# --- Creating and editing a cooperation -----------------------------------------------------------


def test_an_administrator_creates_a_cooperation_led_by_their_organisation(client, vastkom_admin):
    client.force_login(vastkom_admin)
    url = reverse("administration:cooperation_create")
    form = client.get(url)
    leads = re.search(r'<select name="lead_organisation".*?</select>', page(form), re.S).group(0)
    assert "VästKom" in leads and "Region Östergötland" not in leads  # only organisations they administer
    vastkom = Organisation.objects.get(name="VästKom")
    data = {
        "submission": token_of(form),
        "name": "Ehälsosamverkan Fyrbodal",
        "short_name": "Fyrbodal",
        "county": "Västra Götalands län",
        "description": "Kommunerna i Fyrbodal.",
        "lead_organisation": vastkom.pk,
    }
    response = client.post(url, data)
    cooperation = Cooperation.objects.get(name="Ehälsosamverkan Fyrbodal")
    assert response["Location"] == reverse("administration:members", args=[cooperation.pk])
    assert access.may_administer(vastkom_admin, cooperation)
    assert cooperation.history.first().history_user == vastkom_admin
    assert list(cooperation.members.all()) == [vastkom]  # the lead takes part: its coordinators write the plans


def test_a_cooperation_with_a_taken_name_or_another_lead_is_refused_with_the_input_kept(
    client, vastkom_admin, ostergotland
):
    client.force_login(vastkom_admin)
    url = reverse("administration:cooperation_create")
    data = {
        "submission": token_of(client.get(url)),
        "name": ostergotland.name,
        "short_name": "Kopia",
        "county": "",
        "description": "Min beskrivning",
        "lead_organisation": Organisation.objects.get(name="Region Östergötland").pk,
    }
    response = client.post(url, data)
    text = page(response)
    assert response.status_code == 200
    assert "Det finns redan en samverkan med det här namnet." in text
    assert "Välj ett giltigt alternativ" in text  # Region Östergötland is not theirs to lead with
    assert "Min beskrivning" in text and 'value="Kopia"' in text
    assert Cooperation.objects.filter(short_name="Kopia").count() == 0


def test_a_coordinator_without_the_role_may_not_create_a_cooperation(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("administration:cooperation_create")).status_code == 403


def test_editing_the_cooperation_is_in_its_history(client, ostergotland, cooperation_administrator):
    client.force_login(cooperation_administrator)
    url = reverse("administration:cooperation_update", args=[ostergotland.pk])
    form = client.get(url)
    data = {
        "version": version_of(form),
        "name": ostergotland.name,
        "short_name": "ÖG",
        "county": "Östergötlands län",
        "description": "Ny beskrivning.",
        "lead_organisation": ostergotland.lead_organisation_id,
    }
    assert client.post(url, data).status_code == 302
    history = page(client.get(reverse("administration:history", args=[ostergotland.pk])))
    assert "Frida Förvaltare</strong> ändrade samverkan" in history and "ÖG" in history


# --- Members from the register --------------------------------------------------------------------


def test_the_register_holds_every_region_and_municipality_with_its_scb_code():
    municipalities = Organisation.objects.municipalities()
    assert municipalities.count() == 290
    assert not municipalities.filter(municipality_code="").exists()
    assert Organisation.objects.regions().count() == 21
    assert Organisation.objects.get(municipality_code="1480").name == "Göteborgs kommun"
    assert Organisation.objects.get(municipality_code="2080").name == "Falu kommun"
    assert Organisation.objects.get(municipality_code="05").name == "Region Östergötland"
    assert municipalities.filter(county="Västra Götalands län").count() == 49
    assert Organisation.objects.filter(kind="association", name="Göteborgsregionen").exists()
    for municipality in municipalities:  # every code begins with its county's
        municipality.full_clean()


def test_members_are_picked_by_county_and_the_ones_not_shown_stay(client, cooperation_administrator, vastkom_admin):
    """A new cooperation for all 49 municipalities of Västra Götaland, VästKom and the region."""
    client.force_login(vastkom_admin)
    cooperation = Cooperation.objects.create(
        name="Ny samverkan i Väst",
        county="Västra Götalands län",
        lead_organisation=Organisation.objects.get(name="VästKom"),
    )
    url = reverse("administration:members", args=[cooperation.pk])
    shown = client.get(url)  # starts with the cooperation's county
    assert "Ale kommun (Kommun, 1440, Västra Götalands län)" in page(shown)
    assert "Mjölby kommun" not in page(shown)
    municipalities = f"{url}?county=V%C3%A4stra+G%C3%B6talands+l%C3%A4n&kind=municipality"
    response = client.post(municipalities, {"version": version_of(shown), "add_all": "1"})
    assert response.status_code == 302
    assert cooperation.members.municipalities().count() == 49
    assert cooperation.members.count() == 50  # and VästKom, the lead, which stays a member
    others = client.get(f"{url}?q=V%C3%A4stKom&county=&kind=")
    response = client.post(
        f"{url}?q=V%C3%A4stKom&county=&kind=",
        {"version": version_of(others), "members": [Organisation.objects.get(name="VästKom").pk]},
        follow=True,
    )
    assert "Medlemmarna sparades: 50 totalt." in page(response)
    assert cooperation.members.count() == 50  # the municipalities were not shown, and stayed
    changes = cooperation.history.filter(history_type="~")
    assert changes.exists() and changes.first().history_user == vastkom_admin


def test_two_administrators_choosing_members_at_once_do_not_overwrite_each_other(
    client, ostergotland, cooperation_administrator
):
    client.force_login(cooperation_administrator)
    url = reverse("administration:members", args=[ostergotland.pk])
    stale = version_of(client.get(url))
    ostergotland.refresh_from_db()
    ostergotland.version += 1  # a colleague saved meanwhile
    ostergotland.save()
    before = set(ostergotland.members.values_list("pk", flat=True))
    response = client.post(url, {"version": stale, "members": []})
    assert response.status_code == 200
    assert "Någon annan ändrade samverkan medan du valde" in page(response)
    assert set(ostergotland.members.values_list("pk", flat=True)) == before


def test_a_member_that_plans_refer_to_leaves_only_after_the_administrator_is_told_what_changes(
    client, ostergotland, cooperation_administrator, plan_2016
):
    from decimal import Decimal

    from finance.models import BudgetEntry, FinancingParty

    mjolby, kinda = (Organisation.objects.get(name=name) for name in ("Mjölby kommun", "Kinda kommun"))
    association = Organisation.objects.create(name="Östgötaförbundet", kind="association", county="Östergötlands län")
    ostergotland.members.add(association)  # nothing refers to it
    draft = make_plan(ostergotland, title="Handlingsplan för e-hälsa 2027")
    draft.municipalities_to_decide.add(mjolby)
    FinancingParty.objects.create(plan=draft, organisation=mjolby, name="Mjölby (värdkommun)")
    FinancingParty.objects.create(plan=draft, is_municipalities=True)
    BudgetEntry.objects.create(plan=draft, year=2027, kind="cost", description="Utbildning", amount=Decimal(1000))
    client.force_login(cooperation_administrator)
    url = reverse("administration:members", args=[ostergotland.pk])
    form = client.get(url)
    leaving = (mjolby.pk, kinda.pk, association.pk)
    staying = [pk for pk in ostergotland.members.values_list("pk", flat=True) if pk not in leaving]
    data = {"version": version_of(form), "members": staying}

    told = page(client.post(url, data))
    assert "Inget är sparat än: så här ändras det när de lämnar" in told
    mjolby_part = told.split("<h3>Mjölby kommun</h3>", 1)[1].split("</ul>", 1)[0]
    users = {m.user_id for m in mjolby.memberships.all()}
    assert f"{len(users)} användare vid organisationen kan inte längre läsa samverkans utkast" in mjolby_part
    assert "Den är en av kommunerna som ska besluta om ”Handlingsplan för e-hälsa 2027”, som ännu inte" in mjolby_part
    assert "Budgeten för ”Handlingsplan för e-hälsa 2027” tar upp den" in mjolby_part
    kinda_part = told.split("<h3>Kinda kommun</h3>", 1)[1].split("</ul>", 1)[0]
    assert (
        "Kommunernas del av kostnaderna i ”Handlingsplan för e-hälsa 2027” fördelas då mellan de övriga" in kinda_part
    )
    assert "Antagna planer behåller de medlemmar och andelar de antogs med" in told
    quietly = told.split("Lämnar också, utan att något annat hänvisar till dem:", 1)[1].split("</p>")[0]
    assert quietly.strip() == "Östgötaförbundet."
    assert ostergotland.members.filter(pk__in=leaving).count() == 3  # nothing saved
    ticked = re.findall(r'name="members" value="(\d+)"[^>]*checked', told)
    assert sorted(map(int, ticked)) == sorted(staying)  # the ticks as the administrator left them

    confirmed = [int(pk) for pk in re.findall(r'name="confirmed" value="(\d+)"', told)]
    assert sorted(confirmed) == sorted(leaving)
    # One more ticked off on the warning page is asked about too: nothing is saved without a warning.
    boxholm = Organisation.objects.get(name="Boxholms kommun")
    more = data | {"members": [pk for pk in staying if pk != boxholm.pk], "confirm_removal": "1"}
    asked_again = page(client.post(url, more | {"confirmed": confirmed}))
    assert "<h3>Boxholms kommun</h3>" in asked_again
    assert ostergotland.members.filter(pk=boxholm.pk).exists()

    response = client.post(url, data | {"confirm_removal": "1", "confirmed": confirmed}, follow=True)
    assert "Medlemmarna sparades" in page(response)
    assert not ostergotland.members.filter(pk__in=leaving).exists()
    assert ostergotland.members.filter(pk=boxholm.pk).exists()
    assert draft.parties.filter(organisation=mjolby).exists()  # what the coordinator entered stays


def test_leaving_names_an_adopted_plan_that_would_be_shared_anew_and_counts_only_users_who_lose_access(
    ostergotland, plan_2016
):
    """A plan adopted before its version recorded the members divides by today's members: said.
    A user who also belongs to a member that stays keeps access: not counted."""
    from governance.leaving import consequences
    from plans.models import PlanVersion

    kinda, mjolby = (Organisation.objects.get(name=name) for name in ("Kinda kommun", "Mjölby kommun"))
    assert not consequences(ostergotland, [kinda])  # plan_2016's version records its members
    latest = plan_2016.versions.order_by("-number").first()
    old_shape = {key: value for key, value in latest.snapshot.items() if key != "member_municipalities"}
    PlanVersion.objects.create(
        plan=plan_2016, number=latest.number + 1, adopted_on=latest.adopted_on, snapshot=old_shape
    )
    ((_kinda, sentences),) = consequences(ostergotland, [kinda])
    assert sentences == [
        f"Kommunernas del av kostnaderna i ”{plan_2016.title}” fördelas då mellan de övriga medlemskommunerna."
    ]

    users = {m.user for m in mjolby.memberships.all()}
    counted = [s for _org, texts in consequences(ostergotland, [mjolby]) for s in texts if "användare" in s]
    assert counted == [
        f"{len(users)} användare vid organisationen kan inte längre läsa samverkans utkast eller arbeta med dess planer."
    ]
    stays = make_user("dubbel", "official", "Linköpings kommun")
    Membership.objects.create(user=stays, organisation=mjolby, role="official")
    counted = [s for _org, texts in consequences(ostergotland, [mjolby]) for s in texts if "användare" in s]
    assert counted[0].startswith(f"{len(users)} användare")  # not one more: Linköping stays a member


def test_a_member_nothing_refers_to_leaves_without_a_question(client, ostergotland, cooperation_administrator):
    client.force_login(cooperation_administrator)
    url = reverse("administration:members", args=[ostergotland.pk])
    newcomer = Organisation.objects.create(name="Östgötaförbundet", kind="association", county="Östergötlands län")
    ostergotland.members.add(newcomer)
    form = client.get(url)
    staying = [pk for pk in ostergotland.members.values_list("pk", flat=True) if pk != newcomer.pk]
    response = client.post(url, {"version": version_of(form), "members": staying})
    assert response.status_code == 302
    assert not ostergotland.members.filter(pk=newcomer.pk).exists()


def test_an_organisation_is_added_to_the_register_with_its_code_checked(
    client, ostergotland, cooperation_administrator
):
    client.force_login(cooperation_administrator)
    url = reverse("administration:organisation_create", args=[ostergotland.pk])
    form = client.get(url)
    data = {"submission": token_of(form), "name": "mjölby kommun", "short_name": "", "kind": "municipality"}
    data |= {"county": "Kalmar län", "municipality_code": "0586"}
    refused = page(client.post(url, data))
    assert "Registret har redan ”Mjölby kommun”" in refused
    assert "SCB-koden 0586 hör redan till Mjölby kommun." in refused
    data |= {"name": "Ny kommun", "municipality_code": "0587"}
    assert "Koden 0587 hör till Östergötlands län, inte till Kalmar län." in page(client.post(url, data))
    data |= {"kind": "association", "municipality_code": "", "name": "Östgötakommunernas förbund"}
    response = client.post(url, data)
    assert response.status_code == 302 and "q=%C3%96stg%C3%B6takommunernas" in response["Location"]
    assert Organisation.objects.get(name="Östgötakommunernas förbund").kind == "association"


# --- Bodies ---------------------------------------------------------------------------------------


def body_data(response, **values):
    data = {"name": "", "short_name": "", "level": "", "owner": "cooperation", "reports_to": ""}
    data |= {"decides_on": "", "description": ""}
    if 'name="submission"' in page(response):
        data["submission"] = token_of(response)
    if 'name="version"' in page(response) and re.search(r'name="version" value="\d+"', page(response)):
        data["version"] = version_of(response)
    return data | values


def test_bodies_of_the_cooperation_and_of_a_member_report_to_each_other(
    client, ostergotland, cooperation_administrator
):
    client.force_login(cooperation_administrator)
    url = reverse("administration:body_create", args=[ostergotland.pk])
    network = Body.objects.get(cooperation=ostergotland, name="Nätverket för ehälsa")
    response = client.post(
        url, body_data(client.get(url), name="Styrgrupp för välfärdsteknik", level="3", reports_to=network.pk)
    )
    assert response.status_code == 302
    steering = Body.objects.get(name="Styrgrupp för välfärdsteknik")
    assert steering.cooperation == ostergotland and steering.reports_to == network
    motala = Organisation.objects.get(name="Motala kommun")
    response = client.post(
        url,
        body_data(client.get(url), name="Socialnämnden", level="1", owner=str(motala.pk), reports_to=steering.pk),
    )
    assert response.status_code == 302
    assert Body.objects.get(organisation=motala, name="Socialnämnden").reports_to == steering
    overview = page(client.get(reverse("administration:cooperation_detail", args=[ostergotland.pk])))
    assert "Styrgrupp för välfärdsteknik" in overview and "Socialnämnden" in overview


def test_a_body_cannot_report_to_itself_through_others_nor_belong_elsewhere(
    client, ostergotland, cooperation_administrator
):
    client.force_login(cooperation_administrator)
    lgvo = Body.objects.get(cooperation=ostergotland, short_name="LGVO")
    ssvo = Body.objects.get(cooperation=ostergotland, short_name="SSVO")  # LGVO reports to SSVO
    url = reverse("administration:body_update", args=[ostergotland.pk, ssvo.pk])
    data = body_data(client.get(url), name=ssvo.name, short_name="SSVO", level="1", reports_to=lgvo.pk)
    response = client.post(url, data)
    assert "Ett organ kan inte rapportera till sig självt, direkt eller via andra." in page(response)
    oskarshamn = Organisation.objects.get(name="Oskarshamns kommun")  # not an organisation of Östergötland's
    response = client.post(url, data | {"reports_to": "", "owner": str(oskarshamn.pk)})
    assert "Välj ett giltigt alternativ" in page(response)
    ssvo.refresh_from_db()
    assert ssvo.reports_to is None and ssvo.cooperation == ostergotland


def test_a_body_of_the_same_name_is_refused_in_swedish(client, ostergotland, cooperation_administrator):
    client.force_login(cooperation_administrator)
    url = reverse("administration:body_create", args=[ostergotland.pk])
    response = client.post(url, body_data(client.get(url), name="nätverket för ehälsa", level="4"))
    assert "Östergötland har redan ett organ som heter ”nätverket för ehälsa”." in page(response)


def test_a_body_with_decisions_or_on_a_route_is_not_removed(client, ostergotland, cooperation_administrator, plan_2016):
    client.force_login(cooperation_administrator)
    ssvo = Body.objects.get(cooperation=ostergotland, short_name="SSVO")
    assert Decision.objects.filter(body=ssvo).exists()
    url = reverse("administration:body_delete", args=[ostergotland.pk, ssvo.pk])
    confirm = page(client.get(url))
    assert "kan inte tas bort: det har beslut" in confirm and "Ja, ta bort" not in confirm
    response = client.post(url, follow=True)
    assert "kan inte tas bort" in page(response)
    assert Body.objects.filter(pk=ssvo.pk).exists()
    # Nor moved to another owner: its decisions would then have been another's.
    edit = reverse("administration:body_update", args=[ostergotland.pk, ssvo.pk])
    mjolby = Organisation.objects.get(name="Mjölby kommun")
    values = {"name": ssvo.name, "short_name": ssvo.short_name, "level": ssvo.level, "owner": str(mjolby.pk)}
    response = client.post(edit, body_data(client.get(edit), **values))
    assert "Organet har registrerade beslut eller finns i en beslutsväg" in page(response)
    ssvo.refresh_from_db()
    assert ssvo.cooperation == ostergotland and ssvo.organisation is None

    draft = make_plan(ostergotland, title="Plan med väg")
    unused = Body.objects.create(cooperation=ostergotland, name="Beredningsgrupp", level=5)
    AdoptionStep.objects.create(plan=draft, order=1, body=unused)
    response = client.post(reverse("administration:body_delete", args=[ostergotland.pk, unused.pk]), follow=True)
    assert "finns på en plans väg för antagande" in page(response)
    assert Body.objects.filter(pk=unused.pk).exists()


def test_a_body_nothing_refers_to_is_removed_and_the_history_keeps_it(client, ostergotland, cooperation_administrator):
    client.force_login(cooperation_administrator)
    body = Body.objects.create(cooperation=ostergotland, name="Tillfällig grupp", level=5)
    below = Body.objects.create(cooperation=ostergotland, name="Undergrupp", level=5, reports_to=body)
    url = reverse("administration:body_delete", args=[ostergotland.pk, body.pk])
    assert "Undergrupp" in page(client.get(url))  # says who reports to it
    response = client.post(url, follow=True)
    assert "Organet ”Tillfällig grupp” togs bort." in page(response)
    below.refresh_from_db()
    assert below.reports_to is None
    assert Body.history.filter(id=body.pk, history_type="-").get().history_user == cooperation_administrator
