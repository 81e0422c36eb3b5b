"""How work orders are presented: live SLA badges, clock explanations, the timeline in words."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from oversight.core import clock
from oversight.tickets.choices import Action, Channel, ClockState, EventKind, SLAState, Status
from oversight.tickets.models import WorkOrder
from oversight.tickets.sla import live_sla_state

SLA_LABELS = dict(SLAState.choices)

# The timeline (全过程) in the past tense, one phrase per transition.
ACTION_DONE = {
    Action.DISPATCH: _("Dispatched"),
    Action.ACCEPT: _("Accepted"),
    Action.ARRIVE: _("Arrived on site"),
    Action.PAUSE_REQUESTER: _("Waiting for the requester"),
    Action.PAUSE_THIRD_PARTY: _("Waiting for a third party"),
    Action.PAUSE_PROBLEM: _("Awaiting the problem"),
    Action.RESUME: _("Resumed"),
    Action.RESOLVE: _("Resolved"),
    Action.CONFIRM: _("Confirmed and closed"),
    Action.AUTO_CLOSE: _("Closed automatically"),
    Action.REOPEN: _("Reopened"),
    Action.CANCEL: _("Cancelled"),
}
SEGMENT_LABELS = {"counted": _("Counted"), "paused": _("Paused"), "stopped": _("Stopped")}
CLOCK_STATE_KEYS = {
    ClockState.PAUSED: "paused",
    ClockState.MET: "met",
    ClockState.BREACHED: "breached",
    ClockState.NOT_APPLICABLE: "not_applicable",
    ClockState.CALENDAR_MISSING: "unknown",
}
CLOCK_STATE_LABELS = {
    "on_track": _("On track"),
    "warning": _("At risk"),
    "breached": _("Breached"),
    "paused": _("Paused"),
    "met": _("Met"),
    "not_applicable": _("Not applicable"),
    "unknown": _("Calendar data missing"),
}


def with_live_sla(work_orders, now: dt.datetime | None = None) -> list:
    """Attach the SLA state as of now (and the time left) to each row, for badges and countdowns."""
    now = now or clock.now()
    rows = list(work_orders)
    for work_order in rows:
        state = live_sla_state(work_order, now)
        work_order.live_sla = state
        work_order.live_sla_label = SLA_LABELS.get(state, state)
        # A recorded breach stays a breach: no countdown that could read as "on track" again.
        due = None if work_order.sla_breached else work_order.sla_next_due_at
        work_order.sla_countdown_due = due
        work_order.sla_seconds_left = (due - now).total_seconds() if due else None
    return rows


def _parse_instant(value):
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def clock_display(row, now: dt.datetime) -> dict:
    """One SLA clock as the work-order page shows it: live state, countdown and the why (每一段)."""
    if row.state == ClockState.RUNNING:
        if row.due_at and now >= row.due_at:
            key = "breached"
        elif row.warning_at and now >= row.warning_at:
            key = "warning"
        else:
            key = "on_track"
    else:
        key = CLOCK_STATE_KEYS.get(row.state, "unknown")
    segments = []
    for segment in row.segments or []:
        segments.append(
            {
                "start": _parse_instant(segment.get("start")),
                "end": _parse_instant(segment.get("end")),
                "kind": segment.get("kind", ""),
                "label": SEGMENT_LABELS.get(segment.get("kind", ""), segment.get("kind", "")),
                "seconds": segment.get("business_seconds") or 0,
            }
        )
    return {
        "row": row,
        "key": key,
        "label": CLOCK_STATE_LABELS[key],
        "running": row.state == ClockState.RUNNING,
        "seconds_left": (row.due_at - now).total_seconds() if row.due_at else None,
        "remaining_paused": max(0.0, row.target_seconds - row.elapsed_seconds),
        "segments": segments,
    }


def _field_label(name: str) -> str:
    try:
        return str(WorkOrder._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def event_lines(event, vendor_names: dict[int, str]) -> tuple[str, list[str]]:
    """A timeline event's headline and detail lines in the reader's language (other vendors stay unnamed)."""
    data = event.data or {}
    lines: list[str] = []
    headline = str(event.get_kind_display())
    status_labels = dict(Status.choices)

    def vendor_name(pk) -> str:
        return vendor_names.get(pk) or str(_("another vendor"))

    if event.kind == EventKind.CREATED:
        channel = dict(Channel.choices).get(data.get("channel"), data.get("channel", ""))
        lines.append(
            str(
                _("Channel: %(channel)s · priority %(priority)s")
                % {"channel": channel, "priority": data.get("priority", "")}
            )
        )
    elif event.kind == EventKind.STATUS_CHANGED:
        headline = str(ACTION_DONE.get(event.action, headline))
    elif event.kind == EventKind.ASSIGNED:
        who = ", ".join(x for x in (data.get("assignee_name"), data.get("team_name")) if x)
        if who:
            lines.append(str(_("To: %(who)s") % {"who": who}))
    elif event.kind == EventKind.TRANSFERRED:
        lines.append(
            str(
                _("From %(old)s to %(new)s")
                % {"old": vendor_name(data.get("from_vendor")), "new": vendor_name(data.get("to_vendor"))}
            )
        )
    elif event.kind == EventKind.PRIORITY_CHANGED:
        before, after = data.get("before") or {}, data.get("after") or {}
        lines.append(f"{before.get('priority', '')} → {after.get('priority', '')}")
        if after.get("reason"):
            lines.append(str(_("Reason: %(reason)s") % {"reason": after["reason"]}))
    elif event.kind == EventKind.COMMENTED:
        lines.append(data.get("excerpt", ""))
    elif event.kind == EventKind.ATTACHMENT_ADDED:
        lines.append(data.get("name", ""))
    elif event.kind == EventKind.FIELDS_CHANGED:
        names = [_field_label(name) for name in sorted((data.get("after") or {}).keys())]
        lines.append(str(_("Changed: %(fields)s") % {"fields": ", ".join(names)}))
    if event.from_status and event.to_status and event.from_status != event.to_status:
        lines.append(
            f"{status_labels.get(event.from_status, event.from_status)} → "
            f"{status_labels.get(event.to_status, event.to_status)}"
        )
    for key, label in (("note", _("Note")), ("resolution", _("Resolution")), ("reason", _("Reason"))):
        if data.get(key) and event.kind != EventKind.PRIORITY_CHANGED:
            lines.append(str(_("%(label)s: %(value)s") % {"label": label, "value": data[key]}))
    return headline, [line for line in lines if line]
