"""What happens in the risk register, announced after commit (see oversight.core.events). The quantification
and trigger parts of the app add their own blocks below."""

from oversight.core.events import define

RISK_CREATED = define("risks.risk.created", "risk_id", "actor_id", doc="A risk was recorded in the register.")
RISK_UPDATED = define("risks.risk.updated", "risk_id", "actor_id", doc="A risk's details changed.")
RISK_RATED = define(
    "risks.risk.rated",
    "risk_id",
    "rating_id",
    "kind",
    "level",
    "previous_level",
    "actor_id",
    doc="A risk was rated (inherent, current, target or residual); previous_level is that kind's level before.",
)
RISK_TRANSITIONED = define(
    "risks.risk.transitioned",
    "risk_id",
    "actor_id",
    "action",
    "from_status",
    "to_status",
    doc="A risk moved along its states (assessed, treating, monitoring, closed, reopened).",
)
REVIEW_RECORDED = define(
    "risks.review.recorded",
    "review_id",
    "risk_id",
    "actor_id",
    doc="A risk was reviewed; its next review date moved.",
)
MITIGATION_CREATED = define("risks.mitigation.created", "mitigation_id", "actor_id", doc="A mitigation was recorded.")
MITIGATION_TRANSITIONED = define(
    "risks.mitigation.transitioned",
    "mitigation_id",
    "actor_id",
    "action",
    "from_status",
    "to_status",
    doc="A mitigation started, was done, cancelled or reopened.",
)
CONTINGENCY_OPENED = define(
    "risks.contingency.opened",
    "risk_id",
    "trigger_key",
    "action_count",
    "actor_id",
    doc="A risk's contingency plan was opened as tracked actions (once per trigger key).",
)

# Key risk indicators: a red episode raised its risk event, and the episode ended (the liaisons app escalates it).
KRI_BREACHED = define(
    "risks.kri.breached",
    "risk_event_id",
    "kri_id",
    doc="A key risk indicator went red: its episode raised a risk event (once per episode).",
)
KRI_RECOVERED = define(
    "risks.kri.recovered",
    "risk_event_id",
    "kri_id",
    doc="A key risk indicator's red episode ended.",
)
