"""Configuration management (CMDB): configuration items, their classes, relations and computed impact."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConfigurationConfig(AppConfig):
    """Configuration items of the client's estate, each owned by a vendor, with relations that give impact."""

    name = "oversight.configuration"
    verbose_name = _("Configuration items")

    def ready(self) -> None:
        """Add the linked CIs to the work-order page, register the CMDB accuracy indicator and the handlers."""
        from oversight.configuration import handlers, kpis  # noqa: F401 - handlers register on import
        from oversight.configuration.sections import work_order_side_context
        from oversight.core.sections import contribute

        contribute(
            "tickets.work_order_side",
            name="configuration.work_order_cis",
            template="configuration/sections/work_order_cis.html",
            context=work_order_side_context,
            order=50,
        )
        kpis.register()
