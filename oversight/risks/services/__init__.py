"""Writes to the risk register, one module per topic; import them from here.

- `matrix`: the organisation's risk matrix and its versions;
- `register`: risks, their ratings, reviews, states and contingency actions (`risk_rating_record` and
  `contingency_open` are the interface the quantification and trigger parts call);
- `mitigations`: mitigations shared by several risks;
- `overdue`: notifying owners of overdue reviews and mitigations, once per overdue episode."""

from oversight.risks.services.matrix import (
    clean_content,
    default_content,
    risk_matrix_current,
    risk_matrix_ensure,
    risk_matrix_version_save,
)
from oversight.risks.services.mitigations import mitigation_create, mitigation_transition, mitigation_update
from oversight.risks.services.overdue import overdue_notify
from oversight.risks.services.register import (
    contingency_action_transition,
    contingency_open,
    plan_lines,
    risk_create,
    risk_rating_record,
    risk_review_record,
    risk_transition,
    risk_update,
)

__all__ = [
    "clean_content",
    "contingency_action_transition",
    "contingency_open",
    "default_content",
    "mitigation_create",
    "mitigation_transition",
    "mitigation_update",
    "overdue_notify",
    "plan_lines",
    "risk_create",
    "risk_matrix_current",
    "risk_matrix_ensure",
    "risk_matrix_version_save",
    "risk_rating_record",
    "risk_review_record",
    "risk_transition",
    "risk_update",
]
