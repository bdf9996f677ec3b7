from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Activities")

    def ready(self):
        from plans.parts import register

        from .local_part import LocalChoicesPart
        from .measure_report import MeasuresReportPart
        from .parts import ActivitiesPart

        register(ActivitiesPart())
        register(MeasuresReportPart())
        register(LocalChoicesPart())
