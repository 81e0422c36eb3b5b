"""Serializers of the contact-centre API (they only parse and shape; services decide)."""

from __future__ import annotations

from rest_framework import serializers

from oversight.contactcentre.models import IntervalFact, Queue


class QueueSerializer(serializers.ModelSerializer):
    vendor_name = serializers.CharField(source="vendor.name", read_only=True)
    contract_number = serializers.CharField(source="contract.number", read_only=True, default=None)

    class Meta:
        model = Queue
        fields = [
            "id",
            "code",
            "name",
            "name_en",
            "channel",
            "interval_minutes",
            "active",
            "vendor",
            "vendor_name",
            "contract",
            "contract_number",
        ]
        read_only_fields = fields


class IntervalFactSerializer(serializers.ModelSerializer):
    queue_code = serializers.CharField(source="queue.code", read_only=True)

    class Meta:
        model = IntervalFact
        fields = [
            "id",
            "queue",
            "queue_code",
            "interval_start",
            "revision",
            "offered",
            "answered",
            "answered_within_threshold",
            "threshold_seconds",
            "abandoned",
            "abandoned_within_threshold",
            "short_abandoned",
            "flow_outs",
            "wait_seconds",
            "talk_seconds",
            "hold_seconds",
            "acw_seconds",
            "staffed_agents",
            "scheduled_agents",
            "paid_hours",
            "correction_reason",
        ]
        read_only_fields = fields


class FactsPostSerializer(serializers.Serializer):
    """Rows for one vendor: each with ``queue`` (its code), ``interval_start`` (ISO 8601 with offset) and the
    counts and durations named as the interval fact's fields."""

    vendor = serializers.IntegerField(required=False, help_text="The vendor's id (vendor staff: their own).")
    rows = serializers.ListField(child=serializers.DictField(), allow_empty=False, max_length=100000)
    correction_reason = serializers.CharField(required=False, allow_blank=True, max_length=500)


class FactsOutcomeSerializer(serializers.Serializer):
    rows = serializers.IntegerField()
    created = serializers.IntegerField()
    revised = serializers.IntegerField()
    unchanged = serializers.IntegerField()
