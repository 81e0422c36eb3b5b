"""Meetings and action-item due dates as iCalendar (RFC 5545, written with the `icalendar` package). Pure: imports
no Django. The views hand it plain rows (already limited to what the reader may see and worded in the reader's
language) and get the bytes of one VCALENDAR.

A series is written as its meetings, one VEVENT each (expanded occurrences), because its dates are the rule's
dates moved off non-working days on the organisation's business calendar, which no RRULE can say; every UID is
stable (``meeting-<id>@<domain>``) and SEQUENCE follows the meeting's version, so a calendar program updates a
moved meeting instead of adding another. Times are written in UTC; a due date is an all-day event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from icalendar import Calendar, Event

PRODID = "-//Oversight//Meetings//EN"


@dataclass(frozen=True)
class MeetingRow:
    """A meeting as a calendar shows it."""

    id: int
    summary: str
    description: str
    start: dt.datetime
    end: dt.datetime
    location: str
    url: str
    cancelled: bool
    version: int
    updated_at: dt.datetime


@dataclass(frozen=True)
class DueRow:
    """An action item's due date as a calendar shows it."""

    id: int
    summary: str
    description: str
    due_on: dt.date
    url: str
    updated_at: dt.datetime


def build(*, name: str, domain: str, meetings: Iterable[MeetingRow] = (), dues: Iterable[DueRow] = ()) -> bytes:
    """One VCALENDAR with the meetings and due dates."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for row in meetings:
        event = Event()
        event.add("uid", f"meeting-{row.id}@{domain}")
        event.add("dtstamp", row.updated_at.astimezone(dt.UTC))
        event.add("summary", row.summary)
        event.add("dtstart", row.start.astimezone(dt.UTC))
        event.add("dtend", row.end.astimezone(dt.UTC))
        event.add("sequence", row.version)
        event.add("status", "CANCELLED" if row.cancelled else "CONFIRMED")
        if row.description:
            event.add("description", row.description)
        if row.location:
            event.add("location", row.location)
        if row.url:
            event.add("url", row.url)
        calendar.add_component(event)
    for row in dues:
        event = Event()
        event.add("uid", f"action-{row.id}@{domain}")
        event.add("dtstamp", row.updated_at.astimezone(dt.UTC))
        event.add("summary", row.summary)
        event.add("dtstart", row.due_on)
        event.add("dtend", row.due_on + dt.timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        if row.description:
            event.add("description", row.description)
        if row.url:
            event.add("url", row.url)
        calendar.add_component(event)
    return calendar.to_ical()
