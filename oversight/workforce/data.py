"""The data the workforce computations read: a queue's interval grid in its organisation's local days, its actual
volumes and handle times from the current interval facts, the China holidays and adjusted working days of the
days concerned, and the forecast points of a snapshot on the same grid.

A local day has 24 h ÷ interval length intervals starting at local midnight (China has no DST; in a zone with
DST the grid is the local midnight plus whole intervals, so the changeover day keeps the same count)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from oversight.businesstime.china import china_year_data
from oversight.businesstime.engine import CalendarDataMissing
from oversight.contactcentre.models import IntervalFact, Queue
from oversight.core.zones import zone_of


def per_day(queue: Queue) -> int:
    """Intervals in a day for the queue."""
    return 1440 // queue.interval_minutes


def day_start(queue: Queue, day: dt.date) -> dt.datetime:
    """The UTC instant of the queue organisation's local midnight starting ``day``."""
    zone = zone_of(queue.organisation)
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=zone).astimezone(dt.UTC)


def grid(queue: Queue, days: list[dt.date]) -> list[dt.datetime]:
    """The UTC interval starts of ``days``, day by day."""
    step = dt.timedelta(minutes=queue.interval_minutes)
    out = []
    for day in days:
        start = day_start(queue, day)
        out.extend(start + i * step for i in range(per_day(queue)))
    return out


def day_range(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every day from ``first`` to ``last`` inclusive."""
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


@dataclass(frozen=True)
class Events:
    """Holidays and adjusted working days over some days, and the years the calendar has no data for."""

    holidays: frozenset
    adjusted: frozenset
    missing_years: tuple[int, ...]


def china_events(days: list[dt.date]) -> Events:
    """China's statutory holidays and adjusted working days (调休) from chinese_calendar for the years of ``days``.

    A year the package has no data for is reported in ``missing_years``, never invented."""
    holidays: set[dt.date] = set()
    adjusted: set[dt.date] = set()
    missing = []
    for year in sorted({d.year for d in days}):
        try:
            data = china_year_data(year)
        except CalendarDataMissing:
            missing.append(year)
            continue
        holidays.update(data.holidays)
        adjusted.update(data.adjusted_working_days)
    return Events(frozenset(holidays), frozenset(adjusted), tuple(missing))


@dataclass(frozen=True)
class Actuals:
    """Arrays on a grid of intervals: offered, answered, handle seconds, abandoned, wait seconds, staffed agents,
    and whether a fact exists."""

    starts: list[dt.datetime]
    offered: np.ndarray
    answered: np.ndarray
    handle_seconds: np.ndarray
    abandoned: np.ndarray
    wait_seconds: np.ndarray
    staffed: np.ndarray
    present: np.ndarray
    facts: dict


def actuals(queue: Queue, days: list[dt.date]) -> Actuals:
    """The current interval facts of ``days`` laid on the grid (zeros where the vendor delivered nothing)."""
    starts = grid(queue, days)
    index = {s: i for i, s in enumerate(starts)}
    n = len(starts)
    arrays = {k: np.zeros(n) for k in ("offered", "answered", "handle", "abandoned", "wait", "staffed")}
    present = np.zeros(n, dtype=bool)
    facts = {}
    if starts:
        rows = IntervalFact.objects.filter(
            queue=queue,
            is_current=True,
            interval_start__gte=starts[0],
            interval_start__lt=starts[-1] + dt.timedelta(minutes=queue.interval_minutes),
        )
        for fact in rows:
            i = index.get(fact.interval_start.astimezone(dt.UTC))
            if i is None:
                continue
            present[i] = True
            facts[i] = fact
            arrays["offered"][i] = fact.offered
            arrays["answered"][i] = fact.answered
            arrays["handle"][i] = float(fact.handle_seconds)
            arrays["abandoned"][i] = fact.abandoned
            arrays["wait"][i] = float(fact.wait_seconds)
            arrays["staffed"][i] = float(fact.staffed_agents)
    return Actuals(
        starts,
        arrays["offered"],
        arrays["answered"],
        arrays["handle"],
        arrays["abandoned"],
        arrays["wait"],
        arrays["staffed"],
        present,
        facts,
    )


def mean_aht(act: Actuals) -> float | None:
    """Handle seconds ÷ answered over the whole grid (None when nothing was answered)."""
    answered = act.answered.sum()
    return float(act.handle_seconds.sum() / answered) if answered > 0 else None


def interval_aht(act: Actuals, fallback: float) -> np.ndarray:
    """Each interval's AHT (handle ÷ answered), the fallback where nothing was answered."""
    with np.errstate(divide="ignore", invalid="ignore"):
        aht = np.where(act.answered > 0, act.handle_seconds / np.where(act.answered > 0, act.answered, 1), fallback)
    return aht


def snapshot_points(snapshot, starts: list[dt.datetime]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(forecast volume, forecast AHT or NaN, covered) of a snapshot on a grid."""
    index = {s: i for i, s in enumerate(starts)}
    volume = np.zeros(len(starts))
    aht = np.full(len(starts), np.nan)
    covered = np.zeros(len(starts), dtype=bool)
    if starts:
        points = snapshot.points.filter(interval_start__gte=starts[0], interval_start__lte=starts[-1])
        for start, offered, handle in points.values_list("interval_start", "offered", "aht_seconds"):
            i = index.get(start.astimezone(dt.UTC))
            if i is None:
                continue
            volume[i] = float(offered)
            covered[i] = True
            if handle is not None:
                aht[i] = float(handle)
    return volume, aht, covered


def to_decimal(value: float, places: str = "0.001") -> Decimal:
    """A float figure as a Decimal for storage."""
    return Decimal(str(round(float(value), 6))).quantize(Decimal(places))
