"""Input and output serializers of the problems API. Input serializers only parse; services decide."""

from __future__ import annotations

from rest_framework import serializers

from oversight.catalog.choices import Level
from oversight.catalog.selectors import service_list
from oversight.changes.selectors import change_list
from oversight.configuration.selectors import ci_list
from oversight.contracts.selectors import contract_list
from oversight.core.api.serializers import ObjectRefSerializer, ScopedPrimaryKeyRelatedField, StrictInputSerializer
from oversight.problems import permissions
from oversight.problems.choices import (
    PROBLEM_MACHINE,
    FishboneCategory,
    RootCauseCategory,
    WorkaroundEffect,
)
from oversight.problems.models import KnownError, Problem, ProblemEvent, ProblemIncident, ProblemSuggestion
from oversight.problems.selectors import known_error_list, problem_events, problem_incidents
from oversight.tenancy.selectors import user_list, vendor_list
from oversight.tickets.selectors import work_order_list

# ---------------------------------------------------------------- output


class WorkOrderRefSerializer(serializers.Serializer):
    """A reference to a work order: its id and number."""

    id = serializers.IntegerField(read_only=True)
    number = serializers.CharField(read_only=True)


class ProblemIncidentSerializer(serializers.ModelSerializer):
    """A live link from an incident: its current status and SLA state are read from the work order itself."""

    work_order = WorkOrderRefSerializer(read_only=True)
    title = serializers.CharField(source="work_order.title", read_only=True)
    status = serializers.CharField(source="work_order.status", read_only=True)
    sla_state = serializers.CharField(source="work_order.sla_state", read_only=True)
    sla_breached = serializers.BooleanField(source="work_order.sla_breached", read_only=True)
    linked_by = ObjectRefSerializer(read_only=True)

    class Meta:
        model = ProblemIncident
        fields = ["id", "work_order", "title", "status", "sla_state", "sla_breached", "linked_by", "linked_at"]
        read_only_fields = fields


class ProblemEventSerializer(serializers.ModelSerializer):
    """One immutable step of a problem's timeline."""

    actor = ObjectRefSerializer(read_only=True)

    class Meta:
        model = ProblemEvent
        fields = ["seq", "at", "actor", "kind", "action", "from_status", "to_status", "body", "data"]
        read_only_fields = fields


class ProblemListSerializer(serializers.ModelSerializer):
    """A problem in a list."""

    service = ObjectRefSerializer(read_only=True)
    vendor = ObjectRefSerializer(read_only=True)
    owner = ObjectRefSerializer(read_only=True)

    class Meta:
        model = Problem
        fields = [
            "id",
            "number",
            "title",
            "status",
            "priority",
            "impact",
            "urgency",
            "service",
            "vendor",
            "owner",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = fields


class FishboneField(serializers.DictField):
    """Fishbone category -> list of causes."""

    child = serializers.ListField(child=serializers.CharField(allow_blank=True))


class ProblemDetailSerializer(ProblemListSerializer):
    """A problem with its analysis, linked incidents (those the reader may see), timeline and allowed actions."""

    contract = ObjectRefSerializer(read_only=True)
    five_whys = serializers.JSONField(read_only=True)
    fishbone = serializers.JSONField(read_only=True)
    incidents = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()
    known_error = serializers.SerializerMethodField()
    configuration_items = serializers.SerializerMethodField()
    caused_by_change = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()

    class Meta(ProblemListSerializer.Meta):
        fields = [
            *ProblemListSerializer.Meta.fields,
            "description",
            "contract",
            "attribution_note",
            "configuration_items",
            "caused_by_change",
            "root_cause_category",
            "root_cause",
            "five_whys",
            "fishbone",
            "workaround",
            "workaround_effect",
            "permanent_fix",
            "root_cause_found_at",
            "resolved_at",
            "closed_at",
            "workaround_communicated_at",
            "known_error",
            "incidents",
            "events",
            "allowed_actions",
        ]
        read_only_fields = fields

    def get_incidents(self, obj) -> list[dict]:
        links = problem_incidents(user=self.context["request"].user, problem=obj)
        return ProblemIncidentSerializer(links, many=True, context=self.context).data

    def get_configuration_items(self, obj) -> list[int]:
        """The problem's configuration items the reader may see."""
        visible = ci_list(user=self.context["request"].user).filter(problems=obj)
        return sorted(visible.values_list("pk", flat=True))

    def get_caused_by_change(self, obj) -> int | None:
        """The causing change, if the reader may see it."""
        if obj.caused_by_change_id is None:
            return None
        visible = change_list(user=self.context["request"].user).filter(pk=obj.caused_by_change_id)
        return obj.caused_by_change_id if visible.exists() else None

    def get_known_error(self, obj) -> int | None:
        found = known_error_list(user=self.context["request"].user).filter(problem=obj).values_list("pk", flat=True)
        return next(iter(found), None)

    def get_events(self, obj) -> list[dict]:
        return ProblemEventSerializer(problem_events(problem=obj), many=True).data

    def get_allowed_actions(self, obj) -> list[str]:
        user = self.context["request"].user
        if not permissions.may_manage(user, obj):
            return []
        return list(PROBLEM_MACHINE.actions_from(obj.status))


class KnownErrorSerializer(serializers.ModelSerializer):
    """A known error: symptom, root cause, workaround and solution."""

    service = ObjectRefSerializer(read_only=True)
    vendor = ObjectRefSerializer(read_only=True)
    problem = serializers.SlugRelatedField(slug_field="number", read_only=True)

    class Meta:
        model = KnownError
        fields = [
            "id",
            "title",
            "symptom",
            "root_cause",
            "workaround",
            "solution",
            "service",
            "vendor",
            "problem",
            "expires_on",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ProblemSuggestionSerializer(serializers.ModelSerializer):
    """A problem suggested by recurring incidents."""

    service = ObjectRefSerializer(read_only=True)
    category = ObjectRefSerializer(read_only=True)
    configuration_item = ObjectRefSerializer(read_only=True)
    problem = serializers.SlugRelatedField(slug_field="number", read_only=True)

    class Meta:
        model = ProblemSuggestion
        fields = [
            "id",
            "dimension",
            "service",
            "category",
            "configuration_item",
            "work_order_ids",
            "window_start",
            "created_at",
            "status",
            "problem",
            "decided_at",
        ]
        read_only_fields = fields


# ---------------------------------------------------------------- input


class ProblemInputSerializer(StrictInputSerializer):
    """A problem's details (create, or change with PATCH)."""

    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    service = ScopedPrimaryKeyRelatedField(service_list, required=False, allow_null=True)
    impact = serializers.ChoiceField(choices=Level.choices, required=False)
    urgency = serializers.ChoiceField(choices=Level.choices, required=False)
    owner = ScopedPrimaryKeyRelatedField(user_list, required=False, allow_null=True)
    vendor = ScopedPrimaryKeyRelatedField(vendor_list, required=False, allow_null=True)
    contract = ScopedPrimaryKeyRelatedField(contract_list, required=False, allow_null=True)
    attribution_note = serializers.CharField(max_length=300, required=False, allow_blank=True)
    configuration_items = ScopedPrimaryKeyRelatedField(ci_list, many=True, required=False)
    caused_by_change = ScopedPrimaryKeyRelatedField(change_list, required=False, allow_null=True)


class ProblemCreateInputSerializer(ProblemInputSerializer):
    """A new problem, optionally with the incidents it is opened from."""

    work_orders = ScopedPrimaryKeyRelatedField(work_order_list, many=True, required=False)


class ProblemAnalysisInputSerializer(StrictInputSerializer):
    """The root-cause analysis; only the fields sent are changed."""

    root_cause_category = serializers.ChoiceField(
        choices=[("", ""), *RootCauseCategory.choices], required=False, allow_blank=True
    )
    root_cause = serializers.CharField(required=False, allow_blank=True)
    five_whys = serializers.ListField(child=serializers.DictField(child=serializers.CharField()), required=False)
    fishbone = FishboneField(required=False)
    workaround = serializers.CharField(required=False, allow_blank=True)
    workaround_effect = serializers.ChoiceField(choices=WorkaroundEffect.choices, required=False)
    permanent_fix = serializers.CharField(required=False, allow_blank=True)

    def validate_fishbone(self, value):
        unknown = set(value) - set(FishboneCategory.values)
        if unknown:
            raise serializers.ValidationError(sorted(unknown))
        return value


class ProblemTransitionInputSerializer(StrictInputSerializer):
    """The reason of a transition (required to cancel or reopen)."""

    note = serializers.CharField(required=False, allow_blank=True, default="")


class ProblemLinkInputSerializer(StrictInputSerializer):
    """Incidents to link to a problem."""

    work_orders = ScopedPrimaryKeyRelatedField(work_order_list, many=True)


class ProblemUnlinkInputSerializer(StrictInputSerializer):
    """The incident whose link to remove."""

    work_order = ScopedPrimaryKeyRelatedField(work_order_list)
