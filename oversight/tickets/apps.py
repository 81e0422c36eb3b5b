from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    """Work orders, their immutable timeline and their SLA clocks."""

    name = "oversight.tickets"
    verbose_name = _("Work orders")
