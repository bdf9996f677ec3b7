"""Nothing a user typed is lost: a stale form token brings the input back with a Swedish explanation."""

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

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
