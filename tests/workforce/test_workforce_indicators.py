"""The workforce indicators: the pure formulas by hand, and the registered sources on stored data."""

import datetime as dt
from decimal import Decimal

import pytest

from oversight.core import clock, kpis
from oversight.kpi.facts import Period
from oversight.workforce import indicators as ind
from oversight.workforce import kpis as wkpis
from oversight.workforce import services
from tests.workforce.conftest import fact, local

D = Decimal
FACTS = [
    ind.IntervalFacts(1, True, False, D("14"), 14, 100, D("90")),
    ind.IntervalFacts(2, False, True, D("10"), 14, 130, D("100")),
    ind.IntervalFacts(3, False, False, D("7"), 14, 50, None),
    ind.IntervalFacts(4, None, False, D("0"), 0, 0, D("5")),
]


def test_service_level_met_with_attribution_by_hand():
    result = ind.sl_met_attributed(FACTS)
    assert result.value == pytest.approx(D(2) * 100 / 3)  # met + excused over the three with a service level
    assert result.numerator_ids == (1, 2) and result.denominator_ids == (1, 2, 3)


def test_staffed_to_required_by_hand():
    result = ind.staffed_ratio(FACTS)
    assert result.numerator == D(31) and result.denominator == D(42)
    assert result.value == pytest.approx(D(31) * 100 / 42)


def test_vendor_accuracy_by_hand():
    # Covered: |100 − 90| + |130 − 100| + |0 − 5| = 45 over 230 actual → accuracy 100 − 19.565… %
    result = ind.vendor_accuracy(FACTS)
    assert result.value == pytest.approx(100 - D(45) * 100 / 230)
    assert ind.vendor_accuracy([FACTS[2]]).value is None


def test_registered_sources_compute_on_stored_data(world, cc):
    day = dt.date(2026, 3, 2)
    with clock.frozen_at(local(day, 0) - dt.timedelta(hours=2)):
        services.snapshot_publish(
            queue=cc.queue,
            source="vendor",
            model="submitted",
            points=[(local(day, 9), 100, 180), (local(day, 9, 30), 100, 180)],
            actor=world.users["vendor_manager"],
        )
    fact(cc.queue, local(day, 9), 130, within=50)  # missed, excused (staffed 14 ≥ 13.05 for 100)
    fact(cc.queue, local(day, 9, 30), 100, within=100)  # met
    services.attribution_apply(queue=cc.queue, first_day=day, last_day=day, actor=None)
    wkpis.register()
    assert {s.code for s in kpis.registry.sources() if s.owner == "workforce"} == {
        ind.SL_ATTRIBUTED,
        ind.STAFFED_RATIO,
        ind.VENDOR_ACCURACY,
    }
    scope = kpis.Scope(organisation_id=world.org.pk, vendor_id=world.vendor.pk, evaluated_at=local(day, 23))
    period = Period(local(day, 0), local(day + dt.timedelta(days=1), 0))
    facts = wkpis.load_workforce_facts(scope, period)
    assert len(facts) == 2
    assert ind.sl_met_attributed(facts).value == 100
    # 130 offered at 180 s needs 17 agents; 100 needs 14: staffed 28 of 31.
    assert ind.staffed_ratio(facts).denominator == 31
    assert ind.vendor_accuracy(facts).value == pytest.approx(100 - D(30) * 100 / 230)
