"""Exact, fast business-time arithmetic on UTC instants (pure Python + numpy, no Django).

Model
-----
A :class:`CalendarSpec` says, for every *local* date of an IANA time zone, which wall-clock
minute intervals ``[start, end)`` are working time: the override for that date if there is one
(an empty tuple = non-working day, a non-empty tuple = working day with those intervals, e.g. a
Chinese adjusted working Saturday), otherwise the weekly pattern for its weekday.

A UTC instant ``t`` is business time iff its local wall-clock time in ``spec.tz`` lies inside one
of the intervals of its local date. Wall-clock time is ``t + utcoffset(t)``, so the definition is
exact across DST transitions: in a spring-forward gap the missing wall times simply never occur
(an interval 02:00-04:00 is one real hour that day), in a fall-back the repeated wall times occur
twice and both occurrences count (an interval 01:00-02:00 is two real hours that day).

Representation
--------------
For each local year the calendar is compiled once into a sorted list of disjoint UTC working
segments ``[s_i, e_i)`` in integer microseconds since the Unix epoch; years are concatenated
into contiguous *blocks* with a prefix array of cumulative business microseconds. Every query is
then one or two ``bisect`` calls (``numpy.searchsorted`` for the batch functions). Compiled data
is cached per spec (specs are frozen and hashable) and grown year by year on demand.

Single calls are built for speed (see ``_Block`` and the comment above the public functions): the
block used last is reachable from the spec in two attribute loads, its lists are laid out so that
a query needs no range test and no ``- 1``, and UTC datetimes (what the ORM returns) are bisected
and added as datetimes/timedeltas directly, with no int <-> datetime conversion; other aware
datetimes go through exact integer microseconds. Everything stays exact: datetime and timedelta
arithmetic is integer microseconds, and no float is ever involved except the float *result* of
the ``*_seconds_between`` functions (exactly microseconds / 10**6, correctly rounded).

Years without holiday data
--------------------------
If ``spec.covered_years`` is a set, any computation that needs a local date of another year
raises :class:`CalendarDataMissing` - the engine never guesses holidays.

All public functions take and return *aware* datetimes (results are in UTC); naive datetimes are
rejected with ``ValueError``. Amounts are exact integers of microseconds internally.
"""

from __future__ import annotations

import math
import threading
import weakref
from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import accumulate
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import numpy.typing as npt

__all__ = [
    "MAX_BLOCK_YEARS",
    "MAX_HORIZON_YEARS",
    "CalendarDataMissing",
    "CalendarSpec",
    "DayIntervals",
    "add_business_many",
    "add_business_microseconds",
    "add_business_seconds",
    "business_microseconds_between",
    "business_microseconds_between_many",
    "business_seconds_between",
    "business_seconds_between_many",
    "clear_cache",
    "datetime_to_us",
    "is_business_time",
    "next_business_instant",
    "us_to_datetime",
    "working_segments",
]

SECOND_US = 1_000_000
MINUTE_US = 60 * SECOND_US
DAY_US = 86_400 * SECOND_US
MINUTES_PER_DAY = 1440

#: ``add``/``next_business_instant`` give up (ValueError) after searching this many years.
MAX_HORIZON_YEARS = 50
#: A single computation may not span more local years than this (guards memory/CPU).
MAX_BLOCK_YEARS = 200
# At most this many disjoint compiled blocks are kept per calendar (older ones are dropped).
_MAX_BLOCKS = 8
# At most this many compiled specs are kept in the process-wide cache.
_MAX_CACHED_SPECS = 256

# Offset transitions are located by sampling utcoffset() every 6 hours and bisecting to the
# exact second (tz database transitions are whole seconds). Since 1900 no two transitions of
# any zone in the tz database are closer than ~4 days (Africa/Freetown, 1939: 344,400 s), so a
# 6-hour step cannot step over a pair of them.
_SAMPLE_STEP_S = 6 * 3600

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_US = timedelta(microseconds=1)
_ONE_S = timedelta(seconds=1)
_ZERO = timedelta(0)
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
# _Block.hot/hot_dt of no block: every lookup fails (bisect gives 0, vals[0] is None), see _Block.
_NO_BLOCK: tuple[list[Any], ...] = ([], [None], [0], [None])
_WEEKDAY_OF_EPOCH = 3  # 1970-01-01 was a Thursday (Monday == 0)

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


# --------------------------------------------------------------------------------------------
# Calendar specification
# --------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------
# Compiled data
# --------------------------------------------------------------------------------------------


class _Chunk:
    """Working segments (UTC µs) of one local year: instants in [B(year), B(year+1))."""

    __slots__ = ("ends", "starts", "total")

    def __init__(self, starts: list[int], ends: list[int]) -> None:
        self.starts = starts
        self.ends = ends
        self.total = sum(e - s for s, e in zip(starts, ends, strict=True))


class _Block:
    """Contiguous local years [lo, hi] compiled into one sorted segment array with prefix sums.

    Segment i is ``[starts[i], ends[i])`` and holds the business µs ``[prefix[i], prefix[i + 1])``
    of the block (n segments, ``prefix[n] == total``). For single calls the block also keeps its
    segments laid out so that a query is one or two ``bisect`` calls and list indexing, with no
    range test and no ``- 1``:

    * ``bounds = [ws, s_0, e_0, s_1, e_1, ..., we]`` (2n + 2 entries). For ws <= t < we,
      ``k = bisect_right(bounds, t)`` is odd outside working time (k = 2i + 1: after segment
      i - 1, before segment i) and even inside it (k = 2i + 2: in segment i). t < ws gives
      k == 0 and t >= we gives k == 2n + 2.
    * ``vals``: the business time from ws to t is ``vals[k]`` for odd k (``prefix[i]``, constant
      between segments) and ``t - vals[k]`` for even k (``vals[k] = s_i - prefix[i]``).
      ``vals[0]`` is None and ``vals`` has 2n + 2 entries, so an instant outside [ws, we) raises
      TypeError or IndexError instead of costing two comparisons on every call; the caller then
      takes the general path (e.g. for ``t == we``, which belongs to the next year).
    * ``offs = [None, s_0 - prefix[0], ..., s_(n-1) - prefix[n-1]]`` inverts it with ``prefix``:
      the earliest instant with business time x (0 < x <= total) is ``offs[j] + x`` with
      ``j = bisect_left(prefix, x, 1)`` (x > total gives j = n + 1, an IndexError); the latest
      one (0 <= x < total) is the same with ``j = bisect_right(prefix, x)``.

    ``hot`` is ``(bounds, vals, prefix, offs)`` in integer µs. ``hot_dt`` is the same with the
    instants as aware UTC datetimes and the amounts as timedeltas, for inputs that are UTC
    datetimes already: bisect compares them directly (same tzinfo, so a plain field comparison)
    and ``offs[j] + x`` is the answer, with no int <-> datetime conversion at all (each costs
    about as much as a bisect). Both are exact: datetime and timedelta arithmetic is integer
    microseconds.
    """

    __slots__ = (
        "_np",
        "bounds",
        "ends",
        "hi",
        "hot",
        "hot_dt",
        "lo",
        "offs",
        "prefix",
        "starts",
        "total",
        "vals",
        "we",
        "ws",
    )

    def __init__(self, lo: int, hi: int, ws: int, we: int, chunks: list[_Chunk]) -> None:
        self.lo, self.hi, self.ws, self.we = lo, hi, ws, we
        starts: list[int] = []
        ends: list[int] = []
        for ch in chunks:
            if not ch.starts:
                continue
            if ends and ends[-1] == ch.starts[0]:
                # A segment running through local midnight of New Year (e.g. 24x7) was split at
                # the chunk boundary; re-join it so explanations show one segment.
                ends[-1] = ch.ends[0]
                starts.extend(ch.starts[1:])
                ends.extend(ch.ends[1:])
            else:
                starts.extend(ch.starts)
                ends.extend(ch.ends)
        self.starts = starts
        self.ends = ends
        self.prefix = prefix = [0, *accumulate(e - s for s, e in zip(starts, ends, strict=True))]
        self.total = prefix[-1]
        n = len(starts)
        self.offs = offs = [None, *(s - p for s, p in zip(starts, prefix, strict=False))]
        self.bounds = bounds = [ws] * (2 * n + 2)
        bounds[1:-1:2], bounds[2:-1:2], bounds[-1] = starts, ends, we
        self.vals = vals = [None] * (2 * n + 2)
        vals[1::2], vals[2::2] = prefix, offs[1:]
        self.hot = (bounds, vals, prefix, offs)
        # As datetimes/timedeltas; vals shares the objects of offs and prefix. offs[i] >= ws (the
        # business time before a segment's start cannot exceed the time since ws), so every
        # entry is a valid datetime.
        bounds_dt = [_EPOCH + _ONE_US * t for t in bounds]
        prefix_td = [_ONE_US * x for x in prefix]
        offs_dt = [None, *(_EPOCH + _ONE_US * t for t in offs[1:])]
        vals_dt: list[Any] = [None] * (2 * n + 2)
        vals_dt[1::2], vals_dt[2::2] = prefix_td, offs_dt[1:]
        self.hot_dt = (bounds_dt, vals_dt, prefix_td, offs_dt)
        self._np: tuple[npt.NDArray[np.int64], ...] | None = None

    def cum(self, t: int) -> int:
        """Business µs from the block's start to t (ws <= t <= we)."""
        if t >= self.we:
            return self.total
        k = bisect_right(self.bounds, t)
        return self.vals[k] if k & 1 else t - self.vals[k]  # type: ignore[no-any-return]

    def between(self, a: int, b: int) -> int:
        """Business µs in [a, b) (ws <= a <= b <= we)."""
        return self.cum(b) - self.cum(a)

    def arrays(self) -> tuple[npt.NDArray[np.int64], ...]:
        """numpy views (starts, ends, prefix) for the batch functions, built once."""
        arr = self._np
        if arr is None:
            arr = (
                np.asarray(self.starts, dtype=np.int64),
                np.asarray(self.ends, dtype=np.int64),
                np.asarray(self.prefix, dtype=np.int64),
            )
            self._np = arr
        return arr


class _CalendarCache:
    """Per-spec compiled data: year boundaries, year chunks and contiguous blocks."""

    def __init__(self, spec: CalendarSpec) -> None:
        self.spec = spec
        self.label = spec.name or spec.tz
        self.zone = ZoneInfo(spec.tz)
        self.covered = spec.covered_years
        self.has_work = spec.has_working_time
        self.weekly_us = [tuple((s * MINUTE_US, e * MINUTE_US) for s, e in day) for day in spec.weekly]
        self.overrides_us = {
            d.toordinal() - _EPOCH_ORDINAL: tuple((s * MINUTE_US, e * MINUTE_US) for s, e in iv)
            for d, iv in spec.overrides
        }
        self.lock = threading.Lock()
        self.blocks: tuple[_Block, ...] = ()
        #: ``_Block.hot``/``hot_dt`` of the block used last; the public functions try it first.
        self.hot: tuple[list[Any], ...] = _NO_BLOCK
        self.hot_dt: tuple[list[Any], ...] = _NO_BLOCK
        self._chunks: dict[int, _Chunk] = {}
        self._year_start: dict[int, int] = {}

    # -- calendar lookups ---------------------------------------------------------------------

    def intervals_for_day(self, day_number: int) -> DayIntervals:
        """Minute intervals of a local day given as days since 1970-01-01."""
        iv = self.overrides_us.get(day_number)
        if iv is None:
            iv = self.weekly_us[(day_number + _WEEKDAY_OF_EPOCH) % 7]
        return tuple((s // MINUTE_US, e // MINUTE_US) for s, e in iv)

    def check_year(self, year: int) -> None:
        """Raise CalendarDataMissing unless the year's holiday data is known."""
        if self.covered is not None and year not in self.covered:
            raise CalendarDataMissing(year, self.label)

    def offset_us(self, ts: int) -> int:
        """UTC offset (µs) in force at the UTC instant ts (whole seconds)."""
        off = datetime.fromtimestamp(ts, self.zone).utcoffset()
        assert off is not None  # zoneinfo always answers for aware datetimes
        return off // _ONE_US

    def year_start(self, year: int) -> int:
        """B(year): UTC µs of local midnight starting January 1 of the year."""
        b = self._year_start.get(year)
        if b is None:
            # fold=0 picks the first occurrence of an ambiguous midnight (and the pre-transition
            # offset for a non-existent one). Exactness does not depend on B() being the exact
            # date boundary, only on it increasing: chunks compile every instant of their UTC
            # window against its own local date, and check that date's year coverage.
            b = datetime_to_us(datetime(year, 1, 1, tzinfo=self.zone))
            self._year_start[year] = b
        return b

    def year_of(self, t: int) -> int:
        """Local year of the UTC instant t, defined consistently with year_start()."""
        y = us_to_datetime(t).year  # the UTC year is at most one off
        while t < self.year_start(y):
            y -= 1
        while t >= self.year_start(y + 1):
            y += 1
        return y

    # -- compilation --------------------------------------------------------------------------

    def _pieces(self, ws: int, we: int) -> list[tuple[int, int, int]]:
        """Split UTC µs [ws, we) into constant-offset pieces (start, end, offset_us)."""
        lo_s, hi_s = ws // SECOND_US, -(-we // SECOND_US)
        pieces: list[tuple[int, int, int]] = []
        piece_start = lo_s
        cur = lo_s
        off = self.offset_us(cur)
        while cur < hi_s:
            nxt = min(cur + _SAMPLE_STEP_S, hi_s)
            if self.offset_us(nxt) == off:
                cur = nxt
                continue
            lo, hi = cur, nxt  # offset(lo) == off != offset(hi): bisect to the exact second
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if self.offset_us(mid) == off:
                    lo = mid
                else:
                    hi = mid
            pieces.append((piece_start, hi, off))
            piece_start = cur = hi
            off = self.offset_us(hi)
        pieces.append((piece_start, hi_s, off))
        out = []
        for p, q, o in pieces:
            p_us, q_us = max(p * SECOND_US, ws), min(q * SECOND_US, we)
            if p_us < q_us:
                out.append((p_us, q_us, o))
        return out

    def chunk(self, year: int) -> _Chunk:
        """Compiled working segments of one local year (cached)."""
        ch = self._chunks.get(year)
        if ch is not None:
            return ch
        self.check_year(year)
        ws, we = self.year_start(year), self.year_start(year + 1)
        first_day = date(year, 1, 1).toordinal() - _EPOCH_ORDINAL
        next_first_day = date(year + 1, 1, 1).toordinal() - _EPOCH_ORDINAL
        starts: list[int] = []
        ends: list[int] = []
        overrides, weekly = self.overrides_us, self.weekly_us
        for p, q, off in self._pieces(ws, we):
            # Within a constant-offset piece wall time is t + off, so the piece covers the wall
            # range [p + off, q + off); intersect it with each local day's intervals.
            wl, wh = p + off, q + off
            for d in range(wl // DAY_US, (wh - 1) // DAY_US + 1):
                if not first_day <= d < next_first_day:
                    # Only a zone jumping across New Year's midnight lands here.
                    self.check_year(date.fromordinal(d + _EPOCH_ORDINAL).year)
                ivs = overrides.get(d)
                if ivs is None:
                    ivs = weekly[(d + _WEEKDAY_OF_EPOCH) % 7]
                base = d * DAY_US
                for s_us, e_us in ivs:
                    lo = base + s_us
                    hi = base + e_us
                    if lo < wl:
                        lo = wl
                    if hi > wh:
                        hi = wh
                    if lo < hi:
                        u0, u1 = lo - off, hi - off
                        if ends and ends[-1] == u0:
                            ends[-1] = u1  # touching intervals / offset change mid-interval
                        else:
                            starts.append(u0)
                            ends.append(u1)
        ch = _Chunk(starts, ends)
        if len(self._chunks) >= 2 * MAX_BLOCK_YEARS:
            self._chunks.clear()  # bounded memory; chunks are cheap to rebuild
        self._chunks[year] = ch
        return ch

    def ensure(self, lo_us: int, hi_us: int) -> _Block:
        """A block whose window contains the UTC instants [lo_us, hi_us) (hi_us > lo_us)."""
        for blk in self.blocks:
            if blk.ws <= lo_us and hi_us <= blk.we:
                self.hot, self.hot_dt = blk.hot, blk.hot_dt
                return blk
        return self.extend(self.year_of(lo_us), self.year_of(hi_us - 1))

    def extend(self, ya: int, yb: int) -> _Block:
        """A block containing local years [ya, yb], merging with existing blocks when possible."""
        with self.lock:
            for blk in self.blocks:
                if blk.lo <= ya and yb <= blk.hi:
                    self.hot, self.hot_dt = blk.hot, blk.hot_dt
                    return blk
            if yb - ya + 1 > MAX_BLOCK_YEARS:
                raise ValueError(
                    f"computation spans {yb - ya + 1} years ({ya}..{yb}); at most {MAX_BLOCK_YEARS} are supported"
                )
            for y in range(ya, yb + 1):
                self.check_year(y)
            lo, hi = ya, yb
            keep: list[_Block] = []
            for blk in self.blocks:
                new_lo, new_hi = min(lo, blk.lo), max(hi, blk.hi)
                gap = range(min(hi, blk.hi) + 1, max(lo, blk.lo))  # years between, if disjoint
                if new_hi - new_lo + 1 <= MAX_BLOCK_YEARS and all(
                    self.covered is None or y in self.covered for y in gap
                ):
                    lo, hi = new_lo, new_hi
                else:
                    keep.append(blk)
            chunks = [self.chunk(y) for y in range(lo, hi + 1)]
            new = _Block(lo, hi, self.year_start(lo), self.year_start(hi + 1), chunks)
            # Publish atomically: readers iterate whatever tuple they grabbed.
            self.blocks = (new, *keep[: _MAX_BLOCKS - 1])
            self.hot, self.hot_dt = new.hot, new.hot_dt
            return new

    # -- searches beyond a block --------------------------------------------------------------

    def block_reaching_forward(self, a: int, blk: _Block, need: int) -> _Block:
        """Extend blk forward until it holds `need` business µs after its end; may raise."""
        start_year = self.year_of(a)
        y = blk.hi + 1
        while True:
            if y > start_year + MAX_HORIZON_YEARS:
                raise ValueError(
                    f"not enough working time within {MAX_HORIZON_YEARS} years after {us_to_datetime(a).isoformat()}"
                )
            ch = self.chunk(y)
            if ch.total >= need:
                break
            need -= ch.total
            y += 1
        return self.extend(blk.lo, y)

    def block_reaching_backward(self, a: int, blk: _Block, need: int) -> _Block:
        """Extend blk backward until it holds `need` business µs before its start; may raise."""
        start_year = self.year_of(a - 1)
        y = blk.lo - 1
        while True:
            if y < start_year - MAX_HORIZON_YEARS:
                raise ValueError(
                    f"not enough working time within {MAX_HORIZON_YEARS} years before {us_to_datetime(a).isoformat()}"
                )
            ch = self.chunk(y)
            if ch.total >= need:
                break
            need -= ch.total
            y -= 1
        return self.extend(y, blk.hi)

    def add_forward(self, a: int, amount: int) -> int:
        """Earliest t >= a with amount business µs in [a, t) (amount > 0)."""
        blk = self.ensure(a, a + 1)
        x = blk.cum(a) + amount
        if x > blk.total:
            blk = self.block_reaching_forward(a, blk, x - blk.total)
            x = blk.cum(a) + amount
        # 0 < x <= total: see _Block for the layout of offs.
        return x + blk.offs[bisect_left(blk.prefix, x, 1)]

    def add_backward(self, a: int, amount: int) -> int:
        """Latest t <= a with amount business µs in [t, a) (amount > 0)."""
        blk = self.ensure(a - 1, a)
        x = blk.cum(a) - amount
        if x < 0:
            blk = self.block_reaching_backward(a, blk, -x)
            x = blk.cum(a) - amount
        # 0 <= x < cum(a) <= total; x on a prefix value yields the segment start, i.e. the
        # latest instant with the requested amount (see _Block).
        return x + blk.offs[bisect_right(blk.prefix, x)]

    def next_instant(self, a: int) -> int:
        """Earliest business instant >= a."""
        blk = self.ensure(a, a + 1)
        i = bisect_right(blk.starts, a) - 1
        if i >= 0 and a < blk.ends[i]:
            return a
        if i + 1 < len(blk.starts):
            return blk.starts[i + 1]
        if not self.has_work:
            raise ValueError("calendar has no working time")
        start_year = self.year_of(a)
        y = blk.hi + 1
        while y <= start_year + MAX_HORIZON_YEARS:
            ch = self.chunk(y)
            if ch.starts:
                return ch.starts[0]
            y += 1
        raise ValueError(f"no working time within {MAX_HORIZON_YEARS} years")


_CACHES: dict[CalendarSpec, _CalendarCache] = {}
_CACHES_LOCK = threading.Lock()
# Every cache still referenced (by _CACHES or memoised on a spec instance), for clear_cache().
_ALL_CACHES: weakref.WeakSet[_CalendarCache] = weakref.WeakSet()


def _get_cache(spec: CalendarSpec) -> _CalendarCache:
    """Compiled data for a spec: memoised on the instance, shared between equal specs."""
    if not isinstance(spec, CalendarSpec):
        raise TypeError(f"spec must be a CalendarSpec, got {type(spec).__name__}")
    cache = spec.__dict__.get("_bt_cache")
    if cache is not None:
        return cache  # type: ignore[no-any-return]
    with _CACHES_LOCK:
        cache = _CACHES.get(spec)
        if cache is None:
            if len(_CACHES) >= _MAX_CACHED_SPECS:
                _CACHES.pop(next(iter(_CACHES)))  # evict the oldest; holders keep theirs
            cache = _CalendarCache(spec)
            _CACHES[spec] = cache
            _ALL_CACHES.add(cache)
    object.__setattr__(spec, "_bt_cache", cache)
    return cache


def clear_cache() -> None:
    """Drop all compiled calendar data (tests and benchmarks use it to measure cold starts).

    This includes the caches memoised on spec instances, which outlive their _CACHES entry.
    """
    with _CACHES_LOCK:
        for cache in list(_ALL_CACHES):
            with cache.lock:
                cache.blocks = ()
                cache.hot, cache.hot_dt = _NO_BLOCK, _NO_BLOCK
                cache._chunks.clear()
                cache._year_start.clear()
        _CACHES.clear()


# --------------------------------------------------------------------------------------------
# Public single-call API
#
# Each function first tries the block its calendar used last (``_CalendarCache.hot_dt``/``hot``,
# laid out as described on _Block): one or two bisects and a few arithmetic operations, with no
# validation beyond what those operations do themselves. Plain ``datetime`` instances in UTC
# (what the ORM returns) use ``hot_dt`` and are never converted to integers; other aware datetimes
# (other zones, subclasses such as pandas.Timestamp, whose arithmetic differs) are converted to
# integer µs exactly (timedelta field arithmetic - never ``timestamp()``, a float) and use ``hot``.
# Anything else - a spec not compiled yet (AttributeError), an instant outside the block
# (TypeError/IndexError, see _Block), a naive datetime or a non-datetime (TypeError), an amount
# that is not an int, an answer beyond the block - goes down the general path, which validates,
# compiles, extends blocks and raises the documented errors. A Python function call costs about
# as much as a bisect here, hence the inlined bodies.
# --------------------------------------------------------------------------------------------

_HOT_MISS = (AttributeError, TypeError, IndexError)
_HOT_MISS_ADD = (*_HOT_MISS, OverflowError)  # OverflowError: an amount beyond ±999,999,999 days


def _between_us(spec: CalendarSpec, start: datetime, end: datetime) -> int:
    """business_microseconds_between() for any aware datetimes (integer path)."""
    try:
        td = start - _EPOCH
        a = td.days * 86_400_000_000 + td.seconds * 1_000_000 + td.microseconds
        td = end - _EPOCH
        b = td.days * 86_400_000_000 + td.seconds * 1_000_000 + td.microseconds
        bounds, vals, _, _ = spec._bt_cache.hot
        # cum(b) - cum(a) on the hot block (see _Block); the sign comes out by itself.
        k = bisect_right(bounds, a)
        ca = vals[k] if k & 1 else a - vals[k]
        k = bisect_right(bounds, b)
        return (vals[k] if k & 1 else b - vals[k]) - ca  # type: ignore[no-any-return]
    except _HOT_MISS:
        pass
    a = datetime_to_us(start)
    b = datetime_to_us(end)
    if a == b:
        return 0
    if b < a:
        return -_get_cache(spec).ensure(b, a).between(b, a)
    return _get_cache(spec).ensure(a, b).between(a, b)


def business_microseconds_between(spec: CalendarSpec, start: datetime, end: datetime) -> int:
    """Exact business microseconds in [start, end); negative if end < start."""
    try:
        if start.tzinfo is UTC is end.tzinfo and type(start) is datetime is type(end):
            bounds, vals, _, _ = spec._bt_cache.hot_dt
            k = bisect_right(bounds, start)
            ca = vals[k] if k & 1 else start - vals[k]
            k = bisect_right(bounds, end)
            return ((vals[k] if k & 1 else end - vals[k]) - ca) // _ONE_US  # type: ignore[no-any-return]
    except _HOT_MISS:
        pass
    return _between_us(spec, start, end)


def business_seconds_between(spec: CalendarSpec, start: datetime, end: datetime) -> float:
    """Business seconds in [start, end) (negative if end < start), from exact microseconds."""
    # The body of business_microseconds_between(), inlined; timedelta.total_seconds() is
    # exactly microseconds / 10**6 (an int true division, correctly rounded).
    try:
        if start.tzinfo is UTC is end.tzinfo and type(start) is datetime is type(end):
            bounds, vals, _, _ = spec._bt_cache.hot_dt
            k = bisect_right(bounds, start)
            ca = vals[k] if k & 1 else start - vals[k]
            k = bisect_right(bounds, end)
            return ((vals[k] if k & 1 else end - vals[k]) - ca).total_seconds()  # type: ignore[no-any-return]
    except _HOT_MISS:
        pass
    return _between_us(spec, start, end) / 1_000_000


def _add_us(spec: CalendarSpec, start: datetime, amount: int) -> datetime:
    """add_business_microseconds() for any aware datetime and an int amount (integer path)."""
    try:
        td = start - _EPOCH
        a = td.days * 86_400_000_000 + td.seconds * 1_000_000 + td.microseconds
        if amount > 0:
            bounds, vals, prefix, offs = spec._bt_cache.hot
            k = bisect_right(bounds, a)
            x = (vals[k] if k & 1 else a - vals[k]) + amount
            # x beyond the block's total: IndexError
            return _EPOCH + _ONE_US * (x + offs[bisect_left(prefix, x, 1)])
        if amount < 0:
            bounds, vals, prefix, offs = spec._bt_cache.hot
            k = bisect_right(bounds, a)
            x = (vals[k] if k & 1 else a - vals[k]) + amount
            if x >= 0:
                return _EPOCH + _ONE_US * (x + offs[bisect_right(prefix, x)])
        else:
            return _EPOCH + td
    except _HOT_MISS:
        pass
    a = datetime_to_us(start)
    if amount == 0:
        return _EPOCH + _ONE_US * a
    cache = _get_cache(spec)
    if not cache.has_work:
        raise ValueError("calendar has no working time")
    if amount > 0:
        return _EPOCH + _ONE_US * cache.add_forward(a, amount)
    return _EPOCH + _ONE_US * cache.add_backward(a, -amount)


def add_business_microseconds(spec: CalendarSpec, start: datetime, microseconds: int) -> datetime:
    """Instant reached after `microseconds` of business time from start (backwards if < 0).

    Forward (> 0): the earliest t >= start with exactly that much business time in [start, t);
    using up the rest of a working segment therefore returns the segment's end, not the next
    segment's start. Backward (< 0): the latest t <= start with that much business time in
    [t, start) (so it lands on a segment start, never on the previous segment's end).
    Zero returns start (converted to UTC). The result is an aware UTC datetime.
    Raises ValueError for a calendar without working time or when nothing is found within
    MAX_HORIZON_YEARS, CalendarDataMissing when an uncovered year is reached.
    """
    if type(microseconds) is not int:
        microseconds = _amount_us(microseconds)
    try:
        if start.tzinfo is UTC and type(start) is datetime:
            if microseconds > 0:
                bounds, vals, prefix, offs = spec._bt_cache.hot_dt
                k = bisect_right(bounds, start)
                x = (vals[k] if k & 1 else start - vals[k]) + _ONE_US * microseconds
                return offs[bisect_left(prefix, x, 1)] + x  # type: ignore[no-any-return]
            if microseconds < 0:
                bounds, vals, prefix, offs = spec._bt_cache.hot_dt
                k = bisect_right(bounds, start)
                x = (vals[k] if k & 1 else start - vals[k]) + _ONE_US * microseconds
                if x >= _ZERO:
                    return offs[bisect_right(prefix, x)] + x  # type: ignore[no-any-return]
            else:
                return start
    except _HOT_MISS_ADD:
        pass
    return _add_us(spec, start, microseconds)


def add_business_seconds(spec: CalendarSpec, start: datetime, seconds: float | int | Decimal) -> datetime:
    """add_business_microseconds() with seconds (rounded half-even to whole microseconds)."""
    # The body of add_business_microseconds(), inlined, for int seconds.
    try:
        if start.tzinfo is UTC and type(seconds) is int and type(start) is datetime:
            if seconds > 0:
                bounds, vals, prefix, offs = spec._bt_cache.hot_dt
                k = bisect_right(bounds, start)
                x = (vals[k] if k & 1 else start - vals[k]) + _ONE_S * seconds
                return offs[bisect_left(prefix, x, 1)] + x  # type: ignore[no-any-return]
            if seconds < 0:
                bounds, vals, prefix, offs = spec._bt_cache.hot_dt
                k = bisect_right(bounds, start)
                x = (vals[k] if k & 1 else start - vals[k]) + _ONE_S * seconds
                if x >= _ZERO:
                    return offs[bisect_right(prefix, x)] + x  # type: ignore[no-any-return]
            else:
                return start
    except _HOT_MISS_ADD:
        pass
    return _add_us(spec, start, _seconds_to_us(seconds))


def is_business_time(spec: CalendarSpec, t: datetime) -> bool:
    """Whether the instant t is inside working time."""
    try:
        if t.tzinfo is UTC and type(t) is datetime:
            bounds = spec._bt_cache.hot_dt[0]
            k = bisect_right(bounds, t)
            if 0 < k < len(bounds):
                return not k & 1  # even: inside a segment (see _Block)
    except _HOT_MISS:
        pass
    a = datetime_to_us(t)
    return not bisect_right(_get_cache(spec).ensure(a, a + 1).bounds, a) & 1


def next_business_instant(spec: CalendarSpec, t: datetime) -> datetime:
    """Earliest business instant >= t (t itself if it is business time), in UTC."""
    return _EPOCH + _ONE_US * _get_cache(spec).next_instant(datetime_to_us(t))


def working_segments(spec: CalendarSpec, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """Working segments intersecting [start, end), clipped to it, as UTC (start, end) pairs."""
    a = datetime_to_us(start)
    b = datetime_to_us(end)
    if b <= a:
        return []
    blk = _get_cache(spec).ensure(a, b)
    i = bisect_right(blk.ends, a)  # first segment ending after a
    j = bisect_left(blk.starts, b, i)  # first segment starting at or after b
    if i >= j:
        return []
    # segment i is [bounds[2i + 1], bounds[2i + 2]) (see _Block), already datetimes in hot_dt
    bounds = blk.hot_dt[0]
    out = list(zip(bounds[2 * i + 1 : 2 * j + 1 : 2], bounds[2 * i + 2 : 2 * j + 2 : 2], strict=True))
    # only the first and the last segment can stick out of [a, b)
    if blk.starts[i] < a:
        out[0] = (_EPOCH + _ONE_US * a, out[0][1])
    if blk.ends[j - 1] > b:
        out[-1] = (out[-1][0], _EPOCH + _ONE_US * b)
    return out


# --------------------------------------------------------------------------------------------
# Batch (numpy) API
# --------------------------------------------------------------------------------------------


def _cum_many(blk: _Block, x: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Vectorised _Block.cum."""
    s_arr, e_arr, p_arr = blk.arrays()
    if s_arr.size == 0:
        return np.zeros_like(x)
    i = np.searchsorted(s_arr, x, side="right") - 1
    ic = np.maximum(i, 0)
    c = p_arr[ic] + np.minimum(x, e_arr[ic]) - s_arr[ic]
    return np.where(i >= 0, c, 0)


def _as_int64(values: Any, what: str) -> npt.NDArray[np.int64]:
    """Coerce to an int64 array, refusing floats (µs must be exact integers)."""
    arr = np.asarray(values)
    if arr.dtype.kind not in "iu" and arr.size:  # an empty list comes out as float64
        raise ValueError(f"{what} must be integer microseconds, got dtype {arr.dtype}")
    return arr.astype(np.int64, copy=False)


def business_microseconds_between_many(spec: CalendarSpec, starts_us: Any, ends_us: Any) -> npt.NDArray[np.int64]:
    """Vectorised business_microseconds_between on int64 µs arrays (element-wise, broadcast)."""
    s, e = np.broadcast_arrays(_as_int64(starts_us, "starts_us"), _as_int64(ends_us, "ends_us"))
    if s.size == 0:
        return np.zeros(s.shape, dtype=np.int64)
    lo = int(min(s.min(), e.min()))
    hi = int(max(s.max(), e.max()))
    if lo == hi:
        return np.zeros(s.shape, dtype=np.int64)
    blk = _get_cache(spec).ensure(lo, hi)
    return _cum_many(blk, e) - _cum_many(blk, s)


def business_seconds_between_many(spec: CalendarSpec, starts_us: Any, ends_us: Any) -> npt.NDArray[np.float64]:
    """Vectorised business_seconds_between on int64 µs arrays; returns float64 seconds."""
    return business_microseconds_between_many(spec, starts_us, ends_us) / SECOND_US


def add_business_many(spec: CalendarSpec, starts_us: Any, amounts_us: Any) -> npt.NDArray[np.int64]:
    """Vectorised add_business_microseconds on int64 µs arrays; returns int64 UTC µs."""
    s, amt = np.broadcast_arrays(_as_int64(starts_us, "starts_us"), _as_int64(amounts_us, "amounts_us"))
    pos = amt > 0
    neg = amt < 0
    any_pos, any_neg = bool(pos.any()), bool(neg.any())
    if not (any_pos or any_neg):
        return s.copy()
    cache = _get_cache(spec)
    if not cache.has_work:
        raise ValueError("calendar has no working time")
    lo = int(s.min()) - (1 if any_neg else 0)
    hi = int(s.max()) + 1
    blk = cache.ensure(lo, hi)
    x = _cum_many(blk, s) + amt
    if any_pos and int(x[pos].max()) > blk.total:
        a_max = int(s[pos].max())
        blk = cache.block_reaching_forward(a_max, blk, int(x[pos].max()) - blk.total)
    if any_neg:
        x = _cum_many(blk, s) + amt
        if int(x[neg].min()) < 0:
            a_min = int(s[neg].min())
            blk = cache.block_reaching_backward(a_min, blk, -int(x[neg].min()))
    x = _cum_many(blk, s) + amt
    s_arr, _, p_arr = blk.arrays()
    n = s_arr.size
    i_fwd = np.clip(np.searchsorted(p_arr, x, side="left") - 1, 0, n - 1)
    i_bwd = np.clip(np.searchsorted(p_arr, x, side="right") - 1, 0, n - 1)
    fwd = s_arr[i_fwd] + x - p_arr[i_fwd]
    bwd = s_arr[i_bwd] + x - p_arr[i_bwd]
    return np.where(pos, fwd, np.where(neg, bwd, s))
