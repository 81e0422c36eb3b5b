"""Local time of an organisation, a calendar or a person: the one place a stored zone name becomes a zone.

Organisations, calendars and users each store an IANA name in ``time_zone``; every date that the business
reads as "today" or "this month" is taken in that zone. A name that is unusable (never expected: forms
validate it) falls back to UTC rather than failing a page or a job.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings

from oversight.core import clock


def zone_named(name: str) -> zoneinfo.ZoneInfo | None:
    """The IANA zone called ``name``, or None when the name is unknown or malformed."""
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def zone_of(owner) -> dt.tzinfo:
    """The zone of anything that stores one in ``time_zone`` (organisation, calendar, user); UTC if unusable."""
    zone = zone_named(owner.time_zone)
    return dt.UTC if zone is None else zone


def zone_or_default(name: str) -> dt.tzinfo:
    """The named zone, or the installation's (``settings.TIME_ZONE``) when the name is unusable."""
    zone = zone_named(name)
    return zoneinfo.ZoneInfo(settings.TIME_ZONE) if zone is None else zone


def local_date(instant: dt.datetime, owner) -> dt.date:
    """The owner's local date of an instant."""
    return instant.astimezone(zone_of(owner)).date()


def local_today(owner) -> dt.date:
    """Today in the owner's zone (contract terms, periods and staff rosters are local calendar dates)."""
    return local_date(clock.now(), owner)
