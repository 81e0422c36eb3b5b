"""Communication plans and meetings: meeting series generated on a business calendar, meetings with an agenda
prefilled from live service data, minutes, decisions, both sides' sign-off, and action items followed up until
closed."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """Communication plans, meeting series, meetings and action items."""

    name = "oversight.meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        """Declare the meeting events, connect the handlers and register the meeting indicators."""
        from oversight.meetings import events, handlers, kpis  # noqa: F401 - registers them

        kpis.register()
