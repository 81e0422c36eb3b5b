"""The approval engine (ADR 0020): how one approval step decides from its votes, and how a sequence of steps
decides. Pure: imports no Django; `services` feeds it the counts of a step's requests and stores the outcome.

A step has N voting places (one per approver; a substitute answers in the approver's place once the deadline
has passed, so N never changes). Each place is pending, approved or rejected. The step's rule gives the number
of approvals it needs, ``need(rule, N)``:

=============  ===================  ================================================================
rule           label                approvals needed
=============  ===================  ================================================================
``all``        需全部同意            N
``any``        任一同意              1
``quorum``     至少 n 人同意          n (1 ≤ n ≤ N)
``percent``    至少 p% 同意           ⌈p × N / 100⌉, at least 1 (0 < p ≤ 100)
``majority``   全部投票后过半同意      ⌊N / 2⌋ + 1, decided only once everybody voted
=============  ===================  ================================================================

Decision, with ``a`` approvals, ``r`` rejections and ``p`` pending places:

- **approved** as soon as ``a ≥ need`` (for ``majority`` only once ``p = 0``: everybody has their say);
- **rejected** as soon as ``a + p < need``: even if every pending place approved, the rule could no longer
  be met (early rejection: under ``all`` the first rejection decides, under ``any`` only the last);
- **pending** otherwise.

Once a step is decided its pending places are withdrawn (by the service). A sequence of steps is approved
when every step is, rejected as soon as one is; the steps open one after the other.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Rule(StrEnum):
    """How a step decides."""

    ALL = "all"
    ANY = "any"
    QUORUM = "quorum"
    PERCENT = "percent"
    MAJORITY = "majority"


class Outcome(StrEnum):
    """Where a step (or a sequence of steps) stands."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class RuleError(ValueError):
    """A rule that cannot be met by its places (quorum above N, a percentage outside 1–100, no places)."""


@dataclass(frozen=True)
class StepRule:
    """A step's rule with its parameter: ``quorum`` for QUORUM, ``percent`` for PERCENT."""

    rule: Rule
    quorum: int | None = None
    percent: int | None = None


def need(step: StepRule, places: int) -> int:
    """How many approvals the step needs out of ``places`` voting places."""
    if places < 1:
        raise RuleError("a step needs at least one approver")
    if step.rule == Rule.ALL:
        return places
    if step.rule == Rule.ANY:
        return 1
    if step.rule == Rule.QUORUM:
        if step.quorum is None or not 1 <= step.quorum <= places:
            raise RuleError("a quorum is between 1 and the number of approvers")
        return step.quorum
    if step.rule == Rule.PERCENT:
        if step.percent is None or not 0 < step.percent <= 100:
            raise RuleError("a percentage is above 0 and at most 100")
        return max(1, -(-step.percent * places // 100))
    if step.rule == Rule.MAJORITY:
        return places // 2 + 1
    raise RuleError(f"unknown rule {step.rule!r}")


def decide(step: StepRule, *, approved: int, rejected: int, pending: int) -> Outcome:
    """The outcome of a step from the counts of its places (see the module docstring)."""
    if min(approved, rejected, pending) < 0:
        raise RuleError("counts are never negative")
    needed = need(step, approved + rejected + pending)
    if approved + pending < needed:
        return Outcome.REJECTED
    if approved >= needed and (step.rule != Rule.MAJORITY or pending == 0):
        return Outcome.APPROVED
    return Outcome.PENDING


def sequence(outcomes: Iterable[Outcome]) -> tuple[Outcome, int | None]:
    """The outcome of steps taken in order, and the index of the step now open (None once decided).

    Steps after the first pending one have not opened yet, whatever their (empty) counts say."""
    for index, outcome in enumerate(outcomes):
        if outcome == Outcome.REJECTED:
            return Outcome.REJECTED, None
        if outcome == Outcome.PENDING:
            return Outcome.PENDING, index
    return Outcome.APPROVED, None
