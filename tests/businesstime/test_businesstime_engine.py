"""Tests of oversight.businesstime.engine against a brute-force minute-by-minute oracle."""

from __future__ import annotations

import functools
import os
import pickle
from datetime import UTC, date, datetime, timedelta, timezone
from fractions import Fraction
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oversight.businesstime.engine import (
    CalendarDataMissing,
    CalendarSpec,
    add_business_many,
    add_business_microseconds,
    add_business_seconds,
    business_microseconds_between,
    business_microseconds_between_many,
    business_seconds_between,
    business_seconds_between_many,
    clear_cache,
    datetime_to_us,
    is_business_time,
    next_business_instant,
    us_to_datetime,
    working_segments,
)

MIN = timedelta(minutes=1)
MIN_US = 60_000_000
HOUR = 3600
NINE_TO_FIVE = ((540, 1020),)
FULL_DAY = ((0, 1440),)
WEEKDAYS_9_17 = (NINE_TO_FIVE,) * 5 + ((), ())


def utc(*args: int) -> datetime:
    """Aware UTC datetime shorthand."""
    return datetime(*args, tzinfo=UTC)


# ------------------------------------------------------------------------------------------
# Oracle: independent of the engine, uses only zoneinfo's UTC -> local conversion per minute.
# ------------------------------------------------------------------------------------------


@functools.cache
def _overrides(spec: CalendarSpec) -> dict[date, tuple[tuple[int, int], ...]]:
    """Plain dict of a spec's overrides (memoised: the oracle is called per minute)."""
    return dict(spec.overrides_map)


def oracle_minute_is_business(spec: CalendarSpec, t: datetime) -> bool:
    """Whether the UTC minute starting at t is business time (whole-minute offsets assumed)."""
    local = t.astimezone(ZoneInfo(spec.tz))
    intervals = _overrides(spec).get(local.date(), spec.weekly[local.weekday()])
    minute = local.hour * 60 + local.minute
    return any(s <= minute < e for s, e in intervals)


def oracle_bits(spec: CalendarSpec, start: datetime, minutes: int) -> list[bool]:
    """Business flags of the `minutes` UTC minutes from start."""
    return [oracle_minute_is_business(spec, start + i * MIN) for i in range(minutes)]


def oracle_runs(start: datetime, bits: list[bool]) -> list[tuple[datetime, datetime]]:
    """Maximal runs of business minutes as (start, end) pairs."""
    runs: list[tuple[datetime, datetime]] = []
    i = 0
    while i < len(bits):
        if bits[i]:
            j = i
            while j < len(bits) and bits[j]:
                j += 1
            runs.append((start + i * MIN, start + j * MIN))
            i = j
        else:
            i += 1
    return runs


# ------------------------------------------------------------------------------------------
# Strategies
# ------------------------------------------------------------------------------------------

# (zone, UTC anchor) pairs: DST transitions both ways, the 30-minute Lord Howe shift, New Year
# boundaries (chunk/year boundaries of the engine) and zones without transitions.
ANCHORS = [
    ("Europe/London", utc(2026, 3, 29, 1)),
    ("Europe/London", utc(2025, 10, 26, 1)),
    ("America/New_York", utc(2026, 3, 8, 7)),
    ("America/New_York", utc(2025, 11, 2, 6)),
    ("America/New_York", utc(2026, 1, 1, 5)),
    ("Australia/Lord_Howe", utc(2025, 10, 4, 15, 30)),
    ("Australia/Lord_Howe", utc(2026, 4, 4, 15)),
    # transitions at local midnight (the local date repeats or skips an hour at day start)
    ("America/Santiago", utc(2026, 4, 5, 3)),
    ("America/Santiago", utc(2025, 9, 7, 4)),
    ("America/Havana", utc(2026, 3, 8, 5)),
    ("America/Havana", utc(2025, 11, 2, 5)),
    # Samoa skipped the whole local date 2011-12-30
    ("Pacific/Apia", utc(2011, 12, 30, 10)),
    ("Asia/Shanghai", utc(2025, 12, 31, 16)),
    ("Asia/Shanghai", utc(2026, 9, 20)),
    ("UTC", utc(2026, 1, 1)),
]

# Boundaries biased towards the DST-affected early-morning hours and typical office hours.
BOUNDARY = st.one_of(
    st.sampled_from([0, 30, 60, 90, 120, 150, 180, 210, 480, 720, 810, 1050, 1380, 1440]),
    st.integers(0, 1440),
)


@st.composite
def day_intervals(draw: st.DrawFn) -> tuple[tuple[int, int], ...]:
    """A valid sorted, non-overlapping interval set (sometimes empty, 24h or touching)."""
    kind = draw(st.sampled_from(["random", "random", "random", "off", "full", "touching"]))
    if kind == "off":
        return ()
    if kind == "full":
        return FULL_DAY
    if kind == "touching":
        a, b, c = sorted(draw(st.sets(st.integers(0, 1440), min_size=3, max_size=3)))
        return ((a, b), (b, c))
    points = sorted(draw(st.sets(BOUNDARY, min_size=0, max_size=6)))
    return tuple(zip(points[0::2], points[1::2], strict=False))


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[CalendarSpec, datetime]:
    """A random calendar plus a UTC anchor instant near an interesting transition."""
    zone, anchor = draw(st.sampled_from(ANCHORS))
    weekly = tuple(draw(day_intervals()) for _ in range(7))
    local_anchor = anchor.astimezone(ZoneInfo(zone)).date()
    overrides = {}
    for offset in draw(st.sets(st.integers(-6, 8), max_size=4)):
        overrides[local_anchor + timedelta(days=offset)] = draw(day_intervals())
    spec = CalendarSpec(tz=zone, weekly=weekly, overrides=overrides, name="random")
    return spec, anchor


# BUSINESSTIME_EXAMPLES=5000 runs a long campaign; the default keeps the suite fast.
PROPERTY_SETTINGS = settings(
    max_examples=int(os.environ.get("BUSINESSTIME_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


# ------------------------------------------------------------------------------------------
# Property tests
# ------------------------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(
    scenario=scenarios(),
    offset=st.integers(-4 * 1440, 4 * 1440),
    length=st.integers(0, 5 * 1440),
    probes=st.lists(st.integers(0, 5 * 1440), min_size=1, max_size=5),
)
def test_between_segments_and_probes_match_oracle(
    scenario: tuple[CalendarSpec, datetime], offset: int, length: int, probes: list[int]
) -> None:
    """between(), working_segments(), is_business_time() and batch agree with the oracle."""
    spec, anchor = scenario
    a = anchor + offset * MIN
    b = a + length * MIN
    bits = oracle_bits(spec, a, length)
    expected_us = sum(bits) * MIN_US

    assert business_microseconds_between(spec, a, b) == expected_us
    assert business_microseconds_between(spec, b, a) == -expected_us
    assert business_seconds_between(spec, a, b) == expected_us / 1e6
    assert working_segments(spec, a, b) == oracle_runs(a, bits)

    for p in probes:
        if p < length:
            t = a + p * MIN
            assert is_business_time(spec, t) is bits[p]
            # the whole minute has the same status
            assert is_business_time(spec, t + timedelta(seconds=59, microseconds=999_999)) is bits[p]
            later = [i for i in range(p, length) if bits[i]]
            if later:
                assert next_business_instant(spec, t) == a + later[0] * MIN

    # batch == single, on sub-ranges of [a, b] in both directions
    cuts = sorted({0, length, *(p for p in probes if p <= length)})
    starts = np.array([datetime_to_us(a + c * MIN) for c in cuts], dtype=np.int64)
    ends = starts[::-1].copy()
    batch = business_microseconds_between_many(spec, starts, ends)
    single = [
        business_microseconds_between(spec, us_to_datetime(s), us_to_datetime(e))
        for s, e in zip(starts, ends, strict=True)
    ]
    assert batch.tolist() == single
    assert business_seconds_between_many(spec, starts, ends).tolist() == [x / 1e6 for x in single]


@PROPERTY_SETTINGS
@given(
    scenario=scenarios(),
    offset=st.integers(-3 * 1440, 3 * 1440),
    fraction=st.floats(0, 1),
    backwards=st.booleans(),
)
def test_add_matches_oracle_and_is_minimal(
    scenario: tuple[CalendarSpec, datetime], offset: int, fraction: float, backwards: bool
) -> None:
    """add() lands exactly where the oracle's cumulative count reaches the amount."""
    spec, anchor = scenario
    a = anchor + offset * MIN
    window = 4 * 1440
    if backwards:
        bits = oracle_bits(spec, a - window * MIN, window)[::-1]  # minutes going back from a
    else:
        bits = oracle_bits(spec, a, window)
    biz = [i for i, bit in enumerate(bits) if bit]
    k = round(fraction * len(biz))
    if k == 0:
        expected = a
    elif backwards:
        expected = a - (biz[k - 1] + 1) * MIN  # start of the k-th business minute back
    else:
        expected = a + (biz[k - 1] + 1) * MIN  # end of the k-th business minute
    amount = -k * 60 if backwards else k * 60
    result = add_business_seconds(spec, a, amount)
    assert result == expected
    assert result.tzinfo is UTC
    assert business_seconds_between(spec, a, result) == amount
    got = add_business_many(spec, np.array([datetime_to_us(a)]), np.array([amount * 1_000_000])).tolist()
    assert got == [datetime_to_us(expected)]


@PROPERTY_SETTINGS
@given(
    scenario=scenarios(),
    offsets=st.lists(st.integers(-3 * 1440 * 60, 3 * 1440 * 60), min_size=1, max_size=8),
    amounts=st.lists(st.integers(-3 * 3600 * 10**6, 3 * 3600 * 10**6), min_size=8, max_size=8),
)
def test_add_round_trip_microseconds_and_batch(
    scenario: tuple[CalendarSpec, datetime], offsets: list[int], amounts: list[int]
) -> None:
    """between(a, add(a, x)) == x, the result is extremal, and batch == single calls."""
    spec, anchor = scenario
    if not spec.has_working_time:
        with pytest.raises(ValueError, match="calendar has no working time"):
            add_business_microseconds(spec, anchor, 1)
        return
    starts = [anchor + timedelta(seconds=o, microseconds=o % 997) for o in offsets]
    amts = amounts[: len(starts)]
    results = []
    for a, x in zip(starts, amts, strict=True):
        try:
            t = add_business_microseconds(spec, a, x)
        except ValueError:
            # sparse random calendars may have no working time within the 50-year horizon
            assert not any(spec.weekly)
            return
        results.append(datetime_to_us(t))
        assert business_microseconds_between(spec, a, t) == x
        one = timedelta(microseconds=1)
        if x > 0:  # earliest: one microsecond earlier is not enough
            assert business_microseconds_between(spec, a, t - one) == x - 1
        elif x < 0:  # latest: one microsecond later is not enough
            assert business_microseconds_between(spec, a, t + one) == x + 1
        else:
            assert t == a
    batch = add_business_many(
        spec,
        np.array([datetime_to_us(a) for a in starts], dtype=np.int64),
        np.array(amts, dtype=np.int64),
    )
    assert batch.tolist() == results


# Zones the same instants are expressed in: UTC takes the datetime fast path, the others the
# integer one (a fixed offset with minutes, the calendar's own zone, a negative offset).
INPUT_ZONES = [UTC, timezone(timedelta(hours=5, minutes=45)), None, timezone(-timedelta(hours=11))]


@PROPERTY_SETTINGS
@given(
    scenario=scenarios(),
    offsets=st.lists(st.integers(-3 * 1440 * 60, 3 * 1440 * 60), min_size=2, max_size=6),
    amounts=st.lists(st.integers(-2 * 3600 * 10**6, 2 * 3600 * 10**6), min_size=6, max_size=6),
)
def test_single_call_paths_agree_with_batch(
    scenario: tuple[CalendarSpec, datetime], offsets: list[int], amounts: list[int]
) -> None:
    """Every single-call path (cold cache, hot block, UTC or other zones) equals the batch API.

    The batch functions are a separate implementation (numpy on starts/ends/prefix arrays), and
    the first call after clear_cache() takes the general path, the later ones the hot block.
    """
    spec, anchor = scenario
    clear_cache()
    instants = [anchor + timedelta(seconds=o, microseconds=o % 997) for o in offsets]
    us = np.array([datetime_to_us(t) for t in instants], dtype=np.int64)
    pairs = list(zip(range(len(instants)), [*range(1, len(instants)), 0], strict=True))
    between = business_microseconds_between_many(spec, us[[i for i, _ in pairs]], us[[j for _, j in pairs]])
    amts = np.array(amounts[: len(instants)], dtype=np.int64)
    try:
        added = add_business_many(spec, us, amts).tolist() if spec.has_working_time else None
    except ValueError:
        added = None  # sparse random calendar without working time within the horizon
    for zone in INPUT_ZONES:
        tz = zone or ZoneInfo(spec.tz)
        local = [t.astimezone(tz) for t in instants]
        got = [business_microseconds_between(spec, local[i], local[j]) for i, j in pairs]
        assert got == between.tolist()
        assert [business_seconds_between(spec, local[i], local[j]) for i, j in pairs] == [x / 1e6 for x in got]
        for t, t_us in zip(local, us.tolist(), strict=True):
            expected = business_microseconds_between_many(spec, [t_us], [t_us + 1])[0] == 1
            assert is_business_time(spec, t) is bool(expected)
        if added is None:
            continue
        for t, x, want in zip(local, amts.tolist(), added, strict=True):
            result = add_business_microseconds(spec, t, x)
            assert result == us_to_datetime(want)
            assert result.tzinfo is UTC
            if x % 1_000_000 == 0:
                assert add_business_seconds(spec, t, x // 1_000_000) == result
        # amounts that end exactly on a segment boundary: forward lands on the segment's end,
        # backward on a segment's start (the extremal answers)
        t = local[0]
        day = timedelta(days=1)
        for _, e in working_segments(spec, t, t + day)[:3]:
            x = business_microseconds_between(spec, t, e)
            assert add_business_microseconds(spec, t, x) == e
            if x % 1_000_000 == 0:
                assert add_business_seconds(spec, t, x // 1_000_000) == e
        for s, _ in working_segments(spec, t - day, t)[-3:]:
            x = business_microseconds_between(spec, s, t)
            if x and s > t - day:  # a whole segment start, not the clipped window start
                assert add_business_microseconds(spec, t, -x) == s
                if x % 1_000_000 == 0:
                    assert add_business_seconds(spec, t, -(x // 1_000_000)) == s


def test_hot_block_edges_and_out_of_range_inputs() -> None:
    """Instants on and just outside the compiled block's window take the general path correctly."""
    spec = covered_spec({2026})
    sh = ZoneInfo("Asia/Shanghai")
    ws = datetime(2026, 1, 1, tzinfo=sh).astimezone(UTC)  # the block covers exactly [ws, we)
    we = datetime(2027, 1, 1, tzinfo=sh).astimezone(UTC)
    one = timedelta(microseconds=1)
    weekdays = sum(1 for d in range(365) if (date(2026, 1, 1) + timedelta(days=d)).weekday() < 5)
    total = weekdays * 8 * HOUR * 10**6
    clear_cache()
    for _ in range(2):  # cold (general path), then hot
        assert business_microseconds_between(spec, ws, we) == total
        assert business_microseconds_between(spec, we, ws) == -total
        assert business_microseconds_between(spec, we, we) == 0
        assert is_business_time(spec, ws) is False  # local midnight
        assert add_business_microseconds(spec, we, -total) == datetime(2026, 1, 1, 9, tzinfo=sh)
        assert add_business_microseconds(spec, ws, total) == datetime(2026, 12, 31, 17, tzinfo=sh)
        with pytest.raises(CalendarDataMissing, match="2025"):
            business_microseconds_between(spec, ws - one, we)
        with pytest.raises(CalendarDataMissing, match="2027"):
            business_microseconds_between(spec, ws, we + one)
        with pytest.raises(CalendarDataMissing, match="2027"):
            is_business_time(spec, we)  # the first instant of 2027 needs 2027's data
        with pytest.raises(CalendarDataMissing, match="2025"):
            is_business_time(spec, ws - one)
        with pytest.raises(CalendarDataMissing, match="2027"):
            add_business_microseconds(spec, ws, total + 1)
        for end in (we, we - one):  # we itself is outside the block: general path
            assert add_business_microseconds(spec, end, -total) == datetime(2026, 1, 1, 9, tzinfo=sh)
            with pytest.raises(CalendarDataMissing, match="2025"):
                add_business_microseconds(spec, end, -total - 1)
            with pytest.raises(CalendarDataMissing, match="2025"):
                add_business_seconds(spec, end, -total // 10**6 - 1)


def test_huge_amounts_and_bad_inputs() -> None:
    """Amounts beyond timedelta's range and non-datetime inputs give the documented errors."""
    spec = CalendarSpec("UTC", WEEKDAYS_9_17)
    a = utc(2026, 1, 5, 10)
    business_seconds_between(spec, a, a + timedelta(days=1))  # compile: the hot path is tried first
    for amount in (10**15, -(10**15)):
        with pytest.raises(ValueError, match="50 years"):
            add_business_seconds(spec, a, amount)
        with pytest.raises(ValueError, match="50 years"):
            add_business_microseconds(spec, a, amount * 10**6)
    for bad in ("2026-01-05T10:00:00Z", date(2026, 1, 5), 1_767_607_200, None):
        with pytest.raises(ValueError, match="aware"):
            business_seconds_between(spec, bad, a)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="aware"):
            business_microseconds_between(spec, a, bad)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="aware"):
            add_business_seconds(spec, bad, 60)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="aware"):
            is_business_time(spec, bad)  # type: ignore[arg-type]
    for amount in (True, 1.5, "60"):
        with pytest.raises(ValueError, match="microseconds must be an int"):
            add_business_microseconds(spec, a, amount)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="not a bool"):
        add_business_seconds(spec, a, True)
    with pytest.raises(TypeError, match="CalendarSpec"):
        business_seconds_between("spec", a, a + timedelta(hours=1))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="CalendarSpec"):
        add_business_seconds(None, a, 60)  # type: ignore[arg-type]
    # numpy integers are accepted as amounts
    assert add_business_microseconds(spec, a, np.int64(HOUR * 10**6)) == a + timedelta(hours=1)
    assert add_business_seconds(spec, a, np.int32(HOUR)) == a + timedelta(hours=1)


class _SubclassedDatetime(datetime):
    """A datetime subclass (like pandas.Timestamp or freezegun's): takes the integer path."""


def test_datetime_subclasses_give_the_same_answers() -> None:
    """Subclass instances are converted to integer µs, never mixed into datetime arithmetic."""
    spec = CalendarSpec("UTC", WEEKDAYS_9_17)
    a, b = utc(2026, 1, 5, 10, 30), utc(2026, 1, 7, 12)
    sub_a = _SubclassedDatetime(2026, 1, 5, 10, 30, tzinfo=UTC)
    sub_b = _SubclassedDatetime(2026, 1, 7, 12, tzinfo=UTC)
    assert business_microseconds_between(spec, sub_a, sub_b) == business_microseconds_between(spec, a, b)
    assert business_seconds_between(spec, sub_a, b) == business_seconds_between(spec, a, b) == 17.5 * HOUR
    assert add_business_seconds(spec, sub_a, 7 * HOUR) == utc(2026, 1, 6, 9, 30)
    assert type(add_business_microseconds(spec, sub_a, 10**6)) is datetime
    assert is_business_time(spec, sub_a) is True


@PROPERTY_SETTINGS
@given(seconds=st.floats(allow_nan=False, allow_infinity=False, min_value=-1e7, max_value=1e7))
def test_float_seconds_round_half_even_exactly(seconds: float) -> None:
    """add_business_seconds() rounds the exact binary value of a float half-even to 1 µs."""
    spec = CalendarSpec("UTC", (FULL_DAY,) * 7)
    a = utc(2026, 1, 1)
    expected = round(Fraction(seconds) * 10**6)  # Fraction rounding is exact and half-even
    assert add_business_seconds(spec, a, seconds) == a + timedelta(microseconds=expected)
    assert add_business_seconds(spec, a, seconds + 0.0) == add_business_microseconds(spec, a, expected)


# ------------------------------------------------------------------------------------------
# Hand-computed DST examples
# ------------------------------------------------------------------------------------------


def test_london_24x7_days_are_23_and_25_hours() -> None:
    """A 24x7 calendar counts real elapsed time over DST days."""
    london = ZoneInfo("Europe/London")
    spec = CalendarSpec("Europe/London", (FULL_DAY,) * 7)
    spring = business_seconds_between(spec, datetime(2026, 3, 29, tzinfo=london), datetime(2026, 3, 30, tzinfo=london))
    autumn = business_seconds_between(
        spec, datetime(2026, 10, 25, tzinfo=london), datetime(2026, 10, 26, tzinfo=london)
    )
    assert (spring, autumn) == (23 * HOUR, 25 * HOUR)
    # one merged segment across midnights and the year boundary
    assert working_segments(spec, utc(2025, 12, 30), utc(2026, 1, 3)) == [(utc(2025, 12, 30), utc(2026, 1, 3))]


def test_new_york_gap_and_repeated_hour() -> None:
    """02:00-03:00 does not exist on spring-forward day; 01:00-02:00 happens twice in autumn."""
    spec = CalendarSpec("America/New_York", (((60, 180),),) * 7)
    # 2026-03-08: 01:00-02:00 EST exists, 02:00-03:00 is skipped -> 1 hour
    assert business_seconds_between(spec, utc(2026, 3, 8), utc(2026, 3, 9)) == HOUR
    assert working_segments(spec, utc(2026, 3, 8), utc(2026, 3, 9)) == [(utc(2026, 3, 8, 6), utc(2026, 3, 8, 7))]
    # 2025-11-02: 01:00-02:00 twice (EDT then EST), 02:00-03:00 EST once -> 3 hours, contiguous
    assert business_seconds_between(spec, utc(2025, 11, 2), utc(2025, 11, 3)) == 3 * HOUR
    assert working_segments(spec, utc(2025, 11, 2), utc(2025, 11, 3)) == [(utc(2025, 11, 2, 5), utc(2025, 11, 2, 8))]
    # add across the gap: 01:30 EST + 1h = 03:30 EDT (wall clock jumps 02:00 -> 03:00)
    ny = ZoneInfo("America/New_York")
    spec2 = CalendarSpec("America/New_York", (FULL_DAY,) * 7)
    got = add_business_seconds(spec2, datetime(2026, 3, 8, 1, 30, tzinfo=ny), HOUR)
    assert got.astimezone(ny) == datetime(2026, 3, 8, 3, 30, tzinfo=ny)


def test_lord_howe_half_hour_shift() -> None:
    """Lord Howe shifts by 30 minutes: 01:00-03:00 is 1.5 h in spring and 2.5 h in autumn."""
    spec = CalendarSpec("Australia/Lord_Howe", (((60, 180),),) * 7)
    lh = ZoneInfo("Australia/Lord_Howe")
    day = timedelta(days=1)
    spring = datetime(2025, 10, 5, tzinfo=lh)  # 02:00 -> 02:30
    autumn = datetime(2026, 4, 5, tzinfo=lh)  # 02:00 -> 01:30
    assert business_seconds_between(spec, spring, spring + day) == 1.5 * HOUR
    assert business_seconds_between(spec, autumn, autumn + day) == 2.5 * HOUR


def test_samoa_skipped_day_and_midnight_transition() -> None:
    """Local dates that do not exist hold no business time; midnight DST shifts are exact."""
    apia = ZoneInfo("Pacific/Apia")
    spec = CalendarSpec("Pacific/Apia", (FULL_DAY,) * 7, overrides={date(2011, 12, 30): NINE_TO_FIVE})
    a, b = datetime(2011, 12, 29, tzinfo=apia), datetime(2011, 12, 31, tzinfo=apia)
    assert b - a == timedelta(days=2)  # wall-clock difference; the real one is 24 h
    assert business_seconds_between(spec, a, b) == 24 * HOUR
    # Havana springs forward at 00:00 -> 01:00: the 2026-03-08 local day has 23 hours
    havana = ZoneInfo("America/Havana")
    spec = CalendarSpec("America/Havana", (((0, 120),),) * 7)
    day = datetime(2026, 3, 8, 1, tzinfo=havana)  # the first instant of the local day
    assert business_seconds_between(spec, day, day + timedelta(hours=23)) == HOUR


@pytest.mark.parametrize("input_zone", ["Asia/Shanghai", "UTC"])
def test_shanghai_lunch_break_and_weekend(input_zone: str) -> None:
    """Fixed-offset zone, lunch break, weekend skipping, segment-end semantics of add.

    Inputs given in UTC take the datetime fast path, inputs in Asia/Shanghai the integer one.
    """
    sh = ZoneInfo("Asia/Shanghai")

    def at(*args: int) -> datetime:
        return datetime(*args, tzinfo=sh).astimezone(ZoneInfo(input_zone))

    w = ((480, 720), (810, 1050))
    spec = CalendarSpec("Asia/Shanghai", (w,) * 5 + ((), ()))
    business_seconds_between(spec, at(2026, 9, 1), at(2026, 9, 2))  # compile: later calls are hot
    fri = at(2026, 9, 11, 16, 30)
    assert add_business_seconds(spec, fri, HOUR) == datetime(2026, 9, 11, 17, 30, tzinfo=sh)
    assert add_business_microseconds(spec, fri, HOUR * 10**6) == datetime(2026, 9, 11, 17, 30, tzinfo=sh)
    assert add_business_seconds(spec, fri, HOUR + 1) == datetime(2026, 9, 14, 8, 0, 1, tzinfo=sh)
    # 1 h on Friday + the whole Monday morning: lands on the morning's end, not after lunch
    assert add_business_seconds(spec, fri, 5 * HOUR) == datetime(2026, 9, 14, 12, tzinfo=sh)
    assert add_business_microseconds(spec, fri, 5 * HOUR * 10**6) == datetime(2026, 9, 14, 12, tzinfo=sh)
    assert add_business_seconds(spec, fri, 5 * HOUR + 1) == datetime(2026, 9, 14, 13, 30, 1, tzinfo=sh)
    # backwards from Monday 08:00 by 1h lands on Friday 16:30; by 0 stays put
    mon = at(2026, 9, 14, 8)
    assert add_business_seconds(spec, mon, -HOUR) == fri
    assert add_business_seconds(spec, mon, 0) == mon
    assert add_business_microseconds(spec, mon, 0) == mon
    # backwards by exactly Friday afternoon lands on the segment start, not the lunch start
    assert add_business_seconds(spec, mon, -4 * HOUR) == datetime(2026, 9, 11, 13, 30, tzinfo=sh)
    assert add_business_microseconds(spec, mon, -4 * HOUR * 10**6) == datetime(2026, 9, 11, 13, 30, tzinfo=sh)
    assert next_business_instant(spec, at(2026, 9, 12, 10)) == mon
    assert business_seconds_between(spec, fri, mon) == HOUR
    assert business_microseconds_between(spec, mon, fri) == -HOUR * 10**6
    assert is_business_time(spec, at(2026, 9, 11, 12)) is False  # lunch
    assert is_business_time(spec, at(2026, 9, 11, 11, 59, 59)) is True
    assert is_business_time(spec, at(2026, 9, 11, 13, 30)) is True


def test_fractional_and_decimal_seconds() -> None:
    """Seconds amounts are rounded to whole microseconds exactly."""
    from decimal import Decimal

    spec = CalendarSpec("UTC", (FULL_DAY,) * 7)
    a = utc(2026, 1, 1)
    assert add_business_seconds(spec, a, 0.1) == a + timedelta(microseconds=100_000)
    assert add_business_seconds(spec, a, Decimal("1.0000015")) == a + timedelta(microseconds=1_000_002)
    # 1/128 s and 3/128 s are exactly 7812.5 and 23437.5 µs: halves round to even
    assert add_business_seconds(spec, a, 1 / 128) == a + timedelta(microseconds=7812)
    assert add_business_seconds(spec, a, 3 / 128) == a + timedelta(microseconds=23438)
    assert add_business_seconds(spec, a + timedelta(days=1), -1 / 128) == a + timedelta(days=1, microseconds=-7812)
    # 2.5e-06 is slightly above 2.5 µs as a binary float, so it rounds up
    assert add_business_seconds(spec, a, 2.5e-6) == a + timedelta(microseconds=3)
    with pytest.raises(ValueError):
        add_business_seconds(spec, a, float("nan"))


# ------------------------------------------------------------------------------------------
# Coverage, guards, validation, caching
# ------------------------------------------------------------------------------------------


def covered_spec(years: set[int]) -> CalendarSpec:
    """Mon-Fri 9-17 in Shanghai with holiday data only for `years`."""
    return CalendarSpec("Asia/Shanghai", WEEKDAYS_9_17, covered_years=frozenset(years), name="X")


def test_uncovered_year_raises_calendar_data_missing() -> None:
    """Any computation touching a local date of an uncovered year raises, never guesses."""
    spec = covered_spec({2026})
    sh = ZoneInfo("Asia/Shanghai")
    dec31 = datetime(2026, 12, 31, 16, tzinfo=sh)
    assert business_seconds_between(spec, dec31, datetime(2027, 1, 1, tzinfo=sh)) == HOUR
    # adding exactly what is left in 2026 does not need 2027
    assert add_business_seconds(spec, dec31, HOUR) == datetime(2026, 12, 31, 17, tzinfo=sh)
    with pytest.raises(CalendarDataMissing) as exc:
        add_business_seconds(spec, dec31, HOUR + 1)
    assert exc.value.year == 2027
    assert "no holiday data for year 2027 on calendar X" in str(exc.value)
    assert "adjusted working days" in str(exc.value)
    with pytest.raises(CalendarDataMissing) as exc:
        business_seconds_between(spec, dec31, datetime(2027, 1, 1, 0, 0, 1, tzinfo=sh))
    assert exc.value.year == 2027
    with pytest.raises(CalendarDataMissing) as exc:
        is_business_time(spec, datetime(2025, 12, 31, 23, 59, tzinfo=sh))
    assert exc.value.year == 2025
    with pytest.raises(CalendarDataMissing) as exc:
        add_business_seconds(spec, datetime(2026, 1, 1, 10, tzinfo=sh), -2 * HOUR)
    assert exc.value.year == 2025
    with pytest.raises(CalendarDataMissing):
        next_business_instant(spec, datetime(2026, 12, 31, 18, tzinfo=sh))
    with pytest.raises(CalendarDataMissing):
        add_business_many(spec, np.array([datetime_to_us(dec31)]), np.array([HOUR * 10**6 + 1]))
    # the exception survives pickling (e.g. through a task queue)
    clone = pickle.loads(pickle.dumps(exc.value))  # noqa: S301 - our own object
    assert (clone.year, str(clone)) == (exc.value.year, str(exc.value))


def test_disjoint_covered_years_and_merging_blocks() -> None:
    """Separate compiled blocks for non-adjacent covered years; spanning the gap raises."""
    spec = covered_spec({2024, 2026})
    assert business_seconds_between(spec, utc(2026, 3, 2), utc(2026, 3, 3)) == 8 * HOUR
    assert business_seconds_between(spec, utc(2024, 3, 4), utc(2024, 3, 5)) == 8 * HOUR
    with pytest.raises(CalendarDataMissing) as exc:
        business_seconds_between(spec, utc(2024, 3, 4), utc(2026, 3, 3))
    assert exc.value.year == 2025
    # uncovered calendar: far-apart queries are merged or kept apart, results stay right
    free = CalendarSpec("Europe/London", WEEKDAYS_9_17)
    for y in (2026, 1990, 2150, 2001, 2026):
        assert business_seconds_between(
            free, datetime(y, 6, 1, tzinfo=UTC), datetime(y, 6, 30, tzinfo=UTC)
        ) == business_seconds_between(
            CalendarSpec("Europe/London", WEEKDAYS_9_17, name=f"fresh{y}"),
            datetime(y, 6, 1, tzinfo=UTC),
            datetime(y, 6, 30, tzinfo=UTC),
        )
    with pytest.raises(ValueError, match="spans"):
        business_seconds_between(free, utc(1800, 1, 1), utc(2100, 1, 1))


def test_no_working_time_and_horizon_guards() -> None:
    """Adding on a calendar without working time fails fast instead of looping."""
    empty = CalendarSpec("UTC", ((),) * 7)
    assert business_seconds_between(empty, utc(2026, 1, 1), utc(2026, 2, 1)) == 0
    with pytest.raises(ValueError, match="calendar has no working time"):
        add_business_seconds(empty, utc(2026, 1, 1), 1)
    with pytest.raises(ValueError, match="calendar has no working time"):
        add_business_many(empty, np.array([0]), np.array([1]))
    with pytest.raises(ValueError, match="calendar has no working time"):
        next_business_instant(empty, utc(2026, 1, 1))
    assert add_business_seconds(empty, utc(2026, 1, 1), 0) == utc(2026, 1, 1)
    # working time exists only on one day in 2020: searching forward from 2026 gives up
    sparse = CalendarSpec("UTC", ((),) * 7, overrides={date(2020, 5, 5): NINE_TO_FIVE})
    with pytest.raises(ValueError, match="50 years"):
        add_business_seconds(sparse, utc(2026, 1, 1), 1)
    assert add_business_seconds(sparse, utc(2026, 1, 1), -HOUR) == utc(2020, 5, 5, 16)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"weekly": (NINE_TO_FIVE,) * 6}, "7 entries"),
        ({"weekly": (((600, 500),),) * 7}, "0 <= start < end <= 1440"),
        ({"weekly": (((0, 1441),),) * 7}, "0 <= start < end <= 1440"),
        ({"weekly": (((0, 600), (500, 700)),) * 7}, "non-overlapping"),
        ({"weekly": (((600, 700), (0, 100)),) * 7}, "sorted"),
        ({"weekly": (((0.5, 100),),) * 7}, "int minutes"),
        ({"tz": "Mars/Olympus"}, "unknown time zone"),
        ({"overrides": {utc(2026, 1, 1): ()}}, "datetime.date"),
        ({"overrides": {date(2026, 1, 1): ((100, 50),)}}, "overrides"),
        ({"covered_years": {"2026"}}, "int years"),
    ],
)
def test_spec_validation(kwargs: dict, message: str) -> None:
    """Invalid specs are rejected with a clear ValueError."""
    base = {"tz": "UTC", "weekly": WEEKDAYS_9_17}
    with pytest.raises(ValueError, match=message):
        CalendarSpec(**{**base, **kwargs})


def test_naive_datetimes_rejected() -> None:
    """Naive datetimes are never interpreted."""
    spec = CalendarSpec("UTC", WEEKDAYS_9_17)
    naive = datetime(2026, 1, 5, 10)  # noqa: DTZ001 - deliberately naive
    with pytest.raises(ValueError, match="aware"):
        business_seconds_between(spec, naive, utc(2026, 1, 6))
    with pytest.raises(ValueError, match="aware"):
        add_business_seconds(spec, naive, 10)


def test_spec_normalisation_hash_pickle_and_shared_cache() -> None:
    """Mappings/lists are normalised; equal specs are equal, hashable, picklable."""
    a = CalendarSpec(
        "UTC",
        [[[540, 1020]]] * 5 + [[], []],  # type: ignore[arg-type]
        overrides={date(2026, 1, 2): (), date(2026, 1, 1): []},
        covered_years={2026},
    )
    b = CalendarSpec(
        "UTC",
        WEEKDAYS_9_17,
        overrides=((date(2026, 1, 1), ()), (date(2026, 1, 2), ())),
        covered_years=frozenset({2026}),
    )
    assert a == b and hash(a) == hash(b)
    assert a.weekly == WEEKDAYS_9_17
    assert a.overrides == ((date(2026, 1, 1), ()), (date(2026, 1, 2), ()))
    assert a.intervals_for(date(2026, 1, 1)) == ()
    assert a.intervals_for(date(2026, 1, 5)) == NINE_TO_FIVE
    clone = pickle.loads(pickle.dumps(a))  # noqa: S301 - our own object
    assert clone == a and hash(clone) == hash(a)
    business_seconds_between(a, utc(2026, 1, 5), utc(2026, 1, 6))
    assert b.__dict__.get("_bt_cache") is None
    business_seconds_between(b, utc(2026, 1, 5), utc(2026, 1, 6))
    assert b.__dict__["_bt_cache"] is a.__dict__["_bt_cache"]  # compiled once, shared
    clear_cache()
    assert business_seconds_between(a, utc(2026, 1, 5), utc(2026, 1, 6)) == 8 * HOUR


def test_clear_cache_reaches_caches_memoised_on_specs() -> None:
    """clear_cache() empties every compiled calendar, also after earlier clears (cold starts)."""
    spec = CalendarSpec("UTC", WEEKDAYS_9_17, name="clear")
    for _ in range(3):
        assert business_seconds_between(spec, utc(2026, 1, 5), utc(2026, 1, 6)) == 8 * HOUR
        cache = spec.__dict__["_bt_cache"]
        assert cache.blocks
        clear_cache()
        assert not cache.blocks
        assert not cache._chunks


def test_batch_validation_and_broadcast() -> None:
    """Batch functions refuse float microseconds and broadcast scalars."""
    spec = CalendarSpec("UTC", WEEKDAYS_9_17)
    base = datetime_to_us(utc(2026, 1, 5, 9))
    with pytest.raises(ValueError, match="integer microseconds"):
        business_microseconds_between_many(spec, np.array([1.5]), np.array([2]))
    ends = np.array([base + HOUR * 10**6, base + 10 * HOUR * 10**6])
    assert business_microseconds_between_many(spec, base, ends).tolist() == [
        HOUR * 10**6,
        8 * HOUR * 10**6,
    ]
    assert business_microseconds_between_many(spec, np.array([], dtype=np.int64), []).size == 0
    assert add_business_many(spec, np.array([base]), np.array([0])).tolist() == [base]
