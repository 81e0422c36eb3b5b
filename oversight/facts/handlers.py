"""The service facts follow the work orders, their ratings and complaints through the domain events.

Each handler recomputes the rows one work order touches (``services.facts_refresh_work_order``): whole rows
from the current state, so a redelivered or reordered event changes nothing twice. The SLA sweep's breach, a
priority change and an edited site move a work order's figures too, so they are followed like the status changes.
"""

from __future__ import annotations

from oversight.core.events import handles
from oversight.facts.services import facts_refresh_work_order

WORK_ORDER_EVENTS = (
    "tickets.work_order.created",
    "tickets.work_order.transitioned",
    "tickets.work_order.assigned",
    "tickets.work_order.transferred",
    "tickets.work_order.priority_changed",
    "tickets.work_order.details_changed",
    "tickets.work_order.sla_breached",
    "feedback.rating.submitted",
    "feedback.complaint.opened",
)


def refresh_facts(*, work_order_id: int, event_id: str, **payload) -> None:
    """Recompute the facts of the work order the event is about (every event here names one)."""
    facts_refresh_work_order(work_order_id=work_order_id)


for _name in WORK_ORDER_EVENTS:
    handles(_name)(refresh_facts)
