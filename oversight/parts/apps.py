"""Spare parts (备件库): stock per location from an append-only ledger, reorder points, use on work orders."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartsConfig(AppConfig):
    """Spare parts kept for the client: stock from a movement ledger, used on work orders, billed in settlement."""

    name = "oversight.parts"
    verbose_name = _("Spare parts")

    def ready(self) -> None:
        """Declare the stock events; register the low-stock alert, the stock-out indicator and the parts section
        of the work-order page."""
        from oversight.core.sections import contribute
        from oversight.parts import events, handlers, kpis  # noqa: F401
        from oversight.parts.views import work_order_section

        contribute(
            "tickets.work_order_side",
            name="parts.used_parts",
            template="parts/sections/work_order_parts.html",
            context=work_order_section,
        )
        kpis.register()
