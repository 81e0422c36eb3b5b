"""Conflict detection on the change calendar (ADR 0021). Pure: imports no Django; the services feed it the
change, the calendar's window occurrences in the change's time and the other changes on the calendar.

Every conflict names what it conflicts with (a window, another change, a configuration item) and a reason code:

=====================  =========================================================================================
code                   when
=====================  =========================================================================================
``blackout``           the change's window overlaps a blackout window whose scope applies (``hard`` says whether
                       it refuses the scheduling or needs an exception approval)
``outside_window``     maintenance windows apply to the change's scope but the change overlaps none of them
``exceeds_window``     the change overlaps a maintenance window that applies but no single one contains it
``same_ci``            another change on the calendar overlaps in time and touches the same configuration item
``related_ci``         another overlapping change touches a parent or child of one of its items (from the CI
                       relations: "runs on", "depends on", ...)
``double_booked``      another overlapping change is implemented by the same vendor
=====================  =========================================================================================

A window's scope is the services, configuration items, vendors and sites it names; a window naming none applies
to the whole organisation, one naming some applies to a change sharing any of them. Intervals are half-open
``[start, end)``: a change ending when a blackout starts does not overlap it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

BLACKOUT = "blackout"
OUTSIDE_WINDOW = "outside_window"
EXCEEDS_WINDOW = "exceeds_window"
SAME_CI = "same_ci"
RELATED_CI = "related_ci"
DOUBLE_BOOKED = "double_booked"
CODES = (BLACKOUT, OUTSIDE_WINDOW, EXCEEDS_WINDOW, SAME_CI, RELATED_CI, DOUBLE_BOOKED)


@dataclass(frozen=True)
class Scope:
    """What something touches: services, configuration items, vendors, sites (ids)."""

    services: frozenset[int] = frozenset()
    cis: frozenset[int] = frozenset()
    vendors: frozenset[int] = frozenset()
    sites: frozenset[int] = frozenset()

    @property
    def is_everything(self) -> bool:
        """A window scope that names nothing applies to the whole organisation."""
        return not (self.services or self.cis or self.vendors or self.sites)

    def touches(self, other: Scope) -> bool:
        """Whether the two share a service, item, vendor or site."""
        return bool(
            self.services & other.services
            or self.cis & other.cis
            or self.vendors & other.vendors
            or self.sites & other.sites
        )


@dataclass(frozen=True)
class Occurrence:
    """One occurrence of a calendar window: blackout (hard or soft) or maintenance, with its scope."""

    window_id: int
    kind: str  # "blackout" or "maintenance"
    start: dt.datetime
    end: dt.datetime
    scope: Scope = Scope()
    hard: bool = False

    def applies_to(self, scope: Scope) -> bool:
        """A window applies to a change when it names nothing or shares something with the change."""
        return self.scope.is_everything or self.scope.touches(scope)


@dataclass(frozen=True)
class Booking:
    """A change on the calendar: its window, its scope (the vendor is the implementer)."""

    change_id: int
    start: dt.datetime
    end: dt.datetime
    scope: Scope = Scope()


@dataclass(frozen=True)
class Conflict:
    """One conflict: its code, what it is with (a window or another change), the items concerned, hard or not."""

    code: str
    window_id: int | None = None
    change_id: int | None = None
    cis: tuple[int, ...] = ()
    hard: bool = False
    start: dt.datetime | None = None
    end: dt.datetime | None = None


@dataclass(frozen=True)
class Report:
    """Every conflict of one change, in a stable order (windows first, then other changes)."""

    conflicts: tuple[Conflict, ...] = field(default_factory=tuple)

    @property
    def refused(self) -> bool:
        """A hard blackout refuses the scheduling outright."""
        return any(c.code == BLACKOUT and c.hard for c in self.conflicts)

    @property
    def needs_exception(self) -> bool:
        """A soft blackout needs an exception approval."""
        return any(c.code == BLACKOUT and not c.hard for c in self.conflicts)

    def codes(self) -> list[str]:
        """The codes found, each once, in the table's order."""
        found = {c.code for c in self.conflicts}
        return [code for code in CODES if code in found]


def overlaps(a_start: dt.datetime, a_end: dt.datetime, b_start: dt.datetime, b_end: dt.datetime) -> bool:
    """Half-open intervals overlap."""
    return a_start < b_end and b_start < a_end


def related_items(cis: frozenset[int], relations: Iterable[tuple[int, int]]) -> frozenset[int]:
    """The parents and children (one step) of the items, from (child, parent) pairs; the items themselves out."""
    out = set()
    for child, parent in relations:
        if child in cis:
            out.add(parent)
        if parent in cis:
            out.add(child)
    return frozenset(out - cis)


def detect(
    change: Booking,
    *,
    occurrences: Iterable[Occurrence] = (),
    others: Iterable[Booking] = (),
    relations: Iterable[tuple[int, int]] = (),
) -> Report:
    """Every conflict of ``change`` with the windows' occurrences and the other changes on the calendar."""
    found: list[Conflict] = []
    maintenance = []
    for occ in sorted(occurrences, key=lambda o: (o.start, o.window_id)):
        if not occ.applies_to(change.scope):
            continue
        if occ.kind == "blackout":
            if overlaps(change.start, change.end, occ.start, occ.end):
                found.append(Conflict(BLACKOUT, window_id=occ.window_id, hard=occ.hard, start=occ.start, end=occ.end))
        else:
            maintenance.append(occ)
    if maintenance:
        touching = [m for m in maintenance if overlaps(change.start, change.end, m.start, m.end)]
        if not touching:
            found.append(Conflict(OUTSIDE_WINDOW, window_id=maintenance[0].window_id))
        elif not any(m.start <= change.start and change.end <= m.end for m in touching):
            found.append(
                Conflict(EXCEEDS_WINDOW, window_id=touching[0].window_id, start=touching[0].start, end=touching[0].end)
            )
    relations = list(relations)
    neighbours = related_items(change.scope.cis, relations)
    for other in sorted(others, key=lambda b: (b.start, b.change_id)):
        if other.change_id == change.change_id or not overlaps(change.start, change.end, other.start, other.end):
            continue
        same = change.scope.cis & other.scope.cis
        if same:
            found.append(Conflict(SAME_CI, change_id=other.change_id, cis=tuple(sorted(same))))
        near = neighbours & other.scope.cis
        if near:
            found.append(Conflict(RELATED_CI, change_id=other.change_id, cis=tuple(sorted(near))))
        if change.scope.vendors & other.scope.vendors:
            found.append(Conflict(DOUBLE_BOOKED, change_id=other.change_id))
    return Report(conflicts=tuple(found))
