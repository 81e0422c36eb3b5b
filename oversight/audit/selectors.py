"""Reads of the audit trail: auditors and client administrators see their organisation's entries."""

from __future__ import annotations

from django.db.models import QuerySet

from oversight.audit.models import AuditEntry
from oversight.tenancy.roles import AUDIT_READERS
from oversight.tenancy.visibility import restrict


def may_read_audit(user) -> bool:
    """Whether the user may read the audit trail at all."""
    return bool(user.is_authenticated and (user.is_superuser or user.role in AUDIT_READERS))


def audit_entry_list(*, user) -> QuerySet[AuditEntry]:
    """Audit entries the user may read (superusers: all; auditors and client administrators: their organisation's)."""
    return restrict(AuditEntry.objects.select_related("actor", "organisation"), user)
