"""What happens to improvements, announced after commit (see oversight.core.events)."""

from oversight.core.events import define

ITEM_CREATED = define(
    "improvement.item.created",
    "item_id",
    "source_kind",
    "actor_id",
    doc="An improvement was raised (new), from a source or by hand.",
)
ITEM_TRANSITIONED = define(
    "improvement.item.transitioned",
    "item_id",
    "actor_id",
    "action",
    "from_status",
    "to_status",
    doc="Any status change of an improvement along its transition table.",
)
EFFECT_MEASURED = define(
    "improvement.effect.measured",
    "item_id",
    "measurement_id",
    "target_met",
    "actor_id",
    doc="The effect of an improvement was measured (target_met: true, false or null when it cannot tell).",
)
