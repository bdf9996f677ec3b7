"""Governance pages, sending for adoption, decisions, frozen versions, revisions, excerpts and the start page."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.models import Body, Decision
from plans import services as plan_services
from plans.models import ActionPlan

pytestmark = pytest.mark.django_db


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response.content.decode()


def body(cooperation, name):
    return cooperation.bodies.get(name=name)


def mjolby(name):
    return Body.objects.get(organisation__name="Mjölby kommun", name=name)


@pytest.fixture
def sent(client, draft, coordinator, ostergotland):
    """The 2018–2019 draft sent through network → LGVO → SSVO, with all 13 municipalities deciding."""
    client.force_login(coordinator)
    route = ["Nätverket för ehälsa", "Ledningsgrupp för vård och omsorg", "Sakområdessamråd vård och omsorg"]
    data = {
        "route": [body(ostergotland, name).pk for name in route],
        "municipalities": [m.pk for m in ostergotland.members.municipalities()],
        "send_anyway": "on",  # the texts copied from the 2016–2017 plan stand as they are
    }
    response = client.post(reverse("adoption:send_for_adoption", args=[draft.pk]), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    client.logout()
    return draft


def decide(client, user, plan, decision_body, **fields):
    client.force_login(user)
    data = {
        "body": decision_body.pk,
        "meeting_date": (timezone.localdate()).isoformat(),
        "kind": "adopt",
        "text": "Beslut.",
    }
    data.update(fields)
    return client.post(reverse("adoption:decision_create", args=[plan.pk]), data)


# --- Governance pages -----------------------------------------------------------------------------


def test_ostergotlands_bodies_show_as_seed_000s_hierarchy(client, ostergotland):
    text = page(client, reverse("governance:cooperation_bodies", args=[ostergotland.pk]))
    levels = [
        text.index(label)
        for label in ("Politisk ledning", "Strategisk ledning", "Operativ ledning", "Operativt genomförande")
    ]
    assert levels == sorted(levels)
    assert "Rapporterar till:</strong> Sakområdessamråd vård och omsorg" in text
    assert "Mjölby kommun" in text and "Omsorgs- och socialnämnden" in text


def test_h2os_strategic_tactical_and_operative_levels_show(client, h2o):
    text = page(client, reverse("governance:cooperation_bodies", args=[h2o.pk]))
    assert "Strategisk ledning" in text and "Taktisk ledning" in text and "Operativ ledning" in text
    assert "Socialchefer och IT-chef" in text


def test_seed_000s_adoption_chain_shows_on_the_status_page(client, plan_2016):
    text = page(client, reverse("adoption:adoption_status", args=[plan_2016.pk]))
    for fragment in (
        "Nätverket för ehälsa",
        "2015-10-20",
        "Ledningsgrupp för vård och omsorg",
        "2015-11-13",
        "Sakområdessamråd vård och omsorg",
        "2015-11-27",
        "OSN/2015:169",
        "KS/2016:51",
        "Version 1 antogs 2015-11-27",
    ):
        assert fragment in text, fragment
    assert "0 av 13 kommuner har antagit" in text


# --- Sending for adoption -------------------------------------------------------------------------


def test_a_plan_sent_for_adoption_is_no_longer_editable(client, sent, coordinator):
    assert sent.status == ActionPlan.Status.OUT_FOR_ADOPTION
    assert [step.body.display_name for step in sent.adoption_steps.all()] == ["Nätverket för ehälsa", "LGVO", "SSVO"]
    assert sent.municipalities_to_decide.count() == 13
    client.force_login(coordinator)
    response = client.get(reverse("plans:section_create", args=[sent.pk]), follow=True)
    assert "Planen är ute för antagande och kan inte ändras direkt." in response.content.decode()


def ticked_route(page: str) -> list[int]:
    """The bodies ticked for the route, in the order the form lists them."""
    return [int(pk) for pk, rest in re.findall(r'name="route" value="(\d+)"([^>]*)>', page) if " checked" in rest]


def listed_order(page: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'name="order" value="(\d+)"', page)]


def test_an_empty_route_is_refused_in_swedish_and_the_other_choices_stay(client, draft, coordinator, ostergotland):
    client.force_login(coordinator)
    url = reverse("adoption:send_for_adoption", args=[draft.pk])
    linkoping = ostergotland.members.get(name="Linköpings kommun")
    response = client.post(url, {"municipalities": [linkoping.pk], "send_anyway": "on"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "Kryssa i minst ett organ för vägen." in text
    assert re.search(rf'value="{linkoping.pk}"[^>]*checked', text)  # the municipalities chosen are kept
    draft.refresh_from_db()
    assert draft.status == ActionPlan.Status.DRAFT


def test_the_form_offers_the_route_the_previous_plan_took(client, draft, coordinator, plan_2016):
    client.force_login(coordinator)
    page = client.get(reverse("adoption:send_for_adoption", args=[draft.pk])).content.decode()
    previous = [step.body_id for step in plan_2016.adoption_steps.order_by("order")]
    assert len(previous) == 3
    assert ticked_route(page) == previous
    assert listed_order(page)[:3] == previous
    assert f"Vägen som {plan_2016.title} tog är ikryssad från början." in page


def test_down_swaps_two_bodies_and_keeps_every_other_choice(client, draft, coordinator, ostergotland):
    client.force_login(coordinator)
    url = reverse("adoption:send_for_adoption", args=[draft.pk])
    order = listed_order(client.get(url).content.decode())
    first, second = order[0], order[1]
    linkoping = ostergotland.members.get(name="Linköpings kommun")
    data = {"order": order, "route": [first, second], "municipalities": [linkoping.pk], "move": f"down-{first}"}
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert listed_order(page) == [second, first, *order[2:]]
    assert ticked_route(page) == [second, first]
    assert re.search(rf'value="{linkoping.pk}"[^>]*checked', page)
    assert re.search(rf'value="down-{first}"[^>]*autofocus', page)  # the keyboard stays on the body moved
    assert "Kryssa i minst ett organ" not in page and "errorlist" not in page
    draft.refresh_from_db()
    assert draft.status == ActionPlan.Status.DRAFT and not draft.adoption_steps.exists()
    sent = client.post(url, {**data, "order": listed_order(page), "move": "", "send_anyway": "on"})
    assert sent.status_code == 302
    assert [step.body_id for step in draft.adoption_steps.order_by("order")] == [second, first]
    assert list(draft.municipalities_to_decide.all()) == [linkoping]


def test_the_previous_plans_route_can_be_taken_again_after_changes(client, draft, coordinator, plan_2016):
    client.force_login(coordinator)
    url = reverse("adoption:send_for_adoption", args=[draft.pk])
    order = listed_order(client.get(url).content.decode())
    page = client.post(url, {"order": order[::-1], "route": [order[-1]], "use_previous": "1"}).content.decode()
    assert ticked_route(page) == [step.body_id for step in plan_2016.adoption_steps.order_by("order")]


def test_texts_copied_and_not_reviewed_hold_the_sending_until_the_coordinator_confirms(
    client, draft, coordinator, ostergotland
):
    client.force_login(coordinator)
    url = reverse("adoption:send_for_adoption", args=[draft.pk])
    form = client.get(url).content.decode()
    assert "Texter att granska" in form
    assert "Underrubriken nämner fortfarande 2016–2017: ”Uppföljning av genomförda insatser 2014-2015." in form
    section = draft.sections.order_by("order").first()
    assert f'href="{draft.get_absolute_url()}#section-{section.pk}"' in form
    assert "Skicka ändå" in form
    route = [body(ostergotland, "Sakområdessamråd vård och omsorg").pk]
    refused = client.post(url, {"route": route})
    assert refused.status_code == 200
    assert "Review them" not in refused.content.decode()
    assert "Granska dem, eller kryssa i" in refused.content.decode()
    assert ticked_route(refused.content.decode()) == route  # nothing chosen is lost
    draft.refresh_from_db()
    assert draft.status == ActionPlan.Status.DRAFT
    assert client.post(url, {"route": route, "send_anyway": "on"}).status_code == 302
    draft.refresh_from_db()
    assert draft.status == ActionPlan.Status.OUT_FOR_ADOPTION


def test_a_plan_whose_texts_are_all_reviewed_is_sent_without_the_question(client, draft, coordinator, ostergotland):
    draft.sections.update(to_review=False)
    draft.goals.update(to_review=False)
    draft.activities.update(to_review=False)
    client.force_login(coordinator)
    url = reverse("adoption:send_for_adoption", args=[draft.pk])
    assert "Skicka ändå" not in client.get(url).content.decode()
    route = [body(ostergotland, "Sakområdessamråd vård och omsorg").pk]
    assert client.post(url, {"route": route}).status_code == 302


def test_the_send_page_lists_the_activities_still_to_review_with_links_to_them(
    client, draft, coordinator, ostergotland
):
    draft.sections.update(to_review=False)
    draft.goals.update(to_review=False)
    draft.activities.exclude(number__in=["3", "4"]).update(to_review=False)
    named, unnamed = draft.activities.get(number="3"), draft.activities.get(number="4")
    named.content = "Arbetet fortsätter som under 2016-2017."
    named.save()
    client.force_login(coordinator)
    url = reverse("adoption:send_for_adoption", args=[draft.pk])
    form = client.get(url).content.decode()
    assert "De här 2 texterna kopierades från föregående plan" in form
    assert "<h3>Aktiviteter (2)</h3>" in form and "<h3>Avsnitt" not in form
    assert (
        f'<a href="{named.get_absolute_url()}">{named}</a> <span class="note">– nämner fortfarande 2016–2017</span>'
        in form
    )
    assert f'<a href="{unnamed.get_absolute_url()}">{unnamed}</a></li>' in form
    route = [body(ostergotland, "Sakområdessamråd vård och omsorg").pk]
    assert "Granska dem, eller kryssa i" in client.post(url, {"route": route}).content.decode()
    for activity in (named, unnamed):
        client.post(reverse("activities:activity_reviewed", args=[activity.pk]))
    form = client.get(url).content.decode()
    assert "Aktiviteter (" not in form and "Skicka ändå" not in form
    assert client.post(url, {"route": route}).status_code == 302


def test_the_mark_to_review_is_no_part_of_the_adopted_version_nor_its_pdf(client, sent, coordinator, ostergotland):
    from plans.pdf import plan_pdf_html

    assert sent.activities.filter(to_review=True).exists()  # sent with the copied texts as they stood
    for name in ("Nätverket för ehälsa", "Ledningsgrupp för vård och omsorg", "Sakområdessamråd vård och omsorg"):
        decide(client, coordinator, sent, body(ostergotland, name), kind="endorse" if "Sak" not in name else "adopt")
    sent.refresh_from_db()
    assert sent.status == ActionPlan.Status.ADOPTED
    snapshot = sent.versions.get().snapshot
    assert snapshot["activities"] and not any("to_review" in activity for activity in snapshot["activities"])
    assert not any("to_review" in text for text in snapshot["sections"] + snapshot["goals"])
    html = plan_pdf_html(sent)
    assert sent.activities.first().title in html
    assert "Att granska" not in html and "Granskad, oförändrad" not in html
    client.force_login(coordinator)
    for url in (sent.get_absolute_url(), sent.activities.first().get_absolute_url()):
        page = client.get(url).content.decode()
        assert "Att granska" not in page and "Granskad, oförändrad" not in page


def test_only_coordinators_send_for_adoption(client, draft, official):
    client.force_login(official)
    assert client.get(reverse("adoption:send_for_adoption", args=[draft.pk])).status_code == 403


# --- Decisions -----------------------------------------------------------------------------------


def test_the_route_adopts_and_the_version_is_frozen(client, sent, coordinator, ostergotland):
    for name in ("Nätverket för ehälsa", "Ledningsgrupp för vård och omsorg"):
        assert decide(client, coordinator, sent, body(ostergotland, name), kind="endorse").status_code == 302
    sent.refresh_from_db()
    assert sent.status == ActionPlan.Status.OUT_FOR_ADOPTION
    assert decide(client, coordinator, sent, body(ostergotland, "Sakområdessamråd vård och omsorg")).status_code == 302
    sent.refresh_from_db()
    assert sent.status == ActionPlan.Status.ADOPTED
    version = sent.versions.get()
    assert version.snapshot["plan"]["title"] == sent.title
    assert len(version.snapshot["activities"]) == sent.activities.count()


def test_municipalities_decide_and_the_list_counts_them(client, sent, coordinator, official, ostergotland):
    decide(client, coordinator, sent, body(ostergotland, "Sakområdessamråd vård och omsorg"))
    response = decide(client, official, sent, mjolby("Kommunstyrelsen"), paragraph="40", diary_number="KS/2018:12")
    assert response.status_code == 302
    text = page(client, reverse("plans:actionplan_list"), cooperation=ostergotland.pk, status="adopted")
    assert "1 av 13 kommuner har antagit" in text
    status = page(client, reverse("adoption:adoption_status", args=[sent.pk]))
    assert "KS/2018:12" in status and "1 av 13 kommuner har antagit" in status


def test_a_person_records_decisions_only_for_their_own_organisations_bodies(client, sent, official, ostergotland):
    response = decide(client, official, sent, body(ostergotland, "Sakområdessamråd vård och omsorg"))
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in response.content.decode()
    linkoping_board = Body.objects.create(
        organisation=sent.cooperation.members.get(name="Linköpings kommun"), name="KS Linköping", level=1
    )
    response = decide(client, official, sent, linkoping_board)
    assert "Välj ett giltigt alternativ" in response.content.decode()
    assert not Decision.objects.filter(plan=sent).exists()


def test_viewers_and_outsiders_cannot_record_decisions(client, sent, viewer, official_elsewhere):
    for user in (viewer, official_elsewhere):
        client.force_login(user)
        assert client.get(reverse("adoption:decision_create", args=[sent.pk])).status_code in (403, 404)


def test_a_referral_back_returns_the_plan_to_draft_with_the_reason(client, sent, coordinator, ostergotland):
    response = decide(
        client,
        coordinator,
        sent,
        body(ostergotland, "Ledningsgrupp för vård och omsorg"),
        kind="return",
        text="Återremitteras för att förtydliga kostnaderna för insats 7b.",
    )
    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.status == ActionPlan.Status.DRAFT
    client.force_login(coordinator)
    text = page(client, sent.get_absolute_url())
    assert "Återremitterad:" in text and "förtydliga kostnaderna för insats 7b" in text


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"meeting_date": (date.today() + timedelta(days=30)).isoformat()},
            "Sammanträdesdatumet kan inte ligga i framtiden.",
        ),
        ({"meeting_date": "1989-12-31"}, "Ange ett datum från 1990-01-01 till"),
        ({"paragraph": "sjutton"}, "Paragrafen (§) är ett nummer, t.ex. 17."),
        ({"meeting_date": "inte ett datum"}, "Fyll i ett giltigt datum."),
        ({"kind": "bogus"}, "Välj ett giltigt alternativ"),
        ({"body": "999999"}, "Välj ett giltigt alternativ"),
        ({"text": ""}, "Detta fält måste fyllas i."),
    ],
)
def test_bad_decisions_are_refused_in_swedish_and_nothing_is_saved(client, sent, official, fields, message):
    response = decide(client, official, sent, mjolby("Omsorgs- och socialnämnden"), **fields)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Decision.objects.filter(plan=sent).exists()


def test_a_duplicate_paragraph_for_the_same_body_and_meeting_is_refused(client, sent, official):
    osn = mjolby("Omsorgs- och socialnämnden")
    today = timezone.localdate().isoformat()
    assert decide(client, official, sent, osn, paragraph="12", meeting_date=today, kind="endorse").status_code == 302
    response = decide(client, official, sent, osn, paragraph="12", meeting_date=today)
    assert "Organet har redan ett beslut med denna § vid detta sammanträde." in response.content.decode()
    assert Decision.objects.filter(plan=sent).count() == 1


def test_no_decisions_on_a_draft(client, draft, official):
    response = decide(client, official, draft, mjolby("Omsorgs- och socialnämnden"))
    assert response.status_code == 200
    assert "Beslut registreras på planer som är ute för antagande eller antagna." in response.content.decode()
    assert not Decision.objects.filter(plan=draft).exists()


# --- Excerpt ------------------------------------------------------------------------------------


def test_the_protocol_excerpt_is_laid_out_as_mjolbys(client, plan_2016):
    """The page shows the excerpt as its PDF does: body, date, § and Dnr as a protocol's table."""
    decision = Decision.objects.get(plan=plan_2016, paragraph=17)
    text = page(client, reverse("adoption:decision_excerpt", args=[decision.pk]))
    head = text.split('<table class="excerpt-meta">')[1].split("</table>")[0]
    assert re.findall(r"<th[^>]*>([^<]*)</th>", head) == ["Organ", "Sammanträdesdatum", "§", "Dnr"]
    assert re.findall(r"<td>([^<]*)</td>", head) == ["Omsorgs- och socialnämnden", "2016-01-26", "17", "OSN/2015:169"]
    for fragment in (
        '<p class="excerpt-owner">Mjölby kommun</p>',
        "PROTOKOLLSUTDRAG",
        "Beslutet skickas till:",
        "<li>Akten</li>",
        "<li>Kommunstyrelsen</li>",
        "Justerandes sign",
        "Utdragsbestyrkande",
        "Omsorgs- och socialnämnden beslutar att ställa sig bakom",
    ):
        assert fragment in text, fragment


def test_excerpts_of_drafts_answer_404_to_outsiders(client, sent, official):
    decide(client, official, sent, mjolby("Omsorgs- och socialnämnden"), kind="endorse")
    decision = Decision.objects.get(plan=sent)
    client.logout()
    assert client.get(reverse("adoption:decision_excerpt", args=[decision.pk])).status_code == 404


# --- Revisions -----------------------------------------------------------------------------------


def test_a_revision_is_a_new_draft_and_the_adopted_version_stays(client, plan_2016, coordinator):
    client.force_login(coordinator)
    url = reverse("adoption:start_revision", args=[plan_2016.pk])
    assert "Detta fält måste fyllas i." in client.post(url, {"reason": ""}).content.decode()
    response = client.post(url, {"reason": "Nya statliga stimulansmedel 2017."})
    revision = ActionPlan.objects.get(revision_of=plan_2016)
    assert response.status_code == 302 and response["Location"] == revision.get_absolute_url()
    assert revision.status == ActionPlan.Status.DRAFT and revision.activities.count() == 11
    assert revision.budget_entries.count() == plan_2016.budget_entries.count()
    activity = revision.activities.get(number="7b")
    activity.title = "Säker e-post, e-signering och digital brevlåda"
    activity.save()
    revision.sections.get(heading="Referenser").delete()
    compare = page(client, reverse("adoption:compare", args=[revision.pk]))
    assert "Version 1, antagen 2015-11-27" in compare
    assert (
        "<td>Rätt och säker information, enkelt (Säker e-post och e-signering)</td><td>Säker e-post, e-signering och digital brevlåda</td>"
        in compare
    )
    assert "Borttaget: Referenser" in compare
    # The adopted plan and its version are untouched.
    assert (
        plan_2016.activities.get(number="7b").title
        == "Rätt och säker information, enkelt (Säker e-post och e-signering)"
    )
    assert plan_2016.versions.get().snapshot["activities"][7]["title"].startswith("Rätt och säker information")
    assert "redan" in client.post(url, {"reason": "Igen"}, follow=True).content.decode()


def test_adopting_a_revision_supersedes_the_plan_it_revises(client, plan_2016, coordinator, ostergotland):
    revision = plan_services.plan_start_revision(plan=plan_2016, reason="Ny kostnadsbild", user=coordinator)
    ssvo = body(ostergotland, "Sakområdessamråd vård och omsorg")
    from plans import adoption as services

    services.plan_send_for_adoption(plan=revision, bodies=[ssvo], municipalities=[])
    services.decision_record(
        plan=revision, user=coordinator, body=ssvo, meeting_date=timezone.localdate(), kind="adopt", text="Antas."
    )
    revision.refresh_from_db()
    plan_2016.refresh_from_db()
    assert revision.status == ActionPlan.Status.ADOPTED and plan_2016.status == ActionPlan.Status.SUPERSEDED
    assert revision.versions.get().number == 2
    # A revision of the revision is version 3, whatever plan each version was adopted on.
    second = plan_services.plan_start_revision(plan=revision, reason="Ännu en ändring", user=coordinator)
    services.plan_send_for_adoption(plan=second, bodies=[ssvo], municipalities=[])
    services.decision_record(
        plan=second, user=coordinator, body=ssvo, meeting_date=timezone.localdate(), kind="adopt", text="Antas igen."
    )
    assert second.versions.get().number == 3


# --- What awaits me -------------------------------------------------------------------------------


def test_the_coordinator_sees_drafts_and_open_steps(client, sent, draft, coordinator):
    client.force_login(coordinator)
    text = page(client, "/")
    assert "Det här väntar på dig" in text
    assert "Adoption steps still open" not in text
    assert "Nätverket för ehälsa, LGVO, SSVO" in text
    assert "13 kommuner har inte beslutat" in text


def test_the_official_sees_plans_awaiting_their_municipality(client, sent, coordinator, official, ostergotland):
    decide(client, coordinator, sent, body(ostergotland, "Sakområdessamråd vård och omsorg"))
    client.force_login(official)
    text = page(client, "/")
    assert "Planer som väntar på beslut i din organisation" in text
    assert sent.title in text
    assert "Handlingsplan för ehälsa i Östergötland 2016-2017" in text  # Mjölby's board never adopted it either
    assert "Omsorgs- och socialnämnden 2016-01-26 § 17" in text


def test_the_route_offers_only_the_moves_a_body_can_make_and_keeps_the_focus_on_the_body_moved(
    client, draft, coordinator
):
    client.force_login(coordinator)
    url = reverse("adoption:send_for_adoption", args=[draft.pk])
    page = client.get(url).content.decode()
    order = listed_order(page)
    assert len(order) >= 3
    assert f'value="up-{order[0]}"' not in page and f'value="down-{order[0]}"' in page
    assert f'value="up-{order[1]}"' in page and f'value="down-{order[1]}"' in page
    assert f'value="up-{order[-1]}"' in page and f'value="down-{order[-1]}"' not in page
    # The next to last body moved down reaches the end: its "Ned" is gone and the focus is on its "Upp".
    moved = order[-2]
    page = client.post(url, {"order": order, "route": [moved], "move": f"down-{moved}"}).content.decode()
    assert listed_order(page)[-1] == moved
    assert f'value="down-{moved}"' not in page
    assert re.search(rf'value="up-{moved}"[^>]*autofocus', page)
