"""Choices of the vendor portfolio."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScoreSource(models.TextChoices):
    """Where a monthly figure comes from: computed from data, or entered by the client (never overwritten)."""

    COMPUTED = "computed", _("Computed")
    ENTERED = "entered", _("Entered")


class ScoreDimension(models.TextChoices):
    """The three figures of a vendor's monthly score."""

    TECHNICAL = "technical", _("Technical capability")
    RESPONSE = "response", _("Response speed")
    COST = "cost", _("Cost")


class QualificationRole(models.TextChoices):
    """A vendor's role for a service: the owning vendor is primary, others are backups."""

    PRIMARY = "primary", _("Primary")
    BACKUP = "backup", _("Backup")


class CertificateState(models.TextChoices):
    """A certificate's state on a day (expiring = valid but expires within the warning window)."""

    VALID = "valid", _("Valid")
    EXPIRING = "expiring", _("Expiring")
    EXPIRED = "expired", _("Expired")


# The page of a vendor named in the audit trail: its portfolio page, for the readers who may open it.
AUDIT_OBJECT_PAGES = {"tenancy.vendor": "oversight.portfolio.selectors.vendor_page_urls"}

# Readable names of the audit actions this app writes (oversight.audit.actions collects them).
AUDIT_ACTIONS = {
    "portfolio.vendor.tier_changed": _("Vendor tier changed"),
    "portfolio.monthly_score.computed": _("Monthly vendor score computed"),
    "portfolio.monthly_score.entered": _("Monthly vendor score entered"),
    "portfolio.qualification.created": _("Vendor qualification added"),
    "portfolio.qualification.removed": _("Vendor qualification removed"),
    "portfolio.settings.updated": _("Portfolio settings updated"),
}
