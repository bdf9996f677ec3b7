from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "finance"
    verbose_name = _("Finance")

    def ready(self):
        from governance.leaving import register as register_leaving
        from plans.imports.registry import register as register_importer
        from plans.parts import register

        from .importer import BudgetImporter
        from .leaving import budgets_affected
        from .parts import BudgetPart

        register(BudgetPart())
        register_importer(BudgetImporter())
        register_leaving(budgets_affected)
