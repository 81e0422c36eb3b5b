"""Choices of the sourcing app: how a contract is priced, the KPI an outcome bonus or malus rests on, the kinds of
sourcing scenario, the tornado's drivers, and the audit action labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PricingBasis(models.TextChoices):
    """What the vendor is paid per (the unit of a commercial model's rate)."""

    FTE_MONTH = "fte_month", _("Per FTE-month")
    PRODUCTIVE_HOUR = "productive_hour", _("Per productive hour")
    HANDLED_CONTACT = "handled_contact", _("Per handled contact")
    MINUTE = "minute", _("Per handled minute")


class OutcomeKpi(models.TextChoices):
    """The KPI an outcome bonus or malus is measured on (over the period's current interval facts)."""

    ABANDONMENT = "abandonment_rate", _("Abandonment rate (%)")
    ASA = "asa_seconds", _("Average speed of answer (seconds)")
    AHT = "aht_seconds", _("Average handle time (seconds)")


class ScenarioKind(models.TextChoices):
    """Where the contacts are handled in the proposal of a scenario."""

    IN_HOUSE = "in_house", _("In-house")
    OUTSOURCED = "outsourced", _("Outsourced")
    MIXED = "mixed", _("Mixed")


#: The tornado's drivers (ccmath.finance.SENSITIVITY_DRIVERS) with their labels.
DRIVER_LABELS = {
    "annual_contacts": _("Contacts per year"),
    "aht_seconds": _("Average handle time"),
    "annual_wage_per_fte": _("Loaded wage per FTE"),
    "shrinkage": _("Shrinkage"),
    "seat_cost_per_fte": _("Seat cost per FTE"),
    "technology_cost": _("Technology cost"),
    "price_per_contact": _("Vendor price per contact"),
    "governance_cost": _("Vendor management cost"),
    "transition_cost": _("Transition cost"),
    "discount_rate": _("Discount rate"),
}

AUDIT_ACTIONS = {
    "sourcing.commercialmodel.created": _("Commercial model created"),
    "sourcing.commercialmodel.updated": _("Commercial model changed"),
    "sourcing.commercialmodel.deleted": _("Commercial model deleted"),
    "sourcing.scenario.created": _("Sourcing scenario saved"),
    "sourcing.scenario.updated": _("Sourcing scenario changed"),
    "sourcing.scenario.deleted": _("Sourcing scenario deleted"),
}
