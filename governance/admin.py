from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Body, Cooperation, Decision, Invitation, Membership, Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "county", "municipality_code", "population"]
    list_filter = ["kind", "county"]
    search_fields = ["name", "short_name", "municipality_code"]


@admin.register(Cooperation)
class CooperationAdmin(admin.ModelAdmin):
    list_display = ["name", "county", "lead_organisation"]
    list_filter = ["county"]
    search_fields = ["name", "short_name"]
    filter_horizontal = ["members"]


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "level", "cooperation", "organisation", "reports_to"]
    list_filter = ["level", "cooperation", "organisation__kind"]
    search_fields = ["name", "short_name", "organisation__name", "cooperation__name"]
    autocomplete_fields = ["organisation", "reports_to"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["role", "organisation__kind"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "organisation__name"]
    autocomplete_fields = ["organisation"]


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "body", "meeting_date", "paragraph", "diary_number", "kind"]
    list_filter = [
        "kind",
        "body__level",
        ("body__organisation", admin.RelatedOnlyFieldListFilter),
        ("body__cooperation", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["plan__title", "body__name", "body__short_name", "diary_number", "text"]
    date_hierarchy = "meeting_date"
    autocomplete_fields = ["plan", "body", "forwarded_to"]
    readonly_fields = ["recorded_by", "recorded_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Invitation)
class InvitationAdmin(SimpleHistoryAdmin):
    list_display = ["email", "organisation", "role", "cooperation", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role", "cooperation", ("organisation", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["email", "organisation__name", "cooperation__name"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["organisation", "cooperation"]
    readonly_fields = ["invited_by", "user", "sent_at", "send_problem", "accepted_at", "created_at"]
