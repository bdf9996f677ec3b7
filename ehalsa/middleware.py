import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_vary_headers


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


class AnonymousPageCacheMiddleware:
    """Serve anonymous readers' pages from the cache, exactly as they would be rendered now.

    Adopted plans are public and read far more often than they change. For a visitor without a
    session (so: not signed in, no messages waiting) a GET page under the public paths is cached
    per path, query string and language, keyed by the plans' content version: any change to any
    plan or to reference data gives a new key, so a cached page is never stale. Responses that set
    a cookie (e.g. a CSRF token), are not plain 200 HTML or say ``no-store`` are never cached.
    """

    PREFIXES = ("/planer/", "/aktiviteter/")
    TIMEOUT = 24 * 60 * 60

    def __init__(self, get_response):
        self.get_response = get_response
        self.version_seen = None

    def cacheable(self, request) -> bool:
        return (
            request.method == "GET"
            and (request.path == "/" or request.path.startswith(self.PREFIXES))
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "messages" not in request.COOKIES
            and "export" not in request.GET
        )

    def __call__(self, request):
        if not self.cacheable(request):
            return self.get_response(request)
        from plans.models import ActionPlan

        version = ActionPlan.objects.content_version()
        if version != self.version_seen:
            # Everything this process cached (pages, plan bodies) was made from older content and
            # will not be asked for again: let it go at once, so memory stays flat while people edit.
            if self.version_seen is not None:
                cache.clear()
            self.version_seen = version
        key = "page:{}:{}:{}:{}".format(
            version,
            getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
            request.path,
            request.META.get("QUERY_STRING", ""),
        )
        key = "anon:" + hashlib.sha256(key.encode()).hexdigest()
        hit = cache.get(key)
        if hit is not None:
            content, content_type, language = hit
            response = HttpResponse(content, content_type=content_type)
            response.headers["Content-Language"] = language
            patch_vary_headers(response, ["Cookie"])
            return response
        response = self.get_response(request)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and response.get("Content-Type", "").startswith("text/html")
            and "no-store" not in response.get("Cache-Control", "")  # e.g. how far a PDF is
        ):
            cache.set(
                key, (response.content, response["Content-Type"], response.get("Content-Language", "")), self.TIMEOUT
            )
        return response


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
