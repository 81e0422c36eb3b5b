"""Turning a stored BusinessCalendar into the pure engine's CalendarSpec (cached per revision), now and as it
stood before each edit (its CalendarRevision rows, docs/adr/0015-effective-dated-calendars.md)."""

from __future__ import annotations

import datetime as dt
import threading

from oversight.businesstime.engine import CalendarSpec, add_business_seconds
from oversight.catalog.choices import HolidaySource
from oversight.catalog.models import BusinessCalendar, CalendarRevision

_cache: dict[tuple[int, str], CalendarSpec] = {}
_earlier_cache: dict[tuple[int, str], tuple[tuple[dt.datetime, CalendarSpec], ...]] = {}
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


def spec_to_data(spec: CalendarSpec) -> dict:
    """A spec as JSON data (what a CalendarRevision stores)."""
    return {
        "tz": spec.tz,
        "weekly": [[list(i) for i in day] for day in spec.weekly],
        "overrides": {d.isoformat(): [list(i) for i in intervals] for d, intervals in sorted(spec.overrides)},
        "covered_years": None if spec.covered_years is None else sorted(spec.covered_years),
    }


def spec_from_data(data: dict, *, name: str = "") -> CalendarSpec:
    """The spec a CalendarRevision stored."""
    return CalendarSpec(
        tz=data["tz"],
        weekly=tuple(tuple(tuple(i) for i in day) for day in data["weekly"]),
        overrides={dt.date.fromisoformat(d): tuple(tuple(i) for i in v) for d, v in data["overrides"].items()},
        covered_years=None if data["covered_years"] is None else frozenset(data["covered_years"]),
        name=name,
    )


def calendar_earlier_specs(calendar: BusinessCalendar) -> tuple[tuple[dt.datetime, CalendarSpec], ...]:
    """The calendar's earlier states as ``(replaced_at, spec)``, oldest first, for the clock engine.

    Each stored revision was in force from its ``effective_from`` until the next one's; the last is the
    calendar as it is now (``calendar_spec``). Consecutive states that count the same time (a rename) are one.
    """
    key = (calendar.pk, str(calendar.revision_token))
    cached = _earlier_cache.get(key)
    if cached is not None:
        return cached
    revisions = CalendarRevision.objects.filter(calendar=calendar).order_by("revision")
    rows = list(revisions.values("effective_from", "spec"))
    earlier: list[tuple[dt.datetime, CalendarSpec]] = []
    for row, following in zip(rows, rows[1:], strict=False):
        if row["spec"] == following["spec"]:
            continue
        earlier.append((following["effective_from"], spec_from_data(row["spec"], name=calendar.name)))
    result = tuple(earlier)
    with _lock:
        _earlier_cache[key] = result
    return result


def target_deadline(target, start: dt.datetime) -> dt.datetime:
    """When a target falls due for something received at `start`: the real engine adds its business minutes.

    Raises CalendarDataMissing when the calendar has no holiday data for a year the count runs through.
    """
    return add_business_seconds(calendar_spec(target.calendar), start.astimezone(dt.UTC), target.target_minutes * 60)
