"""Escalation at SLA warning and breach, and notices of work-order events, each sent exactly once."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from oversight.core import clock
from oversight.core.escalation_routes import matrix_covers
from oversight.core.events import publish
from oversight.core.preferences import local_time_text
from oversight.core.timeline import timeline_append
from oversight.notifications.services import notification_create, notification_queue_email
from oversight.tenancy.choices import Role
from oversight.tenancy.models import User
from oversight.tickets.choices import OPEN_STATUSES, Action, ClockState, EventKind
from oversight.tickets.events import WORK_ORDER_SLA_BREACHED
from oversight.tickets.models import SLAClock, WorkOrder, WorkOrderEvent
from oversight.tickets.sla import sla_clocks_rebuild


def escalation_recipients(work_order: WorkOrder) -> list[User]:
    """The assignee, the vendor's managers and the client's supervisors: who hears of warnings and breaches."""
    people = User.objects.filter(is_active=True).filter(
        Q(pk=work_order.assignee_id)
        | Q(role=Role.VENDOR_MANAGER, vendor_id=work_order.vendor_id)
        | Q(role=Role.CLIENT_SUPERVISOR, organisation_id=work_order.organisation_id)
    )
    return list(people.order_by("pk"))


#: The trigger an escalation matrix names for work-order SLA breaches (oversight.liaisons.choices.Trigger).
BREACH_TRIGGER = "priority_breach"


def _escalate(clock_row: SLAClock, level: str) -> int:
    work_order = clock_row.work_order
    if level == "breach" and matrix_covers(
        trigger=BREACH_TRIGGER,
        organisation_id=work_order.organisation_id,
        vendor_id=work_order.vendor_id,
        priority=work_order.priority,
    ):
        return 0  # the escalation matrix routes this breach (it handles tickets.work_order.sla_breached)
    metric_label = clock_row.get_metric_display
    sent = 0
    for person in escalation_recipients(work_order):
        # One notice per person, clock, level and target: a rerun or a crash-and-retry adds nothing.
        key = f"sla:{level}:{work_order.pk}:{clock_row.metric}:{clock_row.target_seconds}:{person.pk}"

        def subject(level=level):
            if level == "breach":
                return _("SLA breached: %(number)s %(metric)s") % {
                    "number": work_order.number,
                    "metric": metric_label(),
                }
            return _("SLA at risk: %(number)s %(metric)s") % {"number": work_order.number, "metric": metric_label()}

        def body(level=level):
            # notification_create renders this in the recipient's zone: the due time is their local time.
            return _("%(title)s\nDue at %(due)s (%(zone)s). Open the work order to act.") % {
                "title": work_order.title,
                "due": local_time_text(clock_row.due_at),
                "zone": timezone.get_current_timezone_name(),
            }

        notification, created = notification_create(
            recipient=person,
            kind=f"sla_{level}",
            dedupe_key=key,
            subject=subject,
            body=body,
            work_order=work_order,
        )
        if created:
            sent += 1
            notification_queue_email(notification=notification)
    return sent


def sla_escalation_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Record breaches of running clocks past due, then notify warnings and breaches not yet notified."""
    now = now or clock.now()
    overdue_ids = set(
        SLAClock.objects.filter(state=ClockState.RUNNING, due_at__lte=now).values_list("work_order_id", flat=True)
    )
    for pk in overdue_ids:
        with transaction.atomic():
            work_order = WorkOrder.objects.select_for_update(of=("self",)).filter(pk=pk).first()
            if work_order is not None:
                sla_clocks_rebuild(work_order=work_order, now=now)
                publish(WORK_ORDER_SLA_BREACHED, work_order_id=work_order.pk)
    counts = {"rebuilt": len(overdue_ids), "warnings": 0, "breaches": 0}
    open_clocks = SLAClock.objects.select_related("work_order").filter(work_order__status__in=OPEN_STATUSES)
    for row in open_clocks.filter(state=ClockState.RUNNING, warning_at__lte=now):
        with transaction.atomic():
            counts["warnings"] += _escalate(row, "warning")
    for row in open_clocks.filter(state=ClockState.BREACHED):
        with transaction.atomic():
            counts["breaches"] += _escalate(row, "breach")
    return counts


EVENT_SUBJECTS = {
    "created": lambda wo: _("New work order %(number)s: %(title)s") % {"number": wo.number, "title": wo.title},
    "assigned": lambda wo: _("Work order %(number)s assigned to you") % {"number": wo.number},
    Action.RESOLVE: lambda wo: _("Your work order %(number)s is resolved: please confirm") % {"number": wo.number},
    "commented": lambda wo: _("New comment on %(number)s") % {"number": wo.number},
    "transferred": lambda wo: _("New work order %(number)s transferred to you") % {"number": wo.number},
}


def event_recipients(work_order: WorkOrder, kind: str) -> list[User]:
    """Who hears of an event: vendor managers of new work, the assignee of dispatch, the requester of resolution."""
    if kind in ("created", "transferred"):
        return list(User.objects.filter(is_active=True, role=Role.VENDOR_MANAGER, vendor_id=work_order.vendor_id))
    if kind == "assigned":
        return [work_order.assignee] if work_order.assignee_id else []
    if kind == Action.RESOLVE:
        return [work_order.requester]
    if kind == "commented":
        return [u for u in (work_order.requester, work_order.assignee) if u is not None]
    return []


def notify_event(*, work_order_id: int, kind: str) -> int:
    """Notify the people concerned by one work-order event (idempotent per version and person)."""
    work_order = WorkOrder.objects.select_related("requester", "assignee").filter(pk=work_order_id).first()
    if work_order is None or kind not in EVENT_SUBJECTS:
        return 0
    sent = 0
    for person in event_recipients(work_order, kind):
        key = f"event:{kind}:{work_order.pk}:{work_order.version}:{person.pk}"
        notification, created = notification_create(
            recipient=person,
            kind=kind,
            dedupe_key=key,
            subject=lambda: EVENT_SUBJECTS[kind](work_order),
            body=lambda: work_order.title,
            work_order=work_order,
        )
        if created:
            sent += 1
            notification_queue_email(notification=notification)
    return sent


def record_escalation(*, work_order_id: int, escalation_id: int, trigger: str, level: int) -> bool:
    """Write one escalation level on the work order's timeline (an "escalated" step), once per escalation and
    level; the step is internal (requesters do not see who was escalated to). Returns whether it was written."""
    with transaction.atomic():
        work_order = WorkOrder.objects.select_for_update(of=("self",)).filter(pk=work_order_id).first()
        if work_order is None:
            return False
        done = work_order.events.filter(
            kind=EventKind.ESCALATED, data__escalation_id=escalation_id, data__level=level
        ).exists()
        if done:
            return False
        timeline_append(
            WorkOrderEvent,
            work_order,
            actor=None,
            kind=EventKind.ESCALATED,
            at=clock.now(),
            data={"escalation_id": escalation_id, "trigger": trigger, "level": level},
            is_internal=True,
        )
        return True
