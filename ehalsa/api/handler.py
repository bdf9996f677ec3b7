"""The API's exception handler: DRF's answer (status, Retry-After, Allow) with the body in the API's
shape (ehalsa.api.errors)."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import GENERIC, TOO_MANY, ApiError, in_both


def exception_handler(exc, context):
    """DRF's answer (status, Retry-After, Allow) with the body in the API's shape."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, ApiError):
        response.data = exc.body
    elif isinstance(exc, exceptions.Throttled):
        seconds = int(exc.wait or 1)
        response.data = {"code": "throttled", **in_both(TOO_MANY, seconds=seconds)}
    else:
        code, message = next(
            ((code, message) for kind, (code, message) in GENERIC.items() if isinstance(exc, kind)),
            ("bad_request", _("The request is not valid.")),
        )
        response.data = {"code": code, **in_both(message)}
    return response
