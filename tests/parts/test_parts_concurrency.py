"""The stock ledger under real concurrency: two connections take the last unit at the same moment.

On PostgreSQL the second writer waits on the balance row's lock (``select_for_update``) and then sees the unit
gone; on SQLite every write transaction starts with ``BEGIN IMMEDIATE`` (settings), so the second transaction
waits for the first to commit before it reads the balance at all. Either way exactly one use succeeds, the
other is refused with ``OutOfStock``, and on hand ends at 0, never -1."""

from __future__ import annotations

import pytest

from oversight.parts import services as parts
from oversight.parts.models import StockLevel, StockMovement
from oversight.parts.services import OutOfStock
from tests.parts.conftest import receive
from tests.tickets.test_tickets_concurrency import race

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_people_taking_the_last_unit_one_is_refused(world, stock, work_order):
    wo = work_order()
    receive(stock, stock.toner, stock.store, 1)

    def take(role):
        return lambda: parts.movement_record(
            actor=world.users[role], item=stock.toner, location=stock.store, kind="consume", quantity=1, work_order=wo
        )

    results = race(take("vendor_agent"), take("vendor_agent_2"))
    outcomes = sorted(kind for kind, _value in results)
    assert outcomes == ["error", "ok"], results
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, OutOfStock), error
    assert StockLevel.objects.get(item=stock.toner, location=stock.store).on_hand == 0
    assert StockMovement.objects.filter(kind="consume").count() == 1
    assert parts.stock_mismatches(organisation_id=world.org.pk) == []


def test_two_transfers_in_opposite_directions_do_not_deadlock(world, stock):
    receive(stock, stock.toner, stock.store, 2)
    receive(stock, stock.toner, stock.ward, 2)

    def move(source, destination):
        return lambda: parts.stock_transfer(
            actor=stock.supervisor, item=stock.toner, source=source, destination=destination, quantity=2
        )

    results = race(move(stock.store, stock.ward), move(stock.ward, stock.store))
    assert [kind for kind, _value in results] == ["ok", "ok"], results
    # Both moved 2 the other way: 2 + 2 - 2 at each end, whichever ran first.
    assert sorted(StockLevel.objects.filter(item=stock.toner).values_list("on_hand", flat=True)) == [2, 2]
    assert parts.stock_mismatches(organisation_id=world.org.pk) == []
