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
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
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
        return (dt - _EPOCH) // _ONE_US
    except TypeError:
        # naive - aware raises TypeError; turn it into the documented ValueError.
        raise ValueError(f"an aware datetime is required, got {dt!r}") from None


def us_to_datetime(us: int) -> datetime:
    """Aware UTC datetime for integer microseconds since the Unix epoch."""
    return _EPOCH + timedelta(microseconds=int(us))


def _seconds_to_us(seconds: float | int | Decimal) -> int:
    """Convert a seconds amount to integer microseconds, rounding half-even exactly."""
    if isinstance(seconds, bool):
        raise ValueError("seconds must be a number, not a bool")
    if isinstance(seconds, int | np.integer):
        return int(seconds) * SECOND_US
    if isinstance(seconds, float):
        if not math.isfinite(seconds):
            raise ValueError(f"seconds must be finite, got {seconds!r}")
        # Decimal(float) is the exact binary value: one rounding step only.
        return round(Decimal(seconds) * SECOND_US)
    if isinstance(seconds, Decimal):
        if not seconds.is_finite():
            raise ValueError(f"seconds must be finite, got {seconds!r}")
        return round(seconds * SECOND_US)
    raise ValueError(f"seconds must be int, float or Decimal, got {type(seconds).__name__}")


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
    """Contiguous local years [lo, hi] compiled into one sorted segment array with prefix sums."""

    __slots__ = ("_np", "ends", "hi", "lo", "prefix", "starts", "total", "we", "ws")

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
        self.prefix = [0, *accumulate(e - s for s, e in zip(starts, ends, strict=True))]
        self.total = self.prefix[-1]
        self._np: tuple[npt.NDArray[np.int64], ...] | None = None

    def cum(self, t: int) -> int:
        """Business µs from the block's start to t (ws <= t <= we)."""
        i = bisect_right(self.starts, t) - 1
        if i < 0:
            return 0
        e = self.ends[i]
        return self.prefix[i] + (e if t >= e else t) - self.starts[i]

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
                return blk
        return self.extend(self.year_of(lo_us), self.year_of(hi_us - 1))

    def extend(self, ya: int, yb: int) -> _Block:
        """A block containing local years [ya, yb], merging with existing blocks when possible."""
        with self.lock:
            for blk in self.blocks:
                if blk.lo <= ya and yb <= blk.hi:
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
        prefix = blk.prefix
        # prefix[0] == 0 < x <= total, so 1 <= idx <= n: segment i holds the target instant.
        i = bisect_left(prefix, x) - 1
        return blk.starts[i] + x - prefix[i]

    def add_backward(self, a: int, amount: int) -> int:
        """Latest t <= a with amount business µs in [t, a) (amount > 0)."""
        blk = self.ensure(a - 1, a)
        x = blk.cum(a) - amount
        if x < 0:
            blk = self.block_reaching_backward(a, blk, -x)
            x = blk.cum(a) - amount
        prefix = blk.prefix
        # 0 <= x < cum(a) <= total: prefix[i] <= x < prefix[i+1]; x == prefix[i] yields the
        # segment start, i.e. the latest instant with the requested amount.
        i = bisect_right(prefix, x) - 1
        return blk.starts[i] + x - prefix[i]

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


def _get_cache(spec: CalendarSpec) -> _CalendarCache:
    """Compiled data for a spec: memoised on the instance, shared between equal specs."""
    cache = spec.__dict__.get("_bt_cache")
    if cache is not None:
        return cache  # type: ignore[no-any-return]
    if not isinstance(spec, CalendarSpec):
        raise TypeError(f"spec must be a CalendarSpec, got {type(spec).__name__}")
    with _CACHES_LOCK:
        cache = _CACHES.get(spec)
        if cache is None:
            if len(_CACHES) >= _MAX_CACHED_SPECS:
                _CACHES.pop(next(iter(_CACHES)))  # evict the oldest; holders keep theirs
            cache = _CalendarCache(spec)
            _CACHES[spec] = cache
    object.__setattr__(spec, "_bt_cache", cache)
    return cache


def clear_cache() -> None:
    """Drop all compiled calendar data (tests and benchmarks use it to measure cold starts)."""
    with _CACHES_LOCK:
        for cache in _CACHES.values():
            with cache.lock:
                cache.blocks = ()
                cache._chunks.clear()
                cache._year_start.clear()
        _CACHES.clear()


# --------------------------------------------------------------------------------------------
# Public single-call API
# --------------------------------------------------------------------------------------------


def business_microseconds_between(spec: CalendarSpec, start: datetime, end: datetime) -> int:
    """Exact business microseconds in [start, end); negative if end < start."""
    a = datetime_to_us(start)
    b = datetime_to_us(end)
    if a == b:
        return 0
    sign = 1
    if b < a:
        a, b, sign = b, a, -1
    cache = _get_cache(spec)
    for blk in cache.blocks:  # inlined fast path of cache.ensure()
        if blk.ws <= a and b <= blk.we:
            break
    else:
        blk = cache.extend(cache.year_of(a), cache.year_of(b - 1))
    return sign * (blk.cum(b) - blk.cum(a))


def business_seconds_between(spec: CalendarSpec, start: datetime, end: datetime) -> float:
    """Business seconds in [start, end) (negative if end < start), from exact microseconds."""
    return business_microseconds_between(spec, start, end) / SECOND_US


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
    if isinstance(microseconds, bool) or not isinstance(microseconds, int | np.integer):
        raise ValueError(f"microseconds must be an int, got {microseconds!r}")
    a = datetime_to_us(start)
    amount = int(microseconds)
    if amount == 0:
        return us_to_datetime(a)
    cache = _get_cache(spec)
    if not cache.has_work:
        raise ValueError("calendar has no working time")
    if amount > 0:
        return us_to_datetime(cache.add_forward(a, amount))
    return us_to_datetime(cache.add_backward(a, -amount))


def add_business_seconds(spec: CalendarSpec, start: datetime, seconds: float | int | Decimal) -> datetime:
    """add_business_microseconds() with seconds (rounded half-even to whole microseconds)."""
    return add_business_microseconds(spec, start, _seconds_to_us(seconds))


def is_business_time(spec: CalendarSpec, t: datetime) -> bool:
    """Whether the instant t is inside working time."""
    a = datetime_to_us(t)
    blk = _get_cache(spec).ensure(a, a + 1)
    i = bisect_right(blk.starts, a) - 1
    return i >= 0 and a < blk.ends[i]


def next_business_instant(spec: CalendarSpec, t: datetime) -> datetime:
    """Earliest business instant >= t (t itself if it is business time), in UTC."""
    return us_to_datetime(_get_cache(spec).next_instant(datetime_to_us(t)))


def working_segments(spec: CalendarSpec, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """Working segments intersecting [start, end), clipped to it, as UTC (start, end) pairs."""
    a = datetime_to_us(start)
    b = datetime_to_us(end)
    if b <= a:
        return []
    blk = _get_cache(spec).ensure(a, b)
    starts, ends = blk.starts, blk.ends
    i = bisect_right(ends, a)  # first segment ending after a
    out: list[tuple[datetime, datetime]] = []
    n = len(starts)
    while i < n and starts[i] < b:
        out.append((us_to_datetime(max(starts[i], a)), us_to_datetime(min(ends[i], b))))
        i += 1
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
