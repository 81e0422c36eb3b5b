"""The change calendar as an iCalendar feed (RFC 5545, written with the `icalendar` package; ADR 0029).

Pure: imports no Django. The feed view hands it plain rows (already limited to what the reader may see and
worded in the reader's language) and gets the bytes of one VCALENDAR:

- every planned change and every window is one VEVENT whose UID is stable across fetches
  (``change-<id>@<domain>``, ``window-<id>@<domain>``), so a calendar program updates the event instead of adding
  another; SEQUENCE follows the change's version, so a moved change replaces the old one;
- one-off times are written in UTC (``...Z``);
- a recurring window is written once with its RRULE, its DTSTART and DTEND in the organisation's zone (with the
  VTIMEZONE), because RFC 5545 expands a rule in the zone of its DTSTART: a window every Sunday 02:00 local stays
  at 02:00 local across a daylight-saving change, as the conflict check reads it (`changes.recurrence`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vRecur

PRODID = "-//Oversight//Change calendar//EN"


@dataclass(frozen=True)
class ChangeRow:
    """A planned change as the feed shows it."""

    id: int
    summary: str
    description: str
    start: dt.datetime
    end: dt.datetime
    confirmed: bool
    version: int
    updated_at: dt.datetime
    url: str = ""
    categories: tuple[str, ...] = ()


@dataclass(frozen=True)
class WindowRow:
    """A calendar window as the feed shows it (``rrule`` empty: once)."""

    id: int
    summary: str
    description: str
    start: dt.datetime
    end: dt.datetime
    rrule: str
    created_at: dt.datetime
    categories: tuple[str, ...] = ()


def _utc(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC)


def _event(uid: str, summary: str, description: str, stamp: dt.datetime, categories: tuple[str, ...]) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", _utc(stamp))
    event.add("summary", summary)
    if description:
        event.add("description", description)
    if categories:
        event.add("categories", list(categories))
    return event


def build(
    *,
    name: str,
    zone: str,
    domain: str,
    changes: Iterable[ChangeRow],
    windows: Iterable[WindowRow],
) -> bytes:
    """One VCALENDAR with the changes and windows; ``zone`` is the organisation's (recurring windows)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", zone)
    for row in changes:
        event = _event(f"change-{row.id}@{domain}", row.summary, row.description, row.updated_at, row.categories)
        event.add("dtstart", _utc(row.start))
        event.add("dtend", _utc(row.end))
        event.add("sequence", row.version)
        event.add("last-modified", _utc(row.updated_at))
        event.add("status", "CONFIRMED" if row.confirmed else "TENTATIVE")
        if row.url:
            event.add("url", row.url)
        calendar.add_component(event)
    tz = ZoneInfo(zone)
    for row in windows:
        event = _event(f"window-{row.id}@{domain}", row.summary, row.description, row.created_at, row.categories)
        if row.rrule:
            event.add("dtstart", row.start.astimezone(tz))
            event.add("dtend", row.end.astimezone(tz))
            event.add("rrule", vRecur.from_ical(row.rrule))
        else:
            event.add("dtstart", _utc(row.start))
            event.add("dtend", _utc(row.end))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
