"""Settlement statements in the administration: read-only inspection, scoped to the administrator's organisation.

Statements are prepared and approved on the settlement pages (/settlement/) through the services, which audit
every step; the admin only shows what is stored.
"""

from __future__ import annotations

from django.contrib import admin

from oversight.fees.calc import FIGURES
from oversight.settlement.models import SettlementStatement, StatementLine
from oversight.tenancy.admin_base import ReadOnlyInlineMixin, ReadOnlyModelAdmin


class StatementLineInline(ReadOnlyInlineMixin, admin.TabularInline):
    """The lines of a statement."""

    model = StatementLine
    fields = ("position", "code", "label_key", "amount", "source", "ref", "explanation")
    readonly_fields = fields


@admin.register(SettlementStatement)
class SettlementStatementAdmin(ReadOnlyModelAdmin):
    """Settlement statements (approved ones are locked)."""

    inlines = [StatementLineInline]
    list_display = ("contract", "period", "vendor", "status", "score", "total", "currency", "prepared_at")
    list_filter = ("status",)
    list_select_related = ("contract", "period", "vendor")
    fields = (
        "organisation",
        "period",
        "contract",
        "contract_version",
        "vendor",
        "supersedes",
        "status",
        "currency",
        "score",
        *FIGURES,
        "content_hash",
        "inputs",
        "result",
        "prepared_at",
        "prepared_by",
        "approved_at",
        "approved_by",
    )
    readonly_fields = fields
