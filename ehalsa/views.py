import sys

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import Http404, HttpResponse, HttpResponseRedirect, HttpResponseServerError
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme


def healthz(request):
    """Liveness for load balancers; ``HealthCheckMiddleware`` normally answers before this runs."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


def choose_language(request, language):
    """The header's language link: remember the choice in a cookie and go back to the page.

    A plain link rather than a form, so that pages carry no per-visitor token and can be cached.
    """
    if language not in dict(settings.LANGUAGES):
        raise Http404
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
    )
    return response


def server_error(request):
    """500, or 503 with Retry-After while the database cannot be reached (a restart, a failover):
    the next request reconnects by itself (CONN_HEALTH_CHECKS), so the reader is told to try again.
    Neither page touches the database."""
    if database_unreachable(sys.exc_info()[1], connection):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "5"
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())


def database_unreachable(error, database) -> bool:
    """Whether ``error`` says that the ``database`` connection was lost, not that a query was wrong.

    Lost connections come as OperationalError or InterfaceError, Django's or, where Django does
    not translate them, the driver's own: a server-side cursor (the filter forms' choices) closed
    after its connection died raises psycopg2's. psycopg2 also reports some as a bare
    DatabaseError ("error with status PGRES_TUPLES_OK and no message from the libpq") or
    ProgrammingError ("named cursor isn't valid anymore"); the connection tells those apart from
    a wrong query: it is closed, or Django has let go of it after a failed rollback. An error whose
    code says that the database refused the statement itself is never an outage, even as an
    OperationalError (SQLite's "Expression tree is too large", PostgreSQL's "stack depth limit
    exceeded"): the same request would fail again, so it is a 500, not a 503 asking for a retry.
    """
    if refused_statement(error):
        return False
    driver = database.Database
    if isinstance(error, (OperationalError, InterfaceError, driver.OperationalError, driver.InterfaceError)):
        return True
    if isinstance(error, (DatabaseError, driver.DatabaseError)):
        raw = database.connection
        return raw is None or bool(getattr(raw, "closed", 0))
    return False


# SQLite's primary result codes for a statement it refuses: SQLITE_ERROR (a syntax or limit error
# such as "Expression tree is too large" or "too many SQL variables"), SQLITE_TOOBIG,
# SQLITE_MISMATCH, SQLITE_RANGE. Busy, locked, I/O and cannot-open codes are passing outages.
SQLITE_REFUSED_STATEMENT = {1, 18, 20, 25}
# PostgreSQL's SQLSTATE classes of a lost connection (08), a transaction that lost a race with
# another (40: deadlock, serialization failure), a lock not to be had now (55P03), a server short
# of resources (53) and an operator's intervention such as a restart (57P…): each passes, and the
# same request a moment later succeeds. Any other code is about the statement.
POSTGRESQL_OUTAGE = ("08", "40", "53", "55P03", "57P")


def refused_statement(error) -> bool:
    """Whether the database's own error code (on ``error`` or the driver's error Django wrapped) says
    that the statement was at fault, not the connection or the server."""
    for candidate in (error, error.__cause__):
        sqlite_code = getattr(candidate, "sqlite_errorcode", None)
        if sqlite_code is not None:
            return sqlite_code & 0xFF in SQLITE_REFUSED_STATEMENT
        sqlstate = getattr(candidate, "pgcode", None)
        if sqlstate:
            return not sqlstate.startswith(POSTGRESQL_OUTAGE)
    return False
