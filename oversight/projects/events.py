"""What happens to projects, announced after commit (see oversight.core.events)."""

from oversight.core.events import define

PROJECT_CREATED = define(
    "projects.project.created",
    "project_id",
    "actor_id",
    doc="A project was opened (in planning).",
)
PROJECT_TRANSITIONED = define(
    "projects.project.transitioned",
    "project_id",
    "actor_id",
    "action",
    "from_status",
    "to_status",
    doc="Any status change of a project along its transition table (start sets the first baseline).",
)
PROGRESS_RECORDED = define(
    "projects.progress.recorded",
    "project_id",
    "record_id",
    "status_date",
    "light",
    "actor_id",
    doc="Progress was recorded at a status date and the project's snapshot recomputed (light: its traffic light).",
)
BASELINE_REQUESTED = define(
    "projects.baseline.requested",
    "project_id",
    "baseline_id",
    "actor_id",
    doc="A re-baseline was requested; a client supervisor is to approve or reject it.",
)
BASELINE_APPROVED = define(
    "projects.baseline.approved",
    "project_id",
    "baseline_id",
    "actor_id",
    doc="A baseline was approved (or set when the project started) and is now the plan measured against.",
)
BASELINE_REJECTED = define(
    "projects.baseline.rejected",
    "project_id",
    "baseline_id",
    "actor_id",
    doc="A requested re-baseline was rejected; the previous baseline stays.",
)
COST_RECORDED = define(
    "projects.cost.recorded",
    "project_id",
    "source",
    "actor_id",
    doc="Actual cost was added to a project: a cost entry or an attributed settlement line.",
)
