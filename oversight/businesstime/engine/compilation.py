"""Compilation: a CalendarSpec turned into sorted UTC working segments with prefix sums, cached.

For each local year the calendar is compiled once into disjoint UTC segments in integer
microseconds (``_Chunk``); contiguous years are joined into blocks (``_Block``) laid out for the
single-call fast path and the numpy batch path. Compiled data is cached per spec, process-wide
and memoised on the spec instance, and grown year by year on demand.
"""

from __future__ import annotations

import threading
import weakref
from bisect import bisect_left, bisect_right
from datetime import date, datetime
from itertools import accumulate
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from oversight.businesstime.engine.specification import (
    _EPOCH,
    _EPOCH_ORDINAL,
    _ONE_US,
    DAY_US,
    MINUTE_US,
    SECOND_US,
    CalendarDataMissing,
    CalendarSpec,
    DayIntervals,
    datetime_to_us,
    us_to_datetime,
)

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

# _Block.hot/hot_dt of no block: every lookup fails (bisect gives 0, vals[0] is None), see _Block.
_NO_BLOCK: tuple[list[Any], ...] = ([], [None], [0], [None])
_WEEKDAY_OF_EPOCH = 3  # 1970-01-01 was a Thursday (Monday == 0)


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
