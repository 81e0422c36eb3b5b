"""The change calendar in the services: a hard blackout refuses scheduling, a soft one needs an exception, other
conflicts are recorded, and a blackout added after a change was scheduled flags it and tells its people (once)."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.audit.models import AuditEntry
from oversight.changes import services
from oversight.changes.choices import ChangeStatus, ChangeType
from oversight.core.errors import ApplicationError, NotAllowed
from oversight.notifications.models import Notification


@pytest.fixture
def scheduled(world, change, template, window):
    """`scheduled(start_hours, length_hours, **fields)`: a standard change scheduled by the vendor's manager."""

    def make(start_hours=24, length_hours=2, **kwargs):
        start, end = window(start_hours, length_hours)
        c = change(type=ChangeType.STANDARD, template=template, planned_start=start, planned_end=end, **kwargs)
        return services.change_transition(actor=world.users["vendor_manager"], change=c, action="schedule")

    return make


def _window(world, kind="blackout", start_hours=20, length_hours=10, **kwargs):
    from oversight.core import clock

    start = clock.now().replace(microsecond=0) + dt.timedelta(hours=start_hours)
    return services.window_create(
        actor=world.users["client_supervisor"],
        name=kwargs.pop("name", "Year-end freeze"),
        kind=kind,
        start=start,
        end=start + dt.timedelta(hours=length_hours),
        **kwargs,
    )


def test_window_create_validates_and_audits(world):
    with pytest.raises(NotAllowed):
        services.window_create(actor=world.users["vendor_manager"], name="x", kind="blackout", start=None, end=None)
    with pytest.raises(ApplicationError):
        _window(world, rrule="FREQ=SOMETIMES")
    with pytest.raises(ApplicationError):
        _window(world, services=[world.foreign_service])
    w = _window(world, rrule="RRULE:freq=weekly;byday=su")
    assert w.rrule == "FREQ=WEEKLY;BYDAY=SU" and w.hard
    assert AuditEntry.objects.filter(action="changes.changewindow.created").count() == 1


def test_hard_blackout_refuses_and_soft_needs_an_exception(world, change, template, window):
    _window(world, name="HIS upgrade freeze", services=[world.service])
    start, end = window(24, 2)
    c = change(type=ChangeType.STANDARD, template=template, planned_start=start, planned_end=end)
    with pytest.raises(ApplicationError):
        services.change_transition(actor=world.users["vendor_manager"], change=c, action="schedule")
    later, later_end = window(40, 2)
    soft = _window(world, name="Inspection week", start_hours=35, hard=False)
    c = services.change_update(actor=world.users["vendor_agent"], change=c, planned_start=later, planned_end=later_end)
    with pytest.raises(ApplicationError):
        services.change_transition(actor=world.users["vendor_manager"], change=c, action="schedule")
    with pytest.raises(NotAllowed):
        services.change_approve_exception(actor=world.users["vendor_manager"], change=c, note="please")
    c = services.change_approve_exception(actor=world.users["client_supervisor"], change=c, note="Agreed with wards")
    c = services.change_transition(actor=world.users["vendor_manager"], change=c, action="schedule")
    assert c.status == ChangeStatus.SCHEDULED
    assert c.conflict_codes == [{"code": "blackout", "window": soft.pk, "change": None, "cis": [], "hard": False}]


def test_other_conflicts_are_recorded_not_refused(world, scheduled):
    first = scheduled(24, 2)
    second = scheduled(25, 2)  # same vendor, overlapping: double-booked
    assert first.conflict_codes == []
    assert second.conflict_codes == [
        {"code": "double_booked", "window": None, "change": first.pk, "cis": [], "hard": False}
    ]


def test_moving_a_scheduled_change_into_a_blackout_is_refused(world, scheduled, window):
    c = scheduled(24, 2)
    _window(world, start_hours=40, length_hours=5)
    start, end = window(41, 1)
    with pytest.raises(ApplicationError):
        services.change_update(actor=world.users["client_supervisor"], change=c, planned_start=start, planned_end=end)


def test_blackout_added_later_flags_the_scheduled_change_once(world, scheduled, django_capture_on_commit_callbacks):
    c = scheduled(24, 2)
    outside = scheduled(100, 2)
    with django_capture_on_commit_callbacks(execute=True):
        blackout = _window(world, start_hours=23, length_hours=2, name="Emergency freeze")
    c.refresh_from_db()
    outside.refresh_from_db()
    assert c.conflict_codes == [{"code": "blackout", "window": blackout.pk, "change": None, "cis": [], "hard": True}]
    assert outside.conflict_codes == []
    assert c.events.last().kind == "conflict"
    told = set(Notification.objects.filter(kind="change_conflict").values_list("recipient__username", flat=True))
    assert told == {"agent_a", "vm_a"}  # the requester and the vendor's manager
    assert services.change_recheck_calendar(change=c, window_id=blackout.pk) is False  # a second run: nothing new
    assert Notification.objects.filter(kind="change_conflict").count() == 2
    assert AuditEntry.objects.filter(action="changes.change.conflicts_found").count() == 1
