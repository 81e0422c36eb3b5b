"""The triggers' events drive the engine: an SLA breach routed through the matrix (tickets then sends no breach
notice of its own) and written on the work order's timeline, complaints opened and resolved; every handler run
twice changes nothing more."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from oversight.core.clock import frozen_at
from oversight.core.escalation_routes import matrix_covers
from oversight.feedback.services.complaints import complaint_open, complaint_resolve
from oversight.liaisons import handlers
from oversight.liaisons.choices import EscalationStatus, LiaisonRole, Trigger
from oversight.liaisons.models import Escalation
from oversight.liaisons.services.liaisons import matrix_save, rule_save
from oversight.notifications.models import Notification
from oversight.tickets import services as tickets
from oversight.tickets.choices import EventKind
from oversight.tickets.escalation import record_escalation, sla_escalation_sweep

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


@pytest.fixture
def breach_matrix(world, liaisons):
    """The vendor's own matrix on the round-the-clock calendar: L1 at once, L2 after 2 hours."""
    admin = world.users["client_admin"]
    matrix = matrix_save(actor=admin, organisation=world.org, vendor=world.vendor, calendar=world.calendar)
    rule_save(
        actor=admin,
        matrix=matrix,
        trigger=Trigger.PRIORITY_BREACH,
        level=1,
        wait_hours=Decimal("0"),
        roles=[LiaisonRole.PROJECT_MANAGER],
    )
    rule_save(
        actor=admin,
        matrix=matrix,
        trigger=Trigger.PRIORITY_BREACH,
        level=2,
        wait_hours=Decimal("2"),
        roles=[LiaisonRole.CLIENT_SUPERVISOR],
    )
    rule_save(
        actor=admin,
        matrix=matrix,
        trigger=Trigger.OPEN_COMPLAINT,
        level=1,
        wait_hours=Decimal("0"),
        roles=[LiaisonRole.CLIENT_SUPERVISOR],
    )
    return matrix


def create(world, service=None):
    with frozen_at(T0):
        return tickets.work_order_create(
            actor=world.users["requester"], service=service or world.service, title="Printer jammed"
        )


def test_breach_goes_through_the_matrix_and_on_the_timeline(world, breach_matrix, django_capture_on_commit_callbacks):
    wo = create(world)
    with frozen_at(at(61)), django_capture_on_commit_callbacks(execute=True):
        result = sla_escalation_sweep(now=at(61))
    assert result["breaches"] == 0  # the matrix routes it: no fixed-recipient breach notices
    assert not Notification.objects.filter(kind="sla_breach").exists()
    escalation = Escalation.objects.get(subject_type="tickets.workorder", subject_id=wo.pk)
    assert escalation.trigger == Trigger.PRIORITY_BREACH
    assert escalation.started_at == at(60)  # the response target's due time
    assert escalation.vendor == world.vendor and escalation.priority == "P3"
    assert list(escalation.steps.values_list("level", flat=True)) == [1]
    assert Notification.objects.filter(kind="escalation", recipient=world.users["vendor_manager"]).count() == 1
    steps = wo.events.filter(kind=EventKind.ESCALATED)
    assert [(s.data["level"], s.is_internal) for s in steps] == [(1, True)]
    # Every handler again: nothing more.
    with frozen_at(at(62)), django_capture_on_commit_callbacks(execute=True):
        handlers.escalate_breach(work_order_id=wo.pk, event_id="again")
        assert (
            record_escalation(work_order_id=wo.pk, escalation_id=escalation.pk, trigger="priority_breach", level=1)
            is False
        )
        sla_escalation_sweep(now=at(62))
    assert Escalation.objects.count() == 1
    assert wo.events.filter(kind=EventKind.ESCALATED).count() == 1
    # Resolved: settled, and level 2 (due at 11:00) is never sent.
    with frozen_at(at(90)), django_capture_on_commit_callbacks(execute=True):
        handlers.settle_breach_on_resolve(work_order_id=wo.pk, actor_id=None, event_id="e")
    from oversight.liaisons.services import escalation_sweep

    escalation_sweep(now=at(600))
    escalation.refresh_from_db()
    assert escalation.status == EscalationStatus.SETTLED and escalation.level == 1


def test_without_a_matrix_the_fixed_recipients_stay(world, breach_matrix, django_capture_on_commit_callbacks):
    wo = create(world, service=world.other_service)  # the other vendor has no matrix, nor has the organisation
    with frozen_at(at(61)), django_capture_on_commit_callbacks(execute=True):
        result = sla_escalation_sweep(now=at(61))
    assert result["breaches"] == 2  # the other vendor's manager and the client supervisor (no assignee)
    assert not Escalation.objects.filter(subject_id=wo.pk).exists()


def test_priority_filter_decides_what_the_matrix_covers(world, breach_matrix):
    breach_matrix.rules.filter(trigger=Trigger.PRIORITY_BREACH).update(priority="P1")
    ids = {"organisation_id": world.org.pk, "vendor_id": world.vendor.pk}
    assert matrix_covers(trigger=Trigger.PRIORITY_BREACH, priority="P1", **ids)
    assert not matrix_covers(trigger=Trigger.PRIORITY_BREACH, priority="P3", **ids)
    assert not matrix_covers(
        trigger=Trigger.PRIORITY_BREACH, priority="P1", organisation_id=world.org.pk, vendor_id=world.other_vendor.pk
    )


def test_complaint_escalates_once_and_settles_when_resolved(world, breach_matrix, django_capture_on_commit_callbacks):
    wo = create(world)
    supervisor = world.users["client_supervisor"]
    with frozen_at(at(5)), django_capture_on_commit_callbacks(execute=True):
        complaint = complaint_open(actor=supervisor, work_order=wo, summary="Rude engineer")
    handlers.escalate_complaint(
        complaint_id=complaint.pk, work_order_id=wo.pk, actor_id=supervisor.pk, source="hotline", event_id="twice"
    )
    escalation = Escalation.objects.get(trigger=Trigger.OPEN_COMPLAINT)
    assert escalation.subject_id == complaint.pk and escalation.started_at == at(5)
    assert Notification.objects.filter(kind="escalation", recipient=supervisor).count() == 1
    with frozen_at(at(30)), django_capture_on_commit_callbacks(execute=True):
        complaint_resolve(actor=supervisor, complaint=complaint, resolution="Apologised and retrained")
    escalation.refresh_from_db()
    assert escalation.status == EscalationStatus.SETTLED and escalation.settled_at == at(30)
