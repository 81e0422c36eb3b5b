"""The scorecards app: indicator schemes, evaluation periods, disputes and sign-off (考核)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScorecardsConfig(AppConfig):
    """Vendor evaluation: indicator system, periods, results, disputes, sign-off."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "oversight.scorecards"
    verbose_name = _("Vendor evaluation")

    def ready(self) -> None:
        """Register the built-in KPI sources (work orders, ratings, complaints, roster) in the registry."""
        from oversight.scorecards import kpis

        kpis.register()
