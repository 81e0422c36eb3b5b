"""The tickets app: work orders (工单), their immutable timeline and their SLA clocks."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    """Work orders, their immutable timeline and their SLA clocks."""

    name = "oversight.tickets"
    verbose_name = _("Work orders")

    def ready(self) -> None:
        """Declare the work-order events, register the work-order notices that react to them and the search."""
        from oversight.tickets import events, handlers  # noqa: F401
        from oversight.tickets.search import register_search

        register_search()
