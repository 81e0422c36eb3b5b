"""Queries: single-call business-time arithmetic on aware datetimes (between, add, next instant...)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import UTC, datetime
from decimal import Decimal

from oversight.businesstime.engine.compilation import _get_cache
from oversight.businesstime.engine.specification import (
    _EPOCH,
    _ONE_S,
    _ONE_US,
    _ZERO,
    CalendarSpec,
    _amount_us,
    _seconds_to_us,
    datetime_to_us,
)

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
