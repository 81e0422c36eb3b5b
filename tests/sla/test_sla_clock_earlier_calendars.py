"""The clock engine measures every instant on the calendar in force at that instant (docs/adr/0015)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oversight.businesstime.engine import CalendarSpec
from oversight.sla.clock_engine import ClockInput, compute_clock

UTC = dt.UTC
ALL_DAY = tuple(((0, 1440),) for _ in range(7))
T0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # a Monday
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)

ROUND_THE_CLOCK = CalendarSpec(tz="UTC", weekly=ALL_DAY)
MONDAY_OFF = CalendarSpec(tz="UTC", weekly=ALL_DAY, overrides={dt.date(2026, 11, 2): ()})
TUESDAY_OFF = CalendarSpec(tz="UTC", weekly=ALL_DAY, overrides={dt.date(2026, 11, 3): ()})


def run(calendar, transitions, now, earlier=(), target_hours=16):
    return compute_clock(
        ClockInput(
            started_at=T0,
            target_seconds=target_hours * 3600,
            warning_ratio=0.75,
            calendar=calendar,
            transitions=tuple(transitions),
            earlier_calendars=tuple(earlier),
        ),
        now,
    )


def test_time_counted_before_an_edit_keeps_the_calendar_it_was_counted_on():
    # Two hours worked on Monday; on Thursday Monday is made a holiday and the work order is reopened.
    transitions = [(T0 + 2 * HOUR, "stopped"), (T0 + 3 * DAY, "running")]
    edited = T0 + 3 * DAY - HOUR
    kept = run(MONDAY_OFF, transitions, T0 + 3 * DAY, earlier=[(edited, ROUND_THE_CLOCK)])
    assert kept.elapsed_seconds == 7200
    # Without the earlier state the whole timeline is measured on today's calendar: the two hours vanish.
    assert run(MONDAY_OFF, transitions, T0 + 3 * DAY).elapsed_seconds == 0


def test_an_edit_applies_from_when_it_is_made():
    # At 10:00 on Monday, Tuesday becomes a holiday: the 16 h deadline (Tuesday 01:00) moves past it.
    now = T0 + HOUR
    before = run(ROUND_THE_CLOCK, [], now)
    after = run(TUESDAY_OFF, [], now, earlier=[(now, ROUND_THE_CLOCK)])
    assert before.due_at == T0 + 16 * HOUR
    assert after.due_at == T0 + 16 * HOUR + DAY
    assert after.elapsed_seconds == before.elapsed_seconds == 3600


def test_a_deadline_reached_inside_an_earlier_state_is_found_there():
    # Counted on Monday under the old calendar beyond the target: the breach instant is on Monday.
    transitions = [(T0 + 20 * HOUR, "stopped")]
    result = run(MONDAY_OFF, transitions, T0 + 2 * DAY, earlier=[(T0 + DAY, ROUND_THE_CLOCK)])
    assert result.state == "breached"
    assert result.breached_at == T0 + 16 * HOUR


def test_the_history_must_be_ordered_and_made_of_specs():
    with pytest.raises(ValueError):
        run(ROUND_THE_CLOCK, [], T0, earlier=[(T0 + DAY, ROUND_THE_CLOCK), (T0, ROUND_THE_CLOCK)])
    with pytest.raises(ValueError):
        run(ROUND_THE_CLOCK, [], T0, earlier=[(T0, "24x7")])


instants = st.integers(min_value=0, max_value=10 * 24 * 60).map(lambda m: T0 + dt.timedelta(minutes=m))


@settings(max_examples=60, deadline=None)
@given(
    changes=st.lists(st.tuples(instants, st.sampled_from(["running", "paused", "stopped"])), max_size=6),
    bounds=st.lists(instants, max_size=3),
    now=instants,
)
def test_earlier_states_equal_to_the_current_one_change_nothing(changes, bounds, now):
    transitions = sorted(changes, key=lambda change: change[0])
    plain = run(TUESDAY_OFF, transitions, now)
    split = run(TUESDAY_OFF, transitions, now, earlier=[(b, TUESDAY_OFF) for b in sorted(bounds)])
    assert split == plain
