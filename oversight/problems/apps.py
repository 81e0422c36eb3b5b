"""Problem management: problems behind recurring incidents, root causes, workarounds and known errors."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProblemsConfig(AppConfig):
    """Problems that explain incidents, their root cause analysis, workarounds and known errors."""

    name = "oversight.problems"
    verbose_name = _("Problems")

    def ready(self) -> None:
        """Declare the problem events and register the handlers and the sections shown on work-order pages."""
        from oversight.problems import events, handlers, kpis, sections  # noqa: F401 - importing registers them

        kpis.register()
        sections.register()
