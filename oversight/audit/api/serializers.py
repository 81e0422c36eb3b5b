"""Output serializer for audit entries (the audit trail is append-only: never written through the API)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from oversight.audit.models import AuditEntry
from oversight.audit.presentation import ReadableEntry, readable_entries


class AuditEntryListSerializer(serializers.ListSerializer):
    """A page of entries, made readable together (a bounded number of queries, not one per entry)."""

    def to_representation(self, data):
        entries = list(data.all() if hasattr(data, "all") else data)
        request = self.context.get("request")
        if request is not None:
            readable = readable_entries(entries, user=request.user)
            self.context["_readable"] = {item.entry.pk: item for item in readable}
        return [self.child.to_representation(entry) for entry in entries]


class FieldChangeSerializer(serializers.Serializer):
    """One row of the before/after table: the field's name and label, both values as the reader reads them."""

    field = serializers.CharField(source="name")
    label = serializers.CharField()
    before = serializers.CharField()
    after = serializers.CharField()


class AuditEntrySerializer(serializers.ModelSerializer):
    """One recorded change: the stored fields, and the same change as a reader reads it (in their language)."""

    before = serializers.JSONField(read_only=True, allow_null=True)
    after = serializers.JSONField(read_only=True, allow_null=True)
    action_label = serializers.SerializerMethodField()
    actor_name = serializers.SerializerMethodField()
    object_type_label = serializers.SerializerMethodField()
    object_label = serializers.SerializerMethodField()
    object_url = serializers.SerializerMethodField()
    changes = serializers.SerializerMethodField()

    class Meta:
        model = AuditEntry
        list_serializer_class = AuditEntryListSerializer
        fields = [
            "id",
            "at",
            "actor",
            "actor_repr",
            "actor_name",
            "request_id",
            "action",
            "action_label",
            "organisation",
            "object_type",
            "object_type_label",
            "object_id",
            "object_repr",
            "object_label",
            "object_url",
            "before",
            "after",
            "changes",
        ]
        read_only_fields = fields

    def _readable(self, obj: AuditEntry) -> ReadableEntry:
        cache = self.context.setdefault("_readable", {})
        if obj.pk not in cache:
            cache[obj.pk] = readable_entries([obj], user=self.context["request"].user)[0]
        return cache[obj.pk]

    def get_action_label(self, obj: AuditEntry) -> str:
        return self._readable(obj).action_label

    def get_actor_name(self, obj: AuditEntry) -> str:
        return self._readable(obj).actor_name

    def get_object_type_label(self, obj: AuditEntry) -> str:
        return self._readable(obj).object_type_label

    def get_object_label(self, obj: AuditEntry) -> str:
        return self._readable(obj).object_label

    def get_object_url(self, obj: AuditEntry) -> str:
        """The path of the object's page when the reader may see it, else an empty string."""
        return self._readable(obj).object_url

    @extend_schema_field(FieldChangeSerializer(many=True))
    def get_changes(self, obj: AuditEntry) -> list[dict]:
        return FieldChangeSerializer(self._readable(obj).changes, many=True).data
