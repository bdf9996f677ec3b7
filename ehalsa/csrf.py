"""The page for a form whose CSRF token did not match (settings.CSRF_FAILURE_VIEW).

The usual cause is harmless: the user signed in again in another tab, which gives a new token, and
then saved a form opened before. Nothing is saved, but what they typed comes back. When the post
came from this site's own pages (its Origin, or else its Referer, is this site), the page offers a
fresh form with a new token that posts the same values to the same address once the user has
checked them. A post from anywhere else only has its values shown, read-only, so that a cross-site
post is never one click away.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.forms import HiddenInput
from django.shortcuts import render
from django.urls import Resolver404, resolve

# Never echoed: passwords, and the stale token itself.
NOT_SHOWN = ("csrfmiddlewaretoken", "password")
# Formset bookkeeping and row ids: posted again, but not for the reader to edit.
TECHNICAL_SUFFIXES = ("-TOTAL_FORMS", "-INITIAL_FORMS", "-MIN_NUM_FORMS", "-MAX_NUM_FORMS", "-id")


@dataclass
class PostedField:
    name: str
    label: str
    values: list[str]
    hidden: bool


def csrf_failure(request, reason=""):
    return render(
        request,
        "403_csrf.html",
        {"fields": posted_fields(request), "resend": from_this_site(request), "action": request.get_full_path()},
        status=403,
    )


def from_this_site(request) -> bool:
    """Whether the browser says the post came from this site's own pages (Origin, else Referer)."""
    own = f"{request.scheme}://{request.get_host()}"
    origin = request.headers.get("Origin")
    if origin and origin != "null":
        return origin == own
    referer = urlsplit(request.headers.get("Referer", ""))
    return bool(referer.netloc) and f"{referer.scheme}://{referer.netloc}" == own


def posted_fields(request) -> list[PostedField]:
    if request.method != "POST":
        return []
    form_fields = form_fields_of(request)
    fields = []
    for name, values in request.POST.lists():
        if any(word in name.lower() for word in NOT_SHOWN):
            continue
        field = form_fields.get(name)
        hidden = name.endswith(TECHNICAL_SUFFIXES) or bool(field and isinstance(field.widget, HiddenInput))
        label = str(field.label) if field is not None and field.label else name
        fields.append(PostedField(name=name, label=label, values=values, hidden=hidden))
    return fields


def form_fields_of(request) -> dict:
    """The fields of the form the address's view shows, where it names its form class; else none."""
    try:
        view_class = getattr(resolve(request.path_info).func, "view_class", None)
    except Resolver404:
        return {}
    form_class = getattr(view_class, "form_class", None)
    return dict(getattr(form_class, "base_fields", {}))
