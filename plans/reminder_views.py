"""A user's reminders: their setting (signed in), and the page an e-mail's link opens to stop them
(a signed token in the address, no sign-in; stopping takes a POST, since a GET never writes)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, View

from .models import ReminderSetting
from .reminders import reminders_set, user_of_token, wants_reminders


class ReminderSettingsForm(forms.Form):
    send_reminders = forms.BooleanField(
        label=capfirst(ReminderSetting._meta.get_field("send_reminders").verbose_name),
        help_text=ReminderSetting._meta.get_field("send_reminders").help_text,
        required=False,
    )


class ReminderSettingsView(LoginRequiredMixin, FormView):
    """Turn the daily reminder e-mail on or off; sent again, the form sets the same."""

    template_name = "reminders/settings.html"
    form_class = ReminderSettingsForm
    heading = gettext_lazy("Reminders by e-mail")

    def get_initial(self):
        return {"send_reminders": wants_reminders(self.request.user)}

    def form_valid(self, form):
        on = form.cleaned_data["send_reminders"]
        reminders_set(user=self.request.user, on=on)
        messages.success(self.request, _("Reminders are on.") if on else _("Reminders are off."))
        return redirect("reminders:settings")


class UnsubscribeView(View):
    """The link in every reminder: asks, then stops that user's reminders."""

    template_name = "reminders/unsubscribe.html"

    def dispatch(self, request, *args, **kwargs):
        self.user = user_of_token(kwargs["token"])
        if self.user is None:
            return render(request, self.template_name, {"invalid": True}, status=404)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return render(request, self.template_name, {"subscriber": self.user, "on": wants_reminders(self.user)})

    def post(self, request, *args, **kwargs):
        reminders_set(user=self.user, on=False)
        return render(request, self.template_name, {"subscriber": self.user, "stopped": True})
