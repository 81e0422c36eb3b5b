"""Credit rules of SLA commitments (服务承诺的扣减规则), pure Python: is a commitment met, what share is forfeited.

No Django. The ORM layer (``contracts.selectors``) builds a :class:`CommitmentRule` from each stored
commitment and passes the measured value of its indicator; the result feeds
``oversight.fees.calc.Commitment(code, allocation_percent, share_percent)``.

The rule (the only one)
-----------------------
* Direction: for indicators where **higher is better** (timeliness, CSAT...), the commitment is
  **met** when ``actual >= target``; for the others (MTTR, complaints, reopen rate...) when
  ``actual <= target``. Both edges are inclusive: 95.00 % meets "≥ 95 %".
* **No value** (``None``: nothing fell due in the period, so the indicator has no value): the
  commitment is not breached and forfeits nothing. There is no evidence of a breach.
* **Missed**: the share forfeited is ``miss_share_percent`` (100 % unless the contract says
  otherwise), or - with graduated steps - the share of the *most severe* step the value falls
  beyond. A step ``(threshold, share)`` applies when the value is **strictly below** the threshold
  (higher is better) or **strictly above** it (lower is better). Example, target ≥ 95 %, miss
  share 25 %, steps (90 → 50 %), (80 → 100 %): 96 → 0; 95 → 0; 94.9 → 25 %; 89.9 → 50 %;
  80 → 50 %; 79.99 → 100 %.
* Validity (checked by :func:`rule_problems`): thresholds lie on the missed side of the target
  (or on it), are distinct, and a worse value never forfeits less: shares do not decrease with
  severity, and every step forfeits at least ``miss_share_percent``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

__all__ = ["CommitmentRule", "ShareStep", "forfeited_share", "is_met", "rule_problems"]

_ZERO = Decimal(0)
_HUNDRED = Decimal(100)


@dataclass(frozen=True)
class ShareStep:
    """A graduated row: beyond ``threshold`` the commitment forfeits ``share_percent`` of its allocation."""

    threshold: Decimal
    share_percent: Decimal


@dataclass(frozen=True)
class CommitmentRule:
    """The credit rule of one commitment: target, direction, share when missed and graduated steps."""

    code: str
    target: Decimal
    higher_is_better: bool
    miss_share_percent: Decimal = _HUNDRED
    steps: tuple[ShareStep, ...] = ()

    def ordered_steps(self) -> tuple[ShareStep, ...]:
        """The steps from the least to the most severe."""
        return tuple(sorted(self.steps, key=lambda s: s.threshold, reverse=self.higher_is_better))


def is_met(rule: CommitmentRule, actual: Decimal | None) -> bool | None:
    """True when met, False when missed, None when there is no value to judge."""
    if actual is None:
        return None
    return actual >= rule.target if rule.higher_is_better else actual <= rule.target


def forfeited_share(rule: CommitmentRule, actual: Decimal | None) -> Decimal:
    """The percentage of the commitment's allocation forfeited for this value (0 when met or without value)."""
    if is_met(rule, actual) is not False:
        return _ZERO
    share = rule.miss_share_percent
    for step in rule.ordered_steps():
        beyond = actual < step.threshold if rule.higher_is_better else actual > step.threshold
        if beyond:
            share = step.share_percent
    return share


def rule_problems(rule: CommitmentRule) -> list[tuple[str, dict]]:
    """What is wrong with a rule, as (code, params) pairs; empty when it is valid."""
    problems: list[tuple[str, dict]] = []
    for value in (rule.miss_share_percent, *(s.share_percent for s in rule.steps)):
        if not _ZERO <= value <= _HUNDRED:
            problems.append(("share_range", {"value": value}))
    thresholds = [s.threshold for s in rule.steps]
    if len(set(thresholds)) != len(thresholds):
        problems.append(("step_duplicate", {}))
    for step in rule.steps:
        wrong_side = step.threshold > rule.target if rule.higher_is_better else step.threshold < rule.target
        if wrong_side:
            problems.append(("step_side", {"threshold": step.threshold, "target": rule.target}))
    previous = rule.miss_share_percent
    for step in rule.ordered_steps():
        if step.share_percent < previous:
            problems.append(("step_order", {"threshold": step.threshold, "share": step.share_percent}))
        previous = max(previous, step.share_percent)
    return problems
