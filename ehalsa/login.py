"""Signing in, with a throttle on wrong passwords.

Wrong passwords are rows of ``LoginFailure`` in the database, so every process counts the same
ones, over the last ``LOGIN_FAILURE_WINDOW`` (15 minutes). A sign-in is refused (the Swedish 429
page) while, within that window,

- its address and username have had ``LOGIN_FAILURE_LIMIT`` (5) wrong passwords,
- its address has had ``LOGIN_ADDRESS_FAILURE_LIMIT`` (30), whatever the usernames, or
- its username has had ``LOGIN_USERNAME_FAILURE_LIMIT`` (10), from whatever addresses;

except that a browser which has signed in to that account before (a signed cookie set at each
successful sign-in: OWASP's "device cookies") is held to its own ``LOGIN_FAILURE_LIMIT`` alone, so
guesses from elsewhere never keep the account holder out. A refused attempt tests no password and
is not counted: a lock ends one window after the failures that caused it. A successful sign-in
forgets the failures of its address and username (and of its browser), nobody else's.
"""

import ipaddress
import logging
import secrets
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.backends import ModelBackend
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import connections, router
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .models import LoginFailure

log = logging.getLogger(__name__)

BROWSER_COOKIE = "ehalsa_browser"
BROWSER_SALT = "ehalsa.login.known-browser"


def address_key(raw: str) -> str:
    """An address as the throttle counts it: IPv4 as is, IPv6 by its /64 network (which one client
    commonly holds whole); '' when ``raw`` is no address."""
    try:
        address = ipaddress.ip_address(raw.strip())
    except ValueError:
        return ""
    if address.version == 6 and address.ipv4_mapped:
        return str(address.ipv4_mapped)
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR; behind a proxy named by ``LOGIN_CLIENT_ADDRESS_HEADER`` (X-Forwarded-For, X-Real-IP),
    the last address that header lists: the one the proxy added, not what the client wrote before it."""
    header = settings.LOGIN_CLIENT_ADDRESS_HEADER
    if header:
        forwarded = address_key(request.headers.get(header, "").rsplit(",", 1)[-1])
        if forwarded:
            return forwarded
    return address_key(request.META.get("REMOTE_ADDR", ""))


def username_key(username: str) -> str:
    return unicodedata.normalize("NFKC", username).strip().casefold()[:150]


def known_browser(request: HttpRequest) -> dict:
    """What the browser's signed cookie says: the account that last signed in here, and its token."""
    try:
        return signing.loads(
            request.COOKIES.get(BROWSER_COOKIE, ""), salt=BROWSER_SALT, max_age=settings.LOGIN_KNOWN_BROWSER_AGE
        )
    except signing.BadSignature:
        return {}


def known_browser_token(request: HttpRequest, username: str) -> str:
    """The browser's token when it has signed in as ``username`` before; '' otherwise."""
    known = known_browser(request)
    return known["token"] if known.get("username") == username_key(username) else ""


def last_signed_in_here(request: HttpRequest) -> str:
    """The account (as the throttle keys it) that last signed in with this browser; '' if none."""
    return known_browser(request).get("username", "")


def remember_browser(response: HttpResponse, request: HttpRequest, username: str) -> None:
    """Mark the browser as one that has signed in as ``username`` (keeping its token if it had one)."""
    token = known_browser_token(request, username) or secrets.token_urlsafe(24)
    response.set_cookie(
        BROWSER_COOKIE,
        signing.dumps({"username": username_key(username), "token": token}, salt=BROWSER_SALT),
        max_age=settings.LOGIN_KNOWN_BROWSER_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


@dataclass(frozen=True)
class Attempt:
    """One sign-in attempt as the throttle sees it."""

    username: str
    address: str
    browser: str  # the known browser's token, or ''

    @classmethod
    def of(cls, request: HttpRequest, username: str) -> "Attempt":
        return cls(username_key(username), client_address(request), known_browser_token(request, username))

    def refusal(self) -> str:
        """Which limit the recent failures have reached ('' when none has)."""
        recent = LoginFailure.objects.filter(at__gt=timezone.now() - settings.LOGIN_FAILURE_WINDOW)
        if self.browser:
            checks = {"known browser": (recent.filter(browser=self.browser), settings.LOGIN_FAILURE_LIMIT)}
        else:
            unknown = recent.filter(browser="")
            checks = {
                "address and username": (
                    unknown.filter(address=self.address, username=self.username),
                    settings.LOGIN_FAILURE_LIMIT,
                ),
                "address": (unknown.filter(address=self.address), settings.LOGIN_ADDRESS_FAILURE_LIMIT),
                "username": (unknown.filter(username=self.username), settings.LOGIN_USERNAME_FAILURE_LIMIT),
            }
        for reason, (failures, limit) in checks.items():
            if failures[:limit].count() >= limit:
                return reason
        return ""

    def failed(self) -> None:
        now = timezone.now()
        LoginFailure.objects.filter(at__lte=now - settings.LOGIN_FAILURE_WINDOW).delete()
        LoginFailure.objects.create(username=self.username, address=self.address, browser=self.browser, at=now)

    def succeeded(self) -> None:
        mine = Q(username=self.username, address=self.address)
        if self.browser:
            mine |= Q(browser=self.browser)
        LoginFailure.objects.filter(mine).delete()


def forget_failures(*, usernames: Sequence[str] = (), addresses: Sequence[str] = (), everything: bool = False) -> int:
    """Lift the throttle's locks on these usernames and addresses (an administrator's way back in)."""
    failures = LoginFailure.objects.all()
    if not everything:
        failures = failures.filter(
            Q(username__in=[username_key(u) for u in usernames]) | Q(address__in=[address_key(a) for a in addresses])
        )
    return failures.delete()[0]


class ThrottledModelBackend(ModelBackend):
    """Django's own backend, behind the throttle: refuses while a limit is reached, counts wrong passwords.

    Every sign-in form (this site's and the admin's) authenticates through it.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if request is None or username is None or password is None:
            return super().authenticate(request, username, password, **kwargs)
        attempt = Attempt.of(request, username)
        if reason := attempt.refusal():
            log.warning("Sign-in refused for %r from %s: the %s limit is reached.", username, attempt.address, reason)
            request.login_refused = True
            raise PermissionDenied  # no other backend tests the password either
        user = super().authenticate(request, username, password, **kwargs)
        if user is None:
            attempt.failed()
            request.login_refused = bool(attempt.refusal())  # this failure reached a limit: say so now
        else:
            attempt.succeeded()
        return user

    async def aauthenticate(self, request, username=None, password=None, **kwargs):
        # ModelBackend's own async version would skip the throttle.
        return await sync_to_async(self.authenticate)(request, username, password, **kwargs)

    def get_user(self, user_id):
        """The signed-in user of a request, as ModelBackend reads it (by primary key, active only),
        with one raw statement: every signed-in request asks, and building the queryset costs more
        than the query (see ehalsa.sessions)."""
        model = get_user_model()
        opts = model._meta
        quote = connections[router.db_for_read(model)].ops.quote_name
        statement = f"SELECT * FROM {quote(opts.db_table)} WHERE {quote(opts.pk.column)} = %s"
        user = next(iter(model._default_manager.raw(statement, [user_id])), None)
        return user if user is not None and self.user_can_authenticate(user) else None


def locked_out(request: HttpRequest) -> HttpResponse:
    response = render(request, "registration/locked_out.html", status=429)
    response["Retry-After"] = str(int(settings.LOGIN_FAILURE_WINDOW.total_seconds()))
    return response


class LoginView(auth_views.LoginView):
    """Django's sign-in page: the throttle's refusal answers 429; a sign-in marks the browser as known."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        return locked_out(request) if getattr(request, "login_refused", False) else response

    def form_valid(self, form):
        response = super().form_valid(form)
        remember_browser(response, self.request, form.get_user().get_username())
        return response
