"""Sourcing decisions (外包决策): the commercial models of contact-centre contracts and saved outsourcing scenarios
(in-house, outsourced, mixed) with their TCO, NPV, IRR, payback, ROI and sensitivity."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SourcingConfig(AppConfig):
    """Outsourcing scenarios and the cost of contact-centre contracts."""

    name = "oversight.sourcing"
    label = "sourcing"
    verbose_name = _("Sourcing scenarios")

    def ready(self) -> None:
        """Register the cost indicators (cost per contact, per resolution, per productive hour)."""
        from oversight.sourcing import kpis

        kpis.register()
