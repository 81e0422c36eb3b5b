"""What happens to evaluation periods, announced after commit (see oversight.core.events)."""

from oversight.core.events import define

EVALUATION_PERIOD_PUBLISHED = define(
    "scorecards.evaluation_period.published",
    "period_id",
    "actor_id",
    doc="A complete evaluation was published to the vendor; the dispute window opens.",
)
EVALUATION_PERIOD_SIGNED = define(
    "scorecards.evaluation_period.signed",
    "period_id",
    "actor_id",
    "side",
    doc="One side signed the evaluation: side is 'client' (first) or 'vendor' (countersigned: signed by both).",
)
EVALUATION_PERIOD_LOCKED = define(
    "scorecards.evaluation_period.locked",
    "period_id",
    "actor_id",
    doc="A period signed by both sides was locked; its figures never change again (settlement builds on it).",
)
