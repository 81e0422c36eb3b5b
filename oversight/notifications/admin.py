"""Notifications, read-only: to check that each escalation was sent (and e-mailed) exactly once."""

from __future__ import annotations

from django.contrib import admin

from oversight.notifications.models import Notification
from oversight.tenancy.admin_base import ReadOnlyModelAdmin


@admin.register(Notification)
class NotificationAdmin(ReadOnlyModelAdmin):
    """In-app notifications of the organisation's users."""

    list_display = ("created_at", "recipient", "kind", "subject", "work_order", "read_at", "emailed_at")
    list_filter = ("kind",)
    list_select_related = ("recipient", "work_order")
    search_fields = ("subject", "recipient__username", "work_order__number", "dedupe_key")
