from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ehalsa.admin_columns import year_column

from .models import ActionPlan, Goal, Section


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0
    fields = ["order", "level", "heading", "body"]


class GoalInline(admin.StackedInline):
    model = Goal
    extra = 0
    fields = ["order", "title", "description"]


@admin.register(ActionPlan)
class ActionPlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "cooperation", "first_year_as_year", "last_year_as_year", "status"]
    first_year_as_year = year_column(ActionPlan, "first_year")
    last_year_as_year = year_column(ActionPlan, "last_year")
    list_filter = ["status", "cooperation", "cooperation__county", "first_year"]
    search_fields = ["title", "subtitle", "cooperation__name"]
    autocomplete_fields = ["cooperation", "previous_plan"]
    inlines = [SectionInline, GoalInline]


@admin.register(Section)
class SectionAdmin(SimpleHistoryAdmin):
    list_display = ["heading", "plan", "order", "level"]
    list_filter = ["plan__cooperation", "level"]
    search_fields = ["heading", "body", "plan__title"]
    autocomplete_fields = ["plan"]


@admin.register(Goal)
class GoalAdmin(SimpleHistoryAdmin):
    list_display = ["title", "plan", "order"]
    list_filter = ["plan__cooperation"]
    search_fields = ["title", "description", "plan__title"]
    autocomplete_fields = ["plan"]
