"""Problem management: problems behind recurring incidents, root causes, workarounds and known errors."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProblemsConfig(AppConfig):
    """Problems that explain incidents, their root cause analysis, workarounds and known errors."""

    name = "oversight.problems"
    verbose_name = _("Problems")

    def ready(self) -> None:
        """Declare the problem events and register the handlers, the sections shown on work-order pages and the
        condition of a work order's "wait for the problem"."""
        from oversight.problems import events, handlers, kpis, sections, selectors  # noqa: F401 - registers them
        from oversight.tickets import preconditions
        from oversight.tickets.choices import Action

        kpis.register()
        sections.register()
        preconditions.register(Action.PAUSE_PROBLEM, selectors.incident_has_open_problem)
