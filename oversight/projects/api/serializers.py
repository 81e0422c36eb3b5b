"""Input and output serializers of the projects API. Input serializers only parse; services decide."""

from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from oversight.catalog.selectors import calendar_list
from oversight.contracts.selectors import contract_list
from oversight.core.api.serializers import ObjectRefSerializer, ScopedPrimaryKeyRelatedField, StrictInputSerializer
from oversight.projects import permissions, selectors
from oversight.projects.choices import PROJECT_MACHINE, EvMethod, ProjectKind
from oversight.projects.models import (
    Baseline,
    CostEntry,
    Milestone,
    Project,
    SettlementLink,
    Snapshot,
    WorkPackage,
)
from oversight.tenancy.selectors import user_list, vendor_list

# ---------------------------------------------------------------- output

SNAPSHOT_FIGURES = [
    "status_date",
    "bac",
    "pv",
    "ev",
    "ac",
    "ac_settlement",
    "sv",
    "cv",
    "spi",
    "cpi",
    "eac",
    "eac_atypical",
    "eac_cpi_spi",
    "etc",
    "vac",
    "tcpi",
    "es",
    "at",
    "spi_t",
    "light_spi",
    "light_cpi",
    "light",
    "milestones_due",
    "milestones_late",
    "slippage_days",
    "buffer_consumed_share",
    "chain_complete_share",
    "burn_rate",
    "fever_zone",
]


class SnapshotSerializer(serializers.ModelSerializer):
    """Every figure of a project at one status date, as stored then."""

    baseline = serializers.IntegerField(source="baseline.number", read_only=True)

    class Meta:
        model = Snapshot
        fields = [*SNAPSHOT_FIGURES, "feeding_buffers", "baseline", "computed_at"]
        read_only_fields = fields


class ProjectListSerializer(serializers.ModelSerializer):
    """A project in a list, with its latest lights."""

    vendor = ObjectRefSerializer(read_only=True)
    last_spi = serializers.DecimalField(max_digits=10, decimal_places=4, read_only=True, allow_null=True)
    last_cpi = serializers.DecimalField(max_digits=10, decimal_places=4, read_only=True, allow_null=True)
    last_light = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "number",
            "name",
            "name_en",
            "kind",
            "status",
            "vendor",
            "currency",
            "bac",
            "status_date",
            "last_spi",
            "last_cpi",
            "last_light",
        ]
        read_only_fields = fields


class ProjectDetailSerializer(serializers.ModelSerializer):
    """A project with its owners, thresholds and the transitions open to the reader."""

    vendor = ObjectRefSerializer(read_only=True)
    contract = ObjectRefSerializer(read_only=True)
    client_owner = ObjectRefSerializer(read_only=True)
    vendor_owner = ObjectRefSerializer(read_only=True)
    calendar = ObjectRefSerializer(read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = [
            "id",
            "number",
            "name",
            "name_en",
            "kind",
            "description",
            "status",
            "vendor",
            "contract",
            "client_owner",
            "vendor_owner",
            "calendar",
            "currency",
            "bac",
            "budget_hours",
            "status_date",
            "green_tolerance",
            "red_deviation",
            "critical_chain",
            "chain_days",
            "buffer_days",
            "version",
            "allowed_actions",
        ]
        read_only_fields = fields

    def get_allowed_actions(self, project) -> list[str]:
        user = self.context["request"].user
        return PROJECT_MACHINE.actions_from(project.status) if permissions.may_manage(user, project) else []


class WorkPackageSerializer(serializers.ModelSerializer):
    """A node of the work breakdown as planned now."""

    depends_on = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = WorkPackage
        fields = [
            "id",
            "code",
            "name",
            "name_en",
            "parent",
            "planned_start",
            "planned_finish",
            "budget",
            "budget_hours",
            "ev_method",
            "units_total",
            "aggressive_days",
            "safe_days",
            "depends_on",
        ]
        read_only_fields = fields


class MilestoneSerializer(serializers.ModelSerializer):
    """A milestone as planned now, with the date it was reached."""

    class Meta:
        model = Milestone
        fields = ["id", "project", "name", "name_en", "planned_date", "weight", "work_package", "reached_on"]
        read_only_fields = fields


class BaselineSerializer(serializers.ModelSerializer):
    """A baseline with its plan, reason and decision."""

    requested_by = ObjectRefSerializer(read_only=True)
    decided_by = ObjectRefSerializer(read_only=True)

    class Meta:
        model = Baseline
        fields = [
            "id",
            "number",
            "status",
            "bac",
            "plan",
            "reason",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = fields


class CostEntrySerializer(serializers.ModelSerializer):
    """An actual cost entered by hand."""

    class Meta:
        model = CostEntry
        fields = ["id", "work_package", "incurred_on", "amount", "hours", "description", "entered_at"]
        read_only_fields = fields


class SettlementLinkSerializer(serializers.ModelSerializer):
    """A share of an approved statement line counted as actual cost."""

    statement = serializers.IntegerField(source="line.statement_id", read_only=True)

    class Meta:
        model = SettlementLink
        fields = ["id", "line", "statement", "share", "amount", "incurred_on", "linked_at"]
        read_only_fields = fields


class ProgressLineOutSerializer(serializers.Serializer):
    """A deliverable's reported state."""

    work_package = serializers.IntegerField(source="work_package_id", read_only=True)
    started = serializers.BooleanField(read_only=True)
    finished = serializers.BooleanField(read_only=True)
    percent_complete = serializers.DecimalField(max_digits=5, decimal_places=2, read_only=True, allow_null=True)
    units_done = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True, allow_null=True)
    remaining_days = serializers.DecimalField(max_digits=8, decimal_places=1, read_only=True, allow_null=True)


class ProgressRecordSerializer(serializers.Serializer):
    """What was reported at one status date."""

    id = serializers.IntegerField(read_only=True)
    status_date = serializers.DateField(read_only=True)
    remaining_days = serializers.DecimalField(max_digits=8, decimal_places=1, read_only=True, allow_null=True)
    note = serializers.CharField(read_only=True)
    recorded_at = serializers.DateTimeField(read_only=True)
    lines = ProgressLineOutSerializer(many=True, read_only=True, source="lines.all")


# ---------------------------------------------------------------- input


class ProjectCreateInputSerializer(StrictInputSerializer):
    """A new project."""

    name = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=ProjectKind.choices, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    vendor = ScopedPrimaryKeyRelatedField(vendor_list)
    contract = ScopedPrimaryKeyRelatedField(contract_list, required=False, allow_null=True)
    client_owner = ScopedPrimaryKeyRelatedField(user_list, required=False, allow_null=True)
    vendor_owner = ScopedPrimaryKeyRelatedField(user_list, required=False, allow_null=True)
    calendar = ScopedPrimaryKeyRelatedField(calendar_list)
    currency = serializers.CharField(max_length=3, required=False)
    bac = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal(0))
    budget_hours = serializers.DecimalField(max_digits=10, decimal_places=1, min_value=Decimal(0), required=False)
    green_tolerance = serializers.DecimalField(max_digits=5, decimal_places=4, required=False)
    red_deviation = serializers.DecimalField(max_digits=5, decimal_places=4, required=False)


class WorkPackageInputSerializer(StrictInputSerializer):
    """A new node of the work breakdown."""

    code = serializers.CharField(max_length=30)
    name = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    parent = ScopedPrimaryKeyRelatedField(selectors.work_package_list, required=False, allow_null=True)
    planned_start = serializers.DateField()
    planned_finish = serializers.DateField()
    budget = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal(0), required=False)
    ev_method = serializers.ChoiceField(choices=EvMethod.choices, required=False)
    units_total = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal(0), required=False)
    aggressive_days = serializers.DecimalField(max_digits=8, decimal_places=1, required=False, allow_null=True)
    safe_days = serializers.DecimalField(max_digits=8, decimal_places=1, required=False, allow_null=True)
    depends_on = ScopedPrimaryKeyRelatedField(selectors.work_package_list, many=True, required=False)


class WorkPackageChangeSerializer(WorkPackageInputSerializer):
    """A change to a work package: any of its fields (those left out keep their value)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class MilestoneInputSerializer(StrictInputSerializer):
    """A new milestone."""

    name = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    planned_date = serializers.DateField()
    weight = serializers.DecimalField(max_digits=8, decimal_places=2, min_value=Decimal(0), required=False)
    work_package = ScopedPrimaryKeyRelatedField(selectors.work_package_list, required=False, allow_null=True)


class MilestoneChangeSerializer(MilestoneInputSerializer):
    """A change to a milestone: any of its fields (those left out keep their value)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class ProgressLineInputSerializer(StrictInputSerializer):
    """One deliverable's state at the status date."""

    work_package = ScopedPrimaryKeyRelatedField(selectors.work_package_list)
    started = serializers.BooleanField(required=False, default=False)
    finished = serializers.BooleanField(required=False, default=False)
    percent_complete = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, allow_null=True)
    units_done = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True)
    remaining_days = serializers.DecimalField(max_digits=8, decimal_places=1, required=False, allow_null=True)


class ProgressInputSerializer(StrictInputSerializer):
    """Progress at a status date."""

    status_date = serializers.DateField()
    lines = ProgressLineInputSerializer(many=True, required=False)
    milestones_reached = ScopedPrimaryKeyRelatedField(selectors.milestone_list, many=True, required=False)
    remaining_days = serializers.DecimalField(max_digits=8, decimal_places=1, required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True)


class BaselineRequestInputSerializer(StrictInputSerializer):
    """Why a new baseline is needed."""

    reason = serializers.CharField()


class BaselineDecideInputSerializer(StrictInputSerializer):
    """A supervisor's decision on a requested baseline."""

    action = serializers.ChoiceField(choices=["approve", "reject"])
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CostEntryInputSerializer(StrictInputSerializer):
    """An actual cost entered by hand."""

    incurred_on = serializers.DateField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    description = serializers.CharField(max_length=300)
    work_package = ScopedPrimaryKeyRelatedField(selectors.work_package_list, required=False, allow_null=True)
    hours = serializers.DecimalField(max_digits=10, decimal_places=1, min_value=Decimal(0), required=False)


class SettlementLinkInputSerializer(StrictInputSerializer):
    """A share of an approved statement line."""

    line = ScopedPrimaryKeyRelatedField(selectors.statement_line_list)
    share = serializers.DecimalField(max_digits=5, decimal_places=4, required=False, default=Decimal(1))


class TransitionInputSerializer(StrictInputSerializer):
    """A transition takes no fields (the version goes in If-Match)."""
