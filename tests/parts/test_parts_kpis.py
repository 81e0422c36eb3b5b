"""The stock-out indicator: the pure formula with plain rows, and the registered source over a real ledger,
both against a count made by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from oversight.core import clock
from oversight.core.kpis import Scope, Window, registry
from oversight.kpi import Period
from oversight.parts import calc
from oversight.parts import services as parts
from oversight.parts.kpis import load_ledger
from tests.parts.conftest import receive

T0 = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
NOVEMBER = Period(T0, dt.datetime(2026, 12, 1, tzinfo=dt.UTC))


def row(id_, quantity, *, day=5, item=1, location=1):
    return calc.LedgerRow(id_, item, location, T0 + dt.timedelta(days=day), quantity)


def test_stock_outs_count_the_rows_that_empty_a_location_in_the_period():
    rows = [
        row(1, 3, day=-3),  # received in October
        row(2, -3, day=-2),  # emptied in October: before the period, not counted
        row(3, 2),  # 2 on hand
        row(4, -1),  # 1 left
        row(5, -1),  # 0: counted
        row(6, 1, location=2),
        row(7, -1, location=2),  # the other location emptied: counted
        row(8, 4),
        row(9, -4, day=40),  # emptied in December: after the period
    ]
    result = calc.stock_out_count(rows, NOVEMBER)
    assert (result.value, result.denominator, result.numerator_ids) == (Decimal(2), None, (5, 7))


def test_stock_outs_are_zero_when_nothing_ran_out():
    assert calc.stock_out_count([row(1, 2), row(2, -1)], NOVEMBER).value == Decimal(0)
    assert calc.stock_out_count([], NOVEMBER).value == Decimal(0)


def test_the_registered_source_reads_the_vendors_ledger(world, stock, work_order):
    wo = work_order()
    agent = world.users["vendor_agent"]
    start = clock.now()
    receive(stock, stock.toner, stock.store, 2)
    parts.movement_record(
        actor=agent, item=stock.toner, location=stock.store, kind="consume", quantity=2, work_order=wo
    )
    receive(stock, stock.toner, stock.store, 1)
    parts.stock_transfer(actor=agent, item=stock.toner, source=stock.store, destination=stock.ward, quantity=1)
    # The other vendor's part running out is not the first vendor's stock-out.
    receive(stock, stock.switch, stock.store, 1)
    parts.movement_record(
        actor=stock.supervisor, item=stock.switch, location=stock.store, kind="adjust", quantity=-1, reason="broken"
    )
    # By hand: the use emptied the store (1), the transfer emptied it again (2); the switch is not the vendor's.
    period = Period(start - dt.timedelta(hours=1), clock.now() + dt.timedelta(hours=1))
    scope = Scope(organisation_id=world.org.pk, vendor_id=world.vendor.pk, evaluated_at=clock.now())
    source = registry.get("stock_out_count")
    result = source.compute(load_ledger(scope, period), Window(period=period, at=clock.now()))
    assert result.value == Decimal(2)
    kinds = [
        m.kind
        for m in registry.record_kind("parts.movement").records(user=agent, period=None, ids=result.numerator_ids)
    ]
    assert sorted(kinds) == ["consume", "transfer_out"]
