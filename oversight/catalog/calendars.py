"""Turning a stored BusinessCalendar into the pure engine's CalendarSpec (cached per revision)."""

from __future__ import annotations

import threading

from oversight.businesstime.engine import CalendarSpec
from oversight.catalog.choices import HolidaySource
from oversight.catalog.models import BusinessCalendar

_cache: dict[tuple[int, str], CalendarSpec] = {}
_lock = threading.Lock()


def calendar_spec(calendar: BusinessCalendar) -> CalendarSpec:
    """The engine spec for a calendar: weekly hours, date overrides and the years whose data is known."""
    key = (calendar.pk, str(calendar.revision_token))
    spec = _cache.get(key)
    if spec is not None:
        return spec
    weekly: list[list[tuple[int, int]]] = [[] for _ in range(7)]
    for weekday, start, end in calendar.intervals.values_list("weekday", "start_minute", "end_minute"):
        weekly[weekday].append((start, end))
    # An adjusted working day (调休) without explicit hours works the calendar's Monday hours.
    standard_day = tuple(sorted(weekly[0])) or next((tuple(sorted(d)) for d in weekly if d), ())
    overrides = {}
    for date, is_working, intervals in calendar.days.values_list("date", "is_working", "intervals"):
        if is_working:
            overrides[date] = tuple(tuple(i) for i in intervals) or standard_day
        else:
            overrides[date] = ()
    covered = (
        None
        if calendar.holiday_source == HolidaySource.NONE
        else frozenset(calendar.years.values_list("year", flat=True))
    )
    spec = CalendarSpec(
        tz=calendar.time_zone,
        weekly=tuple(tuple(sorted(d)) for d in weekly),
        overrides=overrides,
        covered_years=covered,
        name=calendar.name,
    )
    with _lock:
        _cache[key] = spec
    return spec
