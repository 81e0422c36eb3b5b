"""What happens to problems, announced after commit (see oversight.core.events)."""

from oversight.core.events import define

PROBLEM_CREATED = define(
    "problems.problem.created",
    "problem_id",
    "actor_id",
    doc="A problem was opened (by hand, from selected incidents or from a suggestion).",
)
PROBLEM_TRANSITIONED = define(
    "problems.problem.transitioned",
    "problem_id",
    "actor_id",
    "action",
    "from_status",
    "to_status",
    doc="Any status change of a problem along its transition table.",
)
PROBLEM_INCIDENT_LINKED = define(
    "problems.problem.incident_linked",
    "problem_id",
    "work_order_id",
    "actor_id",
    doc="An incident was linked to a problem.",
)
PROBLEM_INCIDENT_UNLINKED = define(
    "problems.problem.incident_unlinked",
    "problem_id",
    "work_order_id",
    "actor_id",
    doc="An incident was unlinked from a problem.",
)
KNOWN_ERROR_RECORDED = define(
    "problems.known_error.recorded",
    "known_error_id",
    "problem_id",
    "actor_id",
    doc="A known error was recorded (its symptom, root cause and workaround can now be searched).",
)
PROBLEM_SUGGESTED = define(
    "problems.suggestion.created",
    "suggestion_id",
    doc="Recurring incidents of one service, category or configuration item suggest opening a problem.",
)
