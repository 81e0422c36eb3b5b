"""The result of every indicator and the exact arithmetic all formulas share (pure Python, no Django)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import ROUND_HALF_EVEN, Context, Decimal, DivisionByZero, InvalidOperation, Overflow
from typing import Literal

from oversight.kpi.facts import RecordId, WorkOrderFacts

Unit = Literal["percent", "seconds", "stars", "count", "nps"]

# Every division is done once, in this fixed context, so a result is reproducible bit for bit.
CTX = Context(prec=28, rounding=ROUND_HALF_EVEN, traps=[InvalidOperation, DivisionByZero, Overflow])
HUNDRED = Decimal(100)
ZERO = Decimal(0)


def td_seconds(delta: timedelta) -> Decimal:
    """A timedelta as an exact Decimal number of seconds (microsecond precision, no float)."""
    whole = delta.days * 86400 + delta.seconds
    return Decimal(whole) + Decimal(delta.microseconds).scaleb(-6)


def percent(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    """100 * numerator / denominator in the fixed context; None when the denominator is 0."""
    if denominator == 0:
        return None
    return CTX.divide(CTX.multiply(numerator, HUNDRED), denominator)


def mean(total: Decimal, count: Decimal) -> Decimal | None:
    """total / count in the fixed context; None when count is 0."""
    if count == 0:
        return None
    return CTX.divide(total, count)


def live(work_orders: Iterable[WorkOrderFacts]) -> list[WorkOrderFacts]:
    """The work orders that count at all (not cancelled), type-checked."""
    out = []
    for wo in work_orders:
        if not isinstance(wo, WorkOrderFacts):
            raise ValueError(f"expected WorkOrderFacts, got {type(wo).__name__}")
        if not wo.cancelled:
            out.append(wo)
    return out


@dataclass(frozen=True)
class IndicatorResult:
    """One computed indicator with everything needed to explain and drill down into it.

    * ``numerator`` / ``denominator``: the two counts or sums behind the value (``denominator``
      is ``None`` for plain counts and maxima, which are not ratios).
    * ``value``: the figure in ``unit``; ``None`` when there is nothing to measure (denominator 0).
    * ``numerator_ids`` / ``denominator_ids``: the records behind each.
    * ``groups``: further drill-down lists by name (e.g. ``pending``, ``promoters``, ``detractors``).
    """

    code: str
    unit: Unit
    numerator: Decimal
    denominator: Decimal | None
    value: Decimal | None
    numerator_ids: tuple[RecordId, ...] = ()
    denominator_ids: tuple[RecordId, ...] = ()
    groups: Mapping[str, tuple[RecordId, ...]] = field(default_factory=dict)


def share_of(code: str, numerator_ids: Iterable[RecordId], denominator_ids: Iterable[RecordId]) -> IndicatorResult:
    """A percentage of records: the records counted over the records they are counted among (value None when
    there are none)."""
    top, bottom = tuple(numerator_ids), tuple(denominator_ids)
    return IndicatorResult(
        code=code,
        unit="percent",
        numerator=Decimal(len(top)),
        denominator=Decimal(len(bottom)),
        value=percent(Decimal(len(top)), Decimal(len(bottom))),
        numerator_ids=top,
        denominator_ids=bottom,
    )
