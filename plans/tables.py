import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from ehalsa.tables import BaseTable, NumberColumn, PeriodColumn

from .models import ActionPlan


class ActionPlanTable(BaseTable):
    row_template = "plans/includes/actionplan_rows.html"

    title = tables.Column(linkify=True)
    cooperation = tables.Column(accessor="cooperation__display_name", order_by="cooperation__name")
    period = PeriodColumn(first="first_year", last="last_year")
    status = tables.Column()
    activity_count = NumberColumn(verbose_name=_("Activities"))
    adoption = tables.Column(
        verbose_name=_("Adoption by municipalities"),
        accessor="adopted_municipalities",
        order_by="adopted_municipalities",
    )

    class Meta(BaseTable.Meta):
        model = ActionPlan
        fields = ["title", "cooperation", "period", "status", "activity_count", "adoption"]
        empty_text = _("No action plans match the filter.")

    def value_adoption(self, record):
        return record.adopted_municipalities
