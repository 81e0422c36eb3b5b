"""Which recurring incidents suggest a problem (pure Python, no Django).

The rule: when at least ``k`` incidents share a service, a category or a configuration item, all received within
the last ``W`` working days of the organisation's business calendar (the working day of "now" and the ``W − 1``
before it), and no problem is open for that service, category or item, the incidents form a *cluster* and a
problem is suggested once for it.

The ORM layer feeds plain values: the start instants of the working days (from the business-time engine's working
segments, :func:`working_day_starts`), the incidents as :class:`Incident` (id, received instant, the keys it
belongs to, e.g. ``"service:4"``), the keys that already have an open problem and those already suggested.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Incident:
    """One incident: its id, when it was received (aware), the cluster keys it belongs to."""

    id: int
    at: dt.datetime
    keys: tuple[str, ...]


@dataclass(frozen=True)
class Cluster:
    """Incidents sharing one key within the window: enough of them to suggest a problem."""

    key: str
    incident_ids: tuple[int, ...]


def working_day_starts(segments: Iterable[tuple[dt.datetime, dt.datetime]], zone: str) -> list[dt.datetime]:
    """The first working instant of each local working day touched by the (sorted, UTC) working segments.

    A segment running over midnight (a round-the-clock calendar) makes every local day it touches a working day,
    starting at local midnight (or at the segment's start on its first day)."""
    tz = ZoneInfo(zone)
    starts: dict[dt.date, dt.datetime] = {}
    for start, end in segments:
        if end <= start:
            continue
        local = start.astimezone(tz)
        day = local.date()
        last_day = (end - dt.timedelta(microseconds=1)).astimezone(tz).date()
        first = start
        while day <= last_day:
            starts.setdefault(day, first)
            day += dt.timedelta(days=1)
            first = dt.datetime.combine(day, dt.time(), tzinfo=tz).astimezone(dt.UTC)
    return [starts[d] for d in sorted(starts)]


def window_start(day_starts: Sequence[dt.datetime], now: dt.datetime, days: int) -> dt.datetime | None:
    """The start of the window of ``days`` working days ending at ``now``: the start of the ``days``-th working day
    counted back from the last one that began at or before ``now``. None when there are fewer working days."""
    if days < 1:
        raise ValueError("the window has at least one working day")
    begun = [s for s in day_starts if s <= now]
    if len(begun) < days:
        return None
    return begun[-days]


def find_clusters(
    incidents: Iterable[Incident],
    *,
    since: dt.datetime,
    until: dt.datetime,
    k: int,
    excluded_keys: Iterable[str] = (),
) -> list[Cluster]:
    """The keys shared by at least ``k`` incidents received in ``[since, until]``, other than ``excluded_keys``
    (keys with an open problem, or already suggested for this window), each with its incidents by id, sorted by
    key. ``k`` must be at least 2 (one incident is not a recurrence)."""
    if k < 2:
        raise ValueError("a cluster needs at least two incidents")
    excluded = set(excluded_keys)
    members: dict[str, set[int]] = {}
    for incident in incidents:
        if not since <= incident.at <= until:
            continue
        for key in incident.keys:
            if key and key not in excluded:
                members.setdefault(key, set()).add(incident.id)
    return [Cluster(key=key, incident_ids=tuple(sorted(ids))) for key, ids in sorted(members.items()) if len(ids) >= k]
