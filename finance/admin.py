from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ehalsa.admin_columns import year_column

from .models import BudgetEntry, BudgetHeading, BudgetOutcome, CostSharingKey, FinancingParty, KeyShare, MunicipalAmount


@admin.register(BudgetEntry)
class BudgetEntryAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "year_as_year", "description", "kind", "category", "is_estimate", "amount", "party"]
    year_as_year = year_column(BudgetEntry, "year")
    list_filter = ["kind", "category", "is_estimate", "repeat", "year", "plan__cooperation"]
    search_fields = ["description", "plan__title"]
    autocomplete_fields = ["plan"]
    list_select_related = ["plan", "party__organisation"]
    raw_id_fields = ["activities", "party", "heading"]


@admin.register(BudgetOutcome)
class BudgetOutcomeAdmin(SimpleHistoryAdmin):
    list_display = ["entry", "year_as_year", "amount", "recorded_by"]
    year_as_year = year_column(BudgetOutcome, "year")
    list_filter = ["year", "entry__plan__cooperation"]
    search_fields = ["entry__description", "entry__plan__title", "comment"]
    raw_id_fields = ["entry", "recorded_by"]
    list_select_related = ["entry__plan", "recorded_by"]


@admin.register(FinancingParty)
class FinancingPartyAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "display_name", "is_municipalities", "organisation", "in_fund"]
    list_filter = ["is_municipalities", "in_fund", "plan__cooperation"]
    search_fields = ["name", "organisation__name", "plan__title"]
    autocomplete_fields = ["plan", "organisation"]
    list_select_related = ["plan", "organisation"]


class KeyShareInline(admin.TabularInline):
    model = KeyShare
    extra = 0
    raw_id_fields = ["party"]


@admin.register(KeyShare)
class KeyShareAdmin(SimpleHistoryAdmin):
    list_display = ["key", "party", "percent"]
    list_filter = ["key__plan__cooperation"]
    search_fields = ["key__plan__title", "party__name", "party__organisation__name"]
    raw_id_fields = ["key", "party"]


@admin.register(CostSharingKey)
class CostSharingKeyAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "from_year_as_year", "municipal_split", "population_date"]
    from_year_as_year = year_column(CostSharingKey, "from_year")
    list_filter = ["municipal_split", "plan__cooperation"]
    search_fields = ["plan__title"]
    autocomplete_fields = ["plan"]
    inlines = [KeyShareInline]


@admin.register(BudgetHeading)
class BudgetHeadingAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "title", "order"]
    list_filter = ["plan__cooperation"]
    search_fields = ["title", "plan__title"]
    autocomplete_fields = ["plan"]


@admin.register(MunicipalAmount)
class MunicipalAmountAdmin(SimpleHistoryAdmin):
    list_display = ["key", "organisation", "amount"]
    list_filter = ["key__plan__cooperation"]
    search_fields = ["key__plan__title", "organisation__name"]
    raw_id_fields = ["key", "organisation"]
