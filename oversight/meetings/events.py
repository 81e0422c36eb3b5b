"""What happens to meetings and action items, announced after commit (see oversight.core.events)."""

from oversight.core.events import define

MEETING_TRANSITIONED = define(
    "meetings.meeting.transitioned",
    "meeting_id",
    "actor_id",
    "action",
    "from_status",
    "to_status",
    doc="A meeting was held, its minutes submitted or signed by both sides, or it was cancelled.",
)
ACTION_ITEM_CREATED = define(
    "meetings.action_item.created",
    "item_id",
    "meeting_id",
    "owner_id",
    "actor_id",
    doc="A meeting gave someone an action item with a due date in working days.",
)
ACTION_ITEM_CLOSED = define(
    "meetings.action_item.closed",
    "item_id",
    "status",
    "actor_id",
    doc="An action item was done or cancelled (its escalation, if any, is settled).",
)
ACTION_ITEM_OVERDUE = define(
    "meetings.action_item.overdue",
    "item_id",
    "due_at",
    doc="An open action item passed its due moment and was escalated through the escalation matrix.",
)
