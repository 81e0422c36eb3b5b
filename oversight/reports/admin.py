"""Report schedules and deliveries in the administration: read-only inspection, scoped to the administrator's
organisation.

Schedules are created, changed and switched off on the schedule pages (/reports/schedules/) through the services,
which check the recipients and audit every change; deliveries are written only by the sending job.
"""

from __future__ import annotations

from django.contrib import admin

from oversight.reports.models import DeliveryRecipient, ReportDelivery, ReportSchedule
from oversight.tenancy.admin_base import ReadOnlyInlineMixin, ReadOnlyModelAdmin


@admin.register(ReportSchedule)
class ReportScheduleAdmin(ReadOnlyModelAdmin):
    """Report schedules: what is sent to whom and when."""

    list_display = ("vendor", "contract", "kind", "working_day", "calendar", "is_active", "updated_at")
    list_filter = ("kind", "is_active")
    list_select_related = ("vendor", "contract", "calendar")
    search_fields = ("vendor__name", "contract__number")
    fields = (
        "organisation",
        "vendor",
        "contract",
        "kind",
        "working_day",
        "calendar",
        "recipients",
        "is_active",
        "active_since",
        "pending_reason",
        "created_at",
        "created_by",
        "updated_at",
        "updated_by",
    )
    readonly_fields = fields


class DeliveryRecipientInline(ReadOnlyInlineMixin, admin.TabularInline):
    """Each recipient's outcome."""

    model = DeliveryRecipient
    fields = ("user", "email", "outcome", "reason", "detail", "at")
    readonly_fields = fields


@admin.register(ReportDelivery)
class ReportDeliveryAdmin(ReadOnlyModelAdmin):
    """Deliveries of report schedules, one per schedule and period."""

    inlines = [DeliveryRecipientInline]
    list_display = ("schedule", "period_key", "status", "started_at", "finished_at", "requested_by")
    list_filter = ("status",)
    list_select_related = ("schedule", "schedule__vendor", "schedule__contract", "requested_by")
    fields = (
        "schedule",
        "period_key",
        "period_first",
        "period_last",
        "status",
        "requested_by",
        "started_at",
        "finished_at",
    )
    readonly_fields = fields
