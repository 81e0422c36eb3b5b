"""Reads of the audit trail: auditors and client administrators see their organisation's entries."""

from __future__ import annotations

from django.db.models import QuerySet

from oversight.audit.models import AuditEntry
from oversight.tenancy.choices import Role

AUDIT_READER_ROLES = frozenset({Role.AUDITOR, Role.CLIENT_ADMIN})


def may_read_audit(user) -> bool:
    """Whether the user may read the audit trail at all."""
    return bool(user.is_authenticated and (user.is_superuser or user.role in AUDIT_READER_ROLES))


def audit_entry_list(*, user) -> QuerySet[AuditEntry]:
    """Audit entries the user may read (superusers: all; auditors and client administrators: their organisation's)."""
    qs = AuditEntry.objects.select_related("actor", "organisation")
    if user.is_superuser:
        return qs
    if not may_read_audit(user) or not user.organisation_id:
        return qs.none()
    return qs.filter(organisation_id=user.organisation_id)
