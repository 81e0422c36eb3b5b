"""Local time of an organisation, a calendar or a person: the one place a stored zone name becomes a zone.

Organisations, calendars and users each store an IANA name in ``time_zone``; every date that the business
reads as "today" or "this month" is taken in that zone. A name that is unusable (never expected: forms
validate it) falls back to UTC rather than failing a page or a job.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import zoneinfo
from pathlib import Path

from django.conf import settings

from oversight.core import clock

# Continents and oceans of the tz database's canonical Area/City names (used when no zone table can be read).
_AREA_CITY = re.compile(
    r"^(Africa|America|Antarctica|Asia|Atlantic|Australia|Europe|Indian|Pacific)/[A-Z][A-Za-z_/+-]*$"
)


def _zone_tables() -> set[str]:
    """The zones listed in the tz database's zone1970.tab and zone.tab (canonical names, one per region)."""
    names: set[str] = set()
    for folder in zoneinfo.TZPATH:
        for table in ("zone1970.tab", "zone.tab"):
            path = Path(folder) / table
            if not path.is_file():
                continue
            for line in path.read_text(encoding="utf-8").splitlines():
                if line and not line.startswith("#"):
                    fields = line.split("\t")
                    if len(fields) >= 3:
                        names.add(fields[2])
    return names


@functools.cache
def canonical_zone_names() -> frozenset[str]:
    """Time zones a person may choose: the tz database's Area/City zones (zone1970.tab, zone.tab) and UTC.

    Never the legacy aliases the raw list also holds ("PRC", "W-SU", "Factory", "Etc/GMT+8", "US/Pacific").
    Without the tables, every Area/City name the system knows (a few renamed cities may then appear twice)."""
    known = zoneinfo.available_timezones()
    names = _zone_tables() & known or {name for name in known if _AREA_CITY.match(name)}
    return frozenset(names | {"UTC"})


def is_canonical_zone(name: str) -> bool:
    """Whether ``name`` is a time zone people may choose (see :func:`canonical_zone_names`)."""
    return name in canonical_zone_names()


def utc_offset_text(name: str, at: dt.datetime | None = None) -> str:
    """The zone's offset from UTC now (or at ``at``), e.g. "UTC+08:00", "UTC−03:30"; UTC itself is "UTC+00:00"."""
    offset = (at or clock.now()).astimezone(zoneinfo.ZoneInfo(name)).utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{mins:02d}"


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
