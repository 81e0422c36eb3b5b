"""Work-order notices: the people concerned hear of new, dispatched, resolved and commented work orders.

They react to tickets' own events (``oversight.tickets.events``) after commit, so the services only announce
what happened; the notices go out through the notifications platform, each exactly once (the dedupe key names
the event kind, the work order's version and the person, so a redelivered event adds nothing).
"""

from oversight.core.events import handles
from oversight.tickets import events
from oversight.tickets.escalation import notify_event, record_escalation


@handles(events.WORK_ORDER_CREATED)
def notify_created(*, work_order_id: int, actor_id: int | None, event_id: str) -> int:
    """The vendor's managers hear of new work."""
    return notify_event(work_order_id=work_order_id, kind="created")


@handles(events.WORK_ORDER_TRANSITIONED)
def notify_transitioned(
    *, work_order_id: int, actor_id: int | None, action: str, from_status: str, to_status: str, event_id: str
) -> int:
    """The requester hears of the resolution (other status changes notify nobody today)."""
    return notify_event(work_order_id=work_order_id, kind=action)


@handles(events.WORK_ORDER_ASSIGNED)
def notify_assigned(
    *, work_order_id: int, actor_id: int | None, assignee_id: int | None, team_id: int | None, event_id: str
) -> int:
    """The assignee hears of the dispatch."""
    return notify_event(work_order_id=work_order_id, kind="assigned")


@handles(events.WORK_ORDER_TRANSFERRED)
def notify_transferred(
    *, work_order_id: int, actor_id: int | None, from_vendor_id: int, to_vendor_id: int, event_id: str
) -> int:
    """The managers of the vendor now in charge hear of the work order."""
    return notify_event(work_order_id=work_order_id, kind="transferred")


@handles(events.WORK_ORDER_COMMENTED)
def notify_commented(
    *, work_order_id: int, actor_id: int | None, comment_id: int, is_internal: bool, event_id: str
) -> int:
    """The requester and the assignee hear of a public comment; internal notes stay quiet."""
    if is_internal:
        return 0
    return notify_event(work_order_id=work_order_id, kind="commented")


@handles("liaisons.escalation.stepped")
def record_escalation_step(
    *, escalation_id: int, subject_type: str, subject_id: int, trigger: str, level: int, event_id: str
) -> bool:
    """An escalation level sent about a work order goes on its timeline (once per escalation and level)."""
    if subject_type != "tickets.workorder":
        return False
    return record_escalation(work_order_id=subject_id, escalation_id=escalation_id, trigger=trigger, level=level)
