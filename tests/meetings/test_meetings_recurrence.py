"""Meeting occurrences on China's 2026 calendar and due dates in working days, against dates worked out by hand
from the State Council's 2026 holiday notice (国庆 1–7 October with 10 October a working Saturday; 春节 15–23
February with 14 and 28 February working Saturdays; 中秋 25 September)."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.businesstime.china import china_calendar_spec
from oversight.businesstime.engine import CalendarDataMissing
from oversight.meetings import recurrence

SPEC = china_calendar_spec(years=[2026], cross_check=False)
D = dt.date


def _dates(rule, first, until, minute=600):
    return [
        (o.nominal, o.date)
        for o in recurrence.occurrences(spec=SPEC, rule=rule, first=first, until=until, start_minute=minute)
    ]


def test_weekly_monday_moves_past_national_day():
    got = _dates("FREQ=WEEKLY;BYDAY=MO", D(2026, 9, 21), D(2026, 10, 19))
    # 5 October is a holiday, so are the 6th and 7th: the meeting is held on Thursday 8 October.
    assert got == [
        (D(2026, 9, 21), D(2026, 9, 21)),
        (D(2026, 9, 28), D(2026, 9, 28)),
        (D(2026, 10, 5), D(2026, 10, 8)),
        (D(2026, 10, 12), D(2026, 10, 12)),
        (D(2026, 10, 19), D(2026, 10, 19)),
    ]


def test_moved_occurrence_landing_on_the_next_one_is_one_meeting():
    got = _dates("FREQ=WEEKLY;BYDAY=TH", D(2026, 9, 24), D(2026, 10, 15))
    # 1 October moves past the whole holiday to 8 October, which is the series' own next Thursday.
    assert got == [
        (D(2026, 9, 24), D(2026, 9, 24)),
        (D(2026, 10, 8), D(2026, 10, 8)),
        (D(2026, 10, 15), D(2026, 10, 15)),
    ]


def test_adjusted_working_saturday_keeps_the_meeting():
    got = _dates("FREQ=MONTHLY;BYMONTHDAY=14", D(2026, 1, 14), D(2026, 3, 31))
    # 14 February 2026 is a Saturday but a working day (调休); 14 March is an ordinary Saturday.
    assert got == [
        (D(2026, 1, 14), D(2026, 1, 14)),
        (D(2026, 2, 14), D(2026, 2, 14)),
        (D(2026, 3, 14), D(2026, 3, 16)),
    ]


def test_weekly_saturday_through_spring_festival():
    got = _dates("FREQ=WEEKLY;BYDAY=SA", D(2026, 2, 7), D(2026, 3, 7))
    assert got == [
        (D(2026, 2, 7), D(2026, 2, 9)),
        (D(2026, 2, 14), D(2026, 2, 14)),
        # 21 Feb Saturday, 22 Sunday, 23 Monday still 春节: Tuesday 24.
        (D(2026, 2, 21), D(2026, 2, 24)),
        (D(2026, 2, 28), D(2026, 2, 28)),
        (D(2026, 3, 7), D(2026, 3, 9)),
    ]


def test_start_is_the_local_time_in_utc():
    occurrence = recurrence.occurrences(
        spec=SPEC, rule="FREQ=WEEKLY;BYDAY=MO", first=D(2026, 10, 5), until=D(2026, 10, 5), start_minute=9 * 60 + 30
    )[0]
    assert occurrence.moved
    assert occurrence.start == dt.datetime(2026, 10, 8, 1, 30, tzinfo=dt.UTC)  # 09:30 in Shanghai (UTC+8)


def test_last_date_ends_the_series():
    got = _dates("FREQ=WEEKLY;BYDAY=MO", D(2026, 9, 21), D(2026, 12, 31))
    assert len(got) == 15
    ended = recurrence.occurrences(
        spec=SPEC,
        rule="FREQ=WEEKLY;BYDAY=MO",
        first=D(2026, 9, 21),
        until=D(2026, 12, 31),
        start_minute=0,
        last=D(2026, 9, 28),
    )
    assert [o.date for o in ended] == [D(2026, 9, 21), D(2026, 9, 28)]


def test_year_without_holiday_data_is_refused():
    with pytest.raises(CalendarDataMissing):
        _dates("FREQ=WEEKLY;BYDAY=MO", D(2026, 12, 21), D(2027, 1, 11))


def test_bad_rule_is_refused():
    with pytest.raises(recurrence.RecurrenceError):
        recurrence.check_rule("EVERY MONDAY")
    with pytest.raises(recurrence.RecurrenceError):
        recurrence.check_rule("FREQ=SOMETIMES")


def test_working_days_after_national_day():
    # From Wednesday 30 September: 8 Oct (1), 9 Oct (2), Saturday 10 Oct is a working day (3).
    assert recurrence.add_working_days(SPEC, D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert recurrence.add_working_days(SPEC, D(2026, 9, 30), 3) == D(2026, 10, 10)
    # Zero days: the day itself when it is a working day, else the next one.
    assert recurrence.add_working_days(SPEC, D(2026, 9, 30), 0) == D(2026, 9, 30)
    assert recurrence.add_working_days(SPEC, D(2026, 10, 3), 0) == D(2026, 10, 8)


def test_working_days_through_spring_festival():
    # From Thursday 12 February: Friday 13 (1), working Saturday 14 (2), then nothing until Tuesday 24 (3).
    assert recurrence.add_working_days(SPEC, D(2026, 2, 12), 3) == D(2026, 2, 24)


def test_end_of_day_in_shanghai():
    assert recurrence.end_of_day(D(2026, 10, 10), "Asia/Shanghai") == dt.datetime(2026, 10, 10, 16, 0, tzinfo=dt.UTC)
