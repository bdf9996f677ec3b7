"""The kernel's own rows: none of the domain's."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Submission(models.Model):
    """A form that adds something, posted once: the token the form carried, claimed by the post that
    saved it, what it posted (as a digest) and where that post led. A second post of the same form
    with the same content (a double click, a resent request) finds the token taken and is sent there
    too; the same form posted again with other content (back, changed, saved) is a new row
    (``ehalsa.once``)."""

    token = models.UUIDField(_("token"), unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(_("digest"), max_length=64, blank=True, help_text=_("SHA-256 of what was posted."))
    result_url = models.TextField(_("result"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self):
        return str(self.token)


class LoginFailure(models.Model):
    """A wrong password, counted by the sign-in throttle (``ehalsa/login.py``) for a while."""

    username = models.CharField(_("username"), max_length=150, help_text=_("As typed, case-folded."))
    address = models.CharField(_("address"), max_length=64, help_text=_("IPv4 address, or IPv6 /64 network."))
    browser = models.CharField(
        _("known browser"),
        max_length=64,
        blank=True,
        help_text=_("The browser's sign-in token when it has signed in to this account before."),
    )
    at = models.DateTimeField(_("time"), db_index=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("failed sign-in")
        verbose_name_plural = _("failed sign-ins")
        indexes = [
            models.Index(fields=["username", "at"], name="ehalsa_loginfailure_user_at"),
            models.Index(fields=["address", "at"], name="ehalsa_loginfailure_addr_at"),
            models.Index(fields=["browser", "at"], name="ehalsa_loginfailure_browser_at"),
        ]

    def __str__(self):
        return f"{self.username} @ {self.address} {self.at:%Y-%m-%d %H:%M}"
