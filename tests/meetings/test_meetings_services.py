"""Services of the meetings app: scheduling a series on the China calendar, holding a meeting, minutes and both
sides' sign-off (frozen after), action items with business-day due dates, reminders once, escalation once."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.audit.models import AuditEntry
from oversight.core import clock
from oversight.core.errors import ApplicationError, InvalidTransition, NotAllowed
from oversight.meetings import services
from oversight.meetings.models import ActionItem, Meeting
from oversight.notifications.models import Notification
from tests.meetings.conftest import at

D = dt.date


def test_schedule_moves_national_day_and_runs_once(world, weekly):
    admin = world.users["client_supervisor"]
    with clock.frozen_at(at(2026, 9, 1, 9)):
        made = services.series_schedule(actor=admin, series=weekly, until=D(2026, 10, 19))
        again = services.series_schedule(actor=admin, series=weekly, until=D(2026, 10, 19))
    assert again == []
    got = [(m.nominal_date, m.starts_at) for m in made]
    assert got == [
        (D(2026, 9, 21), at(2026, 9, 21, 10)),
        (D(2026, 9, 28), at(2026, 9, 28, 10)),
        (D(2026, 10, 5), at(2026, 10, 8, 10)),  # 国庆: Monday 5 October moves to Thursday 8 October
        (D(2026, 10, 12), at(2026, 10, 12, 10)),
        (D(2026, 10, 19), at(2026, 10, 19, 10)),
    ]
    assert {p.user_id: p.side for p in made[0].participants.all()} == {
        world.users["client_supervisor"].pk: "client",
        world.users["vendor_manager"].pk: "vendor",
    }


def test_schedule_refuses_a_year_without_holiday_data(world, weekly, english):
    with clock.frozen_at(at(2026, 9, 1, 9)), pytest.raises(ApplicationError, match="no public-holiday data for 2027"):
        services.series_schedule(actor=world.users["client_supervisor"], series=weekly, until=D(2027, 1, 31))


def test_only_client_operators_plan(world, china, english):
    for role in ("vendor_manager", "executive", "vendor_agent"):
        with pytest.raises(NotAllowed):
            services.plan_create(actor=world.users[role], vendor=world.vendor, calendar=china, name="x")


def test_series_refuses_people_of_another_vendor(world, plan, english):
    with pytest.raises(ApplicationError, match="neither on the client's side"):
        services.series_create(
            actor=world.users["client_supervisor"],
            plan=plan,
            kind="monthly_service",
            name="Monthly",
            starts_on=D(2026, 10, 5),
            start_minute=600,
            participants=[world.users["other_vendor_manager"]],
        )


def test_hold_sets_minutes_due_in_three_working_days(world, weekly):
    admin = world.users["client_supervisor"]
    with clock.frozen_at(at(2026, 9, 1, 9)):
        services.series_schedule(actor=admin, series=weekly, until=D(2026, 10, 19))
    # Held on Wednesday 30 September at 11:00: 8 Oct (1), 9 Oct (2), working Saturday 10 Oct (3).
    meeting = weekly.meetings.get(nominal_date=D(2026, 9, 28))
    with clock.frozen_at(at(2026, 9, 30, 11)):
        meeting = services.meeting_transition(actor=admin, meeting=meeting, action="hold")
    assert meeting.status == "held"
    assert meeting.minutes_due_at == at(2026, 10, 11, 0)


def test_minutes_signed_by_both_sides_then_frozen(world, meeting, english):
    supervisor, vendor_manager = world.users["client_supervisor"], world.users["vendor_manager"]
    with clock.frozen_at(at(2026, 9, 28, 11)):
        meeting = services.meeting_transition(actor=supervisor, meeting=meeting, action="hold")
        with pytest.raises(ApplicationError, match="Write the minutes"):
            services.meeting_transition(actor=supervisor, meeting=meeting, action="draft")
        services.minutes_save(actor=vendor_manager, meeting=meeting, minutes="Backlog reviewed.")
        services.decision_add(actor=supervisor, meeting=meeting, text="Printer fleet to be replaced.")
        meeting = services.meeting_transition(actor=supervisor, meeting=meeting, action="draft")
    with pytest.raises(ApplicationError, match="no longer change"):
        services.minutes_save(actor=supervisor, meeting=meeting, minutes="Changed afterwards")
    with pytest.raises(NotAllowed):
        services.meeting_sign(actor=world.users["vendor_agent"], meeting=meeting, side="vendor")
    with pytest.raises(NotAllowed):
        services.meeting_sign(actor=vendor_manager, meeting=meeting, side="client")
    with pytest.raises(NotAllowed):
        services.meeting_sign(actor=world.users["other_vendor_manager"], meeting=meeting, side="vendor")
    with clock.frozen_at(at(2026, 9, 29, 9)):
        meeting = services.meeting_sign(actor=vendor_manager, meeting=meeting, side="vendor")
        assert meeting.status == "minutes_drafted"
        again = services.meeting_sign(actor=vendor_manager, meeting=meeting, side="vendor")
        assert again.vendor_signed_at == meeting.vendor_signed_at
    with clock.frozen_at(at(2026, 9, 30, 9)):
        meeting = services.meeting_sign(actor=supervisor, meeting=meeting, side="client")
    assert meeting.status == "signed"
    assert meeting.signed_at == at(2026, 9, 30, 9)
    actions = list(
        AuditEntry.objects.filter(object_id=str(meeting.pk), action__startswith="meetings.meeting.").values_list(
            "action", flat=True
        )
    )
    assert "meetings.meeting.signed_one_side" in actions and "meetings.meeting.sign" in actions


def test_cancel_only_while_planned(world, meeting, english):
    supervisor = world.users["client_supervisor"]
    services.meeting_transition(actor=supervisor, meeting=meeting, action="hold")
    with pytest.raises(InvalidTransition):
        services.meeting_transition(actor=supervisor, meeting=meeting, action="cancel")


def test_action_item_due_in_working_days(world, meeting):
    # Meeting on Monday 28 September; 5 working days: 29, 30 Sep, then 8, 9 Oct and Saturday 10 Oct (调休).
    item = services.action_item_create(
        actor=world.users["vendor_manager"],
        meeting=meeting,
        title="Replace toner stock",
        owner=world.users["vendor_agent"],
    )
    assert item.due_on == D(2026, 10, 10)
    assert item.due_at == at(2026, 10, 11, 0)
    short = services.action_item_create(
        actor=world.users["client_supervisor"],
        meeting=meeting,
        title="Send list",
        owner=world.users["client_supervisor"],
        due_days=2,
    )
    assert short.due_on == D(2026, 9, 30)


def test_action_owner_must_be_on_a_side(world, meeting, english):
    with pytest.raises(ApplicationError, match="owner must be"):
        services.action_item_create(
            actor=world.users["client_supervisor"], meeting=meeting, title="x", owner=world.users["other_vendor_agent"]
        )
    with pytest.raises(ApplicationError, match="owner must be"):
        services.action_item_create(
            actor=world.users["client_supervisor"], meeting=meeting, title="x", owner=world.users["requester"]
        )


def test_action_moves_by_owner_and_history(world, meeting, english):
    agent = world.users["vendor_agent"]
    item = services.action_item_create(actor=world.users["vendor_manager"], meeting=meeting, title="Toner", owner=agent)
    with pytest.raises(NotAllowed):
        services.action_item_transition(actor=world.users["vendor_agent_2"], item=item, action="start")
    item = services.action_item_transition(actor=agent, item=item, action="start")
    with pytest.raises(ApplicationError, match="Say why"):
        services.action_item_transition(actor=agent, item=item, action="cancel")
    item = services.action_item_transition(actor=agent, item=item, action="complete")
    assert item.status == "done" and item.closed_at is not None
    assert [(e.kind, e.to_status) for e in item.events.order_by("seq")] == [
        ("created", "open"),
        ("status_changed", "in_progress"),
        ("status_changed", "done"),
    ]


def test_reminders_once_per_item_and_reminder(world, meeting):
    item = services.action_item_create(
        actor=world.users["vendor_manager"], meeting=meeting, title="Toner", owner=world.users["vendor_agent"]
    )  # due Saturday 10 October (working)
    key = f"meetings:action:{item.pk}:reminder:"
    # Friday 9 Oct is 1 working day before; Thursday 8 Oct is 2 working days before: the first reminder.
    with clock.frozen_at(at(2026, 9, 30, 12)):
        assert services.action_reminders_send() == 0
    with clock.frozen_at(at(2026, 10, 8, 9)):
        assert services.action_reminders_send() == 1
        assert services.action_reminders_send() == 0
    with clock.frozen_at(at(2026, 10, 10, 9)):
        assert services.action_reminders_send() == 1
        assert services.action_reminders_send() == 0
    keys = sorted(Notification.objects.filter(dedupe_key__startswith=key).values_list("dedupe_key", flat=True))
    assert keys == [f"{key}0:{item.owner_id}", f"{key}2:{item.owner_id}"]
    assert list(item.events.filter(kind="reminded").values_list("data", flat=True)) == [
        {"days_before": 2},
        {"days_before": 0},
    ]


class Spy:
    """Stands in for the liaisons app's escalation services and records the calls."""

    def __init__(self):
        self.raised, self.settled = [], []

    def escalation_raise(self, **kwargs):
        self.raised.append(kwargs)

    def escalation_settle(self, **kwargs):
        self.settled.append(kwargs)


@pytest.fixture
def spy(monkeypatch):
    found = Spy()
    monkeypatch.setattr("oversight.meetings.services.actions._liaisons", lambda: found)
    return found


def test_overdue_escalates_once_and_settles_on_close(world, meeting, spy):
    item = services.action_item_create(
        actor=world.users["vendor_manager"], meeting=meeting, title="Toner", owner=world.users["vendor_agent"]
    )
    with clock.frozen_at(at(2026, 10, 10, 23, 59)):
        assert services.action_overdue_escalate() == 0
    with clock.frozen_at(at(2026, 10, 11, 0)):
        assert services.action_overdue_escalate() == 1
        assert services.action_overdue_escalate() == 0
    assert len(spy.raised) == 1
    call = spy.raised[0]
    assert call["trigger"] == "overdue_action"
    assert call["organisation"] == world.org and call["vendor"] == world.vendor
    assert call["subject_type"] == "meetings.actionitem" and call["subject_id"] == item.pk
    assert call["started_at"] == at(2026, 10, 11, 0)
    assert call["url"] == item.get_absolute_url()
    item.refresh_from_db()
    assert item.escalated_at == at(2026, 10, 11, 0)
    with clock.frozen_at(at(2026, 10, 12, 9)):
        services.action_item_transition(actor=world.users["vendor_agent"], item=item, action="complete")
    assert spy.settled == [
        {
            "trigger": "overdue_action",
            "subject_type": "meetings.actionitem",
            "subject_id": item.pk,
            "at": at(2026, 10, 12, 9),
        }
    ]


def test_closed_in_time_is_never_escalated(world, meeting, spy):
    item = services.action_item_create(
        actor=world.users["vendor_manager"], meeting=meeting, title="Toner", owner=world.users["vendor_agent"]
    )
    services.action_item_transition(actor=world.users["vendor_agent"], item=item, action="complete")
    with clock.frozen_at(at(2026, 11, 1)):
        assert services.action_overdue_escalate() == 0
    assert spy.raised == [] and spy.settled == []


def test_escalation_step_recorded_once(world, meeting):
    item = services.action_item_create(
        actor=world.users["vendor_manager"], meeting=meeting, title="Toner", owner=world.users["vendor_agent"]
    )
    assert services.action_escalation_step_record(subject_id=item.pk, event_id="e1", level=2) is True
    assert services.action_escalation_step_record(subject_id=item.pk, event_id="e1", level=2) is False
    assert item.events.filter(kind="escalation_stepped").count() == 1
    assert ActionItem.objects.count() == 1 and Meeting.objects.count() == 5


def test_overdue_escalation_through_the_escalation_matrix(world, meeting):
    from oversight.liaisons.models import Escalation
    from oversight.meetings.handlers import record_escalation_step

    item = services.action_item_create(
        actor=world.users["vendor_manager"], meeting=meeting, title="Toner", owner=world.users["vendor_agent"]
    )
    with clock.frozen_at(at(2026, 10, 12, 9)):
        assert services.action_overdue_escalate() == 1
        assert services.action_overdue_escalate() == 0
    episode = Escalation.objects.get(subject_type="meetings.actionitem", subject_id=item.pk)
    assert episode.trigger == "overdue_action" and episode.started_at == at(2026, 10, 11, 0)
    payload = {"escalation_id": episode.pk, "subject_type": "meetings.actionitem", "subject_id": item.pk}
    record_escalation_step(**payload, trigger="overdue_action", level=1, event_id="ev-1")
    record_escalation_step(**payload, trigger="overdue_action", level=1, event_id="ev-1")  # delivered twice
    record_escalation_step(**payload, trigger="red_kri", level=1, event_id="ev-2")  # not this app's trigger
    assert list(item.events.filter(kind="escalation_stepped").values_list("data", flat=True)) == [
        {"event_id": "ev-1", "level": 1}
    ]
    with clock.frozen_at(at(2026, 10, 13, 9)):
        services.action_item_transition(actor=world.users["vendor_agent"], item=item, action="complete")
    episode.refresh_from_db()
    assert episode.status == "settled"


def test_periodic_tasks_are_scheduled_and_run_the_services(world, meeting, settings):
    from oversight.meetings import tasks

    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"oversight.meetings.tasks.remind_action_owners", "oversight.meetings.tasks.escalate_overdue_actions"} <= (
        scheduled
    )
    services.action_item_create(
        actor=world.users["vendor_manager"], meeting=meeting, title="Toner", owner=world.users["vendor_agent"]
    )
    with clock.frozen_at(at(2026, 10, 8, 9)):
        assert tasks.remind_action_owners.delay().get() == 1
    with clock.frozen_at(at(2026, 10, 12, 9)):
        assert tasks.escalate_overdue_actions.delay().get() == 1
        assert tasks.escalate_overdue_actions.delay().get() == 0
