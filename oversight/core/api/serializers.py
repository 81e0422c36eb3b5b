"""Serializer building blocks shared by every app's API."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


class StrictInputSerializer(serializers.Serializer):
    """An input serializer that rejects any field it does not declare as writable.

    Unknown or server-owned fields (status, vendor, organisation, SLA columns, version...) get a
    400 naming each of them, instead of being silently ignored: mass assignment cannot happen.
    """

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            rejected = sorted(set(data.keys()) - writable)
            if rejected:
                raise serializers.ValidationError(
                    {name: [_("This field does not exist or cannot be set.")] for name in rejected}
                )
        return super().to_internal_value(data)


class ObjectRefSerializer(serializers.Serializer):
    """A reference to a related object: its id and its display name."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="__str__", read_only=True)


@extend_schema_field(OpenApiTypes.INT)
class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A primary-key field whose choices come from a selector scoped to the requesting user.

    An id the user may not see is refused exactly like an id that does not exist, so nothing leaks.
    """

    def __init__(self, selector, **kwargs):
        self.selector = selector
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.selector(user=self.context["request"].user)
