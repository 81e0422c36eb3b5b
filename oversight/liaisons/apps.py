"""Liaisons and escalation: named contacts per vendor and client organisation, the escalation matrix that decides
who hears of a breach, a complaint, an overdue action, a red KRI or a stalled change and when, and the public
supervision hotline (监管热线)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonsConfig(AppConfig):
    """Liaisons, the escalation matrix and the supervision hotline."""

    name = "oversight.liaisons"
    verbose_name = _("Liaisons and escalation")

    def ready(self) -> None:
        """Declare the events, register the handlers and tell the apps below whether a matrix covers a trigger."""
        from oversight.core.escalation_routes import register_cover
        from oversight.liaisons import events, handlers, kpis  # noqa: F401 - declares and registers them
        from oversight.liaisons.services import matrix_covers

        register_cover(matrix_covers)
        kpis.register()
