"""Contract statuses and the one table of allowed transitions, fee periods, bases, document kinds, currencies."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from oversight.core.transitions import Machine
from oversight.kpi import ONSITE_TIMELINESS, RESOLUTION_TIMELINESS, RESPONSE_TIMELINESS
from oversight.tickets.choices import CreatableKind


class ContractStatus(models.TextChoices):
    """Where a contract stands; see TRANSITIONS for how it may move."""

    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")


class ContractAction(models.TextChoices):
    """The transitions of a contract; each is one service in contracts.services."""

    ACTIVATE = "activate", _("Activate")
    EXPIRE = "expire", _("Expire")
    TERMINATE = "terminate", _("Terminate")


# action -> (statuses it may start from, status it leads to). The only place that says so.
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    ContractAction.ACTIVATE: (frozenset({ContractStatus.DRAFT}), ContractStatus.ACTIVE),
    ContractAction.EXPIRE: (frozenset({ContractStatus.ACTIVE}), ContractStatus.EXPIRED),
    ContractAction.TERMINATE: (frozenset({ContractStatus.DRAFT, ContractStatus.ACTIVE}), ContractStatus.TERMINATED),
}

# The contract's state machine (oversight.core.transitions): the organisation's administrators act for it, so
# repeating a step already done is harmless whoever of them asks.
CONTRACT_MACHINE = Machine(
    name="contracts.contract",
    table=TRANSITIONS,
    refusal=lambda status, action: (
        _("A contract that is %(status)s cannot be %(action)s.")
        % {"status": ContractStatus(status).label, "action": ContractAction(action).label.lower()}
    ),
    audit="contracts.contract.{to}",
    audit_names={
        ContractAction.ACTIVATE: "contracts.contract.activated",
        ContractAction.EXPIRE: "contracts.contract.expired",
        ContractAction.TERMINATE: "contracts.contract.terminated",
    },
)

# Statuses in which a contract's versions can be in force (a draft is not signed yet).
IN_FORCE_STATUSES = frozenset({ContractStatus.ACTIVE, ContractStatus.EXPIRED, ContractStatus.TERMINATED})


class FeePeriod(models.TextChoices):
    """How often the fixed fee falls due (and so the length of a settlement period)."""

    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")


FEE_PERIOD_MONTHS = {FeePeriod.MONTHLY: 1, FeePeriod.QUARTERLY: 3}


class AmountBasis(models.TextChoices):
    """How a band amount is expressed; the values are those of `oversight.fees.calc.Basis`."""

    # xgettext:no-python-format
    PERCENT = "percent", _("% of the base fee")
    AMOUNT = "amount", _("Amount of money")


# Work-order types that may carry a unit rate (按量计费): exactly the types that can be submitted, so the
# API schema shows one enum for both.
UnitRateKind = CreatableKind


# The timeliness indicator that measures each SLA metric (catalog.choices.SLAMetric values).
METRIC_INDICATOR = {
    "response": RESPONSE_TIMELINESS,
    "onsite": ONSITE_TIMELINESS,
    "resolution": RESOLUTION_TIMELINESS,
}


class DocumentKind(models.TextChoices):
    """What a contract document is."""

    SIGNED_CONTRACT = "signed_contract", _("Signed contract")
    AMENDMENT = "amendment", _("Signed amendment")
    ANNEX = "annex", _("Annex (e.g. service level agreement)")
    OTHER = "other", _("Other")


# Active ISO 4217 currency codes (the currency of a contract must be one of them).
ISO_4217_CODES = frozenset(
    """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD
    CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD
    GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT
    LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR
    NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP
    STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XCG
    XOF XPF YER ZAR ZMW ZWG
    """.split()
)
DEFAULT_CURRENCY = "CNY"


# Readable names of the audit actions this app writes (oversight.audit.actions collects them).
AUDIT_ACTIONS = {
    "contracts.contract.created": _("Contract created"),
    "contracts.contract.draft_updated": _("Contract draft updated"),
    "contracts.contract.title_changed": _("Contract title changed"),
    "contracts.contract.activated": _("Contract activated"),
    "contracts.contract.amended": _("Contract amended"),
    "contracts.contract.terminated": _("Contract terminated"),
    "contracts.contract.expired": _("Contract expired"),
    "contracts.contract.renewal_reminded": _("Contract renewal reminder sent"),
    "contracts.contractversion.withdrawn": _("Contract amendment withdrawn"),
    "contracts.contractdocument.created": _("Contract document uploaded"),
}
