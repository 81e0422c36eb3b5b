"""KPI formulas of the indicator system (服务评价指标体系) over plain records (pure Python, no Django).

One module per topic: :mod:`~oversight.kpi.timeliness`, :mod:`~oversight.kpi.resolution`,
:mod:`~oversight.kpi.satisfaction`, :mod:`~oversight.kpi.backlog`, :mod:`~oversight.kpi.availability` and
:mod:`~oversight.kpi.people`; the codes in :mod:`~oversight.kpi.codes`, the result type and the exact
arithmetic in :mod:`~oversight.kpi.results`, each formula's unit and direction and :func:`compute_all` in
:mod:`~oversight.kpi.catalogue`. This package imports no Django, so every app may use it; the open registry
of sources (labels, loaders, drill-down) is :mod:`oversight.core.kpis`.

The ORM layer turns work orders, SLA clocks, ratings and complaints into the frozen records of
:mod:`oversight.kpi.facts` (re-exported here: :class:`WorkOrderFacts`,
:class:`RatingFacts`, :class:`ComplaintFacts`, :class:`Outage`, :class:`Period`) and calls
one function per indicator. Every function returns an :class:`IndicatorResult` carrying the
numerator, the denominator, the value and the ids of the records behind both, so each figure of an
evaluation can be drilled down to the exact work orders / ratings that produced it.

Conventions (the same for every indicator; ``docs/formulas.md`` is the reader's version)
----------------------------------------------------------------------------------------
* **Period**: a half-open interval ``[start, end)`` of aware datetimes (:class:`Period`). An
  instant ``t`` is *in the period* iff ``start <= t < end``.
* **Cancelled work orders** (``cancelled=True``) are excluded from every indicator.
* **Rates are percentages** (0-100): ``value = 100 * numerator / denominator``.
* **Never divide by zero, never invent a value**: when the denominator is 0 the value is
  ``None`` (the scoring layer's missing-value policy decides what that means).
* **Exact arithmetic**: numerators, denominators and values are ``Decimal``; every division is
  done once, in a fixed context (28 significant digits, half-even), so a result is reproducible
  bit for bit. Nothing is rounded here: rounding belongs to the scoring/reporting layer.
* **Snapshot**: the facts describe the work orders as known when the evaluation runs; an
  evaluation recomputed later from the same facts gives the same numbers.

Ids (``RecordId``) are whatever the caller uses (database primary keys, numbers); they are
returned in the order of the input, each at most once.
"""

from oversight.kpi.availability import availability
from oversight.kpi.backlog import (
    DEFAULT_BACKLOG_BUCKETS,
    AgeBucket,
    BacklogAge,
    backlog_age,
    backlog_max_age,
    backlog_mean_age,
)
from oversight.kpi.catalogue import CATALOGUE, IndicatorSpec, compute_all
from oversight.kpi.codes import (
    AVAILABILITY,
    BACKLOG_MAX_AGE,
    BACKLOG_MEAN_AGE,
    CERTIFICATE_VALIDITY,
    COMPLAINT_COUNT,
    CSAT_MEAN,
    CSAT_SATISFIED_SHARE,
    FIRST_TIME_FIX,
    MTTR,
    NPS,
    ONSITE_TIMELINESS,
    REOPEN_RATE,
    REPEAT_RATE,
    RESOLUTION_RATE,
    RESOLUTION_TIMELINESS,
    RESPONSE_TIMELINESS,
    STAFF_FILL_RATE,
)
from oversight.kpi.facts import (
    NOT_APPLICABLE,
    ComplaintFacts,
    Outage,
    Period,
    RatingFacts,
    RecordId,
    TargetOutcome,
    WorkOrderFacts,
)
from oversight.kpi.people import CertificateFacts, StaffFacts, certificate_state, certificate_validity, staff_fill_rate
from oversight.kpi.resolution import (
    DEFAULT_REPEAT_MATCH,
    first_time_fix_rate,
    mttr,
    reopen_rate,
    repeat_rate,
    resolution_rate,
)
from oversight.kpi.results import IndicatorResult, Unit, percent
from oversight.kpi.satisfaction import complaint_count, csat_mean, csat_satisfied_share, nps
from oversight.kpi.timeliness import onsite_timeliness, resolution_timeliness, response_timeliness

__all__ = [
    "AVAILABILITY",
    "BACKLOG_MAX_AGE",
    "BACKLOG_MEAN_AGE",
    "CATALOGUE",
    "CERTIFICATE_VALIDITY",
    "COMPLAINT_COUNT",
    "CSAT_MEAN",
    "CSAT_SATISFIED_SHARE",
    "DEFAULT_BACKLOG_BUCKETS",
    "DEFAULT_REPEAT_MATCH",
    "FIRST_TIME_FIX",
    "MTTR",
    "NOT_APPLICABLE",
    "NPS",
    "ONSITE_TIMELINESS",
    "REOPEN_RATE",
    "REPEAT_RATE",
    "RESOLUTION_RATE",
    "RESOLUTION_TIMELINESS",
    "RESPONSE_TIMELINESS",
    "STAFF_FILL_RATE",
    "AgeBucket",
    "BacklogAge",
    "CertificateFacts",
    "ComplaintFacts",
    "IndicatorResult",
    "IndicatorSpec",
    "Outage",
    "Period",
    "RatingFacts",
    "RecordId",
    "StaffFacts",
    "TargetOutcome",
    "Unit",
    "WorkOrderFacts",
    "availability",
    "backlog_age",
    "backlog_max_age",
    "backlog_mean_age",
    "certificate_state",
    "certificate_validity",
    "complaint_count",
    "compute_all",
    "csat_mean",
    "csat_satisfied_share",
    "first_time_fix_rate",
    "mttr",
    "nps",
    "onsite_timeliness",
    "percent",
    "reopen_rate",
    "repeat_rate",
    "resolution_rate",
    "resolution_timeliness",
    "response_timeliness",
    "staff_fill_rate",
]
