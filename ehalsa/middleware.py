from django.conf import settings
from django.db import connections
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _


class HealthCheckMiddleware:
    """Answer ``/healthz`` first, before sessions, hosts or the database are touched.

    Load balancers call it to see that the process is alive; the benchmarks use it as the floor.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            return HttpResponse("ok", content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class SwedishFirstLocaleMiddleware:
    """Swedish unless the user chose another language with the language switch.

    Django's LocaleMiddleware follows the browser's Accept-Language; a Swedish public service
    speaks Swedish to everyone by default, so only the explicit choice (the language cookie) counts.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Cookie"])
        return response


ADDRESS_TOO_LONG = _("The address is longer than the service accepts (at most 4,096 characters).")


class LongAddressMiddleware:
    """Answer over-long addresses with the site's own 414, before sessions or the database are touched.

    gunicorn lets request lines through up to its own limit (gunicorn.conf.py); below that, the
    reader gets a Swedish page from here rather than the server's English one.
    """

    LIMIT = 4096  # characters of path and query string, as sent

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if len(request.get_full_path()) > self.LIMIT:
            if request.path.startswith("/api/"):  # the open-data API answers in its own JSON shape
                from ehalsa.api.errors import in_both

                return JsonResponse({"code": "uri_too_long", **in_both(ADDRESS_TOO_LONG)}, status=414)
            return HttpResponse(render_to_string("414.html"), status=414)
        return self.get_response(request)


class MethodNotAllowedPageMiddleware:
    """Give a 405 without a body (``View.http_method_not_allowed``) the site's own Swedish page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.streaming and not response.content:
            response.content = render_to_string("405.html", request=request)
            response["Content-Type"] = "text/html; charset=utf-8"
        return response


class ReadingTransactionMiddleware:
    """On SQLite, a request that only reads (GET, HEAD, OPTIONS: GET never writes,
    tests/test_get_never_writes.py) begins its transaction (``ATOMIC_REQUESTS``) as a plain read,
    ``BEGIN DEFERRED``, instead of ``BEGIN IMMEDIATE``, which takes the database's one write lock.

    Saves keep taking the lock as they begin (settings: ``transaction_mode``), so they never fail on
    it; readers no longer queue for it behind each other and behind saves (in WAL mode a read sees
    the last committed state and waits for nobody). The read keeps one snapshot for the whole
    request, as before. PostgreSQL begins every transaction alike and is left as it is."""

    READING = frozenset({"GET", "HEAD", "OPTIONS"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in self.READING:
            return self.get_response(request)
        changed = []
        for connection in connections.all(initialized_only=False):
            if connection.vendor == "sqlite" and connection.settings_dict.get("ATOMIC_REQUESTS"):
                connection.ensure_connection()  # (re)connecting sets the mode from the settings
                changed.append((connection, connection.transaction_mode))
                connection.transaction_mode = "DEFERRED"
        try:
            return self.get_response(request)
        finally:
            for connection, mode in changed:
                connection.transaction_mode = mode
