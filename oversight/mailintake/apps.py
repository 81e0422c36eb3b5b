"""E-mail intake: a polled mailbox turns new mails into work orders and replies into comments."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailintakeConfig(AppConfig):
    """Mailboxes polled for new work orders and replies, with dedupe, loop protection and quarantine."""

    name = "oversight.mailintake"
    verbose_name = _("E-mail intake")
