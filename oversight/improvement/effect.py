"""The effect of an improvement (pure Python, no Django): the two windows around its implementation date and the
assessment of the indicator's values in them. The ORM side (`improvement.measurement`) loads the values through the
indicator registry and stores the result.

* **Windows.** With the implementation day ``D`` and a length of ``n`` days (local dates of the organisation), the
  *before* window is the ``n`` days ``D − n … D − 1`` and the *after* window the ``n`` days ``D … D + n − 1``. The
  after window must have ended before the day of measurement, so ``n`` is at most the number of whole days from
  ``D`` to the day before the measurement.
* **Change** = after − before; **relative change** = change ÷ |before| × 100 (none when before is 0 or missing).
* **Improved**: the change goes the indicator's way (up when higher is better, down when lower is better); no
  change is not an improvement.
* **Target met**: after ≥ target when higher is better, after ≤ target when lower is better; none (cannot tell)
  without a target or without an after value.

Every figure is a Decimal; the relative change is divided once in a 28-digit context and rounded half-up to four
decimals, nothing else is rounded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal

RELATIVE_PLACES = Decimal("0.0001")
_CONTEXT = Context(prec=28)


class EffectError(ValueError):
    """Windows that cannot be measured (too short, or not yet over)."""


@dataclass(frozen=True)
class Windows:
    """The before and after windows, as inclusive local dates."""

    days: int
    before_first: dt.date
    before_last: dt.date
    after_first: dt.date
    after_last: dt.date


@dataclass(frozen=True)
class Effect:
    """The assessment of one measurement."""

    before: Decimal | None
    after: Decimal | None
    change: Decimal | None
    relative_change: Decimal | None
    improved: bool | None
    target_met: bool | None


def longest_days(implemented_on: dt.date, today: dt.date) -> int:
    """The longest window the day ``today`` allows: whole days from the implementation day to yesterday."""
    return max(0, (today - implemented_on).days)


def windows(implemented_on: dt.date, days: int, today: dt.date) -> Windows:
    """The two windows of ``days`` days around ``implemented_on``; refused when the after window is not over."""
    if days < 1:
        raise EffectError("a window has at least one day")
    if days > longest_days(implemented_on, today):
        raise EffectError("the after window has not ended yet")
    step = dt.timedelta(days=days)
    return Windows(
        days=days,
        before_first=implemented_on - step,
        before_last=implemented_on - dt.timedelta(days=1),
        after_first=implemented_on,
        after_last=implemented_on + step - dt.timedelta(days=1),
    )


def assess(before: Decimal | None, after: Decimal | None, *, target: Decimal | None, higher_is_better: bool) -> Effect:
    """The change from ``before`` to ``after`` and whether it improved and met the target (module docstring)."""
    change = after - before if before is not None and after is not None else None
    relative = None
    if change is not None and before != 0:
        relative = _CONTEXT.divide(change * 100, abs(before)).quantize(RELATIVE_PLACES, rounding=ROUND_HALF_UP)
    improved = None
    if change is not None:
        improved = change > 0 if higher_is_better else change < 0
    met = None
    if target is not None and after is not None:
        met = after >= target if higher_is_better else after <= target
    return Effect(
        before=before, after=after, change=change, relative_change=relative, improved=improved, target_met=met
    )
