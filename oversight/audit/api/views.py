"""Read-only API of the audit trail, for auditors and client administrators."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from rest_framework import viewsets
from rest_framework.permissions import BasePermission, IsAuthenticated

from oversight.audit.api.serializers import AuditEntrySerializer
from oversight.audit.models import AuditEntry
from oversight.audit.selectors import audit_entry_list, may_read_audit
from oversight.core.filters import FilterSet


class MayReadAudit(BasePermission):
    """Only auditors and client administrators (and superusers) read the audit trail."""

    message = _("Only auditors and client administrators may read the audit trail.")

    def has_permission(self, request, view) -> bool:
        return may_read_audit(request.user)


class AuditEntryFilter(FilterSet):
    """Filter the audit trail by action, object, actor and time."""

    action = django_filters.CharFilter(help_text=_("Exact action, e.g. tickets.workorder.resolved."))
    action_prefix = django_filters.CharFilter(
        field_name="action", lookup_expr="startswith", help_text=_("Action namespace, e.g. tickets.workorder.")
    )
    object_type = django_filters.CharFilter(help_text=_("Model label, e.g. tickets.workorder."))
    object_id = django_filters.CharFilter()
    actor = django_filters.NumberFilter(field_name="actor_id")
    request_id = django_filters.CharFilter()
    at_after = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="gte")
    at_before = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="lt")

    class Meta:
        model = AuditEntry
        fields = ["action", "action_prefix", "object_type", "object_id", "actor", "request_id", "at_after", "at_before"]


class AuditEntryViewSet(viewsets.ReadOnlyModelViewSet):
    """The audit trail, newest first (read-only)."""

    serializer_class = AuditEntrySerializer
    permission_classes = [IsAuthenticated, MayReadAudit]
    filterset_class = AuditEntryFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AuditEntry.objects.none()
        return audit_entry_list(user=self.request.user)
