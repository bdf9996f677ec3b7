from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ehalsa.admin_columns import year_column

from .models import (
    ActionPlan,
    AdoptionStep,
    ColumnMapping,
    Goal,
    ImportFile,
    ImportRow,
    PdfJob,
    PlanVersion,
    ReminderSent,
    ReminderSetting,
    Section,
    StoredPdf,
    TableImport,
)
from .report_models import FollowUpReport, ReportDecision, ReportPdf, ReportRecipient, ReportVersion


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


@admin.register(AdoptionStep)
class AdoptionStepAdmin(admin.ModelAdmin):
    list_display = ["plan", "order", "body"]
    list_filter = ["plan__cooperation"]
    search_fields = ["plan__title", "body__name"]
    autocomplete_fields = ["plan"]


@admin.register(PlanVersion)
class PlanVersionAdmin(admin.ModelAdmin):
    """Adopted versions are records: shown, never changed or deleted."""

    list_display = ["plan", "number", "adopted_on"]
    list_filter = ["plan__cooperation"]
    search_fields = ["plan__title"]
    readonly_fields = ["plan", "number", "adopted_on", "decision", "snapshot", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StoredPdf)
class StoredPdfAdmin(admin.ModelAdmin):
    """Stored PDFs are records: shown with their checksum, never changed."""

    list_display = ["plan", "version_number", "sha256", "size", "created_at"]
    list_filter = ["plan__cooperation"]
    search_fields = ["plan__title", "sha256"]
    readonly_fields = ["plan", "version_number", "path", "sha256", "size", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PdfJob)
class PdfJobAdmin(admin.ModelAdmin):
    """PDFs made by the workers: how far each is, its attempts and the last error. Read only: the
    coordinator asks again on the plan's PDF page."""

    list_display = ["plan", "version_number", "status", "attempts", "problem", "requested_at", "updated_at"]
    list_filter = ["status", "problem", "plan__cooperation"]
    search_fields = ["plan__title", "error", "content_digest"]
    readonly_fields = [field.name for field in PdfJob._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReminderSetting)
class ReminderSettingAdmin(SimpleHistoryAdmin):
    list_display = ["user", "send_reminders", "changed_at"]
    list_filter = ["send_reminders"]
    search_fields = ["user__username", "user__email"]
    autocomplete_fields = ["user"]


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    """The daily reminders sent (``manage.py send_reminders``), one a user and day. Read only."""

    list_display = ["user", "day", "items", "sent_at"]
    list_filter = ["day"]
    search_fields = ["user__username", "user__email"]
    date_hierarchy = "day"
    readonly_fields = [field.name for field in ReminderSent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records kept as they were: shown, never added, changed or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReportRecipientInline(admin.TabularInline):
    model = ReportRecipient
    extra = 0
    fields = ["body", "sent_on"]


@admin.register(FollowUpReport)
class FollowUpReportAdmin(admin.ModelAdmin):
    """Yearly follow-up reports; a frozen one refuses every change (the model does)."""

    list_display = ["plan", "year", "created_at"]
    list_filter = ["plan__cooperation", "year"]
    search_fields = ["plan__title", "summary"]
    fields = ["plan", "year", "summary", "further"]
    inlines = [ReportRecipientInline]


@admin.register(ReportRecipient)
class ReportRecipientAdmin(admin.ModelAdmin):
    list_display = ["report", "body", "sent_on"]
    list_filter = ["body", "sent_on"]
    search_fields = ["report__plan__title", "body__name"]


@admin.register(ReportDecision)
class ReportDecisionAdmin(ReadOnlyAdmin):
    """Decisions on reports are recorded on the report's page, where the service checks them."""

    list_display = ["report", "body", "meeting_date", "paragraph", "kind"]
    list_filter = ["kind", "body"]
    search_fields = ["report__plan__title", "body__name", "text", "diary_number"]


@admin.register(ReportVersion)
class ReportVersionAdmin(ReadOnlyAdmin):
    list_display = ["report", "frozen_on"]
    list_filter = ["report__plan__cooperation"]
    search_fields = ["report__plan__title"]
    readonly_fields = ["report", "decision", "frozen_on", "snapshot", "created_at"]


@admin.register(ReportPdf)
class ReportPdfAdmin(ReadOnlyAdmin):
    """PDFs of frozen reports made by the workers: how far each is, its attempts and the last error."""

    list_display = ["report", "status", "attempts", "problem", "requested_at", "updated_at"]
    list_filter = ["status", "problem"]
    search_fields = ["report__plan__title", "error"]
    readonly_fields = [field.name for field in ReportPdf._meta.fields]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records the product keeps by itself: shown to operators and removable, never edited here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TableImport)
class TableImportAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    """Uploaded tables (imports): how far each is, why it stopped, what it created."""

    list_display = ["filename", "plan", "kind", "status", "user", "created_count", "created_at", "updated_at"]
    list_filter = ["status", "kind", "plan__cooperation"]
    search_fields = ["filename", "plan__title", "problem", "user__username"]
    exclude = ["created_ids"]


@admin.register(ImportFile)
class ImportFileAdmin(ReadOnlyAdmin):
    """The bytes of uploaded tables (not shown): an operator may remove one that is not wanted."""

    list_display = ["table_import"]
    list_filter = ["table_import__status"]
    search_fields = ["table_import__filename", "table_import__plan__title"]
    exclude = ["content"]


@admin.register(ImportRow)
class ImportRowAdmin(ReadOnlyAdmin):
    list_display = ["table_import", "number", "has_errors"]
    list_filter = ["has_errors", "table_import__kind"]
    search_fields = ["table_import__filename", "table_import__plan__title"]


@admin.register(ColumnMapping)
class ColumnMappingAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    """What each cooperation's columns were last mapped to, proposed for its next file."""

    list_display = ["cooperation", "kind", "updated_at"]
    list_filter = ["kind", "cooperation"]
    search_fields = ["cooperation__name"]
