"""Every write of the projects app: projects and baselines (`projects`), the plan's work packages and milestones
(`plan`), progress, cost and the snapshots (`progress`). Import the functions from here."""

from oversight.projects.services.plan import (
    MILESTONE_FIELDS,
    PACKAGE_FIELDS,
    milestone_create,
    milestone_delete,
    milestone_update,
    work_package_create,
    work_package_delete,
    work_package_update,
)
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
    plan_snapshot,
    project_create,
    project_transition,
    project_update,
)

__all__ = [
    "EDITABLE_FIELDS",
    "MILESTONE_FIELDS",
    "PACKAGE_FIELDS",
    "attributable_lines",
    "baseline_decide",
    "baseline_request",
    "cost_entry_create",
    "milestone_create",
    "milestone_delete",
    "milestone_update",
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
    "work_package_delete",
    "work_package_update",
]
