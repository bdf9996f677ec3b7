"""The kernel's own rows: none of the domain's."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Submission(models.Model):
    """A form that adds something, posted once: the token the form carried, claimed by the post that
    saved it, and where that post led. A second post of the same form (a double click, a resent
    request) finds the token taken and is sent there too (``ehalsa.once``)."""

    token = models.UUIDField(_("token"), unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    result_url = models.CharField(_("result"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self):
        return str(self.token)
