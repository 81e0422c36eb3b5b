"""Continuous improvement (持续改进): a register of improvement items raised from breaches, complaints, low
scores, audits, problems and meetings, each with a baseline, a target on a registered indicator and its effect
measured afterwards."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImprovementConfig(AppConfig):
    """The continuous-improvement register."""

    name = "oversight.improvement"
    verbose_name = _("Continuous improvement")

    def ready(self) -> None:
        """Declare the improvement events and register its indicators (delivered, benefit realised)."""
        from oversight.improvement import events, kpis  # noqa: F401 - registers them

        kpis.register()
