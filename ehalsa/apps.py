from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class EhalsaConfig(AppConfig):
    name = "ehalsa"
    verbose_name = _("E-health action plans")

    def ready(self):
        from simple_history.signals import pre_create_historical_record

        from .history import date_by_request
        from .sqlite import install_unicode_like

        connection_created.connect(install_unicode_like, dispatch_uid="ehalsa-sqlite-unicode-like")
        # The rows one request changes share one date in the history: one save, one entry.
        pre_create_historical_record.connect(date_by_request, dispatch_uid="ehalsa-history-date-by-request")
