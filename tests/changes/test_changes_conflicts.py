"""Conflict detection (changes.conflicts) with plain values, one test per reason code, and recurrence
(changes.recurrence) in the organisation's local time."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from hypothesis import given
from hypothesis import strategies as st

from oversight.changes import conflicts, recurrence
from oversight.changes.conflicts import Booking, Occurrence, Scope

UTC = dt.UTC
T0 = dt.datetime(2026, 3, 1, 0, 0, tzinfo=UTC)


def h(hours: float) -> dt.datetime:
    return T0 + dt.timedelta(hours=hours)


CHANGE = Booking(1, h(2), h(4), Scope(services=frozenset({10}), cis=frozenset({100}), vendors=frozenset({7})))


def test_no_calendar_no_conflict():
    assert conflicts.detect(CHANGE).conflicts == ()


def test_blackout_hard_and_soft_by_scope():
    hard = Occurrence(1, "blackout", h(3), h(5), hard=True)  # whole organisation
    soft = Occurrence(2, "blackout", h(0), h(2.5), Scope(services=frozenset({10})), hard=False)
    elsewhere = Occurrence(3, "blackout", h(0), h(9), Scope(services=frozenset({11})), hard=True)
    touching = Occurrence(4, "blackout", h(4), h(6), hard=True)  # starts when the change ends: no overlap
    report = conflicts.detect(CHANGE, occurrences=[hard, soft, elsewhere, touching])
    assert [(c.code, c.window_id, c.hard) for c in report.conflicts] == [("blackout", 2, False), ("blackout", 1, True)]
    assert report.refused and report.needs_exception
    assert not conflicts.detect(CHANGE, occurrences=[soft]).refused


def test_outside_and_exceeding_maintenance_windows():
    sunday = Occurrence(5, "maintenance", h(20), h(24), Scope(vendors=frozenset({7})))
    assert conflicts.detect(CHANGE, occurrences=[sunday]).codes() == ["outside_window"]
    short = Occurrence(6, "maintenance", h(1), h(3))
    assert conflicts.detect(CHANGE, occurrences=[short]).codes() == ["exceeds_window"]
    fits = Occurrence(7, "maintenance", h(2), h(4))
    assert conflicts.detect(CHANGE, occurrences=[short, fits]).codes() == []
    other_vendor = Occurrence(8, "maintenance", h(20), h(24), Scope(vendors=frozenset({8})))
    assert conflicts.detect(CHANGE, occurrences=[other_vendor]).codes() == []  # does not apply to this change


def test_same_ci_related_ci_and_double_booking():
    same = Booking(2, h(3), h(5), Scope(cis=frozenset({100, 101}), vendors=frozenset({8})))
    child = Booking(3, h(1), h(2.5), Scope(cis=frozenset({200}), vendors=frozenset({8})))
    same_vendor = Booking(4, h(3.5), h(6), Scope(vendors=frozenset({7})))
    later = Booking(5, h(4), h(6), Scope(cis=frozenset({100}), vendors=frozenset({7})))  # no overlap
    relations = [(200, 100), (100, 300)]  # 200 runs on 100, 100 runs on 300
    report = conflicts.detect(CHANGE, others=[same, child, same_vendor, later, CHANGE], relations=relations)
    assert [(c.code, c.change_id, c.cis) for c in report.conflicts] == [
        ("related_ci", 3, (200,)),
        ("same_ci", 2, (100,)),
        ("double_booked", 4, ()),
    ]
    assert report.codes() == ["same_ci", "related_ci", "double_booked"]


def test_related_items_are_one_step_up_and_down():
    assert conflicts.related_items(frozenset({100}), [(200, 100), (100, 300), (400, 500)]) == {200, 300}


def test_weekly_window_stays_at_local_time():
    shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
    start = dt.datetime(2026, 3, 1, 2, 0, tzinfo=shanghai)  # a Sunday, 02:00 local
    found = recurrence.occurrences(
        start=start,
        end=start + dt.timedelta(hours=4),
        rule="FREQ=WEEKLY;BYDAY=SU",
        tz=shanghai,
        since=dt.datetime(2026, 3, 10, tzinfo=UTC),
        until=dt.datetime(2026, 3, 23, tzinfo=UTC),
    )
    assert [(s.astimezone(shanghai).strftime("%a %d %H:%M"), (e - s).seconds // 3600) for s, e in found] == [
        ("Sun 15 02:00", 4),
        ("Sun 22 02:00", 4),
    ]


def test_single_window_and_an_occurrence_straddling_since():
    start = h(0)
    assert recurrence.occurrences(start=start, end=h(5), rule="", tz=UTC, since=h(4), until=h(9)) == [(h(0), h(5))]
    assert recurrence.occurrences(start=start, end=h(5), rule="", tz=UTC, since=h(5), until=h(9)) == []
    daily = recurrence.occurrences(start=start, end=h(5), rule="FREQ=DAILY", tz=UTC, since=h(28), until=h(30))
    assert daily == [(h(24), h(29))]


@given(st.integers(0, 1200), st.integers(30, 360), st.integers(0, 1200), st.integers(30, 360))
def test_a_change_inside_a_blackout_always_conflicts_and_one_apart_never(cs, cl, bs, bl):
    """Minutes from T0: refused exactly when the half-open intervals overlap."""
    change = Booking(1, h(cs / 60), h((cs + cl) / 60))
    blackout = Occurrence(1, "blackout", h(bs / 60), h((bs + bl) / 60), hard=True)
    refused = conflicts.detect(change, occurrences=[blackout]).refused
    assert refused == (cs < bs + bl and bs < cs + cl)
