"""Forms that add something do it once, however many times they are posted.

A form for a new row carries a random token (``SubmittedOnceForm``), made when the form is shown, so
a GET writes nothing. The post that saves claims the token in the same transaction as the new row
(``claim``); a second post of the same form finds it taken and is sent where the first one went.
On PostgreSQL the second insert waits on the unique index until the first post commits; on SQLite
writes are taken one at a time. So concurrent posts of one form make one row.
"""

import hashlib
import json
import uuid
from datetime import timedelta

from django import forms
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Submission

# Tokens are kept long enough to catch a repeated post, then let go of.
KEPT_FOR = timedelta(days=2)
ALREADY_SAVED = _("This form was already saved; it was saved once.")


class SubmittedOnceForm(forms.Form):
    """Mix into a form for a new row: a hidden token that makes its post count once."""

    submission = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk is not None:
            del self.fields["submission"]  # an edit is guarded by its version instead
        else:
            self.fields["submission"].initial = uuid.uuid4()


def digest_of(form) -> str:
    """What the form posted (its own fields and formsets, not the CSRF token), as a SHA-256."""
    posted = {key: form.data.getlist(key) if hasattr(form.data, "getlist") else form.data[key] for key in form.data}
    posted.pop("csrfmiddlewaretoken", None)
    return hashlib.sha256(json.dumps(posted, sort_keys=True, default=str).encode()).hexdigest()


def claim(form, user) -> Submission | None:
    """Claim the form's token for this post; the earlier submission when this post repeats it.

    Call inside the transaction that saves; ``record_result`` tells where the post led. A post of
    the same form with other content (the user went back and changed it) is no repeat: it is saved.
    """
    token = form.cleaned_data.get("submission")
    if not token:
        return None
    digest = digest_of(form)
    try:
        with transaction.atomic():
            form.submission_claimed = Submission.objects.create(token=token, user=user, digest=digest)
    except IntegrityError:
        earlier = Submission.objects.filter(token=token, user=user).first()
        if earlier is not None and earlier.digest != digest:
            return None  # changed since: a new row, not a repeat
        return earlier or Submission(token=token)
    Submission.objects.filter(created_at__lt=timezone.now() - KEPT_FOR).delete()
    return None


def already_saved(form, user) -> Submission | None:
    """The user's earlier post of this very form with the same content, when one saved it (say,
    while this one was being checked)."""
    token = form.cleaned_data.get("submission") if hasattr(form, "cleaned_data") else None
    if not token:
        return None
    return Submission.objects.filter(token=token, user=user, digest=digest_of(form)).first()


def record_result(form, url: str) -> None:
    submission = getattr(form, "submission_claimed", None)
    if submission is not None:
        submission.result_url = url
        submission.save(update_fields=["result_url"])


def where_it_went(request, earlier: Submission, fallback_url: str):
    """The answer to a repeated post: where the first one led, saying that it was saved then."""
    messages.info(request, ALREADY_SAVED)
    return redirect(earlier.result_url or fallback_url)
