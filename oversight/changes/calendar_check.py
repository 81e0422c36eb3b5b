"""Reads the change calendar for the conflict check: the windows' occurrences in a change's time and the other
changes on the calendar, fed to the pure `changes.conflicts`. Organisation-wide on purpose (a conflict exists
whoever asks); what a reader may see of it is decided by the selectors."""

from __future__ import annotations

import datetime as dt

from oversight.changes import conflicts, recurrence
from oversight.changes.choices import ON_CALENDAR_STATUSES, WindowKind
from oversight.changes.models import Change, ChangeWindow
from oversight.configuration.models import CIRelation
from oversight.core.zones import zone_of

#: How far back a recurring window's first occurrence is read from (a weekly rule set years ago still counts).
SCOPE_FIELDS = ("services", "vendors", "sites")


def _ids(manager) -> frozenset[int]:
    return frozenset(obj.pk for obj in manager.all())


def change_scope(change: Change) -> conflicts.Scope:
    """What the change touches: its services, items, implementer and sites."""
    return conflicts.Scope(
        services=_ids(change.services),
        cis=frozenset(ci_ids(change)),
        vendors=frozenset({change.implementer_id}),
        sites=_ids(change.sites),
    )


def ci_ids(change: Change) -> list[int]:
    """The configuration items the change affects."""
    return [ci.pk for ci in change.cis.all()]


def window_occurrences(organisation, since: dt.datetime, until: dt.datetime, *, windows=None):
    """Every active window's occurrences overlapping [since, until), as pure occurrences with their scope."""
    tz = zone_of(organisation)
    rows = windows if windows is not None else ChangeWindow.objects.filter(organisation=organisation, active=True)
    found = []
    for window in rows.prefetch_related(*SCOPE_FIELDS):
        scope = conflicts.Scope(services=_ids(window.services), vendors=_ids(window.vendors), sites=_ids(window.sites))
        for start, end in recurrence.occurrences(
            start=window.start, end=window.end, rule=window.rrule, tz=tz, since=since, until=until
        ):
            found.append(
                conflicts.Occurrence(
                    window_id=window.pk,
                    kind="blackout" if window.kind == WindowKind.BLACKOUT else "maintenance",
                    start=start,
                    end=end,
                    scope=scope,
                    hard=window.hard,
                )
            )
    return found


def conflict_report(change: Change, *, start: dt.datetime | None = None, end: dt.datetime | None = None):
    """Every conflict of the change in its planned window (or the one given) with the calendar."""
    start, end = start or change.planned_start, end or change.planned_end
    if start is None or end is None:
        return conflicts.Report()
    booking = conflicts.Booking(change_id=change.pk, start=start, end=end, scope=change_scope(change))
    others = (
        Change.objects.filter(
            organisation_id=change.organisation_id,
            status__in=ON_CALENDAR_STATUSES,
            planned_start__lt=end,
            planned_end__gt=start,
        )
        .exclude(pk=change.pk)
        .prefetch_related("services", "sites", "cis")
    )
    bookings = [
        conflicts.Booking(change_id=o.pk, start=o.planned_start, end=o.planned_end, scope=change_scope(o))
        for o in others
    ]
    return conflicts.detect(
        booking,
        occurrences=window_occurrences(change.organisation, start, end),
        others=bookings,
        relations=ci_relations(change.organisation_id),
    )


def ci_relations(organisation_id: int) -> list[tuple[int, int]]:
    """(child, parent) pairs of the organisation's configuration items: the source of a relation ("the HIS
    application runs on server 1") is the child of its target."""
    return list(
        CIRelation.objects.filter(source__organisation_id=organisation_id).values_list("source_id", "target_id")
    )


def codes_of(report) -> list[dict]:
    """A report as stored on the change: code, the window or change it is with, the items concerned, hard."""
    return [
        {"code": c.code, "window": c.window_id, "change": c.change_id, "cis": list(c.cis), "hard": c.hard}
        for c in report.conflicts
    ]
