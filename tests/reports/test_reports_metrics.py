"""Report figures: one load for a run of periods gives each period exactly what a separate load would."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from oversight import kpi as indicators
from oversight.contracts.selectors import contract_version_for_period
from oversight.core import clock, kpis
from oversight.reports.metrics import REPORTED_CODES, vendor_figures
from oversight.reports.periods import period_from_key, trailing_periods
from oversight.scorecards.facts_loader import load_facts
from tests.scorecards.conftest import EVAL_AT, build_fixture, make_contract


def _separately(world, period, version):
    """The scorecard's way: load the facts of this one period and compute every indicator.

    The service indicators come from the work-order facts in one go; a reported source of another app (the
    knowledge base's) from its own loader, loaded for this one period.
    """
    facts = load_facts(
        organisation_id=world.org.pk,
        vendor_id=world.vendor.pk,
        version=version,
        period=period.window,
        evaluated_at=min(clock.now(), period.end_at),
    )
    results = indicators.compute_all(
        work_orders=facts.work_orders,
        period=period.window,
        ratings=facts.ratings,
        complaints=facts.complaints,
        backlog_at=min(clock.now(), period.end_at),
    )
    at = min(clock.now(), period.end_at)
    scope = kpis.Scope(organisation_id=world.org.pk, vendor_id=world.vendor.pk, version=version, evaluated_at=at)
    own_loads = kpis.Facts(scope, period.window)
    for source in kpis.registry.sources(kpis.REPORT):
        if source.code not in results:
            results[source.code] = kpis.compute(source, own_loads, kpis.Window(period.window, at))
    return results


def test_window_load_matches_per_period_loads_and_hand_counts(world):
    contract = make_contract(world, vendor=world.vendor, service=world.service, number="C-RPT-1")
    build_fixture(world)
    september = period_from_key("2026-09", world.org)
    run = trailing_periods(september, world.org, 3)
    version = contract_version_for_period(contract, run[0].first, run[-1].last)
    with clock.frozen_at(EVAL_AT):
        vendor_wide = vendor_figures(organisation=world.org, vendor=world.vendor, periods=run)
        scoped = vendor_figures(organisation=world.org, vendor=world.vendor, periods=run, version=version)
        for figures in (*vendor_wide, *scoped):
            version_used = version if figures in scoped else None
            separate = _separately(world, figures.period, version_used)
            assert set(figures.results) == REPORTED_CODES == set(separate) - {"repeat_rate"}
            assert {code: r.value for code, r in figures.results.items()} == {
                code: separate[code].value for code in REPORTED_CODES
            }
            assert {code: r.numerator_ids for code, r in figures.results.items()} == {
                code: separate[code].numerator_ids for code in REPORTED_CODES
            }
    # By hand (tests/scorecards/conftest.py): July has A, B, C, D and H (F is cancelled, G is another vendor's);
    # H lies outside the contract's scope; August is empty; E arrives in September.
    assert [f.received for f in vendor_wide] == [5, 0, 1]
    assert [f.received for f in scoped] == [4, 0, 1]
    july = vendor_wide[0]
    # Ratings of this vendor in July: 5★/10, 2★/3, 4★/8 -> mean 11/3, two of three 4–5★, NPS (1 − 1)/3 = 0.
    assert abs(july.value("csat_mean") - Decimal(11) / Decimal(3)) < Decimal("0.01")
    assert abs(july.value("csat_satisfied_share") - Decimal(200) / Decimal(3)) < Decimal("0.01")
    assert july.value("nps") == 0
    assert vendor_wide[1].value("csat_mean") is None  # nothing rated in August: no value, not zero
    assert run[0].start_at == dt.datetime(2026, 6, 30, 16, tzinfo=dt.UTC)
