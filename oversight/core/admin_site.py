"""The Django admin site of Oversight: open to client administrators (staff) and superusers only.

Kept free of model imports so that INSTALLED_APPS can name `OversightAdminConfig` directly; the user model
says who is a client administrator (``is_client_admin``, from the roles in oversight.tenancy).
"""

from __future__ import annotations

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


def may_use_admin(user) -> bool:
    """True for active superusers and for active staff users with the client administrator role."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return bool(user.is_staff and getattr(user, "is_client_admin", False))


class OversightAdminSite(AdminSite):
    """The administration of catalog, calendars, policies, organisations and users."""

    site_header = _("Oversight administration")
    site_title = _("Oversight administration")
    index_title = _("Administration")

    def has_permission(self, request) -> bool:
        """Only client administrators (with staff access) and superusers may use the admin."""
        return may_use_admin(request.user)


class OversightAdminConfig(AdminConfig):
    """Replaces django.contrib.admin in INSTALLED_APPS so the default site is `OversightAdminSite`."""

    default_site = "oversight.core.admin_site.OversightAdminSite"
