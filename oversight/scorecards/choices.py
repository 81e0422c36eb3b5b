"""Choices of the evaluation app and the one table of period transitions (考核流程).

Workflow of an evaluation period
--------------------------------
``draft`` (computed, visible to the client only) → ``published`` to the vendor, which opens the
dispute window → while at least one dispute (申诉) is open the period is ``disputed``; when the
last one is decided it is ``published`` again → the client side signs first (``signed_client``),
then the vendor manager countersigns (``signed``: both sides) → the client locks it (``locked``).
A vendor dispute raised after the client signed (still inside the window) withdraws the client's
signature: the period is ``disputed`` again. Signed and locked periods never change; a correction
is a new linked revision that starts in ``draft``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Re-exported: the dimensions, units and manual entry are the registry's (oversight.core.kpis), so a registered
# source and a scheme agree; manual entry is the one source that is not registered (the client enters it).
from oversight.core.kpis import MANUAL, Dimension, Unit  # noqa: F401
from oversight.core.transitions import Machine
from oversight.scorecards.rules import DeductionRule, LinearRule, StepRule

# What kind of records a result's numerator and denominator ids name (stored on every result row). Each kind
# is registered with its drill-down in oversight.core.kpis (the built-in ones by scorecards.kpis).
RECORD_WORK_ORDER = "work_order"
RECORD_RATING = "rating"
RECORD_COMPLAINT = "complaint"
RECORD_MANUAL = "manual_entry"
RECORD_STAFF_MEMBER = "staff_member"
RECORD_CERTIFICATE = "certificate"


class RuleKind(models.TextChoices):
    """Scoring rules (评分规则) of `oversight.scorecards.rules`."""

    LINEAR = LinearRule.kind, _("Linear between two thresholds")
    STEP = StepRule.kind, _("Step table")
    DEDUCTION = DeductionRule.kind, _("Deduction per event with a floor")


class MissingPolicy(models.TextChoices):
    """What an indicator without a value scores (values equal those of `rules.MissingPolicy`)."""

    RAISE = "raise", _("No score until a value exists")
    ZERO = "zero", _("Zero points")
    FULL = "full", _("Full points (no event, no deduction)")


class PeriodKind(models.TextChoices):
    """Evaluation cadence."""

    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")


PERIOD_MONTHS = {PeriodKind.MONTHLY: 1, PeriodKind.QUARTERLY: 3}


class PeriodStatus(models.TextChoices):
    """Where an evaluation period stands; see TRANSITIONS."""

    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published to the vendor")
    DISPUTED = "disputed", _("Disputed")
    SIGNED_CLIENT = "signed_client", _("Signed by the client")
    SIGNED = "signed", _("Signed by both sides")
    LOCKED = "locked", _("Locked")


class PeriodAction(models.TextChoices):
    """The transitions of a period; each is one service in scorecards.services."""

    PUBLISH = "publish", _("Publish to the vendor")
    DISPUTE = "dispute", _("Dispute")
    SETTLE_DISPUTES = "settle_disputes", _("All disputes decided")
    SIGN_CLIENT = "sign_client", _("Sign (client)")
    SIGN_VENDOR = "sign_vendor", _("Countersign (vendor)")
    LOCK = "lock", _("Lock")


# action -> (statuses it may start from, status it leads to). The only place that says so.
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    PeriodAction.PUBLISH: (frozenset({PeriodStatus.DRAFT}), PeriodStatus.PUBLISHED),
    PeriodAction.DISPUTE: (
        frozenset({PeriodStatus.PUBLISHED, PeriodStatus.DISPUTED, PeriodStatus.SIGNED_CLIENT}),
        PeriodStatus.DISPUTED,
    ),
    PeriodAction.SETTLE_DISPUTES: (frozenset({PeriodStatus.DISPUTED}), PeriodStatus.PUBLISHED),
    PeriodAction.SIGN_CLIENT: (frozenset({PeriodStatus.PUBLISHED}), PeriodStatus.SIGNED_CLIENT),
    PeriodAction.SIGN_VENDOR: (frozenset({PeriodStatus.SIGNED_CLIENT}), PeriodStatus.SIGNED),
    PeriodAction.LOCK: (frozenset({PeriodStatus.SIGNED}), PeriodStatus.LOCKED),
}

# The period's state machine (oversight.core.transitions): the client's operators act for the organisation and
# the vendor's manager for the vendor, so repeating a step already done is harmless whoever of them asks.
PERIOD_MACHINE = Machine(
    name="scorecards.evaluationperiod",
    table=TRANSITIONS,
    refusal=lambda status, action: (
        _("“%(action)s” is not possible while the evaluation is “%(status)s”.")
        % {"action": PeriodAction(action).label, "status": PeriodStatus(status).label}
    ),
    audit="scorecards.evaluationperiod.{to}",
    timeline="scorecards.PeriodEvent",
    timeline_kind="status_changed",
)

# Statuses in which the figures may still change (recompute, manual entries).
EDITABLE_STATUSES = frozenset({PeriodStatus.DRAFT, PeriodStatus.PUBLISHED})
# Statuses in which nothing changes any more (a correction is a new revision).
FROZEN_STATUSES = frozenset({PeriodStatus.SIGNED, PeriodStatus.LOCKED})
# Statuses the vendor sees (drafts are the client's work in progress).
VENDOR_VISIBLE_STATUSES = frozenset(set(PeriodStatus.values) - {PeriodStatus.DRAFT})


class DisputeStatus(models.TextChoices):
    """A dispute (申诉) is open until the client side accepts or rejects it."""

    OPEN = "open", _("Open")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class DisputeAction(models.TextChoices):
    """The decisions on a dispute; each is one service in scorecards.services."""

    ACCEPT = "accept", _("Accept")
    REJECT = "reject", _("Reject")


# action -> (statuses it may start from, status it leads to): a dispute is decided once.
DISPUTE_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    DisputeAction.ACCEPT: (frozenset({DisputeStatus.OPEN}), DisputeStatus.ACCEPTED),
    DisputeAction.REJECT: (frozenset({DisputeStatus.OPEN}), DisputeStatus.REJECTED),
}

# The dispute's state machine; its steps are recorded on the period's timeline by the services.
DISPUTE_MACHINE = Machine(
    name="scorecards.dispute",
    table=DISPUTE_TRANSITIONS,
    refusal=lambda status, action: (
        _("This dispute was already decided (%(status)s).") % {"status": DisputeStatus(status).label}
    ),
    audit="scorecards.dispute.{to}",
)


class PeriodEventKind(models.TextChoices):
    """Kinds of step in a period's immutable timeline."""

    CREATED = "created", _("Created")
    COMPUTED = "computed", _("Computed")
    STATUS_CHANGED = "status_changed", _("Status changed")
    MANUAL_ENTRY = "manual_entry", _("Manual value entered")
    DISPUTE_OPENED = "dispute_opened", _("Dispute raised")
    DISPUTE_ACCEPTED = "dispute_accepted", _("Dispute accepted")
    DISPUTE_REJECTED = "dispute_rejected", _("Dispute rejected")
    SIGNATURE_WITHDRAWN = "signature_withdrawn", _("Client signature withdrawn")
    REVISED = "revised", _("Corrected by a revision")
    REVISION_OF = "revision_of", _("Revision created")


# Readable names of the audit actions this app writes (oversight.audit.actions collects them).
AUDIT_ACTIONS = {
    "scorecards.indicatorscheme.created": _("Indicator scheme created"),
    "scorecards.evaluationperiod.created": _("Evaluation period created"),
    "scorecards.evaluationperiod.computed": _("Evaluation period computed"),
    "scorecards.evaluationperiod.revised": _("Evaluation period revised"),
    "scorecards.evaluationperiod.published": _("Evaluation period published to the vendor"),
    "scorecards.evaluationperiod.disputed": _("Evaluation period disputed"),
    "scorecards.evaluationperiod.signed_client": _("Evaluation period signed by the client"),
    "scorecards.evaluationperiod.signed": _("Evaluation period signed by both sides"),
    "scorecards.evaluationperiod.locked": _("Evaluation period locked"),
    "scorecards.manualentry.created": _("Manual entry recorded"),
    "scorecards.dispute.opened": _("Dispute opened"),
    "scorecards.dispute.accepted": _("Dispute accepted"),
    "scorecards.dispute.rejected": _("Dispute rejected"),
}
