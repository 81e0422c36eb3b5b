"""Indicator figures of a vendor (optionally within one contract version's scope) per report period.

The figures are the registered indicator sources (``oversight.core.kpis``, docs/indicators.md) whose ``uses``
include ``report``, fed by the same loaders as an evaluation period, so a service report, the vendor dashboard
and a scorecard of the same month agree. The facts of a run of consecutive periods are loaded once per loader
for the whole window and each indicator picks its own period's records, which is what a loader's selection
guarantees (a record relevant to a sub-period is relevant to the window that contains it).

What reports and the dashboard show goes through :func:`fact_period_figures`: the sources the pre-aggregated
service facts (``oversight.facts``) hold are read from their daily sums, a handful of queries whatever the number
of work orders, with the same values as :func:`vendor_figures`; any other registered source through its loader.
:func:`vendor_figures` stays the drill-down path (every result lists its records).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from oversight.core import clock, kpis
from oversight.facts.selectors import CODES as FACT_CODES
from oversight.facts.selectors import fact_figures
from oversight.kpi import IndicatorResult
from oversight.kpi.facts import Period
from oversight.reports.periods import ReportPeriod
from oversight.scorecards.kpis import SERVICE


def reported_codes() -> frozenset[str]:
    """Every registered indicator computed for reports and the dashboard (``Source.uses`` has ``report``).

    The repeat rate is left out by its registration: neither shows it, and it is the costliest to compute (each
    work order is compared with its requester's/CI's/category's recent ones).
    """
    return frozenset(kpis.registry.codes(kpis.REPORT))


def __getattr__(name: str):
    """``REPORTED_CODES``: :func:`reported_codes` read when asked, so a source registered later is included."""
    if name == "REPORTED_CODES":
        return reported_codes()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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


def _scope(*, organisation, vendor, version, end: dt.datetime) -> kpis.Scope:
    return kpis.Scope(
        organisation_id=organisation.pk, vendor_id=vendor.pk, version=version, evaluated_at=_evaluated_at(end)
    )


def load_window(*, organisation, vendor, periods: list[ReportPeriod], version=None) -> kpis.Facts:
    """The facts of consecutive periods, each loader's loaded once for the whole window (``periods`` oldest first)."""
    window = Period(periods[0].start_at, periods[-1].end_at)
    return kpis.Facts(_scope(organisation=organisation, vendor=vendor, version=version, end=window.end), window)


def empty_facts(periods: list[ReportPeriod]) -> kpis.Facts:
    """Facts of nothing (no contract version in force): every figure has no value."""
    return kpis.Facts(None, Period(periods[0].start_at, periods[-1].end_at))


def figures_for(facts: kpis.Facts, period: ReportPeriod) -> PeriodFigures:
    """The reported indicators of one period from facts loaded for a window that contains it."""
    window = period.window
    backlog_at = min(clock.now(), period.end_at)
    measured = kpis.Window(window, backlog_at)
    results = {source.code: kpis.compute(source, facts, measured) for source in kpis.registry.sources(kpis.REPORT)}
    work_orders = facts.get(SERVICE).work_orders
    received = sum(1 for wo in work_orders if window.contains(wo.received_at))
    return PeriodFigures(period=period, results=results, received=received)


def vendor_figures(*, organisation, vendor, periods: list[ReportPeriod], version=None) -> list[PeriodFigures]:
    """The indicators of a vendor for each of consecutive periods (oldest first), from one load per loader."""
    if not periods:
        return []
    facts = load_window(organisation=organisation, vendor=vendor, periods=periods, version=version)
    return [figures_for(facts, period) for period in periods]


def fact_period_figures(
    *, organisation, vendor_ids, periods: list[ReportPeriod], version=None, only=None
) -> dict[int, list[PeriodFigures]]:
    """Per vendor, the reported indicators (or those in ``only``) of consecutive periods (oldest first).

    The codes the service facts hold come from them; a source registered without facts (a new app's) is computed
    through its own loader, loaded once per vendor for the whole window. Results read from the facts list no
    records except the backlog's.
    """
    codes = frozenset(only) if only is not None else reported_codes()
    read = fact_figures(
        organisation=organisation, vendor_ids=vendor_ids, periods=periods, version=version, only=codes & FACT_CODES
    )
    others = [s for s in kpis.registry.sources(kpis.REPORT) if s.code in codes - FACT_CODES]
    out = {}
    for vendor_id, per_period in read.items():
        loaded = None
        if others:
            window = Period(periods[0].start_at, periods[-1].end_at)
            scope = kpis.Scope(
                organisation_id=organisation.pk,
                vendor_id=vendor_id,
                version=version,
                evaluated_at=_evaluated_at(window.end),
            )
            loaded = kpis.Facts(scope, window)
        figures = []
        for period, from_facts in zip(periods, per_period, strict=True):
            results = dict(from_facts.results)
            if others:
                measured = kpis.Window(period.window, min(clock.now(), period.end_at))
                results.update({source.code: kpis.compute(source, loaded, measured) for source in others})
            figures.append(PeriodFigures(period=period, results=results, received=from_facts.received))
        out[vendor_id] = figures
    return out
