"""The settlement app: fee settlement statements (费用结算) of signed evaluation periods."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SettlementConfig(AppConfig):
    """Fee settlement (费用结算): statements of signed evaluation periods, their approval, PDF and XLSX."""

    name = "oversight.settlement"
    verbose_name = _("Settlement")
