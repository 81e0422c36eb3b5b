"""Evaluations in the administration: read-only inspection, scoped to the administrator's organisation.

Schemes are edited, and periods computed, published, disputed, signed and locked, on the evaluation pages
(/scorecards/) through the services, which audit every step; the admin only shows what is stored.
"""

from __future__ import annotations

from django.contrib import admin

from oversight.scorecards.models import (
    CommitmentResult,
    EvaluationPeriod,
    IndicatorResult,
    IndicatorScheme,
    PeriodEvent,
    SchemeIndicator,
)
from oversight.tenancy.admin_base import ReadOnlyInlineMixin, ReadOnlyModelAdmin


class SchemeIndicatorInline(ReadOnlyInlineMixin, admin.TabularInline):
    """The indicators of a scheme version."""

    model = SchemeIndicator
    fields = ("position", "code", "name", "name_en", "dimension", "weight", "source", "unit", "rule", "missing_policy")
    readonly_fields = fields


@admin.register(IndicatorScheme)
class IndicatorSchemeAdmin(ReadOnlyModelAdmin):
    """Indicator scheme versions (immutable)."""

    inlines = [SchemeIndicatorInline]
    list_display = ("contract", "number", "name", "period_kind", "created_at")
    list_select_related = ("contract",)
    fields = (
        "organisation",
        "contract",
        "number",
        "name",
        "period_kind",
        "reopen_window_days",
        "dispute_window_days",
        "dispute_calendar",
        "note",
        "created_at",
        "created_by",
    )
    readonly_fields = fields


class IndicatorResultInline(ReadOnlyInlineMixin, admin.TabularInline):
    """The indicator results of a period."""

    model = IndicatorResult
    fields = ("code", "dimension", "weight", "value", "numerator", "denominator", "points", "contribution")
    readonly_fields = fields


class CommitmentResultInline(ReadOnlyInlineMixin, admin.TabularInline):
    """The commitment results of a period."""

    model = CommitmentResult
    fields = ("code", "indicator", "target", "measured_value", "met", "forfeited_share_percent")
    readonly_fields = fields


class PeriodEventInline(ReadOnlyInlineMixin, admin.TabularInline):
    """The period's timeline."""

    model = PeriodEvent
    fields = ("seq", "at", "actor", "kind", "from_status", "to_status", "note")
    readonly_fields = fields


@admin.register(EvaluationPeriod)
class EvaluationPeriodAdmin(ReadOnlyModelAdmin):
    """Evaluation periods with their results and timeline."""

    inlines = [IndicatorResultInline, CommitmentResultInline, PeriodEventInline]
    list_display = ("contract", "kind", "starts_on", "revision", "status", "total_score")
    list_filter = ("status", "kind")
    list_select_related = ("contract",)
    fields = (
        "organisation",
        "contract",
        "vendor",
        "contract_version",
        "scheme",
        "kind",
        "starts_on",
        "ends_on",
        "revision",
        "revision_of",
        "revision_reason",
        "status",
        "total_score",
        "total_exact",
        "unit_counts",
        "problems",
        "computed_at",
        "published_at",
        "dispute_deadline",
        "client_signed_at",
        "vendor_signed_at",
        "locked_at",
    )
    readonly_fields = fields
