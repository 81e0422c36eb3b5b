"""Meeting occurrences on a business calendar, and due dates counted in working days. Pure: imports no Django.

The rule (docs/meetings.md, ADR 0036)
-------------------------------------
A series has a recurrence rule (an iCalendar RRULE read by python-dateutil), a first date and a local start
time. The rule gives *nominal* dates. A nominal date that is a working day of the calendar (a weekday that is
not a public holiday, or an adjusted working day 调休 such as a working Saturday) is the meeting's date. A nominal
date that is not a working day moves forward to the next working day, at the same local time. When a moved
occurrence lands on a date that already holds an occurrence of the series (a weekly Thursday meeting on
1 October moves past the National Day holiday to 8 October, which is the next Thursday anyway), the two are
one meeting: the one whose nominal date is that day. A year the calendar has no holiday data for is refused
(``CalendarDataMissing``): the schedule never guesses holidays.

Due dates: "N working days after a day" is the N-th working day strictly after it (N = 0: the day itself if
it is a working day, else the next working day). Something due on a date is due by the end of that local day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

from oversight.businesstime.engine import CalendarDataMissing, CalendarSpec

#: How far forward a moved occurrence (or a due date) looks for a working day before giving up.
SEARCH_DAYS = 60
#: Occurrences read at most for one question.
MAX_OCCURRENCES = 1000


class RecurrenceError(ValueError):
    """The rule does not parse, or the calendar has no working day where one is needed."""


@dataclass(frozen=True)
class Occurrence:
    """One meeting of a series: the date the rule gave, the working day it is held on, its UTC start."""

    nominal: dt.date
    date: dt.date
    start: dt.datetime

    @property
    def moved(self) -> bool:
        """Whether the rule's date was not a working day."""
        return self.nominal != self.date


def is_working_day(spec: CalendarSpec, day: dt.date) -> bool:
    """Whether the local date has working time; refuses a year without holiday data."""
    if spec.covered_years is not None and day.year not in spec.covered_years:
        raise CalendarDataMissing(day.year, spec.name)
    return bool(spec.intervals_for(day))


def working_day_on_or_after(spec: CalendarSpec, day: dt.date) -> dt.date:
    """The first working day from ``day`` on (``day`` itself when it is one)."""
    for offset in range(SEARCH_DAYS):
        candidate = day + dt.timedelta(days=offset)
        if is_working_day(spec, candidate):
            return candidate
    raise RecurrenceError(f"no working day within {SEARCH_DAYS} days of {day}")


def add_working_days(spec: CalendarSpec, day: dt.date, n: int) -> dt.date:
    """The ``n``-th working day strictly after ``day`` (n = 0: the first working day from ``day`` on)."""
    if n < 0:
        raise ValueError("n must not be negative")
    if n == 0:
        return working_day_on_or_after(spec, day)
    current = day
    for _ in range(n):
        current = working_day_on_or_after(spec, current + dt.timedelta(days=1))
    return current


def end_of_day(day: dt.date, zone: str) -> dt.datetime:
    """The first instant after the local date ``day`` (UTC): something due on ``day`` is late from then."""
    local = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=ZoneInfo(zone))
    return local.astimezone(dt.UTC)


def local_start(day: dt.date, minute: int, zone: str) -> dt.datetime:
    """The UTC instant of a local wall-clock minute of a date."""
    local = dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=ZoneInfo(zone))
    return local.astimezone(dt.UTC)


def check_rule(rule: str) -> None:
    """Refuse a rule dateutil cannot read, or one without a frequency."""
    if not rule or "FREQ=" not in rule.upper():
        raise RecurrenceError("a rule needs FREQ=")
    try:
        rrulestr(rule, dtstart=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    except (ValueError, TypeError) as exc:
        raise RecurrenceError(str(exc)) from exc


def nominal_dates(rule: str, first: dt.date, until: dt.date) -> list[dt.date]:
    """The dates the rule gives from ``first`` to ``until`` (both included)."""
    check_rule(rule)
    # Dates only: the rule runs on midnights in UTC (the local start time is applied to the held date).
    start = dt.datetime.combine(first, dt.time(0), tzinfo=dt.UTC)
    recurrence = rrulestr(rule, dtstart=start)
    found = []
    for moment in recurrence.xafter(start, inc=True, count=MAX_OCCURRENCES):
        if moment.date() > until:
            break
        found.append(moment.date())
    return found


def occurrences(
    *,
    spec: CalendarSpec,
    rule: str,
    first: dt.date,
    until: dt.date,
    start_minute: int,
    last: dt.date | None = None,
) -> list[Occurrence]:
    """The series' meetings whose nominal date is in [first, min(until, last)], moved to working days (module
    docstring), in date order."""
    end = min(until, last) if last else until
    held_on: dict[dt.date, Occurrence] = {}
    nominal = nominal_dates(rule, first, end)
    nominal_set = set(nominal)
    for day in nominal:
        date = working_day_on_or_after(spec, day)
        if date != day and date in nominal_set:
            continue  # the day already holds the series' own occurrence: one meeting
        if date in held_on:
            continue  # two moved occurrences on one day: the first one stands
        held_on[date] = Occurrence(nominal=day, date=date, start=local_start(date, start_minute, spec.tz))
    return sorted(held_on.values(), key=lambda o: o.date)
