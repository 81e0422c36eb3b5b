"""The change calendar's grid (pure): the days a month or week view shows and the local days an entry touches."""

from __future__ import annotations

import datetime as dt

from oversight.changes import calendar_grid

BEIJING = dt.timezone(dt.timedelta(hours=8))


def test_month_is_whole_weeks_monday_first():
    # February 2027: Monday 1 to Sunday 28, exactly four weeks.
    feb = calendar_grid.month_span(dt.date(2027, 2, 14))
    assert (feb.first, feb.last, len(feb.days)) == (dt.date(2027, 2, 1), dt.date(2027, 2, 28), 28)
    # January 2027 starts on a Friday and ends on a Sunday: Monday 28 December 2026 to Sunday 31 January.
    jan = calendar_grid.month_span(dt.date(2027, 1, 1))
    assert (jan.first, jan.last, len(jan.days)) == (dt.date(2026, 12, 28), dt.date(2027, 1, 31), 35)
    week = calendar_grid.week_span(dt.date(2027, 1, 13))  # a Wednesday
    assert (week.first, week.last) == (dt.date(2027, 1, 11), dt.date(2027, 1, 17))


def test_shift_moves_by_months_and_weeks():
    assert calendar_grid.shift(dt.date(2027, 1, 31), "month", 1) == dt.date(2027, 2, 1)
    assert calendar_grid.shift(dt.date(2027, 1, 15), "month", -1) == dt.date(2026, 12, 1)
    assert calendar_grid.shift(dt.date(2027, 1, 11), "week", -1) == dt.date(2027, 1, 4)


def test_entries_land_on_every_local_day_they_touch():
    span = calendar_grid.week_span(dt.date(2027, 1, 13))
    overnight = (dt.datetime(2027, 1, 16, 22, tzinfo=BEIJING), dt.datetime(2027, 1, 17, 6, tzinfo=BEIJING), "night")
    to_midnight = (dt.datetime(2027, 1, 12, 20, tzinfo=BEIJING), dt.datetime(2027, 1, 13, 0, tzinfo=BEIJING), "eve")
    # 23:00 UTC on the 10th is 07:00 on the 11th in Beijing: the Monday of the week, not the Sunday before.
    utc_evening = (dt.datetime(2027, 1, 10, 23, tzinfo=dt.UTC), dt.datetime(2027, 1, 11, 1, tzinfo=dt.UTC), "early")
    days = {d.date: d.entries for d in calendar_grid.place(span, [overnight, to_midnight, utc_evening], BEIJING)}
    assert days[dt.date(2027, 1, 16)] == ["night"] and days[dt.date(2027, 1, 17)] == ["night"]
    assert days[dt.date(2027, 1, 12)] == ["eve"] and days[dt.date(2027, 1, 13)] == []
    assert days[dt.date(2027, 1, 11)] == ["early"]
    since, until = span.bounds(BEIJING)
    assert (since, until) == (
        dt.datetime(2027, 1, 11, tzinfo=BEIJING),
        dt.datetime(2027, 1, 18, tzinfo=BEIJING),
    )
