"""The coordinator adds, edits, orders and removes activities and records follow-ups."""

import re
from datetime import date

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from activities.models import Activity, Area, FollowUp, Framework, LikaIndicator
from plans import services

pytestmark = pytest.mark.django_db


def activity_data(**overrides):
    data = {
        "number": "12",
        "title": "Digitala signeringslistor",
        "area": Area.objects.get(name="Tjänster och produkter", cooperation=None).pk,
        "status": "planned",
        "content": "Förstudie och införande.",
        "benefit": "Säkrare läkemedelshantering.",
        "effect_goal": "Alla enheter signerar digitalt 2019.",
        "owner": "Nätverket för ehälsa",
        "start_year": "2018",
        "end_year": "2019",
        "period_note": "",
        "effort_hours": "120,5",
        "effort_basis": "total",
        "effort_note": "120,5 timmar",
        "regional_role": "coordinates",
        "regional_support": "Samordnar upphandlingen.",
        "whole_municipality": "on",
        "lika_indicators": [LikaIndicator.objects.get(code="A40").pk, LikaIndicator.objects.get(code="K6").pk],
        "goals": [],
        "continues": "",
        "references-TOTAL_FORMS": "1",
        "references-INITIAL_FORMS": "0",
        "references-0-framework": Framework.objects.get(is_vision=True).pk,
        "references-0-area": "",
        "references-0-text": "Standarder",
        "references-0-page": "8",
        "effort-TOTAL_FORMS": "1",
        "effort-INITIAL_FORMS": "0",
        "effort-0-organisation": "",
        "effort-0-party": "Konsulter",
        "effort-0-hours": "40",
        "effort-0-note": "",
    }
    data.update(overrides)
    return data


def post_new(client, plan, **overrides):
    return client.post(reverse("activities:activity_create", args=[plan.pk]), activity_data(**overrides))


def test_a_coordinator_adds_an_activity_with_every_field(signed_in, draft):
    goal = draft.goals.first()
    response = post_new(signed_in, draft, goals=[goal.pk])
    activity = draft.activities.get(number="12")
    assert response.status_code == 302 and response["Location"] == activity.get_absolute_url()
    assert activity.effort_hours == 120.5 and activity.effort_basis == "total"
    assert activity.whole_municipality and activity.regional_role == "coordinates"
    assert {i.code for i in activity.lika_indicators.all()} == {"A40", "K6"}
    assert list(activity.goals.all()) == [goal]
    assert activity.references.get().page == "8"
    assert activity.effort_shares.get().party == "Konsulter"
    page = signed_in.get(draft.get_absolute_url()).content.decode()
    assert "Digitala signeringslistor" in page


def test_the_form_offers_every_lika_indicator_grouped_by_area(signed_in, draft):
    page = signed_in.get(reverse("activities:activity_create", args=[draft.pk])).content.decode()
    assert page.count('name="lika_indicators"') == LikaIndicator.objects.count()
    assert "<legend>LIKA-indikatorer</legend>" in page and "Ledning" in page and "Användning" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Detta fält måste fyllas i."),
        ({"title": "x" * 501}, "som mest 500 tecken"),
        ({"effort_hours": "-5"}, "större än eller lika med 0"),
        ({"effort_hours": "tio"}, "Fyll i ett tal."),
        ({"start_year": "2019", "end_year": "2018"}, "Perioden kan inte sluta innan den börjar."),
        ({"number": "7a"}, "En annan aktivitet i planen har redan detta nummer."),
        ({"start_year": "2025"}, "Året måste ligga inom planens period, 2018–2019."),
        ({"lika_indicators": ["999999"]}, "999999 finns inte bland tillgängliga alternativ"),
        ({"continues": "999999"}, "Välj ett giltigt alternativ"),
        ({"area": "abc"}, "Välj ett giltigt alternativ"),
        ({"effort-0-hours": "-1"}, "större än eller lika med 0"),
        ({"effort-0-party": ""}, "Välj en organisation eller ange parten."),
        ({"references-0-page": "x" * 30}, "som mest 20 tecken"),
        ({"references-TOTAL_FORMS": "abc"}, "ManagementForm"),
    ],
)
def test_bad_activity_input_gets_a_swedish_message_and_nothing_is_saved_or_lost(signed_in, draft, overrides, message):
    before = Activity.objects.count()
    response = post_new(signed_in, draft, **overrides)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert Activity.objects.count() == before
    assert "Förstudie och införande." in page  # what was typed is still there


def test_two_tabs_editing_one_activity_keep_both_sets_of_input(signed_in, draft):
    activity = draft.activities.get(number="3")
    url = reverse("activities:activity_update", args=[activity.pk])
    version = activity.version
    data = activity_data(
        number="3",
        title="Strategi och utveckling (flik 1)",
        version=version,
        **{"references-TOTAL_FORMS": "0", "effort-TOTAL_FORMS": "0"},
    )
    assert signed_in.post(url, data).status_code == 302
    data.update(title="Strategi och utveckling (flik 2)", content="Mitt innehåll från flik 2")
    response = signed_in.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Någon annan har ändrat detta medan du redigerade." in page
    assert "Mitt innehåll från flik 2" in page
    assert "<td>Strategi och utveckling (flik 1)</td>" in page
    activity.refresh_from_db()
    assert activity.title == "Strategi och utveckling (flik 1)"


def test_a_deleted_activity_cannot_be_saved_over(signed_in, draft):
    activity = draft.activities.get(number="3")
    url = reverse("activities:activity_update", args=[activity.pk])
    Activity.objects.filter(pk=activity.pk).delete()
    response = signed_in.post(url, activity_data(number="3", version=activity.version))
    assert response.status_code == 409 and "Någon annan tog bort" in response.content.decode()
    assert not Activity.objects.filter(pk=activity.pk).exists()


def test_removing_an_activity_asks_first_and_names_what_goes_with_it(signed_in, plan_2016, coordinator):
    draft = services.plan_create_next_period(plan=plan_2016, user=coordinator)
    from tests.helpers import as_draft

    as_draft(plan_2016)
    origin = plan_2016.activities.get(number="2")
    origin.follow_ups.create(date=date(2017, 6, 1), phase="ongoing", text="Pågår")
    page = signed_in.get(reverse("activities:activity_delete", args=[origin.pk])).content.decode()
    assert "Ta bort ”2 Samordnad vårdplanering”?" in page
    assert "dess uppföljning tas också bort" in page
    assert f"i {draft.title} fortsätter denna aktivitet" in page
    assert plan_2016.activities.filter(pk=origin.pk).exists()  # nothing happened yet
    signed_in.post(reverse("activities:activity_delete", args=[origin.pk]))
    assert not plan_2016.activities.filter(pk=origin.pk).exists()
    assert not FollowUp.objects.filter(activity_id=origin.pk).exists()
    assert draft.activities.get(number="2").continues is None


def test_activities_are_moved_and_renumbered(signed_in, draft):
    last = draft.activities.order_by("order").last()
    signed_in.post(reverse("activities:activity_move", args=[last.pk]), {"direction": "up"})
    assert [a.number for a in draft.activities.order_by("order")][-2:] == ["9b", "9a"]
    signed_in.post(reverse("activities:activity_renumber", args=[draft.pk]))
    assert [a.number for a in draft.activities.order_by("order")] == [str(n) for n in range(1, 12)]


def test_follow_ups_of_the_previous_plan_show_on_the_new_plan(signed_in, draft, plan_2016):
    origin = plan_2016.activities.get(number="9a")
    url = reverse("activities:followup_create", args=[origin.pk]) + f"?next={draft.get_absolute_url()}"
    response = signed_in.post(
        url, {"date": "2017-12-15", "period": "2017", "phase": "completed", "text": "Alla kommuner har digitala larm."}
    )
    assert response.status_code == 302 and response["Location"] == draft.get_absolute_url()
    page = signed_in.get(draft.get_absolute_url()).content.decode()
    assert "Alla kommuner har digitala larm." in page
    assert "(2017-12-15)" in page


def test_a_follow_up_cannot_be_dated_in_the_future(signed_in, plan_2016):
    origin = plan_2016.activities.get(number="9a")
    response = signed_in.post(
        reverse("activities:followup_create", args=[origin.pk]),
        {"date": "2999-01-01", "period": "2017", "phase": "ongoing", "text": "Sen"},
    )
    assert "En uppföljning kan inte dateras i framtiden." in response.content.decode()
    assert not origin.follow_ups.exists()


def test_the_follow_up_form_never_redirects_off_site(signed_in, plan_2016):
    origin = plan_2016.activities.get(number="9a")
    url = reverse("activities:followup_create", args=[origin.pk]) + "?next=https://evil.example/"
    response = signed_in.post(url, {"date": "2017-01-01", "period": "2017", "phase": "ongoing", "text": "Pågår"})
    assert response["Location"] == origin.get_absolute_url()


@pytest.mark.parametrize("persona", ["official", "viewer", "secretary"])
def test_only_coordinators_edit_activities_and_record_follow_ups(client, draft, persona, request):
    client.force_login(request.getfixturevalue(persona))
    activity = draft.activities.first()
    for url in (
        reverse("activities:activity_create", args=[draft.pk]),
        reverse("activities:activity_update", args=[activity.pk]),
        reverse("activities:activity_delete", args=[activity.pk]),
        reverse("activities:followup_create", args=[activity.pk]),
    ):
        assert client.get(url).status_code == 403
    assert client.post(reverse("activities:activity_move", args=[activity.pk]), {"direction": "up"}).status_code == 403
    assert client.post(reverse("activities:activity_renumber", args=[draft.pk])).status_code == 403
    page = client.get(activity.get_absolute_url()).content.decode()
    assert "Redigera" not in page and "Registrera uppföljning" not in page


def test_the_activity_history_shows_old_and_new_values(signed_in, draft):
    activity = draft.activities.get(number="3")
    url = reverse("activities:activity_update", args=[activity.pk])
    signed_in.post(
        url,
        activity_data(
            number="3",
            title="Ny titel",
            version=activity.version,
            **{"references-TOTAL_FORMS": "0", "effort-TOTAL_FORMS": "0"},
        ),
    )
    page = signed_in.get(reverse("activities:activity_history", args=[activity.pk])).content.decode()
    assert "<td>Strategi och utveckling</td><td>Ny titel</td>" in page
    assert "<td>–</td><td>Tjänster och produkter</td>" in page  # the area, by name
    assert "A40" in page  # LIKA indicators added, shown by their names
    assert "Sara Samordnare" in page


def history_entries(page: str) -> list[str]:
    """The history's entries as their text reads, newest first."""
    entries = page.split('<li class="history-entry">')[1:]
    return [" ".join(re.sub(r"<[^>]+>", " ", entry).split()) for entry in entries]


def test_one_save_of_an_activity_with_its_effort_is_one_entry_listing_every_change(signed_in, draft):
    assert post_new(signed_in, draft).status_code == 302
    activity = draft.activities.get(number="12")
    share = activity.effort_shares.get()
    data = activity_data(
        title="Digitala signeringslistor i hemtjänsten",
        version=activity.version,
        **{
            "references-TOTAL_FORMS": "0",
            "effort-INITIAL_FORMS": "1",
            "effort-0-id": share.pk,
            "effort-0-hours": "60",
        },
    )
    assert signed_in.post(reverse("activities:activity_update", args=[activity.pk]), data).status_code == 302
    page = signed_in.get(reverse("activities:activity_history", args=[activity.pk])).content.decode()
    entries = history_entries(page)
    assert len(entries) == 2  # the change, then the creation: one entry each
    changed, created = entries
    assert "Sara Samordnare ändrade aktivitet" in changed
    assert "Aktivitet Digitala signeringslistor Digitala signeringslistor i hemtjänsten" in changed
    assert "ändrade insats per part Konsulter: 60 h Fält Före Efter Timmar 40,0 60,0" in changed
    assert "Sara Samordnare skapade aktivitet" in created and "skapade insats per part" in created


# --- Property-based: random input never causes a server error -----------------------------------

FIELDS = [
    "number",
    "title",
    "area",
    "status",
    "start_year",
    "end_year",
    "effort_hours",
    "effort_basis",
    "lika_indicators",
    "continues",
    "version",
    "regional_role",
    "whole_municipality",
]
junk = st.one_of(
    st.text(max_size=40),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.just(""),
    st.just("0"),
    st.just("2018"),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.dictionaries(st.sampled_from(FIELDS), junk, max_size=len(FIELDS)))
def test_random_activity_form_input_never_causes_a_server_error(signed_in, draft, data):
    payload = {key: value.replace("\x00", "") for key, value in data.items()}
    payload.update(
        {
            "references-TOTAL_FORMS": "0",
            "references-INITIAL_FORMS": "0",
            "effort-TOTAL_FORMS": "0",
            "effort-INITIAL_FORMS": "0",
        }
    )
    response = signed_in.post(reverse("activities:activity_create", args=[draft.pk]), payload)
    assert response.status_code in (200, 302)
    activity = draft.activities.first()
    response = signed_in.post(reverse("activities:activity_update", args=[activity.pk]), payload)
    assert response.status_code in (200, 302)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.dictionaries(
        st.sampled_from(["title", "subtitle", "first_year", "last_year", "previous_plan", "version", "cooperation"]),
        junk,
    )
)
def test_random_plan_form_input_never_causes_a_server_error(signed_in, draft, data):
    payload = {key: value.replace("\x00", "") for key, value in data.items()}
    assert signed_in.post(reverse("plans:actionplan_update", args=[draft.pk]), payload).status_code in (200, 302)
    assert signed_in.post(reverse("plans:actionplan_create"), payload).status_code in (200, 302)


def test_control_characters_typed_or_pasted_into_the_forms_are_cleaned(signed_in, draft):
    """Word's Shift+Enter pastes a vertical tab, which spreadsheets refuse: it becomes a line break,
    and other invisible control characters are dropped; tabs and line breaks stay."""
    response = post_new(
        signed_in,
        draft,
        number="\x0812",
        title="Rad ett\x0bRad två",
        content="Steg 1\x0cSteg 2\x07\r\nSteg\t3\x1b",
        **{"references-0-text": "Standarder\x00\x01", "effort-0-party": "Konsulter\x7f"},
    )
    assert response.status_code == 302
    activity = draft.activities.get(number="12")
    assert activity.title == "Rad ett\nRad två"
    assert activity.content == "Steg 1\nSteg 2\r\nSteg\t3"
    assert activity.references.get().text == "Standarder"
    assert activity.effort_shares.get().party == "Konsulter"
    response = signed_in.post(
        reverse("activities:followup_create", args=[activity.pk]),
        {"date": "2018-03-01", "period": "2018", "phase": "ongoing", "text": "Pågår\x0benligt plan"},
    )
    assert activity.follow_ups.get().text == "Pågår\nenligt plan"


@pytest.mark.parametrize(
    "number",
    [
        "７ａ",  # full-width, as some keyboards and PDFs give it
        "7a\u200b",  # a zero-width space
        "\ufeff7a",  # a byte order mark pasted from a file
        "7\u00ada",  # a soft hyphen
        "7\u2060a",  # a word joiner
        " 7a\u00a0",  # a no-break space
    ],
)
def test_an_activity_number_that_looks_like_a_taken_one_is_refused(signed_in, draft, number):
    before = draft.activities.count()
    response = post_new(signed_in, draft, number=number)
    assert response.status_code == 200
    assert "En annan aktivitet i planen har redan detta nummer." in response.content.decode()
    assert draft.activities.count() == before


def test_an_activity_number_is_stored_without_invisible_characters_and_with_single_spaces(signed_in, draft):
    assert post_new(signed_in, draft, number="１２\u200b  b").status_code == 302
    assert draft.activities.filter(number="12 b").exists()


def test_a_follow_up_dated_before_1990_is_refused(signed_in, plan_2016):
    origin = plan_2016.activities.get(number="9a")
    response = signed_in.post(
        reverse("activities:followup_create", args=[origin.pk]),
        {"date": "0001-01-01", "period": "2017", "phase": "ongoing", "text": "Tidigt"},
    )
    assert "Ange ett datum från 1990-01-01 till " in response.content.decode()
    assert 'value="Tidigt"' in response.content.decode() or "Tidigt</textarea>" in response.content.decode()
    assert not origin.follow_ups.exists()


def test_the_edit_form_shows_every_member_ticked_so_saving_it_keeps_it(signed_in, draft):
    """The checkbox was missing from the form: each save posted it unticked and turned it off."""
    assert post_new(signed_in, draft, every_member="on").status_code == 302
    activity = draft.activities.get(number="12")
    assert activity.every_member
    page = signed_in.get(reverse("activities:activity_update", args=[activity.pk])).content.decode()
    checkbox = re.search(r'<input type="checkbox" name="every_member"[^>]*>', page)
    assert checkbox and "checked" in checkbox.group(0)
    assert "Genomförs av varje medlemskommun" in page


# --- Activities copied to the next period's plan are to be reviewed (issue 19, item 8) ----------


def ordering_list(page: str) -> str:
    """The draft's folded list of its activities (“Ordna, redigera och numrera aktiviteterna”)."""
    start = page.index('<details class="ordering" id="ordna">')
    return page[start : page.index("</details>", start)]


def test_the_next_period_plans_copied_activities_are_marked_to_review(signed_in, draft):
    activities = list(draft.activities.order_by("order", "pk"))
    assert activities and all(activity.to_review for activity in activities)
    listed = ordering_list(signed_in.get(draft.get_absolute_url()).content.decode())
    assert f'<span class="badge badge--warn">{len(activities)} att granska</span></summary>' in listed
    assert listed.count('<span class="badge badge--warn">Att granska</span>') == len(activities)
    for activity in activities:
        assert reverse("activities:activity_reviewed", args=[activity.pk]) in listed


def test_the_activitys_own_page_shows_the_mark_to_its_editors_only(client, draft, coordinator, official):
    activity = draft.activities.get(number="3")
    reviewed = reverse("activities:activity_reviewed", args=[activity.pk])
    client.force_login(coordinator)
    page = client.get(activity.get_absolute_url()).content.decode()
    assert "Att granska" in page and "Granskad, oförändrad" in page and reviewed in page
    assert f'name="next" value="{activity.get_absolute_url()}"' in page
    client.force_login(official)  # reads the draft, may not edit it
    response = client.get(activity.get_absolute_url())
    assert response.status_code == 200
    assert "Att granska" not in response.content.decode() and reviewed not in response.content.decode()


def test_saving_a_copied_activity_clears_its_mark(signed_in, draft):
    activity = draft.activities.get(number="3")
    data = activity_data(
        number="3",
        title="Strategi och utveckling 2018-2019",
        version=activity.version,
        **{"references-TOTAL_FORMS": "0", "effort-TOTAL_FORMS": "0"},
    )
    assert signed_in.post(reverse("activities:activity_update", args=[activity.pk]), data).status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Strategi och utveckling 2018-2019" and not activity.to_review
    assert draft.activities.filter(to_review=True).count() == draft.activities.count() - 1
    page = signed_in.get(activity.get_absolute_url()).content.decode()
    assert "Att granska" not in page and "Granskad, oförändrad" not in page


def test_an_activity_is_marked_reviewed_unchanged_and_stays_as_it_was(client, draft, coordinator, official):
    activity = draft.activities.get(number="3")
    url = reverse("activities:activity_reviewed", args=[activity.pk])
    before = (activity.title, activity.content, activity.benefit, activity.version)
    client.force_login(official)
    assert client.post(url, {"next": activity.get_absolute_url()}).status_code == 403
    activity.refresh_from_db()
    assert activity.to_review
    client.force_login(coordinator)
    assert client.get(url).status_code == 405
    response = client.post(url, {"next": activity.get_absolute_url()}, follow=True)
    assert response.redirect_chain[-1][0] == activity.get_absolute_url()  # back where the button was
    page = response.content.decode()
    assert f"”{activity}” är markerad som granskad, oförändrad." in page
    assert url not in page and '<span class="badge badge--warn">Att granska</span>' not in page
    activity.refresh_from_db()
    assert not activity.to_review and (activity.title, activity.content, activity.benefit, activity.version) == before


def test_the_reviewed_button_of_the_plans_list_goes_back_to_it_and_never_off_site(signed_in, draft):
    first, second = draft.activities.order_by("order", "pk")[:2]
    response = signed_in.post(reverse("activities:activity_reviewed", args=[first.pk]))
    assert response["Location"] == f"{draft.get_absolute_url()}#activity-{first.pk}"
    response = signed_in.post(
        reverse("activities:activity_reviewed", args=[second.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == f"{draft.get_absolute_url()}#activity-{second.pk}"
    assert not draft.activities.filter(pk__in=[first.pk, second.pk], to_review=True).exists()


def test_an_activity_of_an_adopted_plan_is_not_marked_reviewed_and_the_coordinator_is_told_why(
    client, plan_2016, coordinator
):
    activity = plan_2016.activities.get(number="3")
    Activity.objects.filter(pk=activity.pk).update(to_review=True)  # as a plan sent with its texts unreviewed
    url = reverse("activities:activity_reviewed", args=[activity.pk])
    client.force_login(coordinator)
    response = client.post(url, {"next": activity.get_absolute_url()}, follow=True)
    assert response.status_code == 200
    assert "Planen är antagen och kan inte ändras direkt." in response.content.decode()
    activity.refresh_from_db()
    assert activity.to_review
    page = client.get(activity.get_absolute_url()).content.decode()
    assert url not in page and "Att granska" not in page
