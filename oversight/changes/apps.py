"""Change management: standard, normal and emergency changes, the CAB and its approval rules, the change calendar."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChangesConfig(AppConfig):
    """Changes a vendor makes to the client's services, authorised by the CAB and scheduled on the change calendar."""

    name = "oversight.changes"
    verbose_name = _("Change management")

    def ready(self) -> None:
        """Declare the change events, register the handlers, the change indicators and the section shown on
        work-order pages."""
        from oversight.changes import events, handlers, kpis, sections  # noqa: F401 - importing registers them

        kpis.register()
        sections.register()
