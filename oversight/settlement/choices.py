"""Choices of the settlement app: statement status, what a line's source is, and the translated line labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from oversight.core.transitions import Machine
from oversight.fees import calc


class StatementStatus(models.TextChoices):
    """A statement is a draft (recomputed on demand) until the client approves it; then it never changes."""

    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")


class StatementAction(models.TextChoices):
    """The transitions of a statement; each is one service in settlement.services."""

    APPROVE = "approve", _("Approve and lock")


# action -> (statuses it may start from, status it leads to): approving locks a draft for good.
STATEMENT_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    StatementAction.APPROVE: (frozenset({StatementStatus.DRAFT}), StatementStatus.APPROVED),
}

# The statement's state machine (oversight.core.transitions): the client's operators approve for the
# organisation, so a repeated approval is harmless whoever of them asks. A draft is recomputed in place
# (statement_prepare); an approved statement never changes, so the table leads nowhere from it.
STATEMENT_MACHINE = Machine(
    name="settlement.statement",
    table=STATEMENT_TRANSITIONS,
    refusal=lambda status, action: _("This statement was approved and is locked: its numbers never change."),
    audit="settlement.statement.{to}",
)


class LineSource(models.TextChoices):
    """What a statement line comes from (its link on the statement page)."""

    CONTRACT = "contract", _("Contract terms")
    PERIOD = "period", _("Evaluation period")
    COMMITMENT = "commitment", _("Commitment result")
    STATEMENT = "statement", _("This statement")


# label_key of fees.calc -> translated label (the keys are stored; the words follow the reader's language).
LINE_LABELS = {
    calc.LABEL_BASE_FEE: _("Base fee"),
    calc.LABEL_UNIT_CHARGE: _("Unit-rate charge"),
    calc.LABEL_SCORE_DEDUCTION: _("Score-band deduction"),
    calc.LABEL_SERVICE_CREDIT: _("Service credit"),
    calc.LABEL_CREDIT_CAP: _("Credits above the at-risk amount (cap)"),
    calc.LABEL_FLOOR: _("Floor: the total is never below zero"),
}

# The source of each kind of line (unit charges and credits are recognised by their code prefix).
LINE_SOURCES = {
    "base_fee": LineSource.CONTRACT,
    "score_deduction": LineSource.PERIOD,
    "credit_cap": LineSource.STATEMENT,
    "floor": LineSource.STATEMENT,
}


def line_source(code: str) -> str:
    """The source kind of a line with this code."""
    if code.startswith("unit:"):
        return LineSource.PERIOD
    if code.startswith("credit:"):
        return LineSource.COMMITMENT
    return LINE_SOURCES.get(code, LineSource.STATEMENT)


def line_label(label_key: str):
    """The translated label of a line (the key itself when unknown)."""
    return LINE_LABELS.get(label_key, label_key)


# Readable names of the audit actions this app writes (oversight.audit.actions collects them).
AUDIT_ACTIONS = {
    "settlement.statement.prepared": _("Settlement statement prepared"),
    "settlement.statement.recomputed": _("Settlement statement recomputed"),
    "settlement.statement.verified": _("Settlement statement verified"),
    "settlement.statement.approved": _("Settlement statement approved"),
}
