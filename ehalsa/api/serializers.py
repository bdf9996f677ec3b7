"""What the API shows of each row: public fields only. No user, no e-mail address, no bookkeeping
(who recorded a decision, when): only what an adopted plan publishes. Ids are the rows' own, dates
ISO 8601, amounts decimal strings."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from activities.models import Activity, ActivityReference
from finance.models import FinancingParty
from governance.models import Body, Cooperation, Decision, Organisation
from plans.models import ActionPlan, Goal, PlanVersion

AMOUNT = {"max_digits": 16, "decimal_places": 2, "coerce_to_string": True}


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "short_name", "kind", "county", "municipality_code", "population", "population_date"]


class CooperationSerializer(serializers.ModelSerializer):
    members = serializers.PrimaryKeyRelatedField(many=True, read_only=True, help_text="Ids of member organisations.")

    class Meta:
        model = Cooperation
        fields = ["id", "name", "short_name", "county", "description", "lead_organisation", "members"]


class BodySerializer(serializers.ModelSerializer):
    class Meta:
        model = Body
        fields = ["id", "name", "short_name", "level", "cooperation", "organisation", "reports_to", "decides_on"]


class VersionSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanVersion
        fields = ["number", "adopted_on", "decision"]


class PlanSerializer(serializers.ModelSerializer):
    versions = VersionSummarySerializer(many=True, read_only=True, help_text="The plan's adopted versions.")
    previous_plan = serializers.SerializerMethodField(help_text="The public plan this plan follows up, if any.")

    class Meta:
        model = ActionPlan
        fields = [
            "id",
            "cooperation",
            "title",
            "subtitle",
            "first_year",
            "last_year",
            "status",
            "is_template",
            "municipality",
            "previous_plan",
            "versions",
        ]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_previous_plan(self, plan):
        previous = plan.previous_plan
        return previous.pk if previous is not None and previous.is_public else None


class StoredPdfSerializer(serializers.Serializer):
    sha256 = serializers.CharField(help_text="The SHA-256 of the adopted version's PDF, in hexadecimal.")
    size = serializers.IntegerField(help_text="The PDF's size in bytes.")


class PlanVersionSerializer(serializers.ModelSerializer):
    """An adopted version: its frozen content as one document, and its PDF's checksum once it is made."""

    plan = serializers.PrimaryKeyRelatedField(read_only=True)
    document = serializers.JSONField(
        source="snapshot", help_text="The plan's content as adopted (values, never display text; plans.versions)."
    )
    pdf = serializers.SerializerMethodField(help_text="The stored PDF of the version; null until it is made.")

    class Meta:
        model = PlanVersion
        fields = ["plan", "number", "adopted_on", "decision", "pdf", "document"]

    @extend_schema_field(StoredPdfSerializer(allow_null=True))
    def get_pdf(self, version):
        stored = self.context.get("stored_pdf")
        return StoredPdfSerializer(stored).data if stored is not None else None


class AreaSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ReferenceSerializer(serializers.ModelSerializer):
    framework = serializers.SlugRelatedField(slug_field="short_name", read_only=True)
    area = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="Id of the framework area, if one is chosen."
    )
    area_name = serializers.CharField(source="area.name", default="", read_only=True)

    class Meta:
        model = ActivityReference
        fields = ["framework", "area", "area_name", "text", "page"]


class GoalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Goal
        fields = ["id", "title"]


class ActivitySerializer(serializers.ModelSerializer):
    area = AreaSerializer(allow_null=True, read_only=True)
    goals = GoalSerializer(many=True, read_only=True, help_text="The plan's goals the activity serves.")
    effort_hours = serializers.DecimalField(max_digits=10, decimal_places=2, coerce_to_string=True, allow_null=True)
    lika_indicators = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True, help_text="Codes of the LIKA indicators, e.g. L19."
    )
    references = ReferenceSerializer(many=True, read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "plan",
            "number",
            "title",
            "area",
            "content",
            "benefit",
            "owner",
            "effect_goal",
            "effort_hours",
            "effort_basis",
            "effort_note",
            "start_year",
            "end_year",
            "period_note",
            "regional_support",
            "regional_role",
            "whole_municipality",
            "every_member",
            "status",
            "lika_indicators",
            "references",
            "goals",
        ]


class DecisionSerializer(serializers.ModelSerializer):
    body_name = serializers.CharField(source="body.name", read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "plan",
            "body",
            "body_name",
            "kind",
            "meeting_date",
            "paragraph",
            "diary_number",
            "title",
            "text",
        ]


class PartySerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name")

    class Meta:
        model = FinancingParty
        fields = ["id", "name", "organisation", "is_municipalities", "in_fund"]


class PartyYearSerializer(serializers.Serializer):
    party = serializers.IntegerField(allow_null=True, help_text="The party's id; null: the one common column.")
    income = serializers.DecimalField(**AMOUNT)
    costs = serializers.DecimalField(**AMOUNT)
    net = serializers.DecimalField(**AMOUNT, help_text="The party's share of the year's net cost.")


class BudgetYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    opening_balance = serializers.DecimalField(**AMOUNT)
    income = serializers.DecimalField(**AMOUNT)
    costs = serializers.DecimalField(**AMOUNT)
    closing_balance = serializers.DecimalField(**AMOUNT)
    parties = PartyYearSerializer(many=True)


class BudgetSerializer(serializers.Serializer):
    plan = serializers.IntegerField()
    parties = PartySerializer(many=True)
    years = BudgetYearSerializer(many=True)


class RootSerializer(serializers.Serializer):
    title = serializers.CharField(help_text="What the API publishes, in Swedish.")
    title_en = serializers.CharField(help_text="What the API publishes, in English.")
    schema = serializers.URLField(help_text="The OpenAPI 3 schema.")
    docs = serializers.URLField(help_text="The documentation, to read and try in a browser.")
    catalog = serializers.URLField(help_text="The DCAT-AP-SE description of the datasets (dataportal.se).")
    lists = serializers.DictField(child=serializers.URLField(), help_text="Each list of the API by its name.")


class ErrorSerializer(serializers.Serializer):
    """The body of every error answer (documentation only)."""

    code = serializers.CharField(help_text="Machine-readable code, e.g. not_found, unknown_parameter, throttled.")
    detail = serializers.CharField(help_text="The message in Swedish.")
    detail_en = serializers.CharField(help_text="The message in English.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Per query parameter, its messages in Swedish (bad parameters only).",
    )
    errors_en = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Per query parameter, its messages in English (bad parameters only).",
    )
