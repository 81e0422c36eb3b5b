"""Configuration management (CMDB): configuration items, their classes, relations and computed impact."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConfigurationConfig(AppConfig):
    """Configuration items of the client's estate, each owned by a vendor, with relations that give impact."""

    name = "oversight.configuration"
    verbose_name = _("Configuration items")
