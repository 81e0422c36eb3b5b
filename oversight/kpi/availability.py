"""Availability (可用率): agreed service time minus downtime (pure Python, no Django)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from oversight.kpi.codes import AVAILABILITY
from oversight.kpi.facts import Outage, RecordId, require_seconds
from oversight.kpi.results import CTX as _CTX
from oversight.kpi.results import ZERO as _ZERO
from oversight.kpi.results import IndicatorResult
from oversight.kpi.results import percent as _percent


def availability(agreed_seconds: int | Decimal, outages: Iterable[Outage]) -> IndicatorResult:
    """Availability (可用率) = (agreed time - downtime) ÷ agreed time, in percent.

    ``agreed_seconds`` is the agreed service time of the period (e.g. the service hours of the
    calendar) and each outage's ``downtime_seconds`` its downtime within that agreed time, both
    measured by the caller. numerator = agreed - total downtime, denominator = agreed; value None
    when nothing was agreed. Downtime above the agreed time is an error. groups: ``outages``.
    """
    agreed = require_seconds(agreed_seconds, "agreed_seconds")
    ids: list[RecordId] = []
    down = _ZERO
    for o in outages:
        if not isinstance(o, Outage):
            raise ValueError(f"expected Outage, got {type(o).__name__}")
        ids.append(o.id)
        down = _CTX.add(down, Decimal(o.downtime_seconds))
    if down > agreed:
        raise ValueError(f"downtime {down} s exceeds the agreed time {agreed} s")
    num = _CTX.subtract(agreed, down)
    return IndicatorResult(AVAILABILITY, "percent", num, agreed, _percent(num, agreed), (), (), {"outages": tuple(ids)})
