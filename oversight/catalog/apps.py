"""The catalog app: services and offerings, business calendars (工作日历) and versioned SLA policies."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    """Service catalog, business calendars and versioned SLA policies."""

    name = "oversight.catalog"
    verbose_name = _("Service catalog and SLAs")
