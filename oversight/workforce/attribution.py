"""Breach attribution (违约归因): for each interval that missed the service level under the contract's term,
whether the miss counts against the vendor.

The term's ``forecast_tolerance`` option X: an interval whose offered volume exceeded the vendor's forecast by
more than X (offered > forecast × (1 + X)) while the vendor was staffed to that forecast (staffed agents ≥ the
fractional Erlang C requirement for the forecast volume at the interval's handle time, the term's T, target and
maximum occupancy; no shrinkage, since staffed agents are productive) is not counted against the vendor.

The forecast compared is the vendor's latest snapshot published **before the interval's day began** that covers
the interval (what the vendor planned against, never a later one). Reasons: the volume was above the tolerance
while staffed (excused); under-staffed for the forecast; volume within the tolerance; no vendor forecast; the
contract has no such option (all four counted)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from oversight.ccmath import erlang, servicelevel
from oversight.contactcentre.models import Queue
from oversight.workforce import data, terms
from oversight.workforce.choices import AttributionReason, ForecastSource
from oversight.workforce.models import ForecastSnapshot


@dataclass(frozen=True)
class Verdict:
    """One missed interval's figures and how it is attributed."""

    interval_start: dt.datetime
    term: object
    snapshot: ForecastSnapshot | None
    offered: int
    forecast_offered: float | None
    service_level: float
    target: float
    staffed: float
    required_for_forecast: float | None
    excused: bool
    reason: str


def counts_of(fact) -> servicelevel.Counts:
    return servicelevel.Counts(
        offered=fact.offered,
        answered=fact.answered,
        answered_within=fact.answered_within_threshold,
        abandoned=fact.abandoned,
        abandoned_within=fact.abandoned_within_threshold,
        short_abandoned=fact.short_abandoned,
    )


def met(term, fact) -> bool | None:
    """Whether the interval met the term's target (None: no term, or no service level in the interval)."""
    if term is None:
        return None
    level = servicelevel.service_level(term.variant, counts_of(fact))
    return None if level is None else level >= Decimal(term.target)


def _vendor_snapshot(queue: Queue, day_begins: dt.datetime) -> ForecastSnapshot | None:
    """The vendor's latest snapshot published before the day began that covers some of the day."""
    return (
        ForecastSnapshot.objects.filter(
            queue=queue,
            source=ForecastSource.VENDOR,
            created_at__lte=day_begins,
            period_start__lt=day_begins + dt.timedelta(days=1),
            period_end__gt=day_begins,
        )
        .order_by("-created_at", "-id")
        .first()
    )


def vendor_forecast_days(queue: Queue, days: list[dt.date]):
    """Per day: (snapshot or None, volumes, AHTs, covered) on the day's grid."""
    n = data.per_day(queue)
    for day in days:
        begins = data.day_start(queue, day)
        snapshot = _vendor_snapshot(queue, begins)
        starts = data.grid(queue, [day])
        if snapshot is None:
            yield None, np.zeros(n), np.full(n, np.nan), np.zeros(n, dtype=bool)
        else:
            yield (snapshot, *data.snapshot_points(snapshot, starts))


def vendor_forecasts(queue: Queue, days: list[dt.date]) -> dict[int, Decimal]:
    """The vendor's forecast volume per grid index of ``days`` (only where a snapshot covers the interval)."""
    n = data.per_day(queue)
    out = {}
    for d, (_snapshot, volume, _aht, covered) in enumerate(vendor_forecast_days(queue, days)):
        for k in np.nonzero(covered)[0]:
            out[d * n + int(k)] = data.to_decimal(volume[k])
    return out


def verdicts(queue: Queue, days: list[dt.date]) -> list[Verdict]:
    """The missed intervals of ``days`` and their attribution (nothing is written here)."""
    act = data.actuals(queue, days)
    n = data.per_day(queue)
    fallback = data.mean_aht(act) or 180.0
    aht = data.interval_aht(act, fallback)
    out = []
    forecasts = vendor_forecast_days(queue, days)
    for d, day in enumerate(days):
        snapshot, volume, forecast_aht, covered = next(forecasts)
        term = terms.term_for(queue, day)
        if term is None:
            continue
        for i in range(d * n, (d + 1) * n):
            fact = act.facts.get(i)
            if fact is None or met(term, fact) is not False:
                continue
            k = i - d * n
            forecast = float(volume[k]) if covered[k] else None
            required = None
            if forecast is not None:
                handle = forecast_aht[k] if not np.isnan(forecast_aht[k]) else aht[i]
                req = erlang.erlang_c_requirement(
                    forecast / (queue.interval_minutes * 60.0),
                    handle,
                    term.threshold_seconds,
                    float(term.target),
                    float(term.max_occupancy),
                )
                required = float(req.fractional)
            staffed = float(fact.staffed_agents)
            if term.forecast_tolerance is None:
                excused, reason = False, AttributionReason.NO_OPTION
            elif forecast is None:
                excused, reason = False, AttributionReason.NO_FORECAST
            elif staffed + 1e-9 < required:
                excused, reason = False, AttributionReason.UNDERSTAFFED
            elif fact.offered > forecast * (1 + float(term.forecast_tolerance)):
                excused, reason = True, AttributionReason.VOLUME_OVER_FORECAST
            else:
                excused, reason = False, AttributionReason.WITHIN_TOLERANCE
            out.append(
                Verdict(
                    interval_start=act.starts[i],
                    term=term,
                    snapshot=snapshot if forecast is not None else None,
                    offered=fact.offered,
                    forecast_offered=forecast,
                    service_level=float(servicelevel.service_level(term.variant, counts_of(fact))),
                    target=float(term.target),
                    staffed=staffed,
                    required_for_forecast=required,
                    excused=excused,
                    reason=reason,
                )
            )
    return out
