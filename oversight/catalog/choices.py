"""Choices for the catalog, calendars and SLA policies."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Priority(models.TextChoices):
    """Work-order priority; P1 is the most urgent."""

    P1 = "P1", _("P1 critical")
    P2 = "P2", _("P2 high")
    P3 = "P3", _("P3 medium")
    P4 = "P4", _("P4 low")


class Level(models.IntegerChoices):
    """Impact and urgency levels (1 = highest)."""

    HIGH = 1, _("High")
    MEDIUM = 2, _("Medium")
    LOW = 3, _("Low")


class SLAMetric(models.TextChoices):
    """The targets an SLA policy sets; each becomes one clock on a work order."""

    RESPONSE = "response", _("Response")
    ONSITE = "onsite", _("On-site arrival")
    # The clock, not the text describing what was done (that is "Resolution" without context).
    RESOLUTION = "resolution", pgettext_lazy("SLA metric", "Resolution")


class HolidaySource(models.TextChoices):
    """Where a calendar's public holidays and adjusted working days come from."""

    NONE = "none", _("No public holidays (e.g. 24×7)")
    CHINA = "china", _("Mainland China (State Council notices)")


class CalendarYearSource(models.TextChoices):
    """How a year's holiday data got into a calendar."""

    LIBRARY = "library", _("Maintained library")
    MANUAL = "manual", _("Entered and confirmed by an administrator")


class Weekday(models.IntegerChoices):
    """Weekdays, Monday = 0 as in Python."""

    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Status(models.TextChoices):
    """Work-order status: what SLA policies pause on and what work orders move through (tickets TRANSITIONS)."""

    NEW = "new", _("New")
    DISPATCHED = "dispatched", _("Dispatched")
    ACCEPTED = "accepted", _("Accepted")
    ON_SITE = "on_site", _("On site")
    PENDING_REQUESTER = "pending_requester", _("Pending requester")
    PENDING_THIRD_PARTY = "pending_third_party", _("Pending third party")
    # An incident linked to an open problem, waiting for its fix (ADR 0028); the SLA policy decides whether it
    # pauses a clock, like every other status.
    PENDING_PROBLEM = "pending_problem", _("Awaiting problem")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = frozenset(
    {
        Status.NEW,
        Status.DISPATCHED,
        Status.ACCEPTED,
        Status.ON_SITE,
        Status.PENDING_REQUESTER,
        Status.PENDING_THIRD_PARTY,
        Status.PENDING_PROBLEM,
    }
)


# Readable names of the audit actions this app writes (oversight.audit.actions collects them).
# What nested audit values hold, so the audit trail reads them by name (oversight.audit.presentation).
AUDIT_NESTED_VALUES = {
    "catalog.slapolicy.targets": "catalog.slatarget",  # an SLA version's targets: rows of SLA targets
    "catalog.slapolicy.pause_statuses": ("catalog.slatarget.metric", "tickets.workorder.status"),
}

AUDIT_ACTIONS = {
    "catalog.calendar.created": _("Business calendar created"),
    "catalog.calendar.changed": _("Business calendar changed"),
    "catalog.calendar.deleted": _("Business calendar deleted"),
    "catalog.calendar.hours_changed": _("Business calendar working hours changed"),
    "catalog.calendar.year_loaded": _("Business calendar year loaded"),
    "catalog.calendar.year_confirmed": _("Business calendar year confirmed"),
    "catalog.calendar.day_set": _("Business calendar day set"),
    "catalog.calendar.day_deleted": _("Business calendar day removed"),
    "catalog.slapolicy.created": _("SLA policy created"),
    "catalog.slapolicy.version_created": _("SLA policy version created"),
}
