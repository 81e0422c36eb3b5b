"""The tenancy app: client organisations, sites and departments, vendors, users and roles."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenancyConfig(AppConfig):
    """Client organisations, their sites and departments, vendors, users and roles."""

    name = "oversight.tenancy"
    verbose_name = _("Organisations and people")

    def ready(self) -> None:
        """Record sign-in lockouts (django-axes' signal) in the audit trail through the tenancy service; declare that
        core's heartbeats belong to no organisation."""
        from axes.signals import user_locked_out

        from oversight.tenancy.lockout import record_lockout

        user_locked_out.connect(record_lockout, dispatch_uid="oversight.tenancy.record_lockout")
        # core's one table (its background processes' heartbeats) belongs to no organisation; core cannot import
        # the visibility gate, so tenancy declares it.
        from oversight.core.models import Heartbeat
        from oversight.tenancy.visibility import Visibility

        Heartbeat.visibility = Visibility.GLOBAL
