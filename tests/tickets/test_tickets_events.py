"""Work-order services announce what happened after commit; the notices react to the events, exactly as before."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from oversight.core import events
from oversight.core.clock import frozen_at
from oversight.core.tasks import run_event_handler
from oversight.notifications.models import Notification
from oversight.tickets import escalation, handlers
from oversight.tickets import services as tickets
from oversight.tickets.events import WORK_ORDER_CREATED


@pytest.fixture
def announced(monkeypatch):
    """Every event published during the test, as (name, payload), recorded at publish time."""
    seen: list[tuple[str, dict]] = []
    publish = events.publish

    def spy(event, **payload):
        seen.append((event.name if isinstance(event, events.EventType) else event, payload))
        return publish(event, **payload)

    monkeypatch.setattr(tickets, "publish", spy)
    monkeypatch.setattr(escalation, "publish", spy)
    return seen


def notices(work_order) -> set[tuple[str, str]]:
    """(kind, recipient username) of the work order's notices."""
    return {(n.kind, n.recipient.username) for n in Notification.objects.filter(work_order=work_order)}


def test_each_service_announces_its_event_with_primary_keys(world, announced):
    requester, agent = world.users["requester"], world.users["vendor_agent"]
    work_order = tickets.work_order_create(actor=requester, service=world.service, title="Door")
    work_order = tickets.work_order_assign(actor=world.users["vendor_manager"], work_order=work_order, assignee=agent)
    work_order = tickets.work_order_transition(actor=agent, work_order=work_order, action="accept")
    tickets.comment_create(actor=agent, work_order=work_order, body="On my way")
    tickets.comment_create(actor=agent, work_order=work_order, body="Staff only", is_internal=True)
    work_order = tickets.work_order_transition(actor=agent, work_order=work_order, action="resolve", resolution="Oiled")
    work_order = tickets.work_order_transition(actor=requester, work_order=work_order, action="confirm")
    names = [name for name, _payload in announced]
    assert names == [
        "tickets.work_order.created",
        "tickets.work_order.assigned",
        "tickets.work_order.transitioned",
        "tickets.work_order.commented",
        "tickets.work_order.commented",
        "tickets.work_order.transitioned",
        "tickets.work_order.resolved",
        "tickets.work_order.transitioned",
        "tickets.work_order.closed",
    ]
    assert announced[0][1] == {"work_order_id": work_order.pk, "actor_id": requester.pk}
    assert announced[2][1] == {
        "work_order_id": work_order.pk,
        "actor_id": agent.pk,
        "action": "accept",
        "from_status": "dispatched",
        "to_status": "accepted",
    }
    assert [p["is_internal"] for n, p in announced if n == "tickets.work_order.commented"] == [False, True]
    assert announced[-1][1] == {"work_order_id": work_order.pk, "actor_id": requester.pk, "confirmed": True}
    for _name, payload in announced:
        assert all(isinstance(value, int | str | bool | type(None)) for value in payload.values())


def test_nothing_is_announced_by_a_harmless_repeat(world, announced):
    agent = world.users["vendor_agent"]
    work_order = tickets.work_order_create(actor=world.users["requester"], service=world.service, title="Tap")
    work_order = tickets.work_order_transition(actor=agent, work_order=work_order, action="accept")
    count = len(announced)
    tickets.work_order_transition(actor=agent, work_order=work_order, action="accept")
    assert len(announced) == count


def test_notices_follow_the_events_as_before(world, django_capture_on_commit_callbacks):
    requester, manager, agent = world.users["requester"], world.users["vendor_manager"], world.users["vendor_agent"]
    with django_capture_on_commit_callbacks(execute=True):
        work_order = tickets.work_order_create(actor=requester, service=world.service, title="Window")
    assert notices(work_order) == {("created", "vm_a")}
    with django_capture_on_commit_callbacks(execute=True):
        work_order = tickets.work_order_assign(actor=manager, work_order=work_order, assignee=agent)
        work_order = tickets.work_order_transition(actor=agent, work_order=work_order, action="accept")
    assert notices(work_order) == {("created", "vm_a"), ("assigned", "agent_a")}
    with django_capture_on_commit_callbacks(execute=True):
        tickets.comment_create(actor=agent, work_order=work_order, body="Internal", is_internal=True)
    assert len(notices(work_order)) == 2  # internal notes notify nobody
    with django_capture_on_commit_callbacks(execute=True):
        tickets.comment_create(actor=agent, work_order=work_order, body="Tomorrow at nine")
        work_order = tickets.work_order_transition(
            actor=agent, work_order=work_order, action="resolve", resolution="Replaced"
        )
    assert notices(work_order) >= {
        ("commented", "nurse_a"),
        ("commented", "agent_a"),
        ("resolve", "nurse_a"),
        ("rating_invitation", "nurse_a"),
    }
    sent = {(m.to[0], m.subject) for m in mail.outbox}
    assert (requester.email, f"Your work order {work_order.number} is resolved: please confirm") in sent


def test_the_transfer_tells_the_new_vendors_managers(world, django_capture_on_commit_callbacks):
    work_order = tickets.work_order_create(actor=world.users["requester"], service=world.service, title="Lift")
    with django_capture_on_commit_callbacks(execute=True):
        tickets.work_order_transfer(
            actor=world.users["client_supervisor"], work_order=work_order, service=world.other_service, reason="Wrong"
        )
    assert notices(work_order) == {("transferred", "vm_b")}


def test_a_redelivered_event_notifies_nobody_twice(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        work_order = tickets.work_order_create(actor=world.users["requester"], service=world.service, title="Fan")
    before = Notification.objects.count()
    outbox = len(mail.outbox)
    payload = {"work_order_id": work_order.pk, "actor_id": world.users["requester"].pk, "event_id": "again"}
    path = events.handler_path(handlers.notify_created)
    assert run_event_handler.apply(args=(WORK_ORDER_CREATED.name, path, payload), throw=True).get() is None
    assert Notification.objects.count() == before
    assert len(mail.outbox) == outbox


def test_a_priority_change_and_a_breach_found_by_the_sweep_are_announced(world, announced):
    start = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)
    with frozen_at(start):
        work_order = tickets.work_order_create(actor=world.users["requester"], service=world.service, title="Heat")
        tickets.work_order_change_priority(
            actor=world.users["client_supervisor"], work_order=work_order, impact=1, urgency=1, reason="Ward is cold"
        )
    work_order.refresh_from_db()
    assert announced[-1] == (
        "tickets.work_order.priority_changed",
        {
            "work_order_id": work_order.pk,
            "actor_id": world.users["client_supervisor"].pk,
            "priority": work_order.priority,
        },
    )
    escalation.sla_escalation_sweep(now=start + dt.timedelta(days=30))
    assert announced[-1] == ("tickets.work_order.sla_breached", {"work_order_id": work_order.pk})
    count = len(announced)
    escalation.sla_escalation_sweep(now=start + dt.timedelta(days=31))
    assert len(announced) == count  # nothing newly breached, nothing announced
