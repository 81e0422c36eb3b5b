"""The change calendar's grid: which days a month or week view shows, and on which of them each entry (a change's
planned window, a window's occurrence) appears, in the reader's zone. Pure: imports no Django.

A month view shows whole weeks, Monday first, from the week of the 1st to the week of the last day; a week view
shows Monday to Sunday of the week of the given day. An entry appears on every local day its half-open interval
``[start, end)`` touches: a window from Saturday 22:00 to Sunday 06:00 is on both days, one ending at midnight
only on the first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Span:
    """The days a view shows: ``first`` to ``last`` inclusive, and the month it is about (month views)."""

    first: dt.date
    last: dt.date
    month: int | None = None

    @property
    def days(self) -> list[dt.date]:
        return [self.first + dt.timedelta(days=n) for n in range((self.last - self.first).days + 1)]

    def bounds(self, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
        """The aware instants [since, until) the span covers in the zone."""
        since = dt.datetime.combine(self.first, dt.time.min, tzinfo=tz)
        until = dt.datetime.combine(self.last + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        return since, until


def month_span(day: dt.date) -> Span:
    """Whole weeks (Monday first) covering the month of ``day``."""
    first_of_month = day.replace(day=1)
    next_month = (first_of_month + dt.timedelta(days=32)).replace(day=1)
    last_of_month = next_month - dt.timedelta(days=1)
    first = first_of_month - dt.timedelta(days=first_of_month.weekday())
    last = last_of_month + dt.timedelta(days=6 - last_of_month.weekday())
    return Span(first=first, last=last, month=day.month)


def week_span(day: dt.date) -> Span:
    """Monday to Sunday of the week of ``day``."""
    first = day - dt.timedelta(days=day.weekday())
    return Span(first=first, last=first + dt.timedelta(days=6))


def shift(day: dt.date, view: str, steps: int) -> dt.date:
    """The day ``steps`` months (month view) or weeks (week view) away, for the previous and next links."""
    if view == "week":
        return day + dt.timedelta(weeks=steps)
    month_index = day.year * 12 + (day.month - 1) + steps
    return dt.date(month_index // 12, month_index % 12 + 1, 1)


@dataclass
class Day:
    """One day of the view with its entries in order of start."""

    date: dt.date
    in_month: bool = True
    entries: list[Any] = field(default_factory=list)


def local_days(start: dt.datetime, end: dt.datetime, tz: dt.tzinfo) -> list[dt.date]:
    """The local dates the half-open interval [start, end) touches."""
    first = start.astimezone(tz).date()
    last_instant = end.astimezone(tz)
    last = last_instant.date()
    if last_instant.time() == dt.time.min and last > first:
        last -= dt.timedelta(days=1)  # ending at midnight: not on the next day
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def place(span: Span, entries: Iterable[tuple[dt.datetime, dt.datetime, Any]], tz: dt.tzinfo) -> list[Day]:
    """The span's days, each with the entries (start, end, what) that touch it, earliest start first."""
    days = {d: Day(date=d, in_month=span.month is None or d.month == span.month) for d in span.days}
    for start, end, what in sorted(entries, key=lambda e: e[0]):
        for d in local_days(start, end, tz):
            if d in days:
                days[d].entries.append(what)
    return [days[d] for d in span.days]
