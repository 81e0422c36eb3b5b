"""Service facts: per-day sums of what the indicators count, kept current by domain events."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FactsConfig(AppConfig):
    """Per-day service facts that reports and the vendor dashboard read instead of every work order."""

    name = "oversight.facts"
    verbose_name = _("Service facts")

    def ready(self) -> None:
        """Register the handlers that keep the facts current as work orders, ratings and complaints change."""
        from oversight.facts import handlers  # noqa: F401
