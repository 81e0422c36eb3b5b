"""The CMDB accuracy indicator (pure Python, no Django): `configuration.kpis` feeds plain facts.

For one vendor of an organisation and a half-open period ``[start, end)``:

* **CMDB accuracy** (%): of the fields of the vendor's CIs checked in spot checks dated in the period (the day's
  start in the organisation's time zone falls in it), the share found correct. No checked field: no figure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from oversight.kpi import IndicatorResult
from oversight.kpi.facts import Period
from oversight.kpi.results import percent

CMDB_ACCURACY = "cmdb_accuracy"


@dataclass(frozen=True)
class CheckedItem:
    """One checked field of one CI: the spot check item's id, the start of the day it was checked (aware, in the
    organisation's zone) and whether the record was correct."""

    id: int
    checked_at: dt.datetime
    correct: bool


def cmdb_accuracy(items: list[CheckedItem], period: Period) -> IndicatorResult:
    """Correct checked items / checked items, over the items checked in the period."""
    checked = [item for item in items if period.contains(item.checked_at)]
    correct = [item.id for item in checked if item.correct]
    numerator, denominator = Decimal(len(correct)), Decimal(len(checked))
    return IndicatorResult(
        code=CMDB_ACCURACY,
        unit="percent",
        numerator=numerator,
        denominator=denominator,
        value=percent(numerator, denominator),
        numerator_ids=tuple(correct),
        denominator_ids=tuple(item.id for item in checked),
    )
