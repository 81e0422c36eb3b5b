"""The audit app: the append-only audit trail (审计) that every service writes."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The append-only audit trail written explicitly by every service."""

    name = "oversight.audit"
    verbose_name = _("Audit trail")
