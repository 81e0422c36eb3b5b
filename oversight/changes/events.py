"""What happens to changes, announced after commit (see oversight.core.events)."""

from oversight.core.events import define

CHANGE_CREATED = define(
    "changes.change.created",
    "change_id",
    "actor_id",
    doc="A change was requested (normal, emergency, or standard from a template).",
)
CHANGE_TRANSITIONED = define(
    "changes.change.transitioned",
    "change_id",
    "actor_id",
    "action",
    "from_status",
    "to_status",
    doc="Any status change of a change along its transition table.",
)
WINDOW_CREATED = define(
    "changes.window.created",
    "window_id",
    "actor_id",
    doc="A blackout or maintenance window was added to the change calendar (scheduled changes are re-checked).",
)
