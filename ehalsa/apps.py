from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EhalsaConfig(AppConfig):
    name = "ehalsa"
    verbose_name = _("E-health action plans")
