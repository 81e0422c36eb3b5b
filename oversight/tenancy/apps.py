"""The tenancy app: client organisations, sites and departments, vendors, users and roles."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenancyConfig(AppConfig):
    """Client organisations, their sites and departments, vendors, users and roles."""

    name = "oversight.tenancy"
    verbose_name = _("Organisations and people")
