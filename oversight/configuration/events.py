"""What happens to configuration items, announced after commit (see oversight.core.events)."""

from oversight.core.events import define

CI_CREATED = define(
    "configuration.ci.created",
    "ci_id",
    "actor_id",
    doc="A configuration item was recorded.",
)
CI_STATUS_CHANGED = define(
    "configuration.ci.status_changed",
    "ci_id",
    "actor_id",
    "action",
    "from_status",
    "to_status",
    doc="A configuration item changed status (put into use, under maintenance, down, restored, retired): "
    "what it impacts may have changed.",
)
CI_RELATION_CHANGED = define(
    "configuration.relation.changed",
    "source_id",
    "target_id",
    "relation_type",
    "added",
    "actor_id",
    doc="A relation between two configuration items was added or removed: impact follows the new graph.",
)
WORK_ORDER_CI_LINKED = define(
    "configuration.work_order.ci_linked",
    "work_order_id",
    "ci_id",
    "linked",
    "actor_id",
    doc="A configuration item was linked to a work order (linked=True) or unlinked from it (linked=False).",
)
CI_IMPORTED = define(
    "configuration.ci.imported",
    "import_id",
    "created",
    "updated",
    "actor_id",
    doc="A file of configuration items was imported: `created` new CIs and `updated` changed ones, all at once.",
)
