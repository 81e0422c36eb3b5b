"""Serializers for in-app notifications."""

from __future__ import annotations

from rest_framework import serializers

from oversight.core.api.serializers import StrictInputSerializer
from oversight.notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    """A notification to the current user."""

    work_order_number = serializers.CharField(source="work_order.number", read_only=True, allow_null=True, default=None)
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "work_order",
            "work_order_number",
            "subject",
            "body",
            "url",
            "created_at",
            "read_at",
            "is_read",
        ]
        read_only_fields = fields

    def get_is_read(self, obj: Notification) -> bool:
        return obj.read_at is not None


class MarkAllReadInputSerializer(StrictInputSerializer):
    """Which notifications to mark as read (all unread ones when `ids` is left out)."""

    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, max_length=1000)


class MarkedReadSerializer(serializers.Serializer):
    """How many notifications were marked as read."""

    marked = serializers.IntegerField()
