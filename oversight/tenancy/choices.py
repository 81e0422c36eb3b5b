"""Choices for organisations and people."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a user does; decides what they may see and change (tenancy.roles, tenancy.visibility)."""

    CLIENT_ADMIN = "client_admin", _("Client administrator")
    CLIENT_SUPERVISOR = "client_supervisor", _("Client supervisor")
    EXECUTIVE = "executive", _("Executive")
    AUDITOR = "auditor", _("Auditor")
    VENDOR_MANAGER = "vendor_manager", _("Vendor manager")
    VENDOR_AGENT = "vendor_agent", _("Vendor agent")
    REQUESTER = "requester", _("Requester")


class SiteKind(models.TextChoices):
    """Kinds of place in a client organisation."""

    CAMPUS = "campus", _("Campus")
    BUILDING = "building", _("Building")
    DEPARTMENT = "department", _("Department")
    ROOM = "room", _("Room")


class VendorTier(models.TextChoices):
    """Vendor portfolio tier."""

    STRATEGIC = "strategic", _("Strategic")
    CORE = "core", _("Core")
    ORDINARY = "ordinary", _("Ordinary")


class StaffPosition(models.TextChoices):
    """Positions in a vendor's staff roster."""

    PROJECT_MANAGER = "project_manager", _("Project manager")
    QC_MANAGER = "qc_manager", _("QC manager")
    ONSITE_ENGINEER = "onsite_engineer", _("On-site engineer")
    SERVICE_DESK = "service_desk", _("Service desk agent")
    SPECIALIST = "specialist", _("Specialist")


# Readable names of the audit actions this app writes (oversight.audit.actions collects them).
AUDIT_ACTIONS = {
    "tenancy.saved_view.created": _("Saved view created"),
    "tenancy.saved_view.renamed": _("Saved view renamed"),
    "tenancy.saved_view.deleted": _("Saved view deleted"),
    "tenancy.user.created": _("User created"),
    "tenancy.user.changed": _("User changed"),
    "tenancy.user.role_changed": _("User role changed"),
    "tenancy.user.password_changed": _("User password set"),
    "tenancy.user.preferences_changed": _("User preferences changed"),
    "tenancy.user.invitation_sent": _("User invitation sent"),
    "tenancy.user.deactivated": _("User deactivated"),
    "tenancy.user.reactivated": _("User reactivated"),
    "tenancy.api_token.created": _("API token created"),
    "tenancy.api_token.revoked": _("API token revoked"),
    "tenancy.user.login_locked_out": _("Sign-in locked after failed attempts"),
    "tenancy.user.password_reset_requested": _("Password reset requested"),
    "tenancy.user.sign_in_unlocked": _("Sign-in unlocked"),
}
