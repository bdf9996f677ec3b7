"""Every error page is the site's own, in Swedish, and none names the framework or its settings."""

import pytest
from django.core.exceptions import SuspiciousOperation
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def assert_own_swedish_page(response, status, heading):
    page = response.content.decode()
    assert response.status_code == status
    assert heading in page
    assert 'lang="sv"' in page
    for leak in ("Django", "DEBUG", "django", "gunicorn"):
        assert leak not in page, leak


def test_a_bad_host_header_gets_a_swedish_400(client):
    response = client.get("/planer/", HTTP_HOST="angripare.example")
    assert_own_swedish_page(response, 400, "Felaktig begäran")


def test_a_suspicious_request_gets_a_swedish_400(client, monkeypatch):
    from plans.views import ActionPlanListView

    def suspicious(*args, **kwargs):
        raise SuspiciousOperation("tampered")

    monkeypatch.setattr(ActionPlanListView, "get", suspicious)
    assert_own_swedish_page(client.get("/planer/"), 400, "Felaktig begäran")


def test_a_form_without_its_csrf_token_gets_a_swedish_403():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "samordnare"})
    assert_own_swedish_page(response, 403, "Formuläret kunde inte skickas")


def test_a_wrong_method_gets_a_swedish_405(signed_in):
    response = signed_in.get(reverse("logout"))
    assert_own_swedish_page(response, 405, "Det går inte att göra så här")
    assert "POST" in response["Allow"]


def test_a_wrong_method_on_a_post_only_action_gets_a_swedish_405(signed_in, draft):
    response = signed_in.get(reverse("plans:actionplan_next_period", args=[draft.pk]))
    assert_own_swedish_page(response, 405, "Det går inte att göra så här")


def test_an_overlong_address_gets_a_swedish_414_before_sessions_or_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/aktiviteter/", {"q": "ö" * 5000})
    assert_own_swedish_page(response, 414, "Adressen är för lång")
    assert not response.cookies


def test_long_but_reasonable_addresses_still_work(client):
    assert client.get("/aktiviteter/", {"q": "vård" * 200}).status_code == 200


def test_gunicorn_lets_long_addresses_through_to_the_app():
    """gunicorn's own answer to a long request line is English; the app answers from 4 096 characters."""
    import runpy
    from pathlib import Path

    config = runpy.run_path(str(Path(__file__).resolve().parents[1] / "gunicorn.conf.py"))
    assert config["limit_request_line"] == 0 or config["limit_request_line"] >= 8190
