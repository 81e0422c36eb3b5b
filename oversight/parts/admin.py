"""Spare parts in the administration: read-only. Parts, locations and reorder settings change on the parts
pages through the services (audited); the stock ledger is append-only and is never changed or deleted here."""

from __future__ import annotations

from django.contrib import admin

from oversight.parts.models import PartItem, StockAlert, StockLevel, StockLocation, StockMovement
from oversight.tenancy.admin_base import ReadOnlyModelAdmin


@admin.register(PartItem)
class PartItemAdmin(ReadOnlyModelAdmin):
    """The organisation's spare parts."""

    list_display = ("code", "name", "unit", "unit_price", "currency", "vendor", "is_active")
    list_filter = ("is_active",)
    search_fields = ("code", "name", "name_en")


@admin.register(StockLocation)
class StockLocationAdmin(ReadOnlyModelAdmin):
    """Places where parts are kept."""

    list_display = ("code", "name", "site", "is_active")


@admin.register(StockLevel)
class StockLevelAdmin(ReadOnlyModelAdmin):
    """Reorder settings and the balance kept from the ledger per item × location."""

    list_display = ("item", "location", "on_hand", "on_order", "reorder_point", "target_stock")
    list_select_related = ("item", "location")


@admin.register(StockMovement)
class StockMovementAdmin(ReadOnlyModelAdmin):
    """The append-only stock ledger: rows are shown, never added, changed or deleted."""

    list_display = ("at", "item", "location", "kind", "quantity", "on_order_change", "work_order", "actor")
    list_filter = ("kind",)
    list_select_related = ("item", "location", "work_order", "actor")
    date_hierarchy = "at"


@admin.register(StockAlert)
class StockAlertAdmin(ReadOnlyModelAdmin):
    """Low-stock alerts sent, one per item and month."""

    list_display = ("period_start", "item", "location", "on_hand", "reorder_point")
