"""Has anything a page shows changed? Validators for conditional GET, from the change history.

Nothing here is kept fresh by anyone. Every row a page can show belongs to a model with a change
history (django-simple-history): each save, delete and many-to-many change adds a history row, in
the transaction that makes the change. ``data_version`` condenses the history tables into one
string that differs after any committed change: per table, the latest ``history_date`` and the
number of history rows dated within ``WINDOW`` of the latest date of all. The latest dates alone
would miss a transaction that dated its rows before another one's and committed after it
(PostgreSQL runs them side by side); the counts see those rows arrive, as long as a transaction
commits within ``WINDOW`` of its changes (requests are cut off after minutes, see
gunicorn.conf.py). Both read only the recent end of each table's date index, so they cost the same
at any size.

A page's ETag adds what else decides its content: the code that renders it (``code_version``),
the address, the language, today's date, the browser's cookies and the user. ``conditional_page``
answers a browser that holds the current page with ``304 Not Modified`` before the view runs.

The same version keys what the server keeps (``fresh_key``): pages (``kept_page``; whole, before
the rest of the stack: ``KeptPageMiddleware``), and parts of pages that are the same for many
readers (a plan's body, the activity search's hits). A change gives new keys; what was kept under
the old ones is never asked for again and expires (``KEEP_SECONDS``), or is pushed out by newer
entries. Nothing is invalidated, nothing is cleared.

Models of the project's apps without a history must be named in ``WITHOUT_HISTORY`` (never shown)
or ``WRITTEN_ONCE`` (rows never changed after they are written; their creation time stands in for
the history). tests/test_conditional_get.py fails on a model that is in neither and has no history,
and on a many-to-many field whose changes the history does not record.
"""

import functools
import hashlib
from datetime import timedelta
from importlib import import_module
from pathlib import Path

import django
import django_tables2
from django.apps import apps
from django.conf import settings
from django.contrib import auth
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.template.response import SimpleTemplateResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers, quote_etag
from django.utils.crypto import salted_hmac
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language

WINDOW = timedelta(hours=1)
# How long a kept page or part lives unused at most (memory, not correctness: keys name the data).
KEEP_SECONDS = 10 * 60

# Models of the project's apps that keep no history, and why no page needs one.
WITHOUT_HISTORY = {
    "ehalsa.Submission": "double-submit tokens: never shown",
    "ehalsa.LoginFailure": "the sign-in throttle's counts: never shown",
    "plans.ReminderSent": "which daily reminders were sent: never shown",
    "plans.ImportFile": "an uploaded table's bytes: read by the workers, never shown",
    "plans.ImportRow": "an import's rows as its check found them: shown on its own page only, never kept",
}
# Models whose rows carry the time of their last write, by field name, which dates them as a
# history row would: rows never changed once written (the models refuse it), or changed only
# with that field set (a PDF job's every step: plans.tasks).
WRITTEN_ONCE = {
    "plans.PlanVersion": "created_at",
    "plans.StoredPdf": "created_at",
    "plans.PdfJob": "updated_at",
    "plans.ReportVersion": "created_at",
    "plans.ReportPdf": "updated_at",
}
# Rows of a dated model that no kept page shows, by the field that is empty for them: a draft's PDF
# job (its version number empty) shows only on its status page, which is never kept. So a worker
# making a draft's PDF changes no data version, and kept pages stay while it works.
NOT_SHOWN_WHERE_EMPTY = {"plans.PdfJob": "version_number"}


def project_models() -> list:
    """The concrete models of the project's own apps (``PROJECT_APPS``), histories aside."""
    return [
        model
        for label in settings.PROJECT_APPS
        for model in apps.get_app_config(label).get_models()
        if not model.__name__.startswith("Historical")
    ]


@functools.cache
def dated_tables() -> tuple:
    """``(label, model whose rows date the changes, date field)`` for each model pages may show."""
    tables = []
    for model in project_models():
        label = model._meta.label
        if label in WRITTEN_ONCE:
            tables.append((label, model, WRITTEN_ONCE[label]))
        elif hasattr(model, "history"):
            tables.append((label, model.history.model, "history_date"))
        elif label not in WITHOUT_HISTORY:
            raise LookupError(f"{label} has no history: give it one, or name it in ehalsa.freshness")
    return tuple(tables)


@functools.cache
def marks_statements() -> tuple[str, str]:
    """Two statements, a row per table each: its latest date; how many of its rows are dated at or
    after a given time. Both read only the recent end of the date's index."""
    latest, recent = [], []
    quote = connection.ops.quote_name
    for label, model, field in dated_tables():
        rows, shown = model._base_manager.order_by(), ""
        if label in NOT_SHOWN_WHERE_EMPTY:
            required = NOT_SHOWN_WHERE_EMPTY[label]
            rows = rows.filter(**{f"{required}__isnull": False})
            shown = f" AND {quote(model._meta.get_field(required).column)} IS NOT NULL"
        latest.append(f"SELECT ({rows.order_by(f'-{field}').values(field)[:1].query})")
        table, column = model._meta.db_table, model._meta.get_field(field).column
        recent.append(f"SELECT COUNT(*) FROM {quote(table)} WHERE {quote(column)} >= %s{shown}")
    return " UNION ALL ".join(latest), " UNION ALL ".join(recent)


def data_version() -> str:
    """Differs after any committed change to anything a page may show (see the module docstring).

    Per table, the latest date, and how many rows are dated within WINDOW of the latest date of
    all: a commit's rows are dated within WINDOW of it, so at or after that cutoff whenever they
    do not move a table's latest date on."""
    latest_sql, recent_sql = marks_statements()
    with connection.cursor() as cursor:
        cursor.execute(latest_sql)
        latest = [row[0] for row in cursor.fetchall()]
        dates = [parse_datetime(value) if isinstance(value, str) else value for value in latest if value]
        cutoff = connection.ops.adapt_datetimefield_value(max(dates) - WINDOW) if dates else None
        recent = []
        if cutoff is not None:
            cursor.execute(recent_sql, [cutoff] * len(latest))
            recent = [row[0] for row in cursor.fetchall()]
    return hashlib.sha256(repr((latest, recent)).encode()).hexdigest()


def data_version_of(request) -> str:
    """The data version, read once per request."""
    if not hasattr(request, "_data_version"):
        request._data_version = data_version()
    return request._data_version


def source_files():
    folders = [Path(apps.get_app_config(label).path) for label in settings.PROJECT_APPS]
    folders += [Path(folder) for template in settings.TEMPLATES for folder in template.get("DIRS", [])]
    for folder in folders:
        yield from sorted(path for path in folder.rglob("*") if path.suffix in {".py", ".html", ".txt"})
    for folder in settings.LOCALE_PATHS:
        yield from sorted(Path(folder).rglob("*.mo"))
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"  # the hashed names of static files
    if manifest.exists():
        yield manifest


def code_version() -> str:
    """Differs when the code, templates, translations or static files that make a page differ, so a
    deployment gives new ETags. Read once per process (every request while developing)."""
    if settings.DEBUG:
        return read_code_version()
    return cached_code_version()


def read_code_version() -> str:
    digest = hashlib.sha256(f"{django.__version__} {django_tables2.__version__}".encode())
    for path in source_files():
        digest.update(str(path).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


cached_code_version = functools.cache(read_code_version)


def fresh_key(request, *parts) -> str:
    """A cache key for something made from the data as it is now, in the request's language, by the
    code as it is now, and named by ``parts`` (say, the plan and the address)."""
    text = "\n".join(map(str, [data_version_of(request), code_version(), get_language(), *parts]))
    return "fresh:" + hashlib.sha256(text.encode()).hexdigest()


def kept(key: str, make):
    """What ``make()`` gives, kept under ``key`` (from ``fresh_key``) for the next reader who asks."""
    value = cache.get(key)
    if value is None:
        value = make()
        cache.set(key, value, KEEP_SECONDS)
    return value


def messages_waiting(request) -> bool:
    """A message (say, "Saved") waits to be shown on the next page rendered: that page must be rendered."""
    if CookieStorage.cookie_name in request.COOKIES:
        return True
    session = getattr(request, "session", None)
    return bool(session is not None and session.get("_messages"))


def page_etag(request, negotiated=False) -> str:
    """What decides the page the request would get, as an opaque, unguessable validator (for a
    ``negotiated`` page, whose format follows the Accept header, that header too)."""
    user = request.user
    parts = [
        data_version_of(request),
        code_version(),
        request.get_full_path(),
        getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
        timezone.localdate().isoformat(),
        request.META.get("HTTP_COOKIE", ""),
    ]
    if negotiated:
        parts.append(request.META.get("HTTP_ACCEPT", ""))
    if user.is_authenticated:
        parts += [user.pk, user.get_username(), user.get_full_name(), user.is_staff, user.is_superuser]
    return salted_hmac("ehalsa.freshness.page_etag", "\n".join(map(str, parts)), algorithm="sha256").hexdigest()[:40]


def conditional_page(view, negotiated=False):
    """Conditional GET for a page: ``304 Not Modified`` without running the view when the browser
    holds the current page (its ETag matches); else the page with its ETag, kept for the next
    request that would get the same page (``kept_page``). Browsers revalidate every time
    (``no-cache``); pages for a signed-in user, or that set a cookie, are private to that browser.
    A page with a message waiting is always rendered. A ``negotiated`` page (its format chosen by
    the Accept header) has an ETag per Accept header and says so (``Vary: Accept``)."""

    def answer(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or messages_waiting(request):
            return view(request, *args, **kwargs)
        etag = page_etag(request, negotiated)
        response = get_conditional_response(request, etag=quote_etag(etag))
        if response is None:
            response = kept_page(request, etag, view, *args, **kwargs)
            if response.status_code != 200:
                return response
        response.headers.setdefault("ETag", quote_etag(etag))
        private = request.user.is_authenticated or bool(response.cookies)
        patch_cache_control(response, no_cache=True, **({"private": True} if private else {}))
        return response

    @functools.wraps(view)
    def page(request, *args, **kwargs):
        response = answer(request, *args, **kwargs)
        if negotiated:
            patch_vary_headers(response, ["Accept"])
        return response

    return page


def kept_page(request, etag: str, view, *args, **kwargs):
    """The view's page, or the copy kept from the last time the same page was asked for.

    Anonymous visitors without a session share one copy of each page. Any other request's page is
    kept under its ETag, which names everything the page depends on, that browser's cookies and
    user included: the server's copy of what the browser would hold. A page is kept only when a
    copy is as good as a new one: a plain 200 HTML page that left no message, no change to the
    session and no cookie to set (for a shared copy, no form token at all; for a browser's own
    copy, only a token of the CSRF cookie it already sends)."""
    shared = not request.user.is_authenticated and settings.SESSION_COOKIE_NAME not in request.COOKIES
    key = fresh_key(request, "anonymous page", timezone.localdate(), request.get_full_path()) if shared else etag
    key = f"page:{key}"
    hit = cache.get(key)
    if hit is not None:
        content, content_type = hit
        return HttpResponse(content, content_type=content_type)
    response = view(request, *args, **kwargs)

    def keep(response):
        token_used = request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        token_sent = request.META.get("CSRF_COOKIE") == request.COOKIES.get(settings.CSRF_COOKIE_NAME)
        left_nothing = not (
            response.cookies
            or request.session.modified
            or getattr(getattr(request, "_messages", None), "added_new", False)
            or (token_used and (shared or not token_sent))
        )
        if (
            response.status_code == 200
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and left_nothing
        ):
            cache.set(key, (response.content, response["Content-Type"]), KEEP_SECONDS)

    if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
        response.add_post_render_callback(keep)
    else:
        keep(response)
    return response


class KeptPageMiddleware:
    """Kept pages before sessions, the locale, CSRF or the view are touched: the whole response as
    it left the stack (its ETag, Content-Language and security headers included), under a key made
    from the data version like every kept page, so a change anywhere gives a new key and nothing is
    ever stale. A browser holding the page gets 304.

    Anonymous visitors share one copy of a page. A browser with a session gets its own copy, under
    the page's ETag (``page_etag``: the data, the code, the address, the language, the day, that
    browser's cookies and the user's name and standing), after its session and user are read from
    the database as for every request (``SESSION_ENGINE`` and the authentication backend): a
    session that has ended (signed out, expired), a user deactivated or whose password changed, in
    any process, read as anonymous at once and get another key.

    Only what ``conditional_page`` answered for that very key (its ETag) and left nothing behind is
    kept: a plain 200 HTML page that changed no session and set no cookie (but, for a browser's own
    copy, the CSRF cookie it sends, unchanged; the copy sets none); a shared copy is not private.
    Visitors with a message waiting always go through the whole stack."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.session_store = import_module(settings.SESSION_ENGINE).SessionStore

    def __call__(self, request):
        if (
            request.method != "GET"
            or CookieStorage.cookie_name in request.COOKIES
            or request.path.startswith(settings.STATIC_URL)
        ):
            return self.get_response(request)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return self.browser_page(request, language)
        parts = [data_version(), code_version(), language, timezone.localdate(), request.get_full_path()]
        key = "whole-page:" + hashlib.sha256("\n".join(map(str, parts)).encode()).hexdigest()
        return self.kept_or_made(request, key, shared=True)

    def browser_page(self, request, language):
        """A browser's own copy of the page; the session and the user read as the stack reads them."""
        request.session = self.session_store(request.COOKIES[settings.SESSION_COOKIE_NAME])
        if messages_waiting(request):
            return self.get_response(request)
        request.user = auth.get_user(request)
        request.LANGUAGE_CODE = language
        etag = page_etag(request)
        # The stack reads them afresh, as if nothing had been read here.
        del request.session, request.user, request.LANGUAGE_CODE
        return self.kept_or_made(request, "browser-page:" + etag, etag=quote_etag(etag))

    def kept_or_made(self, request, key, shared=False, etag=None):
        hit = cache.get(key)
        if hit is not None:
            content, headers = hit
            response = HttpResponse(content, headers=headers)
            return get_conditional_response(request, etag=headers["ETag"], response=response) or response
        response = self.get_response(request)
        control = response.get("Cache-Control", "")
        if (
            response.status_code == 200
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and response.has_header("ETag")
            and (etag is None or response["ETag"] == etag)
            and not (response.cookies if shared else cookies_left(request, response))
            and not (shared and "private" in control)
            and "no-store" not in control
            and not getattr(getattr(request, "session", None), "modified", False)
        ):
            cache.set(key, (response.content, dict(response.headers)), KEEP_SECONDS)
        return response


def cookies_left(request, response) -> bool:
    """Whether the response sets a cookie other than the CSRF cookie the browser sent, unchanged
    (Django sends that again whenever a page holds a form token, to renew it)."""
    return any(
        name != settings.CSRF_COOKIE_NAME or morsel.value != request.COOKIES.get(name)
        for name, morsel in response.cookies.items()
    )
