"""The reports app: service reports (服务报告), their schedules and deliveries, and the vendor dashboard."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Service reports per vendor and contract (page, PDF, XLSX, scheduled e-mail) and the vendor dashboard."""

    name = "oversight.reports"
    verbose_name = _("Service reports")
