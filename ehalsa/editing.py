"""Saving edits without losing anyone's work: optimistic concurrency on versioned rows.

Every editable row carries ``version``. A form posts the version it was opened at; the save first
claims ``version → version + 1`` with a conditional UPDATE, which only one of two concurrent saves
can win (on SQLite and PostgreSQL alike). The loser gets ``EditConflict`` and the user keeps what
they typed.
"""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import QueryDict
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic.edit import DeletionMixin, FormMixin

from . import once
from .forms import PlainTextMixin
from .login import last_signed_in_here, username_key
from .once import SubmittedOnceForm


class EditConflict(Exception):
    """Someone else saved (or deleted) the row since the form was opened."""

    def __init__(self, current):
        super().__init__("edit conflict")
        self.current = current  # the row as it is now, or None when it was deleted


@transaction.atomic
def save_checked(instance, *, expected_version: int | None) -> None:
    """Save ``instance`` if nobody saved it since ``expected_version``; new rows just save."""
    model = type(instance)
    if instance.pk is not None:
        claimed = model.objects.filter(pk=instance.pk, version=expected_version).update(version=F("version") + 1)
        if not claimed:
            raise EditConflict(model.objects.filter(pk=instance.pk).first())
        instance.version = expected_version + 1
    instance.save()


class VersionedModelForm(SubmittedOnceForm, PlainTextMixin, forms.ModelForm):
    """A ModelForm that carries the row's version in a hidden field (see ``save_checked``); a form
    for a new row carries a token instead, so that posting it twice adds one row (``ehalsa.once``)."""

    DAMAGED = _("The form's version mark was damaged, so nothing was saved. Your input is kept; save again.")

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        required=False,
        error_messages={"invalid": DAMAGED, "min_value": DAMAGED, "required": DAMAGED},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["version"].required = True

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and "version" in self.errors:
            # Show the message once, with the form's other errors, and let the next save go through.
            self.data = self.data.copy()
            self.data[self.add_prefix("version")] = self.instance.version
        return cleaned

    def changed_by_others(self, current) -> list[tuple[str, str, str]]:
        """(label, what this form says, what the row says now) for every field that differs."""
        differences = []
        for name, field in self.fields.items():
            if name == "version" or name not in self.cleaned_data:
                continue
            if name in [f.name for f in current._meta.many_to_many]:
                now = ", ".join(str(item) for item in getattr(current, name).all())
                mine = ", ".join(str(item) for item in self.cleaned_data[name])
            else:
                display = getattr(current, f"get_{name}_display", None)
                now = display() if display else getattr(current, name, "")
                mine = self.cleaned_data[name]
                if display and mine and hasattr(field, "choices"):
                    mine = dict(field.choices).get(mine, mine)
            if str(mine or "") != str(now or ""):
                differences.append((str(field.label), str(mine or "–"), str(now or "–")))
        return differences

    def show_conflict(self, conflict: EditConflict) -> None:
        """Keep the user's input; explain; let a second save knowingly replace the other change."""
        if conflict.current is None:
            self.add_error(None, _("Someone else deleted this while you were editing. Nothing was saved."))
            return
        self.conflict_differences = self.changed_by_others(conflict.current)
        self.add_error(
            None,
            _(
                "Someone else changed this while you were editing. Your changes were not saved; they are "
                "still in the form. Compare them with the current values below and save again to replace them."
            ),
        )
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = conflict.current.version


class KeepInputMixin(LoginRequiredMixin):
    """Login required, and what the user typed survives a lapsed sign-in or a refused save.

    - A form posted after the session ran out: the input is kept in the (new) session under the
      address, the user signs in, and the form at that address comes back filled in. A GET only
      reads it; the next POST to the address removes it.
    - A refusal known before saving (``self.refusal``, set while dispatching: the row was deleted,
      the plan is no longer a draft): the form comes back with the input and the reason, status
      409, and nothing is saved.
    """

    KEPT = "kept-input:"
    KEPT_SIZE = 64 * 1024
    KEPT_FORMS = 5
    KEPT_FOR = timedelta(hours=12)
    refusal = None

    def keeps_input(self) -> bool:
        """Whether the view takes typed input (a form that is not a plain delete confirmation)."""
        return isinstance(self, FormMixin) and not isinstance(self, DeletionMixin)

    def dispatch(self, request, *args, **kwargs):
        if request.method == "POST" and request.user.is_authenticated:
            request.session.pop(self.KEPT + request.path, None)
        return super().dispatch(request, *args, **kwargs)

    def handle_no_permission(self):
        request = self.request
        if request.method == "POST" and not request.user.is_authenticated and self.keeps_input():
            self.keep_input(request)
        return super().handle_no_permission()

    def keep_input(self, request) -> None:
        """Keep what was posted, for the account that last signed in with this browser only (whoever
        signs in next here sees nothing of another's), within bounds: a post of up to ``KEPT_SIZE``
        characters, the ``KEPT_FORMS`` latest forms, for ``KEPT_FOR``. Anything else keeps nothing."""
        owner = last_signed_in_here(request)
        data = request.POST.copy()
        data.pop("csrfmiddlewaretoken", None)
        values = dict(data.lists())
        if not owner or sum(len(name) + sum(map(len, v)) for name, v in values.items()) > self.KEPT_SIZE:
            return
        stashes = sorted(
            (key for key in request.session.keys() if key.startswith(self.KEPT)),
            key=lambda key: request.session[key].get("at", 0),
        )
        for old in stashes[: max(0, len(stashes) - self.KEPT_FORMS + 1)]:
            del request.session[old]
        request.session[self.KEPT + request.path] = {
            "owner": owner,
            "at": timezone.now().timestamp(),
            "values": values,
        }
        messages.info(
            request,
            _("You had been signed out, so nothing was saved. Sign in and what you typed is filled in again."),
        )

    def kept_input(self) -> QueryDict | None:
        """The input kept for this address when this user was signed out, for a GET of its form."""
        if self.request.method != "GET":
            return None
        kept = self.request.session.get(self.KEPT + self.request.path)
        if not isinstance(kept, dict) or "values" not in kept:
            return None
        if kept["owner"] != username_key(self.request.user.get_username()):
            return None
        if timezone.now().timestamp() - kept["at"] > self.KEPT_FOR.total_seconds():
            return None
        data = QueryDict(mutable=True)
        for name, values in kept["values"].items():
            data.setlist(name, values)
        return data

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kept = self.kept_input()
        if kept is not None:
            kwargs["data"] = kept
            messages.info(
                self.request,
                _(
                    "You had been signed out, so nothing was saved then. "
                    "What you typed has been filled in again; check it and save."
                ),
            )
        return kwargs

    def form_valid(self, form):
        if self.refusal:
            return self.form_invalid(form)
        return super().form_valid(form)

    def form_invalid(self, form):
        if not self.refusal:
            return super().form_invalid(form)
        form.add_error(None, self.refusal)
        return self.render_to_response(self.get_context_data(form=form, refused=True), status=409)


class VersionedSaveMixin:
    """Saves a VersionedModelForm with the version check; on any refusal the input stays in the form."""

    success_text = ""

    def prepare(self, instance):
        """Set what the form does not carry (e.g. the plan) before validation and saving."""

    def form_valid(self, form):
        before = getattr(self, "object", None)
        try:
            with transaction.atomic():
                earlier = once.claim(form, self.request.user)
                if earlier is not None:  # the same form posted again: it was saved the first time
                    return once.where_it_went(self.request, earlier, self.get_success_url())
                self.object = form.save(commit=False)
                save_checked(self.object, expected_version=form.cleaned_data.get("version"))
                form.save_m2m()
                self.after_save(form)
                once.record_result(form, self.get_success_url())
        except (EditConflict, ValidationError, IntegrityError) as refusal:
            self.object = before  # nothing was saved
            self.explain(form, refusal)
            return self.form_invalid(form)
        if self.success_text:
            messages.success(self.request, self.success_text)
        return redirect(self.get_success_url())

    @staticmethod
    def explain(form, refusal) -> None:
        """Why the save was refused, on the form that keeps the input."""
        if isinstance(refusal, EditConflict):
            form.show_conflict(refusal)
            return
        if isinstance(refusal, IntegrityError):
            # Someone saved a clashing row (say, the same activity number) after this form was
            # checked: check again against what is there now, to name the field.
            try:
                form.instance.validate_constraints()
            except ValidationError as error:
                refusal = error
            else:
                refusal = _("This could not be saved because it clashes with other data; check the fields.")
        form.add_error(None, refusal)

    def form_invalid(self, form):
        # The same form posted twice: the first post saved it while this one was being checked.
        if (earlier := once.already_saved(form, self.request.user)) is not None:
            return once.where_it_went(self.request, earlier, self.get_success_url())
        return super().form_invalid(form)

    def after_save(self, form):
        """Save what hangs on the object (formsets), inside the same transaction."""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if kwargs.get("instance") is None:
            # A new row: give it its plan and place before the form validates it.
            kwargs["instance"] = self.model()
            self.prepare(kwargs["instance"])
        return kwargs


class FormPageMixin:
    """The shared edit page template with its heading and the way back."""

    template_name = "editing/form_page.html"
    heading = ""
    submit_label = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("heading", self.heading)
        context.setdefault("submit_label", self.submit_label or _("Save"))
        context.setdefault("cancel_url", self.get_success_url())
        return context
