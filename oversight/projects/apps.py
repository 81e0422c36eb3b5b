"""Project monitoring: outsourcing projects (vendor onboarding, migrations, transitions) with a work breakdown,
deliverables and milestones on a business calendar, immutable baselines, earned value with traffic lights, and
actual cost taken from entries or from the fee settlement."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    """Outsourcing projects and their earned value."""

    name = "oversight.projects"
    verbose_name = _("Projects")

    def ready(self) -> None:
        """Declare the project events and register the project indicators (SPI, CPI, milestone slippage)."""
        from oversight.projects import events, kpis  # noqa: F401 - registers them

        kpis.register()
