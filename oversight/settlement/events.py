"""What happens to settlement statements, announced after commit (see oversight.core.events)."""

from oversight.core.events import define

STATEMENT_APPROVED = define(
    "settlement.statement.approved",
    "statement_id",
    "actor_id",
    doc="A draft statement reproduced from its stored inputs and was approved (and so locked).",
)
