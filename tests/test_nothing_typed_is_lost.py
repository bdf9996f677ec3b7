"""Nothing a user typed is lost: a stale form token, a lapsed sign-in, a row deleted or a plan sent
for adoption meanwhile all bring the form back with the input and a Swedish explanation."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.models import ActionPlan
from tests.helpers import make_activity, publish

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "ehalsa-demo-2026"  # fixtures/demo/accounts.json
STALE_TOKEN = "a" * 32  # what the form carried before the user signed in again in another tab


def content(response):
    return response.content.decode()


def posted_fields(page):
    """name → values of the inputs and text areas inside the page's re-post form, as a browser would post them."""
    form = re.search(r'<form method="post" action="[^"]*" class="stacked-form resend">(.*?)</form>', page, re.S)
    assert form, "no form to post again"
    fields = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(1)):
        fields.setdefault(name, []).append(unescape(value))
    for name, value in re.findall(r'<textarea name="([^"]+)"[^>]*>(.*?)</textarea>', form.group(1), re.S):
        fields.setdefault(name, []).append(unescape(value).removeprefix("\n"))
    return fields


@pytest.fixture
def strict_client(coordinator):
    """A browser whose forms are checked for their CSRF token, as in production, signed in as the coordinator."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    client.cookies["csrftoken"] = "b" * 32  # the token the new sign-in gave; the open form still has STALE_TOKEN
    return client


def plan_form(draft, **changes):
    return {
        "csrfmiddlewaretoken": STALE_TOKEN,
        "version": str(draft.version),
        "title": "Min nya titel",
        "subtitle": "Rad ett\nRad två & <tre>",
        "first_year": "2018",
        "last_year": "2019",
        **changes,
    }


# --- a. A stale form token -------------------------------------------------------------------------


def test_a_stale_token_gives_the_input_back_and_a_fresh_form_that_saves_it(strict_client, draft):
    url = reverse("plans:actionplan_update", args=[draft.pk])
    response = strict_client.post(url, plan_form(draft), HTTP_ORIGIN="http://testserver")
    page = content(response)
    assert response.status_code == 403
    assert "Formuläret kunde inte skickas" in page
    assert "Kontrollera och spara igen" in page
    assert STALE_TOKEN not in page
    fields = posted_fields(page)
    assert fields["title"] == ["Min nya titel"]
    assert fields["subtitle"] == ["Rad ett\r\nRad två & <tre>"] or fields["subtitle"] == ["Rad ett\nRad två & <tre>"]
    assert "Titel" in page  # the form's own label, not only the field's name
    draft.refresh_from_db()
    assert draft.title != "Min nya titel"

    again = strict_client.post(url, fields, HTTP_ORIGIN="http://testserver")
    assert again.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Min nya titel"


def test_a_cross_site_post_shows_the_values_but_offers_nothing_to_post(strict_client, draft):
    url = reverse("plans:actionplan_update", args=[draft.pk])
    response = strict_client.post(url, plan_form(draft), HTTP_ORIGIN="https://angripare.example")
    page = content(response)
    assert response.status_code == 403
    assert "Formuläret kunde inte skickas" in page
    assert "Min nya titel" in page and "&lt;tre&gt;" in page
    assert "Kontrollera och spara igen" not in page
    assert f'action="{url}"' not in page


def test_a_stale_token_without_origin_or_referer_shows_the_values_read_only(strict_client, draft):
    url = reverse("plans:actionplan_update", args=[draft.pk])
    page = content(strict_client.post(url, plan_form(draft)))
    assert "Min nya titel" in page and "Kontrollera och spara igen" not in page


def test_a_stale_token_on_a_same_site_referer_offers_the_fresh_form(strict_client, draft):
    url = reverse("plans:actionplan_update", args=[draft.pk])
    page = content(strict_client.post(url, plan_form(draft), HTTP_REFERER=f"http://testserver{url}"))
    assert "Kontrollera och spara igen" in page


def test_a_stale_token_never_echoes_a_password():
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = "b" * 32
    page = content(
        client.post(
            reverse("login"),
            {"csrfmiddlewaretoken": STALE_TOKEN, "username": "samordnare", "password": "hemligt-lösenord"},
            HTTP_ORIGIN="http://testserver",
        )
    )
    assert "samordnare" in page
    assert "hemligt-lösenord" not in page


# --- b. A lapsed sign-in ---------------------------------------------------------------------------


def session_runs_out(client):
    """The session ends (it expired, or the browser was closed); the browser's other cookies stay."""
    from django.conf import settings

    client.cookies.pop(settings.SESSION_COOKIE_NAME, None)


def sign_in(client, username="samordnare"):
    """Through the sign-in page, as a person does (the browser is then known to the account)."""
    assert client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD}).status_code == 302


def test_after_a_lapsed_sign_in_the_form_comes_back_filled_in(client, draft, coordinator):
    url = reverse("plans:actionplan_update", args=[draft.pk])
    sign_in(client)
    client.get(url)
    session_runs_out(client)  # while the form was open

    response = client.post(url, plan_form(draft))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    login_page = content(client.get(response["Location"]))
    assert "Du hade loggats ut" in login_page

    signed_in = client.post(response["Location"], {"username": "samordnare", "password": DEMO_PASSWORD, "next": url})
    assert signed_in.status_code == 302 and signed_in["Location"] == url
    with CaptureQueriesContext(connection) as queries:
        form_page = client.get(url)
    page = content(form_page)
    assert form_page.status_code == 200
    assert "Du hade loggats ut" in page and "kontrollera och spara" in page
    assert 'value="Min nya titel"' in page
    assert "Rad två &amp; &lt;tre&gt;" in page
    assert not [q for q in queries.captured_queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]
    draft.refresh_from_db()
    assert draft.title != "Min nya titel"

    saved = client.post(url, plan_form(draft))
    assert saved.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Min nya titel"
    assert "Du hade loggats ut" not in content(client.get(url))  # the kept input went with the save


def test_after_a_lapsed_sign_in_an_activity_comes_back_with_its_references(client, draft, coordinator):
    activity = make_activity(draft, number="9", title="Gammal titel")
    url = reverse("activities:activity_update", args=[activity.pk])
    sign_in(client)
    page = content(client.get(url))
    data = {name: value for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)}
    data.pop("csrfmiddlewaretoken", None)
    data.update(
        {
            "number": "9",
            "title": "Ny insatstitel",
            "status": activity.status,
            "start_year": "2018",
            "end_year": "2019",
            "references-0-text": "Nationell referens som jag skrev",
        }
    )
    session_runs_out(client)
    assert client.post(url, data).status_code == 302
    client.force_login(coordinator)
    page = content(client.get(url))
    assert "Du hade loggats ut" in page
    assert "Ny insatstitel" in page and "Gammal titel" not in page
    assert "Nationell referens som jag skrev" in page


def test_what_one_user_typed_is_never_filled_in_for_the_next_to_sign_in_on_that_browser(client, draft):
    url = reverse("plans:actionplan_update", args=[draft.pk])
    sign_in(client)
    session_runs_out(client)
    client.post(url, plan_form(draft))  # the coordinator's session had run out
    sign_in(client, "admin")  # someone else signs in on the same computer
    page = content(client.get(url))
    assert "Min nya titel" not in page and "kontrollera och spara" not in page


def test_an_oversized_post_after_a_lapsed_sign_in_is_not_kept(client, draft):
    url = reverse("plans:actionplan_update", args=[draft.pk])
    sign_in(client)
    session_runs_out(client)
    client.post(url, plan_form(draft) | {"subtitle": "x" * 100_000})
    assert not [key for key in client.session.keys() if key.startswith("kept-input:")]


def test_a_post_from_a_browser_nobody_signed_in_with_keeps_nothing(client, draft):
    client.post(reverse("plans:actionplan_update", args=[draft.pk]), plan_form(draft))
    assert not [key for key in client.session.keys() if key.startswith("kept-input:")]


# --- c. A row deleted by a colleague -----------------------------------------------------------------


def test_saving_a_section_someone_deleted_keeps_the_input_and_says_so(signed_in, draft):
    section = draft.sections.get(heading="Syfte")
    url = reverse("plans:section_update", args=[section.pk])
    data = {"version": section.version, "heading": "Syfte", "level": 2, "body": "Min långa text om syftet"}
    section.delete()  # a colleague removed it while the form was open
    response = signed_in.post(url, data)
    page = content(response)
    assert response.status_code == 409
    assert "Någon annan tog bort" in page and "Inget sparades." in page
    assert "Min långa text om syftet" in page
    assert f'href="{draft.get_absolute_url()}"' in page
    assert not draft.sections.filter(heading="Syfte").exists()


def test_a_deleted_row_of_a_plan_one_may_not_read_is_still_404(client, official_elsewhere, draft):
    section = draft.sections.get(heading="Syfte")
    url = reverse("plans:section_update", args=[section.pk])
    section.delete()
    client.force_login(official_elsewhere)
    assert client.post(url, {"heading": "x", "level": 2}).status_code == 404


# --- d. A plan sent for adoption meanwhile -----------------------------------------------------------


@pytest.mark.parametrize("status", [ActionPlan.Status.OUT_FOR_ADOPTION, ActionPlan.Status.ADOPTED])
def test_saving_into_a_plan_sent_for_adoption_keeps_the_input(signed_in, draft, status):
    goal = draft.goals.first()
    url = reverse("plans:goal_update", args=[goal.pk])
    publish(draft, status)
    response = signed_in.post(url, {"version": goal.version, "title": "Mitt nya mål", "description": "Min text"})
    page = content(response)
    assert response.status_code == 409
    assert "kan inte ändras direkt" in page and "Inget sparades" in page
    assert "Mitt nya mål" in page and "Min text" in page
    goal.refresh_from_db()
    assert goal.title != "Mitt nya mål"


def test_a_new_activity_for_a_plan_sent_for_adoption_keeps_the_input(signed_in, draft):
    url = reverse("activities:activity_create", args=[draft.pk])
    publish(draft, ActionPlan.Status.OUT_FOR_ADOPTION)
    response = signed_in.post(
        url,
        {
            "number": "99",
            "title": "Insats jag skrev",
            "start_year": "2018",
            "end_year": "2019",
            "references-TOTAL_FORMS": "1",
            "references-INITIAL_FORMS": "0",
            "references-0-text": "Min referens",
            "effort-TOTAL_FORMS": "0",
            "effort-INITIAL_FORMS": "0",
        },
    )
    page = content(response)
    assert response.status_code == 409
    assert "Insats jag skrev" in page and "Min referens" in page
    assert not draft.activities.filter(title="Insats jag skrev").exists()
