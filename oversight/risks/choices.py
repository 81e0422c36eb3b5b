"""Choices of the risk register: categories, treatments, rating kinds, levels, the risk's, mitigation's and
contingency action's state machines, timeline kinds, the default matrix, and the audit action labels.

The quantification and trigger parts of the app declare their own choices in their own modules."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from oversight.core.transitions import Machine, repeat_unless


class RiskCategory(models.TextChoices):
    """What kind of risk it is."""

    FINANCIAL = "financial", _("Financial")
    TECHNICAL = "technical", _("Technical")
    OPERATIONAL = "operational", _("Operational")
    MARKET = "market", _("Market")
    COMPLIANCE = "compliance", _("Compliance")
    VENDOR = "vendor", _("Vendor")
    DATA_SECURITY = "data_security", _("Data security")


class Treatment(models.TextChoices):
    """How the organisation treats a risk (风险应对)."""

    ACCEPT = "accept", _("Accept")
    MITIGATE = "mitigate", _("Mitigate")
    TRANSFER = "transfer", _("Transfer")
    AVOID = "avoid", _("Avoid")


class RatingKind(models.TextChoices):
    """Which rating of a risk: before any control, now, the goal, after the planned treatment."""

    INHERENT = "inherent", _("Inherent")
    CURRENT = "current", _("Current")
    TARGET = "target", _("Target")
    RESIDUAL = "residual", _("Residual")


class RiskLevel(models.TextChoices):
    """A risk's level, from the score bands of its matrix (lowest first)."""

    VERY_LOW = "very_low", _("Very low")
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    VERY_HIGH = "very_high", _("Very high")


#: Rank of each level (higher is worse), for sorting and "did it go up".
LEVEL_RANK = {level.value: rank for rank, level in enumerate(RiskLevel)}


class ScoreFormula(models.TextChoices):
    """How a matrix scores a cell (oversight.quant.matrix)."""

    PRODUCT = "product", _("Probability × impact")
    SUM = "sum", _("Probability + impact")
    MAX = "max", _("The higher of the two")
    TABLE = "table", _("A score written in each cell")


class RiskStatus(models.TextChoices):
    """Risk status; see RISK_TRANSITIONS."""

    IDENTIFIED = "identified", _("Identified")
    ASSESSED = "assessed", _("Assessed")
    TREATING = "treating", _("Being treated")
    MONITORING = "monitoring", _("Monitoring")
    CLOSED = "closed", _("Closed")


class RiskAction(models.TextChoices):
    """The transitions of a risk; each is one call of `risks.services.risk_transition`."""

    ASSESS = "assess", _("Mark as assessed")
    TREAT = "treat", _("Start treatment")
    MONITOR = "monitor", _("Move to monitoring")
    CLOSE = "close", _("Close")
    REOPEN = "reopen", _("Reopen")


OPEN_RISK_STATUSES = frozenset({RiskStatus.IDENTIFIED, RiskStatus.ASSESSED, RiskStatus.TREATING, RiskStatus.MONITORING})

RISK_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    RiskAction.ASSESS: (frozenset({RiskStatus.IDENTIFIED}), RiskStatus.ASSESSED),
    RiskAction.TREAT: (frozenset({RiskStatus.ASSESSED, RiskStatus.MONITORING}), RiskStatus.TREATING),
    RiskAction.MONITOR: (frozenset({RiskStatus.ASSESSED, RiskStatus.TREATING}), RiskStatus.MONITORING),
    RiskAction.CLOSE: (OPEN_RISK_STATUSES, RiskStatus.CLOSED),
    RiskAction.REOPEN: (frozenset({RiskStatus.CLOSED}), RiskStatus.IDENTIFIED),
}
RISK_ACTIONS_NEEDING_NOTE = frozenset({RiskAction.CLOSE, RiskAction.REOPEN})

RISK_MACHINE = Machine(
    name="risks.risk",
    table=RISK_TRANSITIONS,
    refusal=lambda status, action: (
        _("“%(action)s” is not possible while the risk is “%(status)s”.")
        % {"action": RiskAction(action).label, "status": RiskStatus(status).label}
    ),
    stale=_("This risk was changed by someone else in the meantime. Reload it and try again."),
    audit="risks.risk.{action}",
    timeline="risks.RiskActivity",
    timeline_kind="status_changed",
    same_request=repeat_unless(RiskAction.REOPEN),
)


class MitigationStatus(models.TextChoices):
    """Where a mitigation (风险缓释措施) stands."""

    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class MitigationAction(models.TextChoices):
    """The transitions of a mitigation."""

    START = "start", _("Start")
    COMPLETE = "complete", _("Mark as done")
    CANCEL = "cancel", _("Cancel")
    REOPEN = "reopen", _("Reopen")


OPEN_MITIGATION_STATUSES = frozenset({MitigationStatus.PLANNED, MitigationStatus.IN_PROGRESS})

MITIGATION_MACHINE = Machine(
    name="risks.mitigation",
    table={
        MitigationAction.START: (frozenset({MitigationStatus.PLANNED}), MitigationStatus.IN_PROGRESS),
        MitigationAction.COMPLETE: (OPEN_MITIGATION_STATUSES, MitigationStatus.DONE),
        MitigationAction.CANCEL: (OPEN_MITIGATION_STATUSES, MitigationStatus.CANCELLED),
        MitigationAction.REOPEN: (
            frozenset({MitigationStatus.DONE, MitigationStatus.CANCELLED}),
            MitigationStatus.IN_PROGRESS,
        ),
    },
    refusal=lambda status, action: (
        _("“%(action)s” is not possible while the mitigation is “%(status)s”.")
        % {"action": MitigationAction(action).label, "status": MitigationStatus(status).label}
    ),
    stale=_("This mitigation was changed by someone else in the meantime. Reload it and try again."),
    audit="risks.mitigation.{action}",
    same_request=repeat_unless(MitigationAction.REOPEN),
)


class ContingencyStatus(models.TextChoices):
    """Where an action opened from a contingency plan stands."""

    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ContingencyActionKind(models.TextChoices):
    """The transitions of a contingency action."""

    COMPLETE = "complete", _("Mark as done")
    CANCEL = "cancel", _("Cancel")


CONTINGENCY_MACHINE = Machine(
    name="risks.contingencyaction",
    table={
        ContingencyActionKind.COMPLETE: (frozenset({ContingencyStatus.OPEN}), ContingencyStatus.DONE),
        ContingencyActionKind.CANCEL: (frozenset({ContingencyStatus.OPEN}), ContingencyStatus.CANCELLED),
    },
    refusal=lambda status, action: (
        _("“%(action)s” is not possible while the action is “%(status)s”.")
        % {"action": ContingencyActionKind(action).label, "status": ContingencyStatus(status).label}
    ),
    audit="risks.contingencyaction.{action}",
)


class RiskActivityKind(models.TextChoices):
    """Kinds of step in a risk's timeline."""

    CREATED = "created", _("Created")
    EDITED = "edited", _("Details changed")
    STATUS_CHANGED = "status_changed", _("Status changed")
    RATED = "rated", _("Rated")
    REVIEWED = "reviewed", _("Reviewed")
    MITIGATION_LINKED = "mitigation_linked", _("Mitigation linked")
    MITIGATION_UNLINKED = "mitigation_unlinked", _("Mitigation unlinked")
    CONTINGENCY_OPENED = "contingency_opened", _("Contingency plan opened")
    CONTINGENCY_CLOSED = "contingency_closed", _("Contingency action closed")


#: Default days until the next review, per level (configurable per matrix version).
DEFAULT_REVIEW_DAYS = {
    RiskLevel.VERY_LOW: 365,
    RiskLevel.LOW: 365,
    RiskLevel.MEDIUM: 180,
    RiskLevel.HIGH: 90,
    RiskLevel.VERY_HIGH: 30,
}

#: The default 5 × 5 matrix seeded for an organisation: probability and impact labels (中文, English), the
#: product formula, and bands (start score, level, colour, days to the next review).
DEFAULT_PROBABILITY_LABELS = (
    ("极少发生", "Rare"),
    ("不太可能", "Unlikely"),
    ("可能", "Possible"),
    ("很可能", "Likely"),
    ("几乎肯定", "Almost certain"),
)
DEFAULT_IMPACT_LABELS = (
    ("轻微", "Negligible"),
    ("较小", "Minor"),
    ("中等", "Moderate"),
    ("重大", "Major"),
    ("严重", "Severe"),
)
DEFAULT_BANDS = (
    ("1", RiskLevel.LOW, "#7cb342", DEFAULT_REVIEW_DAYS[RiskLevel.LOW]),
    ("5", RiskLevel.MEDIUM, "#fdd835", DEFAULT_REVIEW_DAYS[RiskLevel.MEDIUM]),
    ("10", RiskLevel.HIGH, "#fb8c00", DEFAULT_REVIEW_DAYS[RiskLevel.HIGH]),
    ("17", RiskLevel.VERY_HIGH, "#e53935", DEFAULT_REVIEW_DAYS[RiskLevel.VERY_HIGH]),
)

#: Notification kinds (their topic: oversight.notifications.choices.topic_of).
NOTIFY_REVIEW_OVERDUE = "risk_review_overdue"
NOTIFY_MITIGATION_OVERDUE = "risk_mitigation_overdue"
NOTIFY_CONTINGENCY_OPENED = "risk_contingency_opened"


AUDIT_ACTIONS = {
    "risks.risk.created": _("Risk recorded"),
    "risks.risk.updated": _("Risk details changed"),
    "risks.risk.rated": _("Risk rated"),
    "risks.risk.reviewed": _("Risk reviewed"),
    "risks.risk.assess": _("Risk marked as assessed"),
    "risks.risk.treat": _("Risk treatment started"),
    "risks.risk.monitor": _("Risk moved to monitoring"),
    "risks.risk.close": _("Risk closed"),
    "risks.risk.reopen": _("Risk reopened"),
    "risks.risk.contingency_opened": _("Risk contingency plan opened"),
    "risks.mitigation.created": _("Mitigation recorded"),
    "risks.mitigation.updated": _("Mitigation changed"),
    "risks.mitigation.start": _("Mitigation started"),
    "risks.mitigation.complete": _("Mitigation done"),
    "risks.mitigation.cancel": _("Mitigation cancelled"),
    "risks.mitigation.reopen": _("Mitigation reopened"),
    "risks.contingencyaction.complete": _("Contingency action done"),
    "risks.contingencyaction.cancel": _("Contingency action cancelled"),
    "risks.riskmatrix.created": _("Risk matrix created"),
    "risks.riskmatrixversion.created": _("Risk matrix version created"),
    "risks.riskmatrixversion.updated": _("Unused risk matrix version corrected"),
}

# The trigger part's audit labels (key risk indicators, risk events, vendor states).
from oversight.risks.choices_triggers import TRIGGER_AUDIT_ACTIONS  # noqa: E402

AUDIT_ACTIONS.update(TRIGGER_AUDIT_ACTIONS)

# The quantification's audit labels (declared with its choices in choices_quant.py).
from oversight.risks.choices_quant import QUANT_AUDIT_ACTIONS  # noqa: E402

AUDIT_ACTIONS.update(QUANT_AUDIT_ACTIONS)
