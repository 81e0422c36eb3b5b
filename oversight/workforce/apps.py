"""Workforce supervision (排班与预测监督): the vendor's submitted forecasts, the client's own forecasts as stored
snapshots with measured accuracy, required agents by Erlang C and Erlang A, staffed against required per
interval, and the fair attribution of service-level breaches."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkforceConfig(AppConfig):
    """Forecasts, accuracy, staffing requirements and breach attribution for contact-centre queues."""

    name = "oversight.workforce"
    label = "workforce"
    verbose_name = _("Forecasting and staffing")

    def ready(self) -> None:
        """Register the workforce indicators and the dashboard panels."""
        from oversight.workforce import kpis, panels

        kpis.register()
        panels.register()
