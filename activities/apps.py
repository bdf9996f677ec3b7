from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Activities")

    def ready(self):
        from plans.imports.registry import register as register_importer
        from plans.parts import register

        from .importer import ActivityImporter
        from .local_part import LocalChoicesPart
        from .measure_report import MeasuresReportPart
        from .parts import ActivitiesPart

        register(ActivitiesPart())
        register(MeasuresReportPart())
        register_importer(ActivityImporter())
        register(LocalChoicesPart())
