"""Occurrences of a recurring calendar window (an RRULE, RFC 5545, read by python-dateutil), in the window's
local time: a window every Sunday 02:00–06:00 stays at 02:00 local whatever the offset. Pure: imports no Django."""

from __future__ import annotations

import datetime as dt

from dateutil.rrule import rrulestr

#: Occurrences read at most for one question (a FREQ=MINUTELY rule must not hang a page).
MAX_OCCURRENCES = 2000


class RecurrenceError(ValueError):
    """The text is not a recurrence rule dateutil understands."""


def check_rule(rule: str, start: dt.datetime) -> None:
    """Refuse a rule that does not parse (an empty rule means a single occurrence)."""
    if not rule:
        return
    try:
        rrulestr(rule, dtstart=start.replace(tzinfo=None))
    except (ValueError, TypeError) as exc:
        raise RecurrenceError(str(exc)) from exc


def occurrences(
    *, start: dt.datetime, end: dt.datetime, rule: str, tz: dt.tzinfo, since: dt.datetime, until: dt.datetime
) -> list[tuple[dt.datetime, dt.datetime]]:
    """The (start, end) pairs of the window that overlap [since, until), aware, in order."""
    length = end - start
    if not rule:
        return [(start, end)] if start < until and since < end else []
    local_start = start.astimezone(tz).replace(tzinfo=None)
    recurrence = rrulestr(rule, dtstart=local_start)
    lo = (since - length).astimezone(tz).replace(tzinfo=None)
    hi = until.astimezone(tz).replace(tzinfo=None)
    found = []
    for local in recurrence.xafter(lo, inc=True, count=MAX_OCCURRENCES):
        if local >= hi:
            break
        occ_start = local.replace(tzinfo=tz)
        occ_end = occ_start + length
        if occ_start < until and since < occ_end:
            found.append((occ_start, occ_end))
    return found
