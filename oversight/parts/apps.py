"""Spare parts (备件库): stock per location from an append-only ledger, reorder points, use on work orders."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartsConfig(AppConfig):
    """Spare parts kept for the client: stock from a movement ledger, used on work orders, billed in settlement."""

    name = "oversight.parts"
    verbose_name = _("Spare parts")

    def ready(self) -> None:
        """Declare the stock events and register the low-stock alert handler."""
        from oversight.parts import events, handlers  # noqa: F401
