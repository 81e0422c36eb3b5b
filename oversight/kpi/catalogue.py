"""What each built-in formula returns (unit, direction) and every work-order, rating and complaint indicator at once.

Pure Python, no Django. The registry of sources (:mod:`oversight.core.kpis`) takes each built-in source's unit
and direction from :data:`CATALOGUE`, so the formula and the registry cannot disagree.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from oversight.kpi.backlog import backlog_max_age, backlog_mean_age
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
from oversight.kpi.facts import ComplaintFacts, Period, RatingFacts, WorkOrderFacts
from oversight.kpi.resolution import (
    DEFAULT_REPEAT_MATCH,
    RepeatField,
    first_time_fix_rate,
    mttr,
    reopen_rate,
    repeat_rate,
    resolution_rate,
)
from oversight.kpi.results import IndicatorResult, Unit
from oversight.kpi.satisfaction import complaint_count, csat_mean, csat_satisfied_share, nps
from oversight.kpi.timeliness import onsite_timeliness, resolution_timeliness, response_timeliness


@dataclass(frozen=True, slots=True)
class IndicatorSpec:
    """What an indicator measures: its unit and whether a higher value is better."""

    code: str
    unit: Unit
    higher_is_better: bool


CATALOGUE: Mapping[str, IndicatorSpec] = {
    spec.code: spec
    for spec in (
        IndicatorSpec(RESPONSE_TIMELINESS, "percent", True),
        IndicatorSpec(ONSITE_TIMELINESS, "percent", True),
        IndicatorSpec(RESOLUTION_TIMELINESS, "percent", True),
        IndicatorSpec(RESOLUTION_RATE, "percent", True),
        IndicatorSpec(MTTR, "seconds", False),
        IndicatorSpec(FIRST_TIME_FIX, "percent", True),
        IndicatorSpec(REOPEN_RATE, "percent", False),
        IndicatorSpec(REPEAT_RATE, "percent", False),
        IndicatorSpec(CSAT_MEAN, "stars", True),
        IndicatorSpec(CSAT_SATISFIED_SHARE, "percent", True),
        IndicatorSpec(NPS, "nps", True),
        IndicatorSpec(COMPLAINT_COUNT, "count", False),
        IndicatorSpec(BACKLOG_MEAN_AGE, "seconds", False),
        IndicatorSpec(BACKLOG_MAX_AGE, "seconds", False),
        IndicatorSpec(AVAILABILITY, "percent", True),
        IndicatorSpec(STAFF_FILL_RATE, "percent", True),
        IndicatorSpec(CERTIFICATE_VALIDITY, "percent", True),
    )
}


def compute_all(
    *,
    work_orders: Sequence[WorkOrderFacts],
    period: Period,
    ratings: Sequence[RatingFacts] = (),
    complaints: Sequence[ComplaintFacts] = (),
    reopen_window_days: int = 7,
    repeat_window_days: int = 30,
    repeat_match: Sequence[Sequence[RepeatField]] = DEFAULT_REPEAT_MATCH,
    backlog_at: datetime | None = None,
    only: Collection[str] | None = None,
) -> dict[str, IndicatorResult]:
    """Every indicator computed from work orders, ratings and complaints, keyed by code.

    Availability needs agreed time and outages and is computed separately (:func:`availability`).
    The backlog is measured at ``backlog_at`` (default: the end of the period). ``only`` limits the result to
    those codes (reports and dashboards skip the repeat rate, the costliest of all).
    """
    at = period.end if backlog_at is None else backlog_at
    computations = {
        RESPONSE_TIMELINESS: lambda: response_timeliness(work_orders, period),
        ONSITE_TIMELINESS: lambda: onsite_timeliness(work_orders, period),
        RESOLUTION_TIMELINESS: lambda: resolution_timeliness(work_orders, period),
        RESOLUTION_RATE: lambda: resolution_rate(work_orders, period),
        MTTR: lambda: mttr(work_orders, period),
        FIRST_TIME_FIX: lambda: first_time_fix_rate(work_orders, period, reopen_window_days=reopen_window_days),
        REOPEN_RATE: lambda: reopen_rate(work_orders, period),
        REPEAT_RATE: lambda: repeat_rate(work_orders, period, window_days=repeat_window_days, match=repeat_match),
        CSAT_MEAN: lambda: csat_mean(ratings, period),
        CSAT_SATISFIED_SHARE: lambda: csat_satisfied_share(ratings, period),
        NPS: lambda: nps(ratings, period),
        COMPLAINT_COUNT: lambda: complaint_count(complaints, period),
        BACKLOG_MEAN_AGE: lambda: backlog_mean_age(work_orders, at),
        BACKLOG_MAX_AGE: lambda: backlog_max_age(work_orders, at),
    }
    unknown = set(only or ()) - computations.keys()
    if unknown:
        raise ValueError(f"unknown indicator codes: {sorted(unknown)}")
    return {code: compute() for code, compute in computations.items() if only is None or code in only}
