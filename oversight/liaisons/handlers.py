"""The escalation engine reacts to the triggers' events here (imported from ``LiaisonsConfig.ready``). Every
handler is idempotent: raising is keyed on (trigger, subject, start), settling is a harmless repeat.

- a work order's SLA breach (``tickets.work_order.sla_breached``), routed through the matrix when one covers it
  (tickets then sends no breach notice of its own), settled when the work order is resolved or closed;
- a complaint opened, settled when it is resolved or closed;
- a red key risk indicator, settled when its episode ends;
- a hotline report passed on is resolved with the complaint or work order it became."""

from __future__ import annotations

from oversight.core import clock
from oversight.core.events import handles
from oversight.liaisons.choices import Trigger
from oversight.liaisons.services import escalation_raise, escalation_settle, matrix_covers
from oversight.liaisons.services.hotline import hotline_reports_resolve_for

WORK_ORDER = "tickets.workorder"
COMPLAINT = "feedback.complaint"
RISK_EVENT = "risks.riskevent"


@handles("tickets.work_order.sla_breached")
def escalate_breach(*, work_order_id: int, event_id: str) -> int | None:
    """A breach escalates through the matrix from the earliest breached due time, when a matrix covers it."""
    from oversight.tickets.choices import ClockState
    from oversight.tickets.models import WorkOrder

    work_order = WorkOrder.objects.select_related("organisation", "vendor").filter(pk=work_order_id).first()
    if work_order is None:
        return None
    if not matrix_covers(
        trigger=Trigger.PRIORITY_BREACH,
        organisation_id=work_order.organisation_id,
        vendor_id=work_order.vendor_id,
        priority=work_order.priority,
    ):
        return None
    due = (
        work_order.clocks.filter(state=ClockState.BREACHED, due_at__isnull=False)
        .order_by("due_at")
        .values_list("due_at", flat=True)
        .first()
    )
    if due is None:
        return None
    return escalation_raise(
        trigger=Trigger.PRIORITY_BREACH,
        organisation=work_order.organisation,
        vendor=work_order.vendor,
        subject_type=WORK_ORDER,
        subject_id=work_order.pk,
        title=f"{work_order.number} {work_order.title}",
        url=work_order.get_absolute_url(),
        started_at=due,
        priority=work_order.priority,
    ).pk


@handles("tickets.work_order.resolved")
def settle_breach_on_resolve(*, work_order_id: int, actor_id: int | None, event_id: str) -> int:
    """A resolved work order settles its breach escalation and the hotline reports passed on as it."""
    now = clock.now()
    hotline_reports_resolve_for(work_order_id=work_order_id, at=now)
    return escalation_settle(trigger=Trigger.PRIORITY_BREACH, subject_type=WORK_ORDER, subject_id=work_order_id, at=now)


@handles("tickets.work_order.closed")
def settle_breach_on_close(*, work_order_id: int, actor_id: int | None, confirmed: bool, event_id: str) -> int:
    """A closed work order (resolved earlier or closed directly) settles the same way."""
    return settle_breach_on_resolve(work_order_id=work_order_id, actor_id=actor_id, event_id=event_id)


@handles("feedback.complaint.opened")
def escalate_complaint(
    *, complaint_id: int, work_order_id: int, actor_id: int | None, source: str, event_id: str
) -> int | None:
    """An open complaint escalates from the moment it was opened."""
    from oversight.feedback.models import Complaint

    complaint = Complaint.objects.select_related("organisation", "vendor", "work_order").filter(pk=complaint_id).first()
    if complaint is None:
        return None
    return escalation_raise(
        trigger=Trigger.OPEN_COMPLAINT,
        organisation=complaint.organisation,
        vendor=complaint.vendor,
        subject_type=COMPLAINT,
        subject_id=complaint.pk,
        title=f"{complaint.work_order.number} {complaint.summary or complaint.work_order.title}",
        url=complaint.get_absolute_url(),
        started_at=complaint.opened_at,
    ).pk


@handles("feedback.complaint.transitioned")
def settle_complaint(
    *, complaint_id: int, actor_id: int | None, action: str, from_status: str, to_status: str, event_id: str
) -> int:
    """A complaint resolved or closed settles its escalation and the hotline reports passed on as it."""
    from oversight.feedback.choices import ComplaintStatus

    if to_status not in (ComplaintStatus.RESOLVED, ComplaintStatus.CLOSED):
        return 0
    now = clock.now()
    hotline_reports_resolve_for(complaint_id=complaint_id, at=now)
    return escalation_settle(trigger=Trigger.OPEN_COMPLAINT, subject_type=COMPLAINT, subject_id=complaint_id, at=now)


@handles("risks.kri.breached")
def escalate_red_kri(*, risk_event_id: int, kri_id: int, event_id: str) -> int | None:
    """A red key risk indicator escalates on the client side (vendors never see the register)."""
    from oversight.risks.models import RiskEvent

    event = RiskEvent.objects.select_related("organisation", "kri").filter(pk=risk_event_id).first()
    if event is None:
        return None
    return escalation_raise(
        trigger=Trigger.RED_KRI,
        organisation=event.organisation,
        vendor=None,
        subject_type=RISK_EVENT,
        subject_id=event.pk,
        title=event.kri.localized_name,
        url=event.get_absolute_url(),
        started_at=event.raised_at,
    ).pk


@handles("risks.kri.recovered")
def settle_red_kri(*, risk_event_id: int, kri_id: int, event_id: str) -> int:
    """The red episode ended: its escalation is settled."""
    return escalation_settle(trigger=Trigger.RED_KRI, subject_type=RISK_EVENT, subject_id=risk_event_id, at=clock.now())
