"""Output serializer for audit entries (the audit trail is append-only: never written through the API)."""

from __future__ import annotations

from rest_framework import serializers

from oversight.audit.models import AuditEntry


class AuditEntrySerializer(serializers.ModelSerializer):
    """One recorded change."""

    before = serializers.JSONField(read_only=True, allow_null=True)
    after = serializers.JSONField(read_only=True, allow_null=True)

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "at",
            "actor",
            "actor_repr",
            "request_id",
            "action",
            "organisation",
            "object_type",
            "object_id",
            "object_repr",
            "before",
            "after",
        ]
        read_only_fields = fields
