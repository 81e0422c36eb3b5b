"""Tests of oversight.sla.clock_engine: hand-computed timelines and a minute-stepping oracle."""

from __future__ import annotations

import functools
import os
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oversight.businesstime.engine import CalendarDataMissing, CalendarSpec
from oversight.sla.clock_engine import ClockInput, ClockResult, Segment, compute_clock

SH = ZoneInfo("Asia/Shanghai")
HOUR = 3600
MIN = timedelta(minutes=1)
OFFICE = ((480, 720), (810, 1050))  # 08:00-12:00, 13:30-17:30
SHANGHAI = CalendarSpec(
    "Asia/Shanghai",
    (OFFICE,) * 5 + ((), ()),
    overrides={date(2026, 10, 1): (), date(2026, 9, 20): OFFICE},
    covered_years=frozenset({2026}),
    name="test-cn",
)


def sh(*args: int) -> datetime:
    """Aware Asia/Shanghai datetime shorthand."""
    return datetime(*args, tzinfo=SH)


def clock(
    start: datetime,
    target_hours: float,
    transitions: list[tuple[datetime, str]] = (),  # type: ignore[assignment]
    ratio: float | Decimal = 0.75,
    calendar: CalendarSpec = SHANGHAI,
) -> ClockInput:
    """Build a ClockInput on the Shanghai office calendar."""
    return ClockInput(start, round(target_hours * HOUR), ratio, calendar, tuple(transitions))


# Monday 2026-09-14 is an ordinary working day.


def test_running_clock_projects_due_and_warning() -> None:
    """Running: elapsed up to now, due/warning projected across the lunch break."""
    r = compute_clock(clock(sh(2026, 9, 14, 9), 4), now=sh(2026, 9, 14, 10))
    assert r.state == "running"
    assert r.elapsed_seconds == HOUR
    assert r.remaining_seconds == 3 * HOUR
    assert r.due_at == sh(2026, 9, 14, 14, 30)  # 09:00 + 3h before lunch = 12:00, +1h after
    assert r.warning_at == sh(2026, 9, 14, 12)  # 3h reached exactly at the morning's end
    assert r.breached_at is None and r.stopped_at is None
    assert r.segments == (Segment(sh(2026, 9, 14, 9), None, "counted", HOUR),)


def test_pause_and_resume() -> None:
    """Paused business time is not counted but reported; the deadline moves."""
    r = compute_clock(
        clock(
            sh(2026, 9, 14, 9),
            4,
            [(sh(2026, 9, 14, 10), "paused"), (sh(2026, 9, 14, 14), "running")],
        ),
        now=sh(2026, 9, 14, 15),
    )
    assert r.state == "running"
    assert r.elapsed_seconds == 2 * HOUR
    assert r.paused_seconds == 2.5 * HOUR  # 10:00-12:00 and 13:30-14:00
    assert r.due_at == sh(2026, 9, 14, 17)
    assert r.warning_at == sh(2026, 9, 14, 16)
    assert [s.kind for s in r.segments] == ["counted", "paused", "counted"]
    assert r.segments[1] == Segment(sh(2026, 9, 14, 10), sh(2026, 9, 14, 14), "paused", 2.5 * HOUR)
    assert r.segments[-1].end is None


def test_paused_at_now_has_no_due_at() -> None:
    """While paused the deadline is unknown; the remaining time is kept."""
    r = compute_clock(
        clock(sh(2026, 9, 14, 9), 4, [(sh(2026, 9, 14, 10), "paused")]),
        now=sh(2026, 9, 15, 10),
    )
    assert r.state == "paused"
    assert (r.due_at, r.warning_at, r.breached_at) == (None, None, None)
    assert r.remaining_seconds == 3 * HOUR
    assert r.paused_seconds == 2 * HOUR + 4 * HOUR + 2 * HOUR  # rest of Mon + Tue 08-10


def test_paused_after_warning_keeps_past_warning_instant() -> None:
    """An instant already reached before the pause is a fact and stays reported."""
    r = compute_clock(
        clock(sh(2026, 9, 14, 9), 4, [(sh(2026, 9, 14, 14), "paused")]),
        now=sh(2026, 9, 14, 17),
    )
    assert r.state == "paused"
    assert r.elapsed_seconds == 3.5 * HOUR
    assert r.warning_at == sh(2026, 9, 14, 12)
    assert r.due_at is None


def test_breach_while_running_exact_instant() -> None:
    """Breached as soon as elapsed exceeds the target; breached_at is exact to the µs."""
    start = sh(2026, 9, 14, 11, 59, 59, 999_999)
    r = compute_clock(clock(start, 1 / 3600), now=sh(2026, 9, 14, 14))
    assert r.state == "breached"
    # 1 µs before lunch, 999,999 µs after it
    assert r.breached_at == r.due_at == sh(2026, 9, 14, 13, 30, 0, 999_999)
    assert r.elapsed_seconds == 1800.000001  # 1 µs + 13:30-14:00
    assert r.remaining_seconds == 1 - 1800.000001


def test_stop_on_time_late_and_exactly_at_due() -> None:
    """Stopped: met if elapsed <= target (equal counts as met), breached otherwise."""
    start = sh(2026, 9, 14, 9)
    on_time = compute_clock(clock(start, 2, [(sh(2026, 9, 14, 10), "stopped")]), sh(2026, 9, 20))
    assert on_time.state == "met"
    assert on_time.stopped_at == sh(2026, 9, 14, 10)
    assert on_time.due_at == sh(2026, 9, 14, 11)  # would have been due
    assert on_time.elapsed_seconds == HOUR
    exactly = compute_clock(clock(start, 2, [(sh(2026, 9, 14, 11), "stopped")]), sh(2026, 9, 20))
    assert (exactly.state, exactly.breached_at) == ("met", None)
    late = compute_clock(clock(start, 2, [(sh(2026, 9, 14, 15), "stopped")]), sh(2026, 9, 20))
    assert late.state == "breached"
    assert late.breached_at == late.due_at == sh(2026, 9, 14, 11)
    assert late.stopped_at == sh(2026, 9, 14, 15)
    assert late.elapsed_seconds == 4.5 * HOUR


def test_stop_in_non_working_time_after_due_at_end_of_day_is_met() -> None:
    """Elapsed equal to the target at 17:30, stopped at 19:00: no business time was exceeded."""
    r = compute_clock(clock(sh(2026, 9, 14, 8, 30), 7.5, [(sh(2026, 9, 14, 19), "stopped")]), sh(2026, 9, 15))
    assert (r.state, r.due_at, r.elapsed_seconds) == ("met", sh(2026, 9, 14, 17, 30), 7.5 * HOUR)


def test_reopen_after_stop_resumes_clock() -> None:
    """A running transition after a stop resumes counting from the previous elapsed."""
    r = compute_clock(
        clock(
            sh(2026, 9, 14, 9),
            2,
            [(sh(2026, 9, 14, 9, 30), "stopped"), (sh(2026, 9, 14, 14), "running")],
        ),
        now=sh(2026, 9, 14, 15),
    )
    assert r.state == "running"
    assert r.elapsed_seconds == 1.5 * HOUR
    assert r.stopped_at is None
    assert r.due_at == sh(2026, 9, 14, 15, 30)
    assert [s.kind for s in r.segments] == ["counted", "stopped", "counted"]
    assert r.segments[1].business_seconds == 3 * HOUR  # 09:30-12:00 and 13:30-14:00
    # the reopened clock is then breached
    later = compute_clock(
        clock(
            sh(2026, 9, 14, 9),
            2,
            [(sh(2026, 9, 14, 9, 30), "stopped"), (sh(2026, 9, 14, 14), "running")],
        ),
        now=sh(2026, 9, 14, 16),
    )
    assert (later.state, later.breached_at) == ("breached", sh(2026, 9, 14, 15, 30))


def test_events_after_now_are_ignored() -> None:
    """Only the past counts."""
    transitions = [(sh(2026, 9, 14, 10), "paused"), (sh(2026, 9, 14, 11), "stopped")]
    r = compute_clock(clock(sh(2026, 9, 14, 9), 4, transitions), now=sh(2026, 9, 14, 9, 30))
    assert r.state == "running"
    assert r.elapsed_seconds == 1800
    assert r.due_at == sh(2026, 9, 14, 14, 30)
    at_pause = compute_clock(clock(sh(2026, 9, 14, 9), 4, transitions), now=sh(2026, 9, 14, 10))
    assert at_pause.state == "paused"  # a transition at exactly now applies


def test_zero_length_excursions_and_early_transitions() -> None:
    """Same-instant pause/resume does not split segments; pre-start transitions apply at start."""
    t = sh(2026, 9, 14, 10)
    r = compute_clock(
        clock(sh(2026, 9, 14, 9), 4, [(t, "paused"), (t, "running"), (t, "running")]),
        now=sh(2026, 9, 14, 11),
    )
    assert r.segments == (Segment(sh(2026, 9, 14, 9), None, "counted", 2 * HOUR),)
    held = compute_clock(clock(sh(2026, 9, 14, 9), 4, [(sh(2026, 9, 14, 8), "paused")]), now=sh(2026, 9, 14, 11))
    assert held.state == "paused"
    assert held.elapsed_seconds == 0
    assert held.segments[0].start == sh(2026, 9, 14, 9)


def test_weekend_adjusted_day_and_holiday() -> None:
    """Projection honours overrides: Sat off, Sun 09-20 working; Oct 1 off."""
    r = compute_clock(clock(sh(2026, 9, 18, 16, 30), 4), now=sh(2026, 9, 18, 17))
    assert r.due_at == sh(2026, 9, 20, 11)
    r2 = compute_clock(clock(sh(2026, 9, 30, 17), 1), now=sh(2026, 9, 30, 17))
    assert r2.due_at == sh(2026, 10, 2, 8, 30)  # Oct 1 is off in this test calendar


def test_target_zero_and_decimal_ratio() -> None:
    """Degenerate thresholds and exact Decimal ratios."""
    r = compute_clock(clock(sh(2026, 9, 14, 9), 0, ratio=0), now=sh(2026, 9, 14, 9, 0, 1))
    assert (r.state, r.due_at, r.warning_at) == ("breached", sh(2026, 9, 14, 9), sh(2026, 9, 14, 9))
    third = compute_clock(clock(sh(2026, 9, 14, 9), 1, ratio=Decimal(1) / 3), sh(2026, 9, 14, 9))
    assert third.warning_at == sh(2026, 9, 14, 9, 20)  # 1_200_000_000 µs (rounded)


def test_not_started_yet() -> None:
    """now before started_at: nothing counted, deadlines projected from the start."""
    r = compute_clock(clock(sh(2026, 9, 14, 9), 1), now=sh(2026, 9, 14, 8))
    assert (r.state, r.elapsed_seconds, r.segments) == ("running", 0.0, ())
    assert r.due_at == sh(2026, 9, 14, 10)


def test_projection_into_uncovered_year_raises() -> None:
    """No guessing: a deadline in a year without holiday data cannot be computed."""
    with pytest.raises(CalendarDataMissing) as exc:
        compute_clock(clock(sh(2026, 12, 31, 16), 4), now=sh(2026, 12, 31, 16, 30))
    assert exc.value.year == 2027


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"transitions": ((sh(2026, 9, 14, 11), "paused"), (sh(2026, 9, 14, 10), "running"))}, "ordered"),
        ({"transitions": ((sh(2026, 9, 14, 11), "closed"),)}, "state"),
        ({"transitions": ((datetime(2026, 9, 14, 11), "paused"),)}, "aware"),
        ({"target_seconds": -1}, ">= 0"),
        ({"target_seconds": 1.5}, "int"),
        ({"warning_ratio": 1.5}, r"\[0, 1\]"),
        ({"started_at": datetime(2026, 9, 14, 9)}, "aware"),
    ],
)
def test_input_validation(kwargs: dict, message: str) -> None:
    """Bad inputs fail loudly where the ClockInput is built."""
    base = {
        "started_at": sh(2026, 9, 14, 9),
        "target_seconds": HOUR,
        "warning_ratio": 0.75,
        "calendar": SHANGHAI,
        "transitions": (),
    }
    with pytest.raises(ValueError, match=message):
        ClockInput(**{**base, **kwargs})


# ------------------------------------------------------------------------------------------
# Property test against a minute-stepping oracle
# ------------------------------------------------------------------------------------------

CALENDARS = [
    (SHANGHAI, datetime(2026, 9, 14, 0, tzinfo=UTC)),
    (
        CalendarSpec("Europe/London", (((540, 1020),),) * 5 + ((), ())),
        datetime(2026, 3, 25, 0, tzinfo=UTC),
    ),
    (
        CalendarSpec("America/New_York", (((0, 1440),),) * 7, name="24x7"),
        datetime(2025, 10, 30, 0, tzinfo=UTC),
    ),
    (
        CalendarSpec(
            "Australia/Lord_Howe",
            (((60, 180), (540, 1020)),) * 6 + (((0, 1440),),),
            overrides={date(2026, 4, 6): ()},
        ),
        datetime(2026, 4, 1, 0, tzinfo=UTC),
    ),
]
WINDOW = 16 * 1440  # oracle horizon in minutes from the start


@functools.cache
def business_bits(cal_index: int, start_minute: int) -> tuple[bool, ...]:
    """Oracle business flags of WINDOW minutes from start_minute (epoch minutes)."""
    spec = CALENDARS[cal_index][0]
    zone = ZoneInfo(spec.tz)
    overrides = dict(spec.overrides)
    bits = []
    for i in range(WINDOW):
        local = datetime.fromtimestamp((start_minute + i) * 60, zone)
        intervals = overrides.get(local.date(), spec.weekly[local.weekday()])
        m = local.hour * 60 + local.minute
        bits.append(any(s <= m < e for s, e in intervals))
    return tuple(bits)


def oracle_clock(bits: tuple[bool, ...], target: int, warn: int, changes: list[tuple[int, str]], now: int) -> dict:
    """Minute-stepping model of the documented rules; all times in minutes from the start."""
    state_of = []
    state = "running"
    # changes are sorted by time; clamping keeps the order, equal times apply in list order
    pending = [(max(t, 0), s) for t, s in changes if t <= now]
    k = 0
    for m in range(now):
        while k < len(pending) and pending[k][0] <= m:
            state = pending[k][1]
            k += 1
        state_of.append(state)
    while k < len(pending):  # transitions at exactly `now`
        state = pending[k][1]
        k += 1
    elapsed = sum(1 for m in range(now) if state_of[m] == "running" and bits[m])
    paused = sum(1 for m in range(now) if state_of[m] == "paused" and bits[m])
    running_minutes = [m for m in range(now) if state_of[m] == "running"]
    resume = (running_minutes[-1] + 1) if running_minutes else 0

    def reach(threshold: int) -> int | None:
        if threshold == 0:
            return 0
        cum = 0
        for m in range(now):
            if state_of[m] == "running" and bits[m]:
                cum += 1
                if cum == threshold:
                    return m + 1
        if state == "paused":
            return None
        m = now if state == "running" else resume
        while True:
            if bits[m]:
                cum += 1
                if cum == threshold:
                    return m + 1
            m += 1

    stopped_at = None
    if state == "stopped":
        m = now
        while m > 0 and state_of[m - 1] == "stopped":
            m -= 1
        stopped_at = m
    due = reach(target)
    if elapsed > target:
        verdict = "breached"
    else:
        verdict = {"stopped": "met", "paused": "paused", "running": "running"}[state]
    return {
        "state": verdict,
        "elapsed": elapsed,
        "paused": paused,
        "due": due,
        "warn": reach(warn),
        "breached": due if elapsed > target else None,
        "stopped": stopped_at,
    }


@settings(
    max_examples=int(os.environ.get("SLA_CLOCK_EXAMPLES", "120")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    cal_index=st.integers(0, len(CALENDARS) - 1),
    start_offset=st.integers(0, 3 * 1440),
    target_quarters=st.integers(0, 450),  # target up to 30 h, a multiple of 4 minutes
    ratio_quarters=st.integers(0, 4),
    changes=st.lists(
        st.tuples(st.integers(-120, 5 * 1440), st.sampled_from(["running", "paused", "stopped"])),
        max_size=6,
    ),
    now=st.integers(0, 6 * 1440),
)
def test_compute_clock_matches_minute_oracle(
    cal_index: int,
    start_offset: int,
    target_quarters: int,
    ratio_quarters: int,
    changes: list[tuple[int, str]],
    now: int,
) -> None:
    """compute_clock agrees with the minute-stepping oracle on every field."""
    spec, base = CALENDARS[cal_index]
    # start on a 30-minute grid so the memoised oracle bitmaps are reused between examples
    start = base + (start_offset // 30 * 30) * MIN
    start_minute = int(start.timestamp()) // 60
    bits = business_bits(cal_index, start_minute)
    changes = sorted(changes, key=lambda c: c[0])
    target = target_quarters * 4
    warn = target * ratio_quarters // 4
    inp = ClockInput(
        started_at=start,
        target_seconds=target * 60,
        warning_ratio=Decimal(ratio_quarters) / 4,
        calendar=spec,
        transitions=tuple((start + t * MIN, s) for t, s in changes),
    )
    result: ClockResult = compute_clock(inp, start + now * MIN)
    expected = oracle_clock(bits, target, warn, changes, now)

    def at(minutes: int | None) -> datetime | None:
        return None if minutes is None else start + minutes * MIN

    assert result.state == expected["state"]
    assert result.elapsed_seconds == expected["elapsed"] * 60
    assert result.paused_seconds == expected["paused"] * 60
    assert result.remaining_seconds == (target - expected["elapsed"]) * 60
    assert result.due_at == at(expected["due"])
    assert result.warning_at == at(expected["warn"])
    assert result.breached_at == at(expected["breached"])
    assert result.stopped_at == at(expected["stopped"])
    # segments tile [start, now) without gaps, alternate kinds and add up
    segs = result.segments
    assert segs[0].start == start
    for prev, nxt in zip(segs, segs[1:]):
        assert prev.end == nxt.start and prev.kind != nxt.kind
    assert segs[-1].end is None
    assert sum(s.business_seconds for s in segs if s.kind == "counted") == result.elapsed_seconds
