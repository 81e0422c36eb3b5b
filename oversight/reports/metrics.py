"""Indicator figures of a vendor (optionally within one contract version's scope) per report period.

The figures are the evaluation indicators themselves (``oversight.kpi``, defined in docs/formulas.md),
fed by the same loader as an evaluation period (``scorecards.facts_loader``), so a service report, the vendor
dashboard and a scorecard of the same month agree. The facts of a run of consecutive periods are loaded once
for the whole window and each indicator picks its own period's records, which is what the loader's selection
guarantees (a record relevant to a sub-period is relevant to the window that contains it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from oversight import kpi as indicators
from oversight.core import clock
from oversight.kpi import IndicatorResult
from oversight.kpi.facts import Period
from oversight.reports.periods import ReportPeriod
from oversight.scorecards.facts_loader import LoadedFacts, load_facts

# Every indicator a report or the dashboard shows. The repeat rate is left out: neither shows it, and it is the
# costliest to compute (each work order is compared with its requester's/CI's/category's recent ones).
REPORTED_CODES = frozenset(
    {
        indicators.RESPONSE_TIMELINESS,
        indicators.ONSITE_TIMELINESS,
        indicators.RESOLUTION_TIMELINESS,
        indicators.RESOLUTION_RATE,
        indicators.MTTR,
        indicators.FIRST_TIME_FIX,
        indicators.REOPEN_RATE,
        indicators.CSAT_MEAN,
        indicators.CSAT_SATISFIED_SHARE,
        indicators.NPS,
        indicators.COMPLAINT_COUNT,
        indicators.BACKLOG_MEAN_AGE,
        indicators.BACKLOG_MAX_AGE,
    }
)


@dataclass(frozen=True)
class PeriodFigures:
    """The reported indicators of one period, keyed by indicator code (``REPORTED_CODES``)."""

    period: ReportPeriod
    results: dict[str, IndicatorResult]
    received: int  # work orders received in the period (cancelled ones left out)

    def value(self, code: str):
        """The indicator's value (a Decimal, or None when there was nothing to measure)."""
        return self.results[code].value


def _evaluated_at(end_at: dt.datetime) -> dt.datetime:
    """Past periods are judged at their end; the running one at the present instant."""
    now = clock.now()
    return min(now, end_at)


def load_window(*, organisation, vendor, periods: list[ReportPeriod], version=None) -> LoadedFacts:
    """The facts of consecutive periods in one load (``periods`` oldest first)."""
    window = Period(periods[0].start_at, periods[-1].end_at)
    return load_facts(
        organisation_id=organisation.pk,
        vendor_id=vendor.pk,
        version=version,
        period=window,
        evaluated_at=_evaluated_at(window.end),
    )


def figures_for(facts: LoadedFacts, period: ReportPeriod) -> PeriodFigures:
    """The indicators of one period from facts loaded for a window that contains it."""
    window = period.window
    backlog_at = min(clock.now(), period.end_at)
    results = indicators.compute_all(
        work_orders=facts.work_orders,
        period=window,
        ratings=facts.ratings,
        complaints=facts.complaints,
        backlog_at=backlog_at,
        only=REPORTED_CODES,
    )
    received = sum(1 for wo in facts.work_orders if window.contains(wo.received_at))
    return PeriodFigures(period=period, results=results, received=received)


def vendor_figures(*, organisation, vendor, periods: list[ReportPeriod], version=None) -> list[PeriodFigures]:
    """The indicators of a vendor for each of consecutive periods (oldest first), from one load."""
    if not periods:
        return []
    facts = load_window(organisation=organisation, vendor=vendor, periods=periods, version=version)
    return [figures_for(facts, period) for period in periods]
