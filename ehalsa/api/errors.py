"""The API's errors, one shape everywhere: ``{"code", "detail", "detail_en"}``, and for bad query
parameters ``"errors"`` and ``"errors_en"`` (parameter → messages). Swedish first, English beside it,
both from the Swedish catalogue (locale/), whatever language the request asks for.

Bad input is a 400 (unknown parameter, malformed page or page size, a filter value that is no
choice), what is not public or does not exist a 404, too many requests a 429 with Retry-After.
"""

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions


def in_both(message, **params) -> dict:
    """``message`` (lazy) in Swedish and in English, ``params`` filled in."""
    texts = {}
    for language, key in (("sv", "detail"), ("en", "detail_en")):
        with translation.override(language):
            texts[key] = str(message) % params if params else str(message)
    return texts


class ApiError(exceptions.APIException):
    """An error with its code, its message in both languages and, for parameters, their messages."""

    def __init__(self, status: int, code: str, message, *, errors=None, errors_en=None, **params):
        self.status_code = status
        self.body = {"code": code, **in_both(message, **params)}
        if errors is not None:
            self.body |= {"errors": errors, "errors_en": errors_en}
        super().__init__(self.body["detail_en"], code)


NOT_FOUND = _("There is no such public content (drafts are never published).")
GENERIC = {
    exceptions.NotFound: ("not_found", NOT_FOUND),
    exceptions.MethodNotAllowed: ("method_not_allowed", _("The API is read-only: only GET and HEAD are answered.")),
    exceptions.NotAcceptable: ("not_acceptable", _("The API answers in JSON only (Accept: application/json).")),
    exceptions.ParseError: ("parse_error", _("The request could not be read.")),
    exceptions.UnsupportedMediaType: ("unsupported_media_type", _("The API reads no request bodies.")),
}
TOO_MANY = _("Too many requests: try again in %(seconds)s seconds.")

# Django's own Swedish for a required field ("Detta fält måste fyllas i."), kept in our catalogue:
# rest_framework's catalogue, installed with the API, would otherwise replace it on every form of the site.
REQUIRED = _("This field is required.")


def refuse_unknown(params, known) -> None:
    """A 400 naming the parameters of ``params`` not in ``known`` (none is ignored)."""
    unknown = sorted(set(params) - set(known))
    if unknown and not known:
        raise ApiError(
            400, "unknown_parameter", _("This address takes no parameters: %(names)s."), names=", ".join(unknown)
        )
    if unknown:
        raise ApiError(
            400,
            "unknown_parameter",
            _("Unknown parameter: %(names)s. Known: %(known)s."),
            names=", ".join(unknown),
            known=", ".join(sorted(known)),
        )
