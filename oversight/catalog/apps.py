"""The catalog app: services and offerings, business calendars (工作日历) and versioned SLA policies."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    """Service catalog, business calendars and versioned SLA policies."""

    name = "oversight.catalog"
    verbose_name = _("Service catalog and SLAs")

    def ready(self):
        # Quiet hours of notification channels follow a business calendar; the notifications app is below the
        # catalog in the layers, so the catalog hands it the one function that reads a stored calendar.
        from oversight.catalog.calendars import calendar_spec
        from oversight.notifications.channels.quiet import register_calendar_spec

        register_calendar_spec(calendar_spec)
