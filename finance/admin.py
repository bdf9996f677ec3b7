from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ehalsa.admin_columns import year_column

from .models import BudgetEntry, CostSharingKey


@admin.register(BudgetEntry)
class BudgetEntryAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "year_as_year", "description", "kind", "category", "is_estimate", "amount", "attribution"]
    year_as_year = year_column(BudgetEntry, "year")
    list_filter = ["kind", "category", "is_estimate", "attribution", "year", "plan__cooperation"]
    search_fields = ["description", "plan__title"]
    autocomplete_fields = ["plan"]
    list_select_related = ["plan"]


@admin.register(CostSharingKey)
class CostSharingKeyAdmin(SimpleHistoryAdmin):
    list_display = [
        "plan",
        "year_as_year",
        "region_percent",
        "municipalities_percent",
        "municipal_split",
        "population_date",
    ]
    year_as_year = year_column(CostSharingKey, "year")
    list_filter = ["municipal_split", "plan__cooperation"]
    search_fields = ["plan__title"]
    autocomplete_fields = ["plan"]
