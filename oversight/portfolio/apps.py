"""The portfolio app: the vendor portfolio (供应商组合), tiers, monthly scores and coverage."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    """Vendor portfolio (供应商组合): tiers, monthly scores, critical-service coverage and staff compliance."""

    name = "oversight.portfolio"
    verbose_name = _("Vendor portfolio")
