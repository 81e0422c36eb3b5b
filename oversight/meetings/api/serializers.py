"""Input and output serializers of the meetings API. Input serializers only parse; services decide."""

from __future__ import annotations

from rest_framework import serializers

from oversight.core.api.serializers import ObjectRefSerializer, ScopedPrimaryKeyRelatedField, StrictInputSerializer
from oversight.meetings.choices import Side
from oversight.meetings.models import (
    ActionItem,
    ActionItemEvent,
    AgendaItem,
    CommunicationPlan,
    Decision,
    Meeting,
    MeetingSeries,
    Participant,
    PlanRow,
)
from oversight.tenancy.selectors import user_list

# ---------------------------------------------------------------- output


class MeetingPlanRowSerializer(serializers.ModelSerializer):
    """A row of a communication plan."""

    owner = ObjectRefSerializer(read_only=True)

    class Meta:
        model = PlanRow
        fields = ["id", "stakeholder", "topic", "channel", "frequency", "owner"]
        read_only_fields = fields


class MeetingPlanSerializer(serializers.ModelSerializer):
    """A communication plan with its rows."""

    vendor = ObjectRefSerializer(read_only=True)
    contract = ObjectRefSerializer(read_only=True)
    calendar = ObjectRefSerializer(read_only=True)
    rows = MeetingPlanRowSerializer(many=True, read_only=True)

    class Meta:
        model = CommunicationPlan
        fields = [
            "id",
            "name",
            "name_en",
            "vendor",
            "contract",
            "calendar",
            "minutes_due_days",
            "action_due_days",
            "rows",
            "created_at",
        ]
        read_only_fields = fields


class MeetingSeriesSerializer(serializers.ModelSerializer):
    """A meeting series and its recurrence on the plan's business calendar."""

    vendor = ObjectRefSerializer(read_only=True)
    plan = ObjectRefSerializer(read_only=True)

    class Meta:
        model = MeetingSeries
        fields = [
            "id",
            "plan",
            "vendor",
            "kind",
            "name",
            "name_en",
            "rule",
            "starts_on",
            "ends_on",
            "start_minute",
            "duration_minutes",
            "location",
            "online_link",
            "minutes_due_days",
        ]
        read_only_fields = fields


class MeetingListSerializer(serializers.ModelSerializer):
    """A meeting in a list."""

    vendor = ObjectRefSerializer(read_only=True)
    series = ObjectRefSerializer(read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "title", "vendor", "series", "nominal_date", "starts_at", "ends_at", "status", "version"]
        read_only_fields = fields


class MeetingParticipantSerializer(serializers.ModelSerializer):
    """A participant and their attendance."""

    user = ObjectRefSerializer(read_only=True)

    class Meta:
        model = Participant
        fields = ["id", "user", "side", "attendance"]
        read_only_fields = fields


class MeetingAgendaItemSerializer(serializers.ModelSerializer):
    """An agenda line (typed, or prefilled with the object it is about)."""

    class Meta:
        model = AgendaItem
        fields = ["id", "position", "kind", "audience", "title", "detail", "data", "url", "source_type", "source_id"]
        read_only_fields = fields


class MeetingDecisionSerializer(serializers.ModelSerializer):
    """A decision of the meeting."""

    class Meta:
        model = Decision
        fields = ["id", "position", "text", "recorded_at"]
        read_only_fields = fields


class MeetingActionItemSerializer(serializers.ModelSerializer):
    """An action item."""

    owner = ObjectRefSerializer(read_only=True)
    vendor = ObjectRefSerializer(read_only=True)
    meeting = ObjectRefSerializer(read_only=True)

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "title",
            "description",
            "meeting",
            "vendor",
            "owner",
            "due_days",
            "due_on",
            "due_at",
            "status",
            "closed_at",
            "escalated_at",
            "version",
        ]
        read_only_fields = fields


class MeetingActionItemEventSerializer(serializers.ModelSerializer):
    """A step of an action item's history."""

    class Meta:
        model = ActionItemEvent
        fields = ["seq", "at", "kind", "action", "from_status", "to_status", "note"]
        read_only_fields = fields


class MeetingDetailSerializer(MeetingListSerializer):
    """A meeting with its minutes and sign-off (the agenda, decisions and actions are their own routes)."""

    client_signer = ObjectRefSerializer(read_only=True)
    vendor_signer = ObjectRefSerializer(read_only=True)

    class Meta(MeetingListSerializer.Meta):
        fields = [
            *MeetingListSerializer.Meta.fields,
            "location",
            "online_link",
            "minutes",
            "held_at",
            "minutes_due_at",
            "client_signer",
            "client_signed_at",
            "vendor_signer",
            "vendor_signed_at",
            "signed_at",
        ]
        read_only_fields = fields


# ---------------------------------------------------------------- input


class MeetingEmptyInputSerializer(StrictInputSerializer):
    """No body (a transition or a prefill)."""


class MeetingSignInputSerializer(StrictInputSerializer):
    """Which side the caller signs for."""

    side = serializers.ChoiceField(choices=Side.choices)


class MeetingMinutesInputSerializer(StrictInputSerializer):
    """The minutes text."""

    minutes = serializers.CharField(allow_blank=True)


class MeetingDecisionInputSerializer(StrictInputSerializer):
    """A decision."""

    text = serializers.CharField()


class MeetingActionItemInputSerializer(StrictInputSerializer):
    """A new action item."""

    title = serializers.CharField(max_length=300)
    owner = ScopedPrimaryKeyRelatedField(user_list)
    due_days = serializers.IntegerField(min_value=0, max_value=250, required=False, allow_null=True)
    description = serializers.CharField(required=False, allow_blank=True)


class MeetingActionTransitionInputSerializer(StrictInputSerializer):
    """A note with a transition (required to cancel)."""

    note = serializers.CharField(required=False, allow_blank=True, max_length=300)
