"""The improvement indicators of a vendor (pure Python, no Django): the ORM layer (`improvement.kpis`) feeds plain
facts, one per improvement item the vendor closed in the period (rejected items are not closed).

* **improvements delivered** (%): items whose latest effect measurement met its target ÷ items closed, × 100. An
  item closed without a target, an indicator or a measurement counts in the denominator only: it was closed, but
  nobody showed it delivered. No item closed: no value.
* **benefit realised** (amount): Σ benefit amount of the items closed (an item without an amount adds 0); with no
  item closed the value is 0 — nothing was realised.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from oversight.kpi import IndicatorResult
from oversight.kpi.results import share_of

DELIVERED = "improvement_delivered"
BENEFIT = "improvement_benefit"


@dataclass(frozen=True)
class ItemFacts:
    """One improvement item closed in the period: whether its latest measurement met the target, its benefit."""

    id: int
    closed_at: dt.datetime
    target_met: bool | None
    benefit_amount: Decimal | None


def delivered(items: list[ItemFacts]) -> IndicatorResult:
    """Closed items with their target met over closed items (percent)."""
    return share_of(DELIVERED, [i.id for i in items if i.target_met], [i.id for i in items])


def benefit(items: list[ItemFacts]) -> IndicatorResult:
    """The sum of the benefit amounts of the closed items."""
    counted = [i for i in items if i.benefit_amount is not None]
    total = sum((i.benefit_amount for i in counted), Decimal("0.00"))
    return IndicatorResult(
        code=BENEFIT,
        unit="points",
        numerator=total,
        denominator=None,
        value=total,
        numerator_ids=tuple(i.id for i in counted),
        denominator_ids=tuple(i.id for i in items),
    )
