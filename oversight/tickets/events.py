"""What happens to work orders, announced after commit for the apps that react (see oversight.core.events).

Tickets never imports the apps that react: feedback issues the rating link on resolution, the work-order
notices are sent by ``oversight.tickets.handlers`` through the notifications platform, and later apps (facts,
reports) subscribe without touching the services that publish.
"""

from oversight.core.events import define

WORK_ORDER_CREATED = define(
    "tickets.work_order.created",
    "work_order_id",
    "actor_id",
    doc="A work order was raised (any channel); its vendor's managers hear of new work.",
)
WORK_ORDER_TRANSITIONED = define(
    "tickets.work_order.transitioned",
    "work_order_id",
    "actor_id",
    "action",
    "from_status",
    "to_status",
    doc="Any status change along the transition table (the action and both statuses are codes).",
)
WORK_ORDER_RESOLVED = define(
    "tickets.work_order.resolved",
    "work_order_id",
    "actor_id",
    doc="The vendor resolved the work order: the requester may confirm it and rate the service.",
)
WORK_ORDER_REOPENED = define(
    "tickets.work_order.reopened",
    "work_order_id",
    "actor_id",
    doc="A resolved work order was reopened; its resolution clock runs again.",
)
WORK_ORDER_CLOSED = define(
    "tickets.work_order.closed",
    "work_order_id",
    "actor_id",
    "confirmed",
    doc="The work order was closed, confirmed by the requester (confirmed=True) or automatically.",
)
WORK_ORDER_ASSIGNED = define(
    "tickets.work_order.assigned",
    "work_order_id",
    "actor_id",
    "assignee_id",
    "team_id",
    doc="Dispatched (派单) or reassigned to an agent and/or a team of its vendor.",
)
WORK_ORDER_TRANSFERRED = define(
    "tickets.work_order.transferred",
    "work_order_id",
    "actor_id",
    "from_vendor_id",
    "to_vendor_id",
    doc="Moved to another service and vendor; the SLA clocks follow the new policy.",
)
WORK_ORDER_COMMENTED = define(
    "tickets.work_order.commented",
    "work_order_id",
    "actor_id",
    "comment_id",
    "is_internal",
    doc="A comment was added; internal comments are for staff only and notify nobody.",
)
WORK_ORDER_PRIORITY_CHANGED = define(
    "tickets.work_order.priority_changed",
    "work_order_id",
    "actor_id",
    "priority",
    doc="Impact or urgency changed; the priority follows the matrix and the SLA targets are those of the new one.",
)
WORK_ORDER_DETAILS_CHANGED = define(
    "tickets.work_order.details_changed",
    "work_order_id",
    "actor_id",
    "fields",
    doc="Descriptive fields were edited (comma-separated names: title, site, asset tag, ...); a new site moves "
    "the work order to another key of the service facts.",
)
WORK_ORDER_SLA_BREACHED = define(
    "tickets.work_order.sla_breached",
    "work_order_id",
    doc="The escalation sweep found a running clock past its due time and recorded the breach.",
)
WORK_ORDER_CLOCKS_RECOMPUTED = define(
    "tickets.work_order.clocks_recomputed",
    "work_order_id",
    "actor_id",
    doc="An administrator applied a calendar change to the open work order: its SLA clocks were measured again "
    "(counted time, deadlines and outcomes may move).",
)
