from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class EhalsaConfig(AppConfig):
    name = "ehalsa"
    verbose_name = _("E-health action plans")

    def ready(self):
        from .sqlite import install_unicode_like

        connection_created.connect(install_unicode_like, dispatch_uid="ehalsa-sqlite-unicode-like")
