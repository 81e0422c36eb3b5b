"""Quiet hours: outside the working hours of a channel's business calendar, messages wait for the next working
instant, except critical ones (a P1).

The notifications app sits below the catalog in the layers, so it does not read calendars itself: the catalog
registers how a stored calendar becomes the engine's ``CalendarSpec`` (``catalog.apps``), and this module asks
the pure engine (``oversight.businesstime``) whether an instant is working time."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from oversight.businesstime.engine import CalendarDataMissing, is_business_time, next_business_instant

logger = logging.getLogger(__name__)

_spec_of: Callable | None = None


def register_calendar_spec(function: Callable) -> None:
    """Called by the catalog app when it is ready: ``function(calendar) -> CalendarSpec``."""
    global _spec_of  # noqa: PLW0603 - one provider, registered once at start-up
    _spec_of = function


def quiet_until(calendar, at: dt.datetime) -> dt.datetime | None:
    """When the quiet time that ``at`` falls in ends (None: not quiet, or no calendar to be quiet by).

    A year the calendar holds no holiday data for is never guessed: the message is sent (and logged)."""
    if calendar is None or _spec_of is None:
        return None
    spec = _spec_of(calendar)
    try:
        if is_business_time(spec, at):
            return None
        return next_business_instant(spec, at)
    except CalendarDataMissing:
        logger.warning("calendar %s has no data for %s: quiet hours not applied", calendar.pk, at.date())
        return None
