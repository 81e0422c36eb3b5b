"""The workforce indicators of a vendor (pure Python, no Django): ``workforce.kpis`` loads plain facts, one per
interval of the vendor's queues in the period with a current interval fact.

* **service level met, with attribution** (%): intervals whose service level (under the contract's term) met
  the target, or that missed it but are not counted against the vendor (breach attribution), ÷ intervals with a
  service level. An interval without a term or without contacts has no service level and is left out.
* **staffed to required** (%): Σ staffed agents ÷ Σ agents required by Erlang C (rounded, from the actual volume
  and handle time under the term) over the intervals that required agents, × 100.
* **vendor forecast accuracy** (%): (1 − WAPE) × 100 of the vendor's forecast (the latest snapshot published
  before each interval's day began) over the intervals it covers: 1 − Σ|actual − forecast| ÷ Σ actual.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from oversight.kpi import IndicatorResult
from oversight.kpi.results import percent, share_of

SL_ATTRIBUTED = "wfm_sl_met_attributed"
STAFFED_RATIO = "wfm_staffed_to_required"
VENDOR_ACCURACY = "wfm_vendor_forecast_accuracy"


@dataclass(frozen=True)
class IntervalFacts:
    """One interval fact of the vendor's queues: service level met (None: none), excused, staffed, required,
    the actual offered and the vendor's forecast for it (None: no forecast)."""

    id: int
    met: bool | None
    excused: bool
    staffed: Decimal
    required: int
    offered: int
    forecast: Decimal | None


def sl_met_attributed(facts: list[IntervalFacts]) -> IndicatorResult:
    measured = [f for f in facts if f.met is not None]
    return share_of(SL_ATTRIBUTED, [f.id for f in measured if f.met or f.excused], [f.id for f in measured])


def staffed_ratio(facts: list[IntervalFacts]) -> IndicatorResult:
    needed = [f for f in facts if f.required > 0]
    staffed = sum((f.staffed for f in needed), Decimal("0"))
    required = Decimal(sum(f.required for f in needed))
    return IndicatorResult(
        code=STAFFED_RATIO,
        unit="percent",
        numerator=staffed,
        denominator=required,
        value=percent(staffed, required),
        numerator_ids=tuple(f.id for f in needed if f.staffed >= f.required),
        denominator_ids=tuple(f.id for f in needed),
    )


def vendor_accuracy(facts: list[IntervalFacts]) -> IndicatorResult:
    covered = [f for f in facts if f.forecast is not None]
    actual = Decimal(sum(f.offered for f in covered))
    error = sum((abs(Decimal(f.offered) - f.forecast) for f in covered), Decimal("0"))
    wape = percent(error, actual)
    return IndicatorResult(
        code=VENDOR_ACCURACY,
        unit="percent",
        numerator=actual - error,
        denominator=actual,
        value=None if wape is None else Decimal(100) - wape,
        numerator_ids=(),
        denominator_ids=tuple(f.id for f in covered),
    )
