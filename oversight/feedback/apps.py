"""The feedback app: ratings (用户评价), complaints (投诉) and the quarterly prize draw (抽奖)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    """Satisfaction (用户评价): rating links and QR codes, complaints (投诉) and the quarterly prize draw (抽奖)."""

    name = "oversight.feedback"
    verbose_name = _("Satisfaction and complaints")

    def ready(self) -> None:
        """Declare the feedback events and register the handlers that react to work orders."""
        from oversight.feedback import events, handlers  # noqa: F401
