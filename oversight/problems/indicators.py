"""The problem indicators (pure Python, no Django): the ORM layer (`problems.kpis`) feeds plain facts.

For one vendor of an organisation and a half-open period ``[start, end)``:

* **problem resolution rate** (%): problems attributed to the vendor that were resolved in the period, as a
  share of those that were open at some time in it (opened before its end and not resolved, closed or cancelled
  before its start). Cancelled problems count in neither.
* **mean time to root cause** (business seconds): the mean, over the vendor's problems whose root cause was
  found in the period, of the business time (on the organisation's calendar) from opening to the root cause.
* **known-error share** (%): the vendor's incidents received in the period that are linked to a problem with a
  known error, as a share of the vendor's incidents received in the period.
* **recurring incidents** (count): the vendor's incidents received in the period that are linked to a problem
  with at least two linked incidents (an incident that happened again).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from oversight.kpi import IndicatorResult
from oversight.kpi.facts import Period
from oversight.kpi.results import mean, share_of

PROBLEM_RESOLUTION_RATE = "problem_resolution_rate"
MEAN_TIME_TO_ROOT_CAUSE = "mean_time_to_root_cause"
KNOWN_ERROR_SHARE = "known_error_incident_share"
RECURRING_INCIDENTS = "recurring_incidents"


@dataclass(frozen=True)
class ProblemFacts:
    """One problem: when it was opened, found its root cause, was resolved or ended (closed or cancelled
    without resolution), and the business seconds from opening to the root cause (None: not found or not
    measurable)."""

    id: int
    created_at: dt.datetime
    cancelled: bool = False
    root_cause_found_at: dt.datetime | None = None
    resolved_at: dt.datetime | None = None
    ended_at: dt.datetime | None = None
    seconds_to_root_cause: Decimal | None = None


@dataclass(frozen=True)
class IncidentFacts:
    """One incident: when it was received, its problem's id (None: not linked), whether that problem has a
    known error, and how many incidents that problem has linked."""

    id: int
    received_at: dt.datetime
    problem_id: int | None = None
    known_error: bool = False
    problem_incidents: int = 0


def problem_resolution_rate(problems: list[ProblemFacts], period: Period) -> IndicatorResult:
    """Problems resolved in the period / problems open at some time in it (see the module docstring)."""
    open_ids, resolved_ids = [], []
    for p in problems:
        if p.cancelled or p.created_at >= period.end:
            continue
        finished = p.resolved_at or p.ended_at
        if finished is not None and finished < period.start:
            continue
        open_ids.append(p.id)
        if period.contains(p.resolved_at):
            resolved_ids.append(p.id)
    return share_of(PROBLEM_RESOLUTION_RATE, resolved_ids, open_ids)


def mean_time_to_root_cause(problems: list[ProblemFacts], period: Period) -> IndicatorResult:
    """Mean business seconds from opening to root cause, over the problems whose cause was found in the period."""
    ids, total = [], Decimal(0)
    for p in problems:
        if period.contains(p.root_cause_found_at) and p.seconds_to_root_cause is not None:
            ids.append(p.id)
            total += p.seconds_to_root_cause
    return IndicatorResult(
        code=MEAN_TIME_TO_ROOT_CAUSE,
        unit="seconds",
        numerator=total,
        denominator=Decimal(len(ids)),
        value=mean(total, Decimal(len(ids))),
        numerator_ids=tuple(ids),
        denominator_ids=tuple(ids),
    )


def known_error_share(incidents: list[IncidentFacts], period: Period) -> IndicatorResult:
    """Incidents received in the period linked to a problem with a known error / incidents received in it."""
    received = [i for i in incidents if period.contains(i.received_at)]
    known = [i.id for i in received if i.problem_id is not None and i.known_error]
    return share_of(KNOWN_ERROR_SHARE, known, [i.id for i in received])


def recurring_incidents(incidents: list[IncidentFacts], period: Period) -> IndicatorResult:
    """Incidents received in the period linked to a problem with at least two linked incidents (a count)."""
    ids = [
        i.id
        for i in incidents
        if period.contains(i.received_at) and i.problem_id is not None and i.problem_incidents >= 2
    ]
    return IndicatorResult(
        code=RECURRING_INCIDENTS,
        unit="count",
        numerator=Decimal(len(ids)),
        denominator=None,
        value=Decimal(len(ids)),
        numerator_ids=tuple(ids),
    )
