"""The coordinator edits plans in the browser: plans, sections, goals, next period, history, conflicts."""

import pytest
from django.urls import reverse

from activities.models import Activity
from plans import services
from plans.models import ActionPlan, Goal, Section
from tests.helpers import make_user

pytestmark = pytest.mark.django_db


def content(response):
    return response.content.decode()


# --- Who may edit ---------------------------------------------------------------------------------


@pytest.fixture
def other_coordinator(db):
    """A coordinator of another cooperation (H2O)."""
    return make_user("h2o-samordnare", "coordinator", "Oskarshamns kommun")


def edit_urls(plan):
    section, goal = plan.sections.first(), plan.goals.first()
    return [
        reverse("plans:actionplan_update", args=[plan.pk]),
        reverse("plans:section_create", args=[plan.pk]),
        reverse("plans:section_update", args=[section.pk]),
        reverse("plans:section_delete", args=[section.pk]),
        reverse("plans:goal_create", args=[plan.pk]),
        reverse("plans:goal_update", args=[goal.pk]),
        reverse("plans:goal_delete", args=[goal.pk]),
    ]


@pytest.mark.parametrize("persona", ["official", "secretary", "viewer", "other_coordinator"])
def test_only_the_cooperations_coordinators_may_edit(client, draft, persona, request):
    client.force_login(request.getfixturevalue(persona))
    for url in edit_urls(draft):
        assert client.get(url).status_code in (403, 404), url
        assert client.post(url, {"title": "x", "heading": "x"}).status_code in (403, 404), url
    for name in ("plans:section_move", "plans:goal_move"):
        part = draft.sections.first() if "section" in name else draft.goals.first()
        assert client.post(reverse(name, args=[part.pk]), {"direction": "up"}).status_code in (403, 404)
    assert client.post(reverse("plans:actionplan_next_period", args=[draft.pk])).status_code in (403, 404)


def test_members_who_are_not_coordinators_get_403_not_404(client, draft, official):
    client.force_login(official)
    assert client.get(reverse("plans:actionplan_update", args=[draft.pk])).status_code == 403


def test_anonymous_users_are_sent_to_the_login_page(client, draft):
    response = client.get(reverse("plans:actionplan_update", args=[draft.pk]))
    assert response.status_code == 302 and response["Location"].startswith("/konto/logga-in/")


def test_readers_see_no_edit_buttons_and_coordinators_do(client, draft, official, coordinator):
    client.force_login(official)
    page = content(client.get(draft.get_absolute_url()))
    assert "Redigera uppgifter" not in page and "Ny aktivitet" not in page
    client.force_login(coordinator)
    page = content(client.get(draft.get_absolute_url()))
    assert "Redigera uppgifter" in page and "Ny aktivitet" in page and "Nytt avsnitt" in page


def test_administrators_may_edit(client, draft, administrator):
    client.force_login(administrator)
    assert client.get(reverse("plans:actionplan_update", args=[draft.pk])).status_code == 200


# --- Adopted plans are not edited in place -------------------------------------------------------


def test_editing_an_adopted_plan_is_refused_with_a_message(signed_in, plan_2016):
    response = signed_in.get(reverse("plans:actionplan_update", args=[plan_2016.pk]), follow=True)
    assert "Planen är antagen och kan inte ändras direkt." in content(response)
    response = signed_in.post(
        reverse("plans:section_update", args=[plan_2016.sections.first().pk]), {"heading": "Nej"}, follow=True
    )
    assert "Planen är antagen och kan inte ändras direkt." in content(response)
    assert plan_2016.sections.first().heading == "Inledning"


# --- Plans ---------------------------------------------------------------------------------------


def test_a_coordinator_creates_a_plan_for_their_cooperation(signed_in, ostergotland, h2o):
    url = reverse("plans:actionplan_create")
    page = content(signed_in.get(url))
    assert "Nätverket för ehälsa i Östergötland" in page and "H2O – Hultsfred" not in page
    response = signed_in.post(
        url, {"cooperation": ostergotland.pk, "title": "Handlingsplan 2030", "first_year": "2030", "last_year": "2031"}
    )
    plan = ActionPlan.objects.get(title="Handlingsplan 2030")
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    assert plan.status == ActionPlan.Status.DRAFT and plan.period == "2030–2031"
    refused = signed_in.post(
        url, {"cooperation": h2o.pk, "title": "Inte min", "first_year": "2030", "last_year": "2031"}
    )
    assert "Välj ett giltigt alternativ" in content(refused)
    assert not ActionPlan.objects.filter(title="Inte min").exists()


def test_people_without_a_coordinator_role_cannot_create_plans(client, official):
    client.force_login(official)
    assert client.get(reverse("plans:actionplan_create")).status_code == 403


@pytest.mark.parametrize(
    ("data", "field_error"),
    [
        ({"title": "", "first_year": "2018", "last_year": "2019"}, "Detta fält måste fyllas i."),
        ({"title": "x" * 301, "first_year": "2018", "last_year": "2019"}, "som mest 300 tecken"),
        ({"title": "Plan", "first_year": "tjugo", "last_year": "2019"}, "Fyll i ett heltal."),
        ({"title": "Plan", "first_year": "2019", "last_year": "2018"}, "Perioden kan inte sluta innan den börjar."),
        ({"title": "Plan", "first_year": "1999", "last_year": "2019"}, "större än eller lika med 2000"),
    ],
)
def test_bad_plan_input_gets_a_swedish_message_and_nothing_is_lost(signed_in, draft, data, field_error):
    data = {"version": draft.version, "subtitle": "Min undertitel", **data}
    response = signed_in.post(reverse("plans:actionplan_update", args=[draft.pk]), data)
    page = content(response)
    assert response.status_code == 200
    assert field_error in page
    assert "Inget sparades." in page
    assert 'value="Min undertitel"' in page
    draft.refresh_from_db()
    assert draft.title == "Handlingsplan för ehälsa i Östergötland 2018-2019"


def test_a_tampered_version_field_is_a_form_error(signed_in, draft):
    response = signed_in.post(
        reverse("plans:actionplan_update", args=[draft.pk]),
        {"version": "abc", "title": "Ny", "first_year": "2018", "last_year": "2019"},
    )
    page = content(response)
    assert response.status_code == 200 and "Formulärets versionsmärke var skadat" in page
    assert 'value="Ny"' in page
    draft.refresh_from_db()
    assert draft.title != "Ny"
    resaved = signed_in.post(
        reverse("plans:actionplan_update", args=[draft.pk]),
        {"version": draft.version, "title": "Ny", "first_year": "2018", "last_year": "2019"},
    )
    assert resaved.status_code == 302


# --- No lost updates -----------------------------------------------------------------------------


def test_the_second_of_two_simultaneous_saves_is_refused_and_keeps_its_input(client, draft, coordinator, administrator):
    url = reverse("plans:actionplan_update", args=[draft.pk])
    opened_at = draft.version
    client.force_login(administrator)
    first = client.post(url, {"version": opened_at, "title": "Admins titel", "first_year": "2018", "last_year": "2019"})
    assert first.status_code == 302
    client.force_login(coordinator)
    second = client.post(
        url, {"version": opened_at, "title": "Samordnarens titel", "first_year": "2018", "last_year": "2019"}
    )
    page = content(second)
    assert second.status_code == 200
    assert "Någon annan har ändrat detta medan du redigerade." in page
    assert 'value="Samordnarens titel"' in page
    assert "Admins titel" in page  # shown as the saved value
    draft.refresh_from_db()
    assert draft.title == "Admins titel"
    # Saving again, knowingly, replaces the other change.
    again = client.post(
        url, {"version": draft.version, "title": "Samordnarens titel", "first_year": "2018", "last_year": "2019"}
    )
    assert again.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Samordnarens titel"


def test_sections_are_protected_from_lost_updates_too(signed_in, draft):
    section = draft.sections.get(heading="Syfte")
    url = reverse("plans:section_update", args=[section.pk])
    assert (
        signed_in.post(url, {"version": section.version, "heading": "Syfte A", "level": 2, "body": "A"}).status_code
        == 302
    )
    response = signed_in.post(url, {"version": section.version, "heading": "Syfte B", "level": 2, "body": "B"})
    assert "Någon annan har ändrat detta" in content(response)
    section.refresh_from_db()
    assert section.heading == "Syfte A"


# --- Sections and goals -------------------------------------------------------------------------


def test_sections_are_added_edited_moved_and_removed(signed_in, draft):
    response = signed_in.post(
        reverse("plans:section_create", args=[draft.pk]),
        {"heading": "Risker", "level": 1, "body": "Stycke ett.\n\n- punkt ett\n- punkt två"},
    )
    assert response.status_code == 302
    risks = draft.sections.get(heading="Risker")
    assert risks.order == draft.sections.count()
    page = content(signed_in.get(draft.get_absolute_url()))
    assert "<ul><li>punkt ett</li><li>punkt två</li></ul>" in page
    signed_in.post(reverse("plans:section_move", args=[risks.pk]), {"direction": "up"})
    headings = list(draft.sections.order_by("order").values_list("heading", flat=True))
    assert headings[-2:] == ["Risker", "Referenser"]
    signed_in.post(reverse("plans:section_delete", args=[risks.pk]))
    assert not draft.sections.filter(heading="Risker").exists()


def test_goals_are_added_and_reordered(signed_in, draft):
    signed_in.post(reverse("plans:goal_create", args=[draft.pk]), {"title": "Ett sjunde mål", "description": ""})
    goal = draft.goals.get(title="Ett sjunde mål")
    for _ in range(10):  # moving past the top is harmless
        signed_in.post(reverse("plans:goal_move", args=[goal.pk]), {"direction": "up"})
    assert draft.goals.order_by("order").first() == goal
    assert signed_in.post(reverse("plans:goal_move", args=[goal.pk]), {"direction": "sideways"}).status_code == 302


# --- The next period ---------------------------------------------------------------------------


def test_the_next_period_plan_copies_sections_goals_and_unfinished_activities(draft, plan_2016):
    assert draft.title == "Handlingsplan för ehälsa i Östergötland 2018-2019"
    assert (draft.first_year, draft.last_year, draft.status) == (2018, 2019, "draft")
    assert draft.previous_plan == plan_2016
    assert list(draft.sections.values_list("heading", flat=True)) == list(
        plan_2016.sections.values_list("heading", flat=True)
    )
    assert draft.goals.count() == 6
    assert draft.activities.count() == 11
    assert all(a.continues.plan_id == plan_2016.pk for a in draft.activities.all())
    assert sorted(share.percent for share in draft.cost_keys.get().shares.all()) == [50, 50]
    assert [party.display_name for party in draft.parties.all()] == ["Kommunerna", "Region Östergötland"]


def test_completed_activities_are_not_carried_over(coordinator, plan_2014):
    from plans.models import ActionPlan as Plan

    Plan.objects.filter(previous_plan=plan_2014).update(previous_plan=None)
    new_plan = services.plan_create_next_period(plan=plan_2014, user=coordinator)
    # 1, 2, 3, 4 and 8 were completed by the autumn 2015 follow-up.
    assert sorted(new_plan.activities.values_list("number", flat=True), key=int) == [
        "5",
        "6",
        "7",
        "9",
        "10",
        "11",
        "12",
        "13",
        "14",
    ]


def test_a_follow_up_marking_an_activity_done_keeps_it_out_of_the_next_plan(coordinator, plan_2016):
    from datetime import date

    plan_2016.activities.get(number="7b").follow_ups.create(date=date(2017, 11, 1), phase="completed", text="Klart.")
    new_plan = services.plan_create_next_period(plan=plan_2016, user=coordinator)
    assert "7b" not in new_plan.activities.values_list("number", flat=True)


def test_the_next_period_plan_happens_completely_or_not_at_all(coordinator, plan_2016, monkeypatch):
    calls = {"n": 0}
    original = Activity.objects.create

    def failing_create(**kwargs):
        calls["n"] += 1
        if calls["n"] == 5:
            raise RuntimeError("the database went away")
        return original(**kwargs)

    monkeypatch.setattr(Activity.objects, "create", failing_create)
    with pytest.raises(RuntimeError):
        services.plan_create_next_period(plan=plan_2016, user=coordinator)
    assert not ActionPlan.objects.filter(first_year=2018).exists()
    assert not Section.objects.filter(plan__first_year=2018).exists()
    assert not Goal.objects.filter(plan__first_year=2018).exists()


def test_the_next_period_button_makes_the_draft_once(signed_in, plan_2016):
    response = signed_in.post(reverse("plans:actionplan_next_period", args=[plan_2016.pk]), follow=True)
    # Shown on the new plan's page: it names the plan it came from, never "this plan".
    assert response.redirect_chain[-1][0] != plan_2016.get_absolute_url()
    assert f"Planen för 2018–2019 har skapats som utkast från {plan_2016.title}" in content(response)
    assert "denna plan" not in content(response)
    again = signed_in.post(reverse("plans:actionplan_next_period", args=[plan_2016.pk]), follow=True)
    assert "Det finns redan en plan för nästa period" in content(again)
    assert ActionPlan.objects.filter(previous_plan=plan_2016).count() == 1
    assert signed_in.get(reverse("plans:actionplan_next_period", args=[plan_2016.pk])).status_code == 405


# --- Texts copied to the next period's plan are to be reviewed (issue 19, item 8) ------------------


def test_the_next_period_plans_copied_sections_and_goals_are_marked_to_review(signed_in, draft):
    assert draft.sections.exists() and not draft.sections.filter(to_review=False).exists()
    assert draft.goals.exists() and not draft.goals.filter(to_review=False).exists()
    page = content(signed_in.get(draft.get_absolute_url()))
    section = draft.sections.get(heading="Planerade insatser 2016-2017")
    # Each section and goal, and each activity in the folded list of activities (tests/activities/test_editing.py)
    assert page.count(">Att granska<") == draft.sections.count() + draft.goals.count() + draft.activities.count()
    assert reverse("plans:section_reviewed", args=[section.pk]) in page
    assert "Granskad, oförändrad" in page


def test_a_revision_keeps_its_texts_as_reviewed(plan_2016, coordinator):
    revision = services.plan_start_revision(plan=plan_2016, reason="Ny kostnadsbild", user=coordinator)
    assert not revision.sections.filter(to_review=True).exists()
    assert not revision.goals.filter(to_review=True).exists()
    assert revision.activities.exists() and not revision.activities.filter(to_review=True).exists()


def test_saving_a_copied_section_clears_its_mark(signed_in, draft):
    section = draft.sections.get(heading="Planerade insatser 2016-2017")
    data = {"heading": "Planerade insatser 2018-2019", "level": section.level, "body": section.body}
    response = signed_in.post(reverse("plans:section_update", args=[section.pk]), {**data, "version": section.version})
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.heading == "Planerade insatser 2018-2019" and not section.to_review
    assert draft.sections.filter(to_review=True).count() == draft.sections.count() - 1


def test_a_goal_is_marked_reviewed_unchanged_and_stays_as_it_was(client, draft, coordinator, official):
    goal = draft.goals.order_by("order").first()
    before = (goal.title, goal.description, goal.version)
    client.force_login(official)
    assert client.post(reverse("plans:goal_reviewed", args=[goal.pk])).status_code == 403
    goal.refresh_from_db()
    assert goal.to_review
    client.force_login(coordinator)
    response = client.post(reverse("plans:goal_reviewed", args=[goal.pk]), follow=True)
    assert f"”{goal.title}” är markerad som granskad, oförändrad." in content(response)
    goal.refresh_from_db()
    assert not goal.to_review and (goal.title, goal.description, goal.version) == before
    assert client.get(reverse("plans:goal_reviewed", args=[goal.pk])).status_code == 405


def test_texts_to_review_say_which_still_name_the_previous_period(draft):
    texts = {text.anchor: text for text in services.texts_to_review(draft)}
    planned = draft.sections.get(heading="Planerade insatser 2016-2017")
    assert texts[f"section-{planned.pk}"].names_old_period
    assert not all(text.names_old_period for text in texts.values())
    planned.to_review = False
    planned.save()
    assert f"section-{planned.pk}" not in {text.anchor for text in services.texts_to_review(draft)}


def test_texts_to_review_list_the_activities_with_their_own_pages_and_read_all_their_texts(draft):
    named, unnamed = draft.activities.get(number="3"), draft.activities.get(number="4")
    named.effect_goal = "Som målet för 2016–2017."
    named.save()
    texts = {text.anchor: text for text in services.texts_to_review(draft)}
    assert texts[f"activity-{named.pk}"].names_old_period and not texts[f"activity-{unnamed.pk}"].names_old_period
    assert texts[f"activity-{named.pk}"].link == named.get_absolute_url()
    assert [text.kind for text in texts.values()][-1] == "aktiviteter"
    named.to_review = False
    named.save()
    assert f"activity-{named.pk}" not in {text.anchor for text in services.texts_to_review(draft)}


def test_the_new_plan_lists_the_previous_plans_activities_for_follow_up(signed_in, draft):
    page = content(signed_in.get(draft.get_absolute_url()))
    assert "Uppföljning av föregående plan" in page
    assert "Registrera uppföljning" in page


# --- History -------------------------------------------------------------------------------------


def test_the_history_says_who_changed_what_from_what_to_what(signed_in, draft, coordinator):
    section = draft.sections.get(heading="Syfte")
    signed_in.post(
        reverse("plans:section_update", args=[section.pk]),
        # A browser posts the text's line breaks as CRLF: the text reads the same, and is no change.
        {
            "version": section.version,
            "heading": "Syfte och mål",
            "level": 2,
            "body": section.body.replace("\n", "\r\n"),
        },
    )
    assert "\n\n" in section.body
    page = content(signed_in.get(reverse("plans:actionplan_history", args=[draft.pk])))
    assert ">Text<" not in page
    assert "Sara Samordnare" in page
    assert "ändrade" in page and "avsnitt" in page
    assert "<td>Syfte</td><td>Syfte och mål</td>" in page
    assert "skapade" in page  # the copies made for the new period


def test_the_history_needs_a_login(client, plan_2016):
    assert client.get(reverse("plans:actionplan_history", args=[plan_2016.pk])).status_code == 302
