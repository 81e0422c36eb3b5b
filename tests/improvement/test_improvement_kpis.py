"""The register's KPI sources against hand calculations: improvements delivered (closed with the target met ÷ closed)
and benefit realised (Σ benefit amounts of the items closed), for one vendor and period through the registry.

July 2026 (Asia/Shanghai), vendor "desk": A closed, latest measurement met (an earlier one missed), benefit 1 000;
B closed, measurement missed, no amount; C closed without indicator, benefit 250.50; D rejected (not closed);
E closed in August (outside); F the other vendor's, met. Delivered = 1 ÷ 3 = 33.33…%, benefit = 1 250.50."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from oversight.core import clock, kpis
from oversight.improvement import indicators, services
from oversight.improvement.models import EffectMeasurement
from oversight.kpi import Period
from tests.improvement.conftest import noon, raise_item

D = Decimal
DAY = dt.date
JULY = Period(dt.datetime(2026, 6, 30, 16, tzinfo=dt.UTC), dt.datetime(2026, 7, 31, 16, tzinfo=dt.UTC))


def _closed(world, *, on: dt.date, vendor=None, indicator="", met=(), amount=None, reject=False):
    supervisor, admin = world.users["client_supervisor"], world.users["client_admin"]
    vendor = vendor or world.vendor
    with clock.frozen_at(noon(DAY(2026, 6, 1))):
        item = raise_item(world, vendor=vendor, indicator=indicator, target="4" if indicator else None)
        if reject:
            return services.item_transition(actor=admin, item=item, action="reject", note="no")
        for action, actor in (
            ("accept", supervisor),
            ("assess", supervisor),
            ("approve", admin),
            ("start", supervisor),
        ):
            item = services.item_transition(actor=actor, item=item, action=action)
        item = services.item_transition(actor=supervisor, item=item, action="complete")
    for n, outcome in enumerate(met):
        EffectMeasurement.objects.create(
            item=item,
            indicator=indicator,
            higher_is_better=True,
            unit="stars",
            vendor=vendor,
            implemented_on=item.implemented_on,
            days=5,
            before_first=item.implemented_on - dt.timedelta(days=5),
            before_last=item.implemented_on - dt.timedelta(days=1),
            after_first=item.implemented_on,
            after_last=item.implemented_on + dt.timedelta(days=4),
            before_value=D(3),
            after_value=D(5) if outcome else D(3),
            target=D(4),
            target_met=outcome,
            measured_at=noon(DAY(2026, 6, 20)) + dt.timedelta(hours=n),
        )
    with clock.frozen_at(noon(on)):
        if amount is not None:
            item = services.benefit_record(actor=supervisor, item=item, benefits="Fewer visits", benefit_amount=amount)
        return services.item_transition(actor=supervisor, item=item, action="close")


def _figures(world, vendor=None):
    scope = kpis.Scope(organisation_id=world.org.pk, vendor_id=(vendor or world.vendor).pk, evaluated_at=JULY.end)
    facts = kpis.Facts(scope, JULY)
    window = kpis.Window(JULY, JULY.end)
    return (
        kpis.compute(kpis.registry.get(indicators.DELIVERED), facts, window),
        kpis.compute(kpis.registry.get(indicators.BENEFIT), facts, window),
    )


def test_delivered_and_benefit_for_a_vendor_and_period(world):
    a = _closed(world, on=DAY(2026, 7, 5), indicator="csat_mean", met=(False, True), amount="1000")
    b = _closed(world, on=DAY(2026, 7, 10), indicator="csat_mean", met=(False,))
    c = _closed(world, on=DAY(2026, 7, 31), amount="250.50")  # 31 July, 20:00 in Shanghai: still July
    _closed(world, on=DAY(2026, 7, 12), reject=True)
    _closed(world, on=DAY(2026, 8, 2), indicator="csat_mean", met=(True,), amount="99")
    _closed(world, on=DAY(2026, 7, 6), vendor=world.other_vendor, indicator="csat_mean", met=(True,), amount="7")
    delivered, benefit = _figures(world)
    assert (delivered.numerator, delivered.denominator) == (D(1), D(3))
    assert delivered.value.quantize(D("0.0001")) == D("33.3333")
    assert delivered.numerator_ids == (a.pk,) and set(delivered.denominator_ids) == {a.pk, b.pk, c.pk}
    assert benefit.value == D("1250.50") and set(benefit.numerator_ids) == {a.pk, c.pk}
    other_delivered, other_benefit = _figures(world, world.other_vendor)
    assert (other_delivered.value, other_benefit.value) == (D(100), D("7.00"))


def test_no_item_closed_is_no_value_and_no_benefit():
    assert indicators.delivered([]).value is None
    assert indicators.benefit([]).value == D("0.00")
