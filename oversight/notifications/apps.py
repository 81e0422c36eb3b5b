"""The notifications app: in-app notifications (通知) and their e-mails, each sent exactly once."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """In-app notifications and their e-mails, each sent exactly once."""

    name = "oversight.notifications"
    verbose_name = _("Notifications")
