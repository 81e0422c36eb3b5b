"""When a scheduled service report is due: the N-th working day of a month or quarter on a business calendar.

Pure (no Django): works on the business-time engine's ``CalendarSpec``. A local date is a working day when the
calendar gives it working hours (``spec.intervals_for(day)`` non-empty), so China's adjusted working days (调休,
e.g. Saturday 10 October 2026) count and public holidays do not. A date in a year the calendar has no holiday
data for raises ``CalendarDataMissing``: the sending day is never guessed.

Due rule: at local date D, a schedule of kind K sends the report of the period before the one containing D once
D is on or after the N-th working day of the period containing D. Before that day, the period two back is still
owed if it was missed (its own sending day has passed). Periods whose sending day came before the schedule was
switched on (``not_before``) are never sent by the schedule on its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from oversight.businesstime.engine import CalendarDataMissing, CalendarSpec
from oversight.core.periods import calendar_period

MONTHLY = "monthly"
QUARTERLY = "quarterly"
MIN_WORKING_DAY = 1
MAX_WORKING_DAY = 10
# No real calendar goes this long without a working day; a calendar that does has no hours at all.
SEARCH_DAYS = 366


class NoWorkingDay(ValueError):  # noqa: N818 - says what happened, like CalendarDataMissing
    """The calendar has no working day in the searched span (a calendar without any working hours)."""


@dataclass(frozen=True)
class DueReport:
    """A period whose report is owed: its first and last local dates and the day it became due."""

    first: dt.date
    last: dt.date
    send_on: dt.date


def _months(kind: str) -> int:
    if kind == MONTHLY:
        return 1
    if kind == QUARTERLY:
        return 3
    raise ValueError(f"unknown kind of period {kind!r}")


def period_bounds(kind: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """First and last date of the month or calendar quarter containing ``day``."""
    first, after = calendar_period(day, _months(kind))
    return first, after - dt.timedelta(days=1)


def previous_bounds(kind: str, first: dt.date) -> tuple[dt.date, dt.date]:
    """The month or quarter just before the one starting on ``first``."""
    return period_bounds(kind, first - dt.timedelta(days=1))


def is_working_day(spec: CalendarSpec, day: dt.date) -> bool:
    """Whether the calendar has working hours on a local date (raises CalendarDataMissing for unknown years)."""
    if spec.covered_years is not None and day.year not in spec.covered_years:
        raise CalendarDataMissing(day.year, spec.name)
    return bool(spec.intervals_for(day))


def nth_working_day(spec: CalendarSpec, first_day: dt.date, n: int) -> dt.date:
    """The ``n``-th working day counting from ``first_day`` itself (n = 1 is the first working day on or after it)."""
    if n < 1:
        raise ValueError("n must be 1 or more")
    day = first_day
    seen = 0
    for _ in range(SEARCH_DAYS):
        if is_working_day(spec, day):
            seen += 1
            if seen == n:
                return day
        day += dt.timedelta(days=1)
    raise NoWorkingDay(f"calendar {spec.name or '?'} has no working day in {SEARCH_DAYS} days from {first_day}")


def due_report(
    spec: CalendarSpec, kind: str, today: dt.date, n: int, not_before: dt.date | None = None
) -> DueReport | None:
    """The period whose report a schedule owes on local date ``today`` (None when nothing is owed yet).

    The previous period once ``today`` reached the n-th working day of the current one; before that day the
    period two back (a missed one). A period whose sending day is before ``not_before`` is not owed.
    """
    current_first, _current_last = period_bounds(kind, today)
    send_on = nth_working_day(spec, current_first, n)
    if today >= send_on:
        first, last = previous_bounds(kind, current_first)
    else:
        previous_first, _previous_last = previous_bounds(kind, current_first)
        send_on = nth_working_day(spec, previous_first, n)
        first, last = previous_bounds(kind, previous_first)
        if today < send_on:  # only with a working day number beyond the length of a period
            return None
    if not_before is not None and send_on < not_before:
        return None
    return DueReport(first=first, last=last, send_on=send_on)


def next_send_day(spec: CalendarSpec, kind: str, today: dt.date, n: int) -> dt.date:
    """The next sending day on or after ``today`` (for showing when the next report goes out)."""
    first, last = period_bounds(kind, today)
    for _ in range(14):
        send_on = nth_working_day(spec, first, n)
        if send_on >= today:
            return send_on
        first, last = period_bounds(kind, last + dt.timedelta(days=1))
    raise NoWorkingDay(f"calendar {spec.name or '?'} has no sending day after {today}")
