"""What the server keeps for the next reader: anonymous visitors' pages, browsers' own pages, plan bodies.

Kept under keys made from the data they show (ehalsa.freshness), so never stale (the pages after
changes are in tests/plans/test_fresh_pages.py); here: who shares what, and what it saves.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import INFO
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ehalsa.login import ThrottledModelBackend
from tests.helpers import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.cache]


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]]


def test_a_second_anonymous_visitor_gets_the_page_kept_for_the_first(plan_2016):
    for url in (
        "/",
        "/planer/",
        plan_2016.get_absolute_url(),
        "/aktiviteter/?q=video",
        f"/planer/{plan_2016.pk}/budget/",
    ):
        first, _ = queries_for(Client(), url)
        second, queries = queries_for(Client(), url)
        assert second.content == first.content, url
        assert len(queries) == 2, queries  # the data version
        assert second["Content-Type"] == first["Content-Type"]
        assert second["Content-Security-Policy"] and second["X-Frame-Options"] == "DENY"
        assert second["ETag"] == first["ETag"] and second["Content-Language"] == "sv"
        # Served whole before sessions, the locale, CSRF or the view (ehalsa.freshness.KeptPageMiddleware).
        assert not hasattr(second.wsgi_request, "session"), url


def test_languages_are_kept_apart(plan_2016):
    assert "Uppföljning av föregående plan" in Client().get(plan_2016.get_absolute_url()).content.decode()
    english = Client()
    english.cookies["django_language"] = "en"
    assert "Follow-up of the previous plan" in english.get(plan_2016.get_absolute_url()).content.decode()
    assert "Uppföljning av föregående plan" in Client().get(plan_2016.get_absolute_url()).content.decode()


def test_signed_in_readers_share_the_plan_body_but_not_the_page(plan_2016, viewer):
    other_viewer = make_user("lasare2", "viewer", "Linköpings kommun")
    first_client, second_client = Client(), Client()
    first_client.force_login(viewer)
    second_client.force_login(other_viewer)
    first, rendered = queries_for(first_client, plan_2016.get_absolute_url())
    second, from_kept_body = queries_for(second_client, plan_2016.get_absolute_url())
    assert len(from_kept_body) < len(rendered)
    # The kept body reads neither the version's snapshot nor the rows behind it.
    assert not [q for q in from_kept_body if '"snapshot"' in q or "activities_activity" in q], from_kept_body
    assert "lasare2" in second.content.decode() and "lasare2" not in first.content.decode()
    body = first.content.decode().split('<header class="page-header">')[1]
    assert (
        body.split("</main>")[0] == second.content.decode().split('<header class="page-header">')[1].split("</main>")[0]
    )


def test_an_editor_gets_the_body_with_its_edit_controls(draft, viewer, coordinator):
    reader = Client()
    reader.force_login(viewer)
    assert "Numrera aktiviteterna" not in reader.get(draft.get_absolute_url()).content.decode()
    editor = Client()
    editor.force_login(coordinator)
    page = editor.get(draft.get_absolute_url()).content.decode()
    assert "Numrera aktiviteterna" in page and 'name="csrfmiddlewaretoken"' in page


@pytest.mark.parametrize("sets", ["nothing", "a form token", "a session", "a cookie"])
def test_only_a_page_the_same_for_every_visitor_is_kept(rf, sets):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.backends.db import SessionStore
    from django.http import HttpResponse
    from django.middleware.csrf import get_token

    from ehalsa.freshness import kept_page

    calls = []

    def view(request):
        calls.append(request)
        response = HttpResponse("<p>page</p>", content_type="text/html; charset=utf-8")
        if sets == "a form token":
            get_token(request)
        elif sets == "a session":
            request.session["seen"] = True
        elif sets == "a cookie":
            response.set_cookie("chosen", "1")
        return response

    for _ in range(2):
        request = rf.get("/planer/")
        request.user, request.session = AnonymousUser(), SessionStore()
        kept_page(request, "an-etag", view)
    assert len(calls) == (1 if sets == "nothing" else 2)


def test_search_hits_are_shared_only_by_readers_of_the_same_plans(draft, viewer, official_elsewhere):
    url = f"/aktiviteter/?plan={draft.pk}"
    member, colleague, outsider = Client(), Client(), Client()
    member.force_login(viewer)
    colleague.force_login(make_user("lasare2", "viewer", "Mjölby kommun"))
    outsider.force_login(official_elsewhere)
    _, rendered = queries_for(member, "/aktiviteter/?q=video")
    page, from_kept = queries_for(colleague, "/aktiviteter/?q=video")
    assert len(from_kept) < len(rendered)
    assert draft.title in member.get(url).content.decode()
    assert draft.title not in outsider.get(url).content.decode()
    assert draft.title not in Client().get(url).content.decode()


@pytest.mark.parametrize("token", ["none", "of the cookie sent", "of a new cookie"])
def test_a_browser_s_own_copy_may_hold_a_token_of_the_cookie_it_sends(rf, token):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.backends.db import SessionStore
    from django.http import HttpResponse
    from django.middleware.csrf import CsrfViewMiddleware, get_token

    from ehalsa.freshness import kept_page

    calls = []

    def view(request):
        calls.append(request)
        if token != "none":
            get_token(request)
        return HttpResponse("<p>page</p>", content_type="text/html; charset=utf-8")

    for _ in range(2):
        request = rf.get("/planer/")
        request.COOKIES["sessionid"] = "a session"
        if token == "of the cookie sent":
            request.COOKIES["csrftoken"] = "a" * 32
        CsrfViewMiddleware(view).process_request(request)
        request.user, request.session = AnonymousUser(), SessionStore()
        kept_page(request, "the-same-etag", view)
    assert len(calls) == (2 if token == "of a new cookie" else 1)


def test_a_signed_in_reader_asking_again_gets_the_copy_kept_for_their_browser(client, plan_2016, viewer):
    client.force_login(viewer)
    client.get(plan_2016.get_absolute_url())  # the first visit sets the CSRF cookie of the sign-out form
    first, _ = queries_for(client, plan_2016.get_absolute_url())
    again, queries = queries_for(client, plan_2016.get_absolute_url())
    assert len(queries) == 4 and not again.templates  # the session, the user, the data version (two)
    page = again.content.decode()
    assert "Inloggad som" in page and page == first.content.decode()
    # Served whole before the locale, CSRF or the view (ehalsa.freshness.KeptPageMiddleware).
    assert not hasattr(again.wsgi_request, "LANGUAGE_CODE") and not again.cookies
    assert again["ETag"] == first["ETag"] and "private" in again["Cache-Control"]


def browser_with_a_kept_page(client, url, user):
    """A signed-in browser whose page at ``url`` is kept whole; and the cookies it sends."""
    client.force_login(user)
    for _ in range(3):  # the first visit sets the CSRF cookie of the sign-out form
        client.get(url)
    _, queries = queries_for(client, url)
    assert len(queries) == 4, queries  # kept whole: the session, the user and the data version
    return {name: morsel.value for name, morsel in client.cookies.items()}


def test_a_sign_out_elsewhere_ends_the_kept_signed_in_page_at_once(client, plan_2016, viewer):
    url = plan_2016.get_absolute_url()
    cookies = browser_with_a_kept_page(client, url, viewer)
    # Signed out in another tab (served by another process): the first tab's cookies stay as they were.
    elsewhere = Client()
    elsewhere.cookies.load(cookies)
    assert elsewhere.post("/konto/logga-ut/", {"csrfmiddlewaretoken": cookies["csrftoken"]}).status_code == 302
    assert not elsewhere.cookies["sessionid"].value
    client.cookies.load(cookies)
    page = client.get(url).content.decode()
    assert "Inloggad som" not in page and "Logga in" in page


def test_a_deactivated_user_is_signed_out_of_kept_pages_at_once(client, plan_2016, viewer):
    url = plan_2016.get_absolute_url()
    browser_with_a_kept_page(client, url, viewer)
    type(viewer).objects.filter(pk=viewer.pk).update(is_active=False)  # as the admin or a script would
    assert "Inloggad som" not in client.get(url).content.decode()


def test_a_password_changed_elsewhere_signs_out_the_kept_page_at_once(client, plan_2016, viewer):
    url = plan_2016.get_absolute_url()
    browser_with_a_kept_page(client, url, viewer)
    viewer.set_password("a new password for the viewer")
    viewer.save()
    assert "Inloggad som" not in client.get(url).content.decode()


def test_a_user_made_staff_sees_the_administration_link_at_once(client, plan_2016, viewer):
    url = plan_2016.get_absolute_url()
    browser_with_a_kept_page(client, url, viewer)
    assert ">Administration<" not in client.get(url).content.decode()
    type(viewer).objects.filter(pk=viewer.pk).update(is_staff=True)
    assert ">Administration<" in client.get(url).content.decode()


def test_an_expired_session_gets_no_kept_signed_in_page(client, plan_2016, viewer):
    url = plan_2016.get_absolute_url()
    browser_with_a_kept_page(client, url, viewer)
    Session.objects.filter(pk=client.cookies["sessionid"].value).update(expire_date=timezone.now())
    assert "Inloggad som" not in client.get(url).content.decode()


def test_a_message_waiting_is_shown_on_a_kept_signed_in_page(client, plan_2016, viewer, rf):
    url = plan_2016.get_absolute_url()
    browser_with_a_kept_page(client, url, viewer)
    # A save in another tab left a message for the next page.
    client.cookies["messages"] = CookieStorage(rf.get("/"))._encode([Message(INFO, "Ett meddelande")])
    assert "Ett meddelande" in client.get(url).content.decode()


def test_two_users_of_one_readership_get_their_own_kept_pages(plan_2016, viewer):
    url = plan_2016.get_absolute_url()
    other = make_user("lasare2", "viewer", "Linköpings kommun")
    other.first_name = "Ola"
    other.save()
    first, second = Client(), Client()
    browser_with_a_kept_page(first, url, viewer)
    browser_with_a_kept_page(second, url, other)
    assert "Ola" in second.get(url).content.decode() and "Ola" not in first.get(url).content.decode()


def test_a_session_whose_row_is_corrupted_reads_as_signed_out(client, plan_2016, viewer):
    url = plan_2016.get_absolute_url()
    browser_with_a_kept_page(client, url, viewer)
    Session.objects.filter(pk=client.cookies["sessionid"].value).update(session_data="not a signed session")
    assert "Inloggad som" not in client.get(url).content.decode()


def test_a_deleted_user_is_signed_out_of_kept_pages_at_once(client, plan_2016, viewer):
    url = plan_2016.get_absolute_url()
    browser_with_a_kept_page(client, url, viewer)
    viewer.delete()
    assert "Inloggad som" not in client.get(url).content.decode()


def test_the_signed_in_user_is_the_whole_user_as_the_orm_reads_it(viewer):
    user = ThrottledModelBackend().get_user(viewer.pk)
    assert user == get_user_model().objects.get(pk=viewer.pk)
    assert user.date_joined == viewer.date_joined and user.is_active is True
    assert ThrottledModelBackend().get_user(viewer.pk + 1000) is None
