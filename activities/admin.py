from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ehalsa.admin_columns import year_column

from .local_models import LocalChoice
from .models import (
    Activity,
    ActivityReference,
    Area,
    EffortShare,
    FollowUp,
    Framework,
    FrameworkArea,
    LikaIndicator,
    Measure,
    MeasuredValue,
    MeasureTarget,
    Milestone,
    MunicipalStatus,
)


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "cooperation", "order"]
    list_filter = ["cooperation"]
    search_fields = ["name"]


@admin.register(LikaIndicator)
class LikaIndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "area", "text"]
    list_filter = ["area"]
    search_fields = ["code", "text"]


class FrameworkAreaInline(admin.TabularInline):
    model = FrameworkArea
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["short_name", "name", "publisher", "published", "is_vision"]
    list_filter = ["is_vision"]
    search_fields = ["name", "short_name"]
    inlines = [FrameworkAreaInline]


@admin.register(FrameworkArea)
class FrameworkAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "framework", "order"]
    list_filter = ["framework"]
    search_fields = ["name", "description"]


class ActivityReferenceInline(admin.TabularInline):
    model = ActivityReference
    extra = 0
    autocomplete_fields = ["area"]


class FollowUpInline(admin.StackedInline):
    model = FollowUp
    extra = 0
    fields = ["period", "phase", "date", "text"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ["title", "due_date", "reached", "note"]


class EffortShareInline(admin.TabularInline):
    model = EffortShare
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = [
        "number",
        "title",
        "plan",
        "area",
        "status",
        "start_year_as_year",
        "end_year_as_year",
        "whole_municipality",
    ]
    start_year_as_year = year_column(Activity, "start_year")
    end_year_as_year = year_column(Activity, "end_year")
    list_display_links = ["number", "title"]
    list_filter = [
        "status",
        "area",
        "whole_municipality",
        "every_member",
        "plan__cooperation",
        "plan",
        "lika_indicators__area",
    ]
    search_fields = ["number", "title", "content", "benefit", "owner", "effect_goal", "lika_indicators__code"]
    autocomplete_fields = ["plan", "continues"]
    filter_horizontal = ["lika_indicators", "goals"]
    inlines = [ActivityReferenceInline, EffortShareInline, FollowUpInline, MilestoneInline]
    list_select_related = ["plan", "area"]


@admin.register(FollowUp)
class FollowUpAdmin(SimpleHistoryAdmin):
    list_display = ["activity", "period", "date", "phase"]
    list_filter = ["phase", "activity__plan__cooperation"]
    search_fields = ["text", "activity__title", "activity__number"]
    date_hierarchy = "date"
    autocomplete_fields = ["activity"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Milestone)
class MilestoneAdmin(SimpleHistoryAdmin):
    list_display = ["title", "activity", "due_date", "reached"]
    list_filter = ["activity__plan__cooperation", "due_date", "reached"]
    search_fields = ["title", "note", "activity__title", "activity__number"]
    date_hierarchy = "due_date"
    autocomplete_fields = ["activity"]


@admin.register(MunicipalStatus)
class MunicipalStatusAdmin(SimpleHistoryAdmin):
    list_display = ["activity", "municipality", "status", "date"]
    list_filter = ["status", "municipality", "activity__plan__cooperation"]
    search_fields = ["comment", "municipality__name", "activity__title", "activity__number"]
    date_hierarchy = "date"
    autocomplete_fields = ["activity", "municipality"]
    list_select_related = ["activity", "municipality"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(LocalChoice)
class LocalChoiceAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "number", "title", "choice"]
    list_filter = ["choice", "plan__municipality"]
    search_fields = ["title", "number", "reason", "note", "plan__title"]
    autocomplete_fields = ["plan"]
    list_select_related = ["plan"]


@admin.register(EffortShare)
class EffortShareAdmin(SimpleHistoryAdmin):
    list_display = ["activity", "party_name", "hours"]
    list_filter = ["organisation"]
    search_fields = ["party", "organisation__name", "activity__title"]
    autocomplete_fields = ["activity", "organisation"]


@admin.register(ActivityReference)
class ActivityReferenceAdmin(admin.ModelAdmin):
    list_display = ["activity", "framework", "area", "page"]
    list_filter = ["framework", "area"]
    search_fields = ["text", "activity__title", "area__name"]
    autocomplete_fields = ["activity", "area"]


class MeasureTargetInline(admin.TabularInline):
    model = MeasureTarget
    extra = 0


@admin.register(Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    list_display = ["name", "goal", "activity", "kind", "unit"]
    list_filter = ["kind", "activity__plan__cooperation", "goal__plan__cooperation"]
    search_fields = ["name", "how_measured", "activity__title", "goal__title"]
    raw_id_fields = ["goal", "activity"]
    inlines = [MeasureTargetInline]
    list_select_related = ["goal", "activity"]


@admin.register(MeasureTarget)
class MeasureTargetAdmin(SimpleHistoryAdmin):
    list_display = ["measure", "year_as_year", "value", "text"]
    year_as_year = year_column(MeasureTarget, "year")
    list_filter = ["year", "measure__kind"]
    search_fields = ["measure__name", "text"]
    raw_id_fields = ["measure"]


@admin.register(MeasuredValue)
class MeasuredValueAdmin(SimpleHistoryAdmin):
    list_display = ["measure", "date", "value", "text", "reached"]
    list_filter = ["reached", "measure__kind"]
    search_fields = ["measure__name", "text", "comment"]
    date_hierarchy = "date"
    raw_id_fields = ["measure"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
