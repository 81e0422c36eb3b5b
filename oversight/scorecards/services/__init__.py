"""Writes of the evaluation app; every change goes through one of these services and is audited.

* schemes: `scheme_version_create`, `scheme_from_template`;
* periods: `period_open`, `period_compute`, `period_publish`, `period_sign` (`period_sign_client`,
  `period_sign_vendor`), `period_lock`, `period_revise`, `periods_compute_due` (the periodic job);
* manual values and disputes: `manual_entry_create`, `dispute_open`, `dispute_accept`, `dispute_reject`.
"""

from oversight.scorecards.services.disputes import dispute_accept, dispute_open, dispute_reject, manual_entry_create
from oversight.scorecards.services.periods import (
    dispute_deadline_for,
    latest_scheme,
    period_bounds,
    period_compute,
    period_has_ended,
    period_lock,
    period_open,
    period_publish,
    period_revise,
    period_sign,
    period_sign_client,
    period_sign_vendor,
    periods_compute_due,
)
from oversight.scorecards.services.schemes import (
    IndicatorInput,
    SchemeSettings,
    scheme_from_template,
    scheme_inputs,
    scheme_version_create,
)

__all__ = [
    "IndicatorInput",
    "SchemeSettings",
    "dispute_accept",
    "dispute_deadline_for",
    "dispute_open",
    "dispute_reject",
    "latest_scheme",
    "manual_entry_create",
    "period_bounds",
    "period_compute",
    "period_has_ended",
    "period_lock",
    "period_open",
    "period_publish",
    "period_revise",
    "period_sign",
    "period_sign_client",
    "period_sign_vendor",
    "periods_compute_due",
    "scheme_from_template",
    "scheme_inputs",
    "scheme_version_create",
]
