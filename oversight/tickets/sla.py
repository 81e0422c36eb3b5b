"""Rebuilding a work order's SLA clocks from its timeline (the pure maths is in oversight.sla.clock_engine)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from oversight.audit.services import audit_record
from oversight.businesstime.engine import CalendarDataMissing
from oversight.catalog.calendars import calendar_earlier_specs, calendar_spec
from oversight.catalog.choices import OPEN_STATUSES, SLAMetric
from oversight.catalog.models import BusinessCalendar, SLATarget
from oversight.core import clock
from oversight.core.concurrency import lock_row
from oversight.core.errors import NotAllowed
from oversight.core.events import publish
from oversight.sla.clock_engine import ClockInput, compute_clock
from oversight.tenancy.visibility import ADMINISTER, is_visible
from oversight.tickets.choices import ClockState, SLAState, Status
from oversight.tickets.events import WORK_ORDER_CLOCKS_RECOMPUTED
from oversight.tickets.models import SLAClock, WorkOrder

STOPPED = "stopped"
RUNNING = "running"
PAUSED = "paused"


def status_timeline(events) -> list[tuple[dt.datetime, str]]:
    """(at, status) for every status the work order entered, oldest first."""
    timeline = []
    for event in events:
        if event.to_status:
            timeline.append((event.at, event.to_status))
    return timeline


def clock_transitions(metric: str, timeline, pause_statuses: set[str]) -> tuple[tuple[dt.datetime, str], ...]:
    """Map the status timeline to running/paused/stopped changes for one clock.

    Response stops for good at acceptance; on-site stops for good at arrival; resolution stops at
    resolution and runs again on reopen. Cancelled stops every clock.
    """
    out: list[tuple[dt.datetime, str]] = []
    achieved = False
    for at, status in timeline:
        if metric == SLAMetric.RESPONSE:
            if achieved:
                continue
            if status not in (Status.NEW, Status.DISPATCHED):
                achieved = True
                state = STOPPED
            else:
                state = PAUSED if status in pause_statuses else RUNNING
        elif metric == SLAMetric.ONSITE:
            if achieved:
                continue
            if status == Status.ON_SITE:
                achieved = True
                state = STOPPED
            elif status in (Status.RESOLVED, Status.CLOSED, Status.CANCELLED):
                state = STOPPED
            else:
                state = PAUSED if status in pause_statuses else RUNNING
        else:
            if status in (Status.RESOLVED, Status.CLOSED, Status.CANCELLED):
                state = STOPPED
            else:
                state = PAUSED if status in pause_statuses else RUNNING
        if not out or out[-1][1] != state:
            out.append((at, state))
    return tuple(out)


def _jsonable_segments(result) -> list[dict]:
    return [
        {
            "start": s.start.isoformat(),
            "end": s.end.isoformat() if s.end else None,
            "kind": s.kind,
            "business_seconds": round(s.business_seconds, 3),
        }
        for s in result.segments
    ]


def earlier_calendars(work_order: WorkOrder, calendar) -> tuple:
    """The calendar's earlier states the work order's clocks measure earlier time on (see the clock engine).

    A change an administrator applied to this work order (``calendar_rebases``) counts from the beginning for
    it: the states it replaced are dropped, so the state in force at that instant is the oldest one left.
    """
    earlier = calendar_earlier_specs(calendar)
    rebased = (work_order.calendar_rebases or {}).get(str(calendar.pk))
    if rebased:
        since = dt.datetime.fromisoformat(rebased)
        earlier = tuple((replaced_at, spec) for replaced_at, spec in earlier if replaced_at > since)
    return earlier


def work_order_needs_onsite(work_order: WorkOrder) -> bool:
    """On-site clocks apply to offerings that need a visit, or once an engineer actually went."""
    return bool(work_order.offering_id and work_order.offering.requires_onsite) or work_order.arrived_at is not None


def compute_work_order_clocks(
    work_order: WorkOrder, events, now: dt.datetime, *, targets: dict[str, SLATarget] | None = None
) -> list[SLAClock]:
    """Compute (unsaved) SLAClock rows for a work order from its events, at `now`.

    `targets` (metric -> SLATarget of the work order's version and priority, calendars loaded) lets
    bulk callers such as the demo generator skip the per-work-order query.
    """
    version = work_order.sla_policy_version
    if targets is None:
        targets = {
            t.metric: t
            for t in SLATarget.objects.filter(version=version, priority=work_order.priority).select_related("calendar")
        }
    timeline = status_timeline(events)
    pauses = version.pause_statuses or {}
    warning_ratio = Decimal(version.warning_percent) / 100
    clocks: list[SLAClock] = []
    cancelled = work_order.status == Status.CANCELLED
    for metric in SLAMetric.values:
        target = targets.get(metric)
        if target is None:
            continue
        row = SLAClock(
            work_order=work_order,
            metric=metric,
            target_seconds=target.target_minutes * 60,
            calendar=target.calendar,
            started_at=work_order.created_at,
            computed_at=now,
            note=f"{work_order.priority} · {version}",
        )
        if metric == SLAMetric.ONSITE and not work_order_needs_onsite(work_order):
            row.state = ClockState.NOT_APPLICABLE
            clocks.append(row)
            continue
        transitions = clock_transitions(metric, timeline, set(pauses.get(metric, [])))
        try:
            result = compute_clock(
                ClockInput(
                    started_at=work_order.created_at,
                    target_seconds=row.target_seconds,
                    warning_ratio=warning_ratio,
                    calendar=calendar_spec(target.calendar),
                    transitions=transitions,
                    earlier_calendars=earlier_calendars(work_order, target.calendar),
                ),
                now,
            )
        except CalendarDataMissing as exc:
            row.state = ClockState.CALENDAR_MISSING
            row.note = str(exc)[:300]
            clocks.append(row)
            continue
        row.state = {
            "running": ClockState.RUNNING,
            "paused": ClockState.PAUSED,
            "met": ClockState.MET,
            "breached": ClockState.BREACHED,
        }[result.state]
        if metric == SLAMetric.ONSITE and work_order.arrived_at is None and result.state == "met":
            # Resolved remotely before any visit: the on-site target did not apply.
            row.state = ClockState.NOT_APPLICABLE
        if cancelled and row.state == ClockState.MET:
            row.state = ClockState.NOT_APPLICABLE
        row.due_at = result.due_at
        row.warning_at = result.warning_at
        row.breached_at = result.breached_at
        row.stopped_at = result.stopped_at
        row.elapsed_seconds = result.elapsed_seconds
        row.paused_seconds = result.paused_seconds
        row.segments = _jsonable_segments(result)
        clocks.append(row)
    return clocks


def summarise(clocks: list[SLAClock]) -> dict:
    """The work order's denormalised SLA columns: worst state, next due and warning instants."""
    running = [c for c in clocks if c.state == ClockState.RUNNING]
    states = {c.state for c in clocks}
    if ClockState.BREACHED in states:
        state = SLAState.BREACHED
    elif ClockState.CALENDAR_MISSING in states:
        state = SLAState.UNKNOWN
    elif running:
        state = SLAState.ON_TRACK
    elif ClockState.PAUSED in states:
        state = SLAState.PAUSED
    else:
        state = SLAState.MET
    return {
        "sla_state": state,
        "sla_breached": ClockState.BREACHED in states,
        "sla_next_due_at": min((c.due_at for c in running if c.due_at), default=None),
        "sla_next_warning_at": min((c.warning_at for c in running if c.warning_at), default=None),
    }


def sla_clocks_rebuild(*, work_order: WorkOrder, now: dt.datetime | None = None) -> list[SLAClock]:
    """Rebuild and store every SLA clock of a work order from its timeline (call inside the writing transaction)."""
    now = now or clock.now()
    events = list(work_order.events.order_by("seq"))
    clocks = compute_work_order_clocks(work_order, events, now)
    SLAClock.objects.filter(work_order=work_order).delete()
    SLAClock.objects.bulk_create(clocks)
    summary = summarise(clocks)
    for field, value in summary.items():
        setattr(work_order, field, value)
    WorkOrder.objects.filter(pk=work_order.pk).update(**summary)
    return clocks


def live_sla_state(work_order: WorkOrder, now: dt.datetime | None = None) -> str:
    """The SLA state as of now (a running clock past due is breached even before the sweep records it)."""
    now = now or clock.now()
    if work_order.sla_breached or (work_order.sla_next_due_at and work_order.sla_next_due_at <= now):
        return SLAState.BREACHED
    if (
        work_order.sla_next_warning_at
        and work_order.sla_next_warning_at <= now
        and work_order.status
        not in (
            Status.RESOLVED,
            Status.CLOSED,
            Status.CANCELLED,
        )
    ):
        return SLAState.WARNING
    return work_order.sla_state


def _clock_figures(clocks) -> list[tuple]:
    return sorted((c.metric, c.state, c.elapsed_seconds, c.due_at, c.breached_at) for c in clocks)


@transaction.atomic
def sla_apply_calendar_to_open_work_orders(*, actor, calendar: BusinessCalendar) -> dict[str, int]:
    """Apply a calendar's current state to its open work orders retroactively (the explicit exception to
    effective dating, docs/adr/0015): their clocks measure all earlier time on the calendar as it is now.

    Only a client administrator of the calendar's organisation (or a superuser) may; audited with how many
    work orders and clocks it changed. Returns ``{"work_orders": n, "clocks_changed": m}``.
    """
    if actor is not None and not is_visible(calendar, actor, ADMINISTER):
        raise NotAllowed(_("Only a client administrator can apply a calendar change to open work orders."))
    now = clock.now()
    ids = list(
        WorkOrder.objects.filter(status__in=OPEN_STATUSES, clocks__calendar=calendar)
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    changed_clocks = 0
    changed_orders = 0
    for work_order in WorkOrder.objects.filter(pk__in=ids).order_by("pk"):
        locked = lock_row(work_order, "sla_policy_version", "offering")
        before = _clock_figures(locked.clocks.all())
        locked.calendar_rebases = {**(locked.calendar_rebases or {}), str(calendar.pk): now.isoformat()}
        WorkOrder.objects.filter(pk=locked.pk).update(calendar_rebases=locked.calendar_rebases)
        after = sla_clocks_rebuild(work_order=locked, now=now)
        moved = len(set(before) ^ set(_clock_figures(after))) // 2
        if moved:
            changed_clocks += moved
            changed_orders += 1
            publish(WORK_ORDER_CLOCKS_RECOMPUTED, work_order_id=locked.pk, actor_id=getattr(actor, "pk", None))
    result = {"work_orders": len(ids), "work_orders_changed": changed_orders, "clocks_changed": changed_clocks}
    audit_record(
        actor=actor,
        action="catalog.calendar.applied_to_open_work_orders",
        obj=calendar,
        organisation=calendar.organisation,
        after={"revision": calendar.revision, **result},
    )
    return result
