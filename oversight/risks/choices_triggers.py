"""Choices of key risk indicators, risk events and vendor states, and the audit labels of the triggers part."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from oversight.quant import kri


class KriRule(models.TextChoices):
    """The built-in data rules a KRI may read instead of a registered indicator source."""

    NO_SERVICE = "no_service", _("Work orders resolved per working day (no service delivered)")
    COMMITMENTS_MISSED = "commitments_missed", _("SLA commitments missed in the signed evaluation")
    COST_DEVIATION = "cost_deviation", _("Cost deviation: invoiced against the contracted fee (%)")
    CERTIFICATE_CLUSTER = "certificate_cluster", _("Certificates expiring close together")
    STAFFING_SHORTFALL = "staffing_shortfall", _("Staffing shortfall against the contract (%)")


#: Rules that read a stock without history (the roster): only the latest complete period can be measured.
STOCK_RULES = frozenset({KriRule.CERTIFICATE_CLUSTER, KriRule.STAFFING_SHORTFALL})
#: Rules measured per working day (their window is n working days of a business calendar).
DAILY_RULES = frozenset({KriRule.NO_SERVICE})


class KriWindow(models.TextChoices):
    """How a KRI's evaluation periods are cut."""

    MONTH = "month", _("Calendar month")
    BUSINESS_DAYS = "business_days", _("Working days of a business calendar")


class KriStatus(models.TextChoices):
    """The traffic light of one reading."""

    GREEN = kri.GREEN, pgettext_lazy("traffic light", "Green")
    AMBER = kri.AMBER, pgettext_lazy("traffic light", "Amber")
    RED = kri.RED, pgettext_lazy("traffic light", "Red")
    NO_DATA = "no_data", _("No data")


class VendorState(models.IntegerChoices):
    """The states of the Markov model of vendors (ordered from best to worst; exit is absorbing)."""

    NORMAL = 0, pgettext_lazy("vendor state", "Normal")
    WATCH = 1, pgettext_lazy("vendor state", "Watch")
    WARNING = 2, pgettext_lazy("vendor state", "Warning")
    REMEDIATION = 3, pgettext_lazy("vendor state", "Remediation")
    EXIT = 4, pgettext_lazy("vendor state", "Exit")


#: The expert prior (rows: from, columns: to), used where a row rests on too few observed months.
DEFAULT_PRIOR = (
    (0.85, 0.10, 0.03, 0.015, 0.005),
    (0.30, 0.50, 0.12, 0.06, 0.02),
    (0.10, 0.25, 0.40, 0.20, 0.05),
    (0.05, 0.10, 0.20, 0.50, 0.15),
    (0.0, 0.0, 0.0, 0.0, 1.0),
)

#: The notification kind telling a risk's owner that a KRI linked to it is in breach.
NOTIFY_RISK_EVENT = "risk_event"

TRIGGER_AUDIT_ACTIONS = {
    "risks.kri.created": _("Key risk indicator created"),
    "risks.kri.updated": _("Key risk indicator changed"),
    "risks.kri.evaluated": _("Key risk indicator evaluated"),
    "risks.riskevent.raised": _("Risk event raised by a key risk indicator"),
    "risks.riskevent.applied": _("Risk event applied to a linked risk"),
    "risks.riskevent.ended": _("Risk event's breach episode ended"),
    "risks.vendorstatesettings.updated": _("Vendor state settings changed"),
}
