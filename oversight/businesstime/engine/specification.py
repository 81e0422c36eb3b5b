"""Calendar specification: what working time is, validated, and the exact units every part shares.

A :class:`CalendarSpec` is the frozen, hashable description the rest of the engine compiles; this
module also holds the integer-microsecond units and the exact conversions between aware datetimes
and microseconds since the Unix epoch, so every other module speaks the same representation.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np

SECOND_US = 1_000_000
MINUTE_US = 60 * SECOND_US
DAY_US = 86_400 * SECOND_US
MINUTES_PER_DAY = 1440

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_US = timedelta(microseconds=1)
_ONE_S = timedelta(seconds=1)
_ZERO = timedelta(0)
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()

Interval = tuple[int, int]
DayIntervals = tuple[Interval, ...]


class CalendarDataMissing(Exception):  # noqa: N818 - name fixed by the project's API
    """A computation needed a local date in a year the calendar has no holiday data for."""

    def __init__(self, year: int, calendar: str = "") -> None:
        # args mirror the constructor so the exception pickles (Celery result backends do that).
        super().__init__(year, calendar)
        self.year = year
        self.calendar = calendar

    def __str__(self) -> str:
        """Human-readable explanation of what is missing and how to fix it."""
        return (
            f"no holiday data for year {self.year} on calendar {self.calendar or '?'}; "
            "enter the year's holidays and adjusted working days or confirm it manually"
        )


def _normalize_intervals(raw: Any, where: str) -> DayIntervals:
    """Validate one day's intervals and return them as a tuple of int pairs."""
    try:
        items = tuple(raw)
    except TypeError:
        raise ValueError(f"{where}: intervals must be a sequence of (start, end) pairs") from None
    out: list[Interval] = []
    prev_end = -1
    for item in items:
        try:
            start, end = item
        except (TypeError, ValueError):
            raise ValueError(f"{where}: {item!r} is not a (start, end) pair") from None
        for v in (start, end):
            if isinstance(v, bool) or not isinstance(v, int):
                raise ValueError(f"{where}: interval bounds must be int minutes, got {v!r}")
        if not 0 <= start < end <= MINUTES_PER_DAY:
            raise ValueError(f"{where}: interval ({start}, {end}) must satisfy 0 <= start < end <= 1440")
        if start < prev_end:
            raise ValueError(f"{where}: intervals must be sorted and non-overlapping: {items!r}")
        prev_end = end
        out.append((int(start), int(end)))
    return tuple(out)


@dataclass(frozen=True)
class CalendarSpec:
    """Immutable, hashable description of working time in one IANA time zone.

    ``weekly``: 7 entries (Monday..Sunday), each a sorted tuple of non-overlapping
    ``(start_minute, end_minute)`` local intervals, ``0 <= start < end <= 1440``.
    ``overrides``: per-date intervals replacing the weekly pattern; accepts a mapping or pairs
    and is stored as a date-sorted tuple of ``(date, intervals)`` pairs (``()`` = day off).
    ``covered_years``: years whose holiday data is known; ``None`` = every year (e.g. 24x7).
    """

    tz: str
    weekly: tuple[DayIntervals, ...]
    overrides: tuple[tuple[date, DayIntervals], ...] = ()
    covered_years: frozenset[int] | None = None
    name: str = ""

    def __post_init__(self) -> None:
        """Validate and normalise the fields (the dataclass is frozen, hence object.__setattr__)."""
        if not isinstance(self.tz, str) or not self.tz:
            raise ValueError(f"tz must be an IANA time zone name, got {self.tz!r}")
        try:
            ZoneInfo(self.tz)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {self.tz!r}") from exc

        weekly = tuple(self.weekly)
        if len(weekly) != 7:
            raise ValueError(f"weekly must have 7 entries (Monday..Sunday), got {len(weekly)}")
        names = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
        weekly = tuple(_normalize_intervals(day, f"weekly[{names[i]}]") for i, day in enumerate(weekly))

        raw = self.overrides
        pairs = raw.items() if isinstance(raw, Mapping) else raw
        seen: dict[date, DayIntervals] = {}
        for pair in pairs:
            try:
                day, intervals = pair
            except (TypeError, ValueError):
                raise ValueError(f"overrides: {pair!r} is not a (date, intervals) pair") from None
            # datetime is a subclass of date; a datetime key would silently never match.
            if not isinstance(day, date) or isinstance(day, datetime):
                raise ValueError(f"overrides: key {day!r} must be a datetime.date")
            if day in seen:
                raise ValueError(f"overrides: date {day} given twice")
            seen[day] = _normalize_intervals(intervals, f"overrides[{day}]")
        overrides = tuple(sorted(seen.items()))

        covered = self.covered_years
        if covered is not None:
            covered_list = list(covered)
            for y in covered_list:
                if isinstance(y, bool) or not isinstance(y, int):
                    raise ValueError(f"covered_years must contain int years, got {y!r}")
            covered = frozenset(covered_list)
        if not isinstance(self.name, str):
            raise ValueError("name must be a str")

        object.__setattr__(self, "weekly", weekly)
        object.__setattr__(self, "overrides", overrides)
        object.__setattr__(self, "covered_years", covered)
        # The hash is computed once: specs are dict keys on the hot path of every call.
        object.__setattr__(self, "_hash", hash((self.tz, weekly, overrides, covered, self.name)))

    def __hash__(self) -> int:
        """Cached hash of all fields."""
        return self.__dict__["_hash"]  # type: ignore[no-any-return]

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickle by fields only (the cached hash/compiled data are per-process)."""
        return (CalendarSpec, (self.tz, self.weekly, self.overrides, self.covered_years, self.name))

    @property
    def overrides_map(self) -> Mapping[date, DayIntervals]:
        """Read-only ``{date: intervals}`` view of the overrides."""
        return MappingProxyType(dict(self.overrides))

    def intervals_for(self, day: date) -> DayIntervals:
        """Working intervals of a local date (override if any, else the weekly pattern)."""
        # Deferred import: compilation builds on this module, and the compiled per-spec tables
        # answer this lookup without rebuilding a dict per call.
        from oversight.businesstime.engine.compilation import _get_cache

        return _get_cache(self).intervals_for_day(day.toordinal() - _EPOCH_ORDINAL)

    @property
    def has_working_time(self) -> bool:
        """Whether any weekday pattern or override contains working time at all."""
        return any(self.weekly) or any(iv for _, iv in self.overrides)


# --------------------------------------------------------------------------------------------
# Conversions
# --------------------------------------------------------------------------------------------


def datetime_to_us(dt: datetime) -> int:
    """Exact integer microseconds since the Unix epoch of an aware datetime."""
    try:
        # Exact integer arithmetic on the timedelta's fields; about twice as fast as
        # `(dt - _EPOCH) // _ONE_US` (dt.timestamp() would be a float, hence inexact).
        td = dt - _EPOCH
        return td.days * DAY_US + td.seconds * SECOND_US + td.microseconds
    except (TypeError, AttributeError):
        # naive - aware raises TypeError; turn it into the documented ValueError.
        raise ValueError(f"an aware datetime is required, got {dt!r}") from None


def us_to_datetime(us: int) -> datetime:
    """Aware UTC datetime for integer microseconds since the Unix epoch."""
    # timedelta * int is exact and faster than timedelta(microseconds=...).
    return _EPOCH + _ONE_US * int(us)


def _seconds_to_us(seconds: float | int | Decimal) -> int:
    """Convert a seconds amount to integer microseconds, rounding half-even exactly."""
    if type(seconds) is int:
        return seconds * SECOND_US
    if isinstance(seconds, bool):
        raise ValueError("seconds must be a number, not a bool")
    if isinstance(seconds, int | np.integer):
        return int(seconds) * SECOND_US
    if isinstance(seconds, float):
        if not math.isfinite(seconds):
            raise ValueError(f"seconds must be finite, got {seconds!r}")
        # A float is exactly n / d with d a power of two: round n * 10**6 / d half-even.
        n, d = seconds.as_integer_ratio()
        q, r = divmod(n * SECOND_US, d)
        r += r
        if r > d or (r == d and q & 1):
            q += 1
        return q
    if isinstance(seconds, Decimal):
        if not seconds.is_finite():
            raise ValueError(f"seconds must be finite, got {seconds!r}")
        return round(seconds * SECOND_US)
    raise ValueError(f"seconds must be int, float or Decimal, got {type(seconds).__name__}")


def _amount_us(microseconds: int) -> int:
    """Validate a microseconds amount (int or numpy integer, not bool) and return it as int."""
    if isinstance(microseconds, bool) or not isinstance(microseconds, int | np.integer):
        raise ValueError(f"microseconds must be an int, got {microseconds!r}")
    return int(microseconds)
