"""Key risk indicators: traffic lights, persistence and breach episodes (pure Python, no Django).

A KRI turns one value per evaluation period into a status, then the run of statuses into breach episodes.

Status (:class:`Thresholds`)
    ``higher_is_worse``: green while ``value ≤ amber``, amber while ``amber < value ≤ red``, red when
    ``value > red``. Otherwise mirrored: green while ``value ≥ amber``, amber while ``red ≤ value < amber``, red
    when ``value < red``. A threshold is therefore the last value that still has the better colour, which reads the
    way the rules are written ("cost deviation **over** 10 %", "SLA compliance **under** target"). A period
    without a value has no status (:data:`NO_DATA`).

Episodes (:func:`episodes`)
    A breach needs ``persistence`` consecutive red periods. An *episode* is a maximal run of consecutive red
    periods at least ``persistence`` long; it **starts** at its first red period (stable however often the
    evaluation runs, which is what makes "once per episode" checkable), **counts** (is breached) at its
    ``persistence``-th red period, and **ends** at the first period that is not red. A period without data is not
    red, so it ends a run: persistence means consecutive *observed* red periods.

Windows of n business days (:func:`business_day_windows`)
    Counted in blocks of ``n`` working days from a fixed anchor (the KRI's first day), so that a window, and hence an
    episode's start, is the same on every evaluation; only complete windows are judged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

GREEN = "green"
AMBER = "amber"
RED = "red"
NO_DATA = None
SEVERITY = {GREEN: 0, AMBER: 1, RED: 2}


@dataclass(frozen=True)
class Thresholds:
    """Amber and red thresholds of a KRI and which way is worse."""

    amber: Decimal
    red: Decimal
    higher_is_worse: bool = True

    def problems(self) -> list[str]:
        """What is wrong with these thresholds, in words (empty when they are consistent)."""
        if self.higher_is_worse and self.amber > self.red:
            return ["When higher is worse, the amber threshold must not be above the red threshold."]
        if not self.higher_is_worse and self.amber < self.red:
            return ["When lower is worse, the amber threshold must not be below the red threshold."]
        return []

    def status(self, value: Decimal | None) -> str | None:
        """The colour of one period's value (None without a value)."""
        if value is None:
            return NO_DATA
        if self.higher_is_worse:
            return RED if value > self.red else AMBER if value > self.amber else GREEN
        return RED if value < self.red else AMBER if value < self.amber else GREEN


@dataclass(frozen=True)
class Episode:
    """A breach episode over a sequence of periods (indexes into it)."""

    start: int
    breached: int
    end: int | None
    """Index of the first period after the episode that is not red; None while it goes on."""

    @property
    def open(self) -> bool:
        """The last period judged is still red."""
        return self.end is None


def episodes(statuses: Sequence[str | None], persistence: int) -> list[Episode]:
    """The breach episodes of a chronological sequence of statuses (see the module docstring)."""
    if persistence < 1:
        raise ValueError("Persistence must be at least one period.")
    found: list[Episode] = []
    run_start: int | None = None
    for index, status in enumerate([*statuses, NO_DATA]):
        if status == RED:
            if run_start is None:
                run_start = index
            continue
        if run_start is not None and index - run_start >= persistence:
            found.append(
                Episode(
                    start=run_start,
                    breached=run_start + persistence - 1,
                    end=index if index < len(statuses) else None,
                )
            )
        run_start = None
    return found


def business_day_windows(
    working_days: Sequence[dt.date], size: int, anchor: dt.date, until: dt.date
) -> list[tuple[dt.date, dt.date]]:
    """Complete windows of ``size`` working days from ``anchor`` to ``until`` (inclusive), as (first, last) days.

    ``working_days`` are the calendar's working days in any order; those before ``anchor`` or after ``until`` are
    ignored. A trailing block shorter than ``size`` is not a window yet.
    """
    if size < 1:
        raise ValueError("A window is at least one working day.")
    days = sorted(day for day in set(working_days) if anchor <= day <= until)
    return [(days[i], days[i + size - 1]) for i in range(0, len(days) - size + 1, size)]


def deviation_percent(actual: Decimal, planned: Decimal) -> Decimal | None:
    """Relative deviation ``100 · (actual − planned) / planned`` (None when nothing was planned)."""
    if planned == 0:
        return None
    return Decimal(100) * (actual - planned) / planned


def shortfall_percent(present: int, required: int) -> Decimal | None:
    """Share of required staff missing, ``100 · max(required − present, 0) / required`` (None when none needed)."""
    if required <= 0:
        return None
    return Decimal(100) * Decimal(max(required - present, 0)) / Decimal(required)


def largest_cluster(days: Sequence[dt.date], span_days: int) -> int:
    """The largest number of dates falling within any ``span_days`` consecutive calendar days (sliding window)."""
    if span_days < 1:
        raise ValueError("A cluster spans at least one day.")
    ordered = sorted(days)
    best = 0
    first = 0
    for last, day in enumerate(ordered):
        while (day - ordered[first]).days >= span_days:
            first += 1
        best = max(best, last - first + 1)
    return best
