"""Contracts in the administration: read-only, except the title (through `contract_update_title`).

Contracts are created, amended, activated and terminated on the contract pages (/contracts/), whose
forms run every validation rule of the terms; the admin shows what is stored, scoped to the
administrator's organisation.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin import RelatedOnlyFieldListFilter

from oversight.contracts.models import (
    Contract,
    ContractCommitment,
    ContractDocument,
    ContractScoreBand,
    ContractStaffing,
    ContractUnitRate,
    ContractVersion,
)
from oversight.contracts.services import contract_update_title
from oversight.tenancy.admin_base import AuditedModelAdmin, ReadOnlyInlineMixin, ReadOnlyModelAdmin, mark_audited


class ContractVersionInline(ReadOnlyInlineMixin, admin.TabularInline):
    """The versions of a contract (immutable once in force)."""

    model = ContractVersion
    fields = (
        "number",
        "effective_from",
        "term_start",
        "term_end",
        "fee_period",
        "fixed_fee",
        "at_risk_percent",
        "reason",
    )
    readonly_fields = fields
    show_change_link = True


class ContractDocumentInline(ReadOnlyInlineMixin, admin.TabularInline):
    """Documents of a contract (downloaded from the contract page, after the permission check)."""

    model = ContractDocument
    fields = ("title", "kind", "version", "is_internal", "original_name", "size", "uploaded_by", "created_at")
    readonly_fields = fields


@admin.register(Contract)
class ContractAdmin(AuditedModelAdmin):
    """Contracts for inspection; only the title may be corrected here."""

    allow_add = False
    allow_delete = False
    inlines = [ContractVersionInline, ContractDocumentInline]
    fields = (
        "organisation",
        "vendor",
        "number",
        "title",
        "currency",
        "status",
        "starts_on",
        "ends_on",
        "terminated_on",
        "termination_reason",
        "created_at",
        "created_by",
        "activated_at",
        "updated_at",
    )
    readonly_fields = tuple(f for f in fields if f != "title")
    list_display = ("number", "title", "vendor", "status", "starts_on", "ends_on", "organisation")
    list_filter = ("status", ("vendor", RelatedOnlyFieldListFilter))
    list_select_related = ("vendor", "organisation")
    search_fields = ("number", "title")

    def save_model(self, request, obj, form, change):
        contract_update_title(actor=request.user, contract=obj, title=form.cleaned_data["title"])
        mark_audited(obj)


class BandInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = ContractScoreBand
    fields = ("upper", "lower", "per_point", "per_point_basis", "step", "step_basis")
    readonly_fields = fields


class CommitmentInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = ContractCommitment
    fields = (
        "code",
        "name",
        "name_en",
        "sla_metric",
        "indicator",
        "target",
        "allocation_percent",
        "miss_share_percent",
    )
    readonly_fields = fields


class UnitRateInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = ContractUnitRate
    fields = ("kind", "rate", "included_quantity")
    readonly_fields = fields


class StaffingInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = ContractStaffing
    fields = ("position", "count")
    readonly_fields = fields


@admin.register(ContractVersion)
class ContractVersionAdmin(ReadOnlyModelAdmin):
    """Contract versions with all their terms, for inspection."""

    inlines = [BandInline, CommitmentInline, UnitRateInline, StaffingInline]
    list_display = ("contract", "number", "effective_from", "term_end", "fixed_fee", "at_risk_percent", "created_at")
    list_select_related = ("contract",)
    search_fields = ("contract__number", "contract__title")
