"""Accuracy of a published snapshot against the actual volumes (预测准确度): overall, by day and by interval of
the day, with WAPE, accuracy = 1 − WAPE, bias, MAPE (zero actuals skipped), sMAPE and MASE.

Only intervals that have ended and for which the vendor delivered a current interval fact are measured. MASE is
scaled by the seasonal-naïve error (season one week) of the four weeks of actuals before the snapshot's first
interval (its training window for a client forecast, the same span for a vendor's)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from oversight.ccmath import accuracy as acc
from oversight.core import clock
from oversight.core.zones import zone_of
from oversight.workforce import data
from oversight.workforce.models import ForecastSnapshot

MASE_WEEKS = 4


@dataclass(frozen=True)
class SnapshotAccuracy:
    overall: acc.Accuracy | None
    by_day: list[tuple[dt.date, acc.Accuracy]]
    by_interval: list[tuple[str, acc.Accuracy]]
    measured: int
    points: int


def _days_of(snapshot: ForecastSnapshot) -> list[dt.date]:
    zone = zone_of(snapshot.queue.organisation)
    first = snapshot.period_start.astimezone(zone).date()
    last = (snapshot.period_end - dt.timedelta(seconds=1)).astimezone(zone).date()
    return data.day_range(first, last)


def snapshot_accuracy(snapshot: ForecastSnapshot, now: dt.datetime | None = None) -> SnapshotAccuracy:
    """Every measure of one snapshot on the intervals measured so far."""
    queue = snapshot.queue
    now = now or clock.now()
    days = _days_of(snapshot)
    act = data.actuals(queue, days)
    volume, _aht, covered = data.snapshot_points(snapshot, act.starts)
    step = dt.timedelta(minutes=queue.interval_minutes)
    ended = np.array([s + step <= now for s in act.starts], dtype=bool)
    use = covered & act.present & ended
    n = data.per_day(queue)
    if not use.any():
        return SnapshotAccuracy(None, [], [], 0, int(covered.sum()))
    before = data.day_range(days[0] - dt.timedelta(days=7 * MASE_WEEKS), days[0] - dt.timedelta(days=1))
    training = data.actuals(queue, before).offered
    season = 7 * n
    overall = acc.accuracy(act.offered[use], volume[use], training=training, season=season)
    by_day = []
    for i, day in enumerate(days):
        sl = slice(i * n, (i + 1) * n)
        mask = use[sl]
        if mask.any():
            by_day.append(
                (day, acc.accuracy(act.offered[sl][mask], volume[sl][mask], training=training, season=season))
            )
    by_interval = []
    zone = zone_of(queue.organisation)
    for k in range(n):
        idx = np.arange(k, len(act.starts), n)
        mask = use[idx]
        if mask.any():
            label = act.starts[k].astimezone(zone).strftime("%H:%M")
            by_interval.append(
                (label, acc.accuracy(act.offered[idx][mask], volume[idx][mask], training=training, season=season))
            )
    return SnapshotAccuracy(overall, by_day, by_interval, int(use.sum()), int(covered.sum()))
