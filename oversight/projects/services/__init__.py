"""Every write of the projects app: projects, their plan and baselines (`projects`), progress, cost and the
snapshots (`progress`). Import the functions from here."""

from oversight.projects.services.progress import (
    attributable_lines,
    cost_entry_create,
    progress_record,
    settlement_link_create,
    settlement_link_delete,
    snapshot_store,
    snapshots_refresh,
)
from oversight.projects.services.projects import (
    EDITABLE_FIELDS,
    baseline_decide,
    baseline_request,
    milestone_create,
    plan_snapshot,
    project_create,
    project_transition,
    project_update,
    work_package_create,
)

__all__ = [
    "EDITABLE_FIELDS",
    "attributable_lines",
    "baseline_decide",
    "baseline_request",
    "cost_entry_create",
    "milestone_create",
    "plan_snapshot",
    "progress_record",
    "project_create",
    "project_transition",
    "project_update",
    "settlement_link_create",
    "settlement_link_delete",
    "snapshot_store",
    "snapshots_refresh",
    "work_package_create",
]
