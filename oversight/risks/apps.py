"""Risk management: the risk register on a versioned probability × impact matrix, treatments, mitigations,
reviews, quantified exposure (Monte Carlo, second moments), a Markov model of vendor states, and key risk
indicators whose breaches raise risk events and open contingency plans."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RisksConfig(AppConfig):
    """The risk register, its quantification and its live triggers."""

    name = "oversight.risks"
    verbose_name = _("Risks")

    def ready(self) -> None:
        """Declare the register's events and register its handlers (the other parts add theirs here)."""
        from oversight.risks import (  # noqa: F401 - declares and registers them
            events,
            handlers,
            handlers_triggers,  # noqa: F401 - the trigger part's handlers
        )
