"""Staffing per interval (人员需求): required agents by Erlang C and Erlang A from a forecast (or the actuals),
the interval's handle time and the contract's service-level term, beside the agents the vendor staffed.

Inputs per interval: the volume (the client's latest snapshot covering it, else the vendor's, else the actual
offered), the AHT (the forecast's when it gives one, else the interval's actual handle ÷ answered, else the
queue's mean over the days shown), and the term in force that day (threshold T, target, maximum occupancy,
shrinkage). Erlang A's patience θ is estimated once per queue over the days shown: abandoned ÷ total wait
seconds. Staffed ÷ required (rounded Erlang C) below 90 % flags the interval."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from oversight.ccmath import erlang
from oversight.contactcentre.models import Queue
from oversight.workforce import data, terms

#: Staffed ÷ required below this flags an interval as under-staffed.
UNDERSTAFFED_RATIO = 0.9
DEFAULT_AHT = 180.0


@dataclass
class Plan:
    """Staffing figures on a grid of intervals (arrays aligned with ``starts``)."""

    queue: Queue
    days: list[dt.date]
    starts: list[dt.datetime]
    volume: np.ndarray
    volume_source: np.ndarray  # "client", "vendor" or "actual" per interval
    aht: np.ndarray
    threshold: np.ndarray
    target: np.ndarray
    max_occupancy: np.ndarray
    shrinkage: np.ndarray
    has_term: np.ndarray
    patience_rate: float
    required_c: np.ndarray
    fractional_c: np.ndarray
    scheduled_c: np.ndarray
    required_a: np.ndarray | None
    fractional_a: np.ndarray | None
    actual: data.Actuals
    ratio: np.ndarray  # staffed ÷ required (NaN where nothing was required)

    @property
    def understaffed(self) -> np.ndarray:
        return np.nan_to_num(self.ratio, nan=1.0) < UNDERSTAFFED_RATIO


def term_arrays(queue: Queue, days: list[dt.date]):
    """Per interval: threshold, target, max occupancy, shrinkage, and whether a term applies (by day)."""
    n = data.per_day(queue)
    rows = []
    for day in days:
        term = terms.term_for(queue, day)
        if term is None:
            rows.append((20.0, 0.8, 1.0, 0.0, False))
        else:
            rows.append(
                (
                    float(term.threshold_seconds),
                    float(term.target),
                    float(term.max_occupancy),
                    float(term.shrinkage),
                    True,
                )
            )
    cols = list(zip(*rows, strict=True)) if rows else [[], [], [], [], []]
    return tuple(np.repeat(np.asarray(c, dtype=float if i < 4 else bool), n) for i, c in enumerate(cols))


def forecast_volume(queue: Queue, starts, act: data.Actuals, snapshots):
    """The volume per interval from the first snapshot (in order) that covers it, else the actual offered."""
    volume = act.offered.copy()
    source = np.full(len(starts), "actual", dtype=object)
    aht = np.full(len(starts), np.nan)
    filled = np.zeros(len(starts), dtype=bool)
    for snapshot in snapshots:
        if snapshot is None:
            continue
        v, a, covered = data.snapshot_points(snapshot, starts)
        take = covered & ~filled
        volume[take] = v[take]
        aht[take] = a[take]
        source[take] = snapshot.source
        filled |= take
    return volume, source, aht


def plan(queue: Queue, days: list[dt.date], snapshots=(), with_erlang_a: bool = True) -> Plan:
    """Required agents (Erlang C and, if asked, Erlang A) and staffed ÷ required for every interval of ``days``."""
    act = data.actuals(queue, days)
    starts = act.starts
    volume, source, forecast_aht = forecast_volume(queue, starts, act, snapshots)
    fallback = data.mean_aht(act) or DEFAULT_AHT
    aht = np.where(np.isnan(forecast_aht), data.interval_aht(act, fallback), forecast_aht)
    aht = np.where(aht > 0, aht, fallback)
    threshold, target, max_occ, shrinkage, has_term = term_arrays(queue, days)
    rate = volume / (queue.interval_minutes * 60.0)
    req_c = erlang.erlang_c_requirement(rate, aht, threshold, target, max_occ, shrinkage)
    abandoned, waited = act.abandoned.sum(), act.wait_seconds.sum()
    # Abandons without any recorded wait (an export without wait times) leave patience unknown: Erlang C only.
    theta = float(erlang.estimate_patience(abandoned, waited)) if waited > 0 or abandoned == 0 else 0.0
    req_a = None
    if with_erlang_a and theta > 0:
        req_a = erlang.erlang_a_requirement(rate, aht, threshold, target, theta, max_occ, shrinkage)
    required = req_c.agents.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(required > 0, act.staffed / np.where(required > 0, required, 1), np.nan)
    return Plan(
        queue=queue,
        days=days,
        starts=starts,
        volume=volume,
        volume_source=source,
        aht=aht,
        threshold=threshold,
        target=target,
        max_occupancy=max_occ,
        shrinkage=shrinkage,
        has_term=has_term,
        patience_rate=theta,
        required_c=req_c.agents,
        fractional_c=req_c.fractional,
        scheduled_c=req_c.scheduled,
        required_a=None if req_a is None else req_a.agents,
        fractional_a=None if req_a is None else req_a.fractional,
        actual=act,
        ratio=ratio,
    )


def curve_around(plan_: Plan, index: int, spread: int = 4) -> list[dict]:
    """Erlang C's service level against agents for one interval, from a few below to a few above the need."""
    n = int(plan_.required_c[index])
    if n == 0:
        return []
    rate = plan_.volume[index] / (plan_.queue.interval_minutes * 60.0)
    low = max(1, n - spread)
    return erlang.service_level_curve(rate, plan_.aht[index], plan_.threshold[index], low, n + spread)
