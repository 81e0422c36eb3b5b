"""Stock movements through the services: each kind, the refusals, the audit trail and the append-only ledger."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from oversight.audit.models import AuditEntry
from oversight.core.errors import ApplicationError, NotAllowed
from oversight.parts import services as parts
from oversight.parts.models import StockLevel, StockMovement
from oversight.parts.services import OutOfStock
from tests.parts.conftest import receive


def level(item, location):
    return StockLevel.objects.get(item=item, location=location)


def test_receive_consume_return_keep_the_balance(world, stock, work_order):
    wo = work_order()
    agent = world.users["vendor_agent"]
    receive(stock, stock.toner, stock.store, 5)
    parts.movement_record(
        actor=agent, item=stock.toner, location=stock.store, kind="consume", quantity=3, work_order=wo
    )
    parts.movement_record(actor=agent, item=stock.toner, location=stock.store, kind="return", quantity=1, work_order=wo)
    # 5 received - 3 used + 1 returned = 3.
    assert level(stock.toner, stock.store).on_hand == 3
    used = StockMovement.objects.get(kind="consume")
    assert (used.quantity, used.work_order, used.unit_price, used.vendor) == (-3, wo, Decimal("450.00"), world.vendor)
    assert used.actor == agent


def test_order_then_receipt_settles_what_is_on_order(stock):
    parts.movement_record(
        actor=stock.supervisor, item=stock.toner, location=stock.store, kind="order", quantity=4, reference="PO-1"
    )
    assert (level(stock.toner, stock.store).on_hand, level(stock.toner, stock.store).on_order) == (0, 4)
    receive(stock, stock.toner, stock.store, 3)
    assert (level(stock.toner, stock.store).on_hand, level(stock.toner, stock.store).on_order) == (3, 1)
    # Receiving more than is on order settles only what is: 1 more on order, 2 received.
    receive(stock, stock.toner, stock.store, 2)
    assert (level(stock.toner, stock.store).on_hand, level(stock.toner, stock.store).on_order) == (5, 0)
    parts.movement_record(actor=stock.supervisor, item=stock.toner, location=stock.store, kind="order", quantity=2)
    parts.movement_record(
        actor=stock.supervisor, item=stock.toner, location=stock.store, kind="order_cancel", quantity=2
    )
    assert level(stock.toner, stock.store).on_order == 0
    with pytest.raises(ApplicationError):
        parts.movement_record(
            actor=stock.supervisor, item=stock.toner, location=stock.store, kind="order_cancel", quantity=1
        )


def test_taking_more_than_on_hand_is_refused_and_writes_nothing(world, stock, work_order):
    wo = work_order()
    receive(stock, stock.toner, stock.store, 2)
    rows = StockMovement.objects.count()
    with translation.override("en"), pytest.raises(OutOfStock) as refused:
        parts.movement_record(
            actor=world.users["vendor_agent"],
            item=stock.toner,
            location=stock.store,
            kind="consume",
            quantity=3,
            work_order=wo,
        )
    assert refused.value.status_code == 409
    assert str(refused.value.message) == (
        "Only 2 个 of Toner cartridge are on hand at 信息科备件库: 3 cannot be taken."
    )
    assert refused.value.extra == {"on_hand": 2, "requested": 3}
    assert StockMovement.objects.count() == rows
    assert level(stock.toner, stock.store).on_hand == 2


def test_a_negative_adjustment_cannot_go_below_zero(stock):
    receive(stock, stock.toner, stock.store, 1)
    with pytest.raises(OutOfStock):
        parts.movement_record(
            actor=stock.supervisor, item=stock.toner, location=stock.store, kind="adjust", quantity=-2, reason="lost"
        )
    parts.movement_record(
        actor=stock.supervisor, item=stock.toner, location=stock.store, kind="adjust", quantity=-1, reason="broken"
    )
    assert level(stock.toner, stock.store).on_hand == 0


def test_an_adjustment_needs_a_reason_and_a_non_zero_quantity(stock):
    with pytest.raises(ApplicationError):
        parts.movement_record(actor=stock.supervisor, item=stock.toner, location=stock.store, kind="adjust", quantity=2)
    with pytest.raises(ApplicationError):
        parts.movement_record(
            actor=stock.supervisor, item=stock.toner, location=stock.store, kind="adjust", quantity=0, reason="x"
        )


@pytest.mark.parametrize("quantity", [0, -1, "1.5", "two", None, True])
def test_quantities_are_whole_numbers_above_zero(stock, quantity):
    with pytest.raises(ApplicationError):
        receive(stock, stock.toner, stock.store, quantity)
    assert not StockMovement.objects.exists()


def test_use_needs_a_work_order_of_the_agents_own_vendor(world, stock, work_order):
    receive(stock, stock.toner, stock.store, 5)
    agent = world.users["vendor_agent"]
    with pytest.raises(ApplicationError):
        parts.movement_record(actor=agent, item=stock.toner, location=stock.store, kind="consume", quantity=1)
    network_wo = work_order(service=world.other_service)
    with pytest.raises(NotAllowed):
        parts.movement_record(
            actor=agent, item=stock.toner, location=stock.store, kind="consume", quantity=1, work_order=network_wo
        )
    # The client's supervisor may record a use on any work order of the organisation.
    parts.movement_record(
        actor=stock.supervisor,
        item=stock.toner,
        location=stock.store,
        kind="consume",
        quantity=1,
        work_order=network_wo,
    )
    assert level(stock.toner, stock.store).on_hand == 4


def test_vendor_staff_move_only_their_own_vendors_parts(world, stock):
    with pytest.raises(NotAllowed):
        receive(stock, stock.switch, stock.store, 1, actor=world.users["vendor_agent"])
    for role in ("executive", "auditor", "requester"):
        with pytest.raises(NotAllowed):
            receive(stock, stock.toner, stock.store, 1, actor=world.users[role])
    receive(stock, stock.switch, stock.store, 1, actor=world.users["other_vendor_agent"])
    # Only the vendor's manager adjusts its stock.
    with pytest.raises(NotAllowed):
        parts.movement_record(
            actor=world.users["other_vendor_agent"],
            item=stock.switch,
            location=stock.store,
            kind="adjust",
            quantity=1,
            reason="found one",
        )
    parts.movement_record(
        actor=world.users["other_vendor_manager"],
        item=stock.switch,
        location=stock.store,
        kind="adjust",
        quantity=1,
        reason="found one",
    )
    assert level(stock.switch, stock.store).on_hand == 2


def test_a_return_cannot_exceed_what_was_used_on_the_work_order(world, stock, work_order):
    wo = work_order()
    receive(stock, stock.toner, stock.store, 3)
    agent = world.users["vendor_agent"]
    parts.movement_record(
        actor=agent, item=stock.toner, location=stock.store, kind="consume", quantity=2, work_order=wo
    )
    with pytest.raises(ApplicationError):
        parts.movement_record(
            actor=agent, item=stock.toner, location=stock.store, kind="return", quantity=3, work_order=wo
        )
    parts.movement_record(actor=agent, item=stock.toner, location=stock.store, kind="return", quantity=2, work_order=wo)
    assert level(stock.toner, stock.store).on_hand == 3


def test_transfer_writes_two_rows_in_one_transaction(stock):
    receive(stock, stock.toner, stock.store, 4)
    out, into = parts.stock_transfer(
        actor=stock.supervisor, item=stock.toner, source=stock.store, destination=stock.ward, quantity=3
    )
    assert (out.quantity, into.quantity) == (-3, 3)
    assert out.transfer_key == into.transfer_key != ""
    assert (out.counterpart, into.counterpart) == (stock.ward, stock.store)
    assert level(stock.toner, stock.store).on_hand == 1
    assert level(stock.toner, stock.ward).on_hand == 3
    rows = StockMovement.objects.count()
    with pytest.raises(OutOfStock):
        parts.stock_transfer(
            actor=stock.supervisor, item=stock.toner, source=stock.store, destination=stock.ward, quantity=2
        )
    assert StockMovement.objects.count() == rows
    with pytest.raises(ApplicationError):
        parts.stock_transfer(
            actor=stock.supervisor, item=stock.toner, source=stock.store, destination=stock.store, quantity=1
        )


def test_other_organisations_locations_and_work_orders_are_refused(world, stock):
    from tests.factories import SiteFactory

    foreign_site = SiteFactory(organisation=world.other_org, code="far")
    with pytest.raises(ApplicationError):
        parts.location_create(actor=stock.supervisor, site=foreign_site, code="far", name="Far")
    with pytest.raises(ApplicationError):
        parts.item_create(
            actor=stock.supervisor, code="X", name="X", unit="个", unit_price=Decimal(1), vendor=world.foreign_vendor
        )
    with pytest.raises(ApplicationError):
        parts.item_create(
            actor=stock.supervisor, code="TN-01", name="dup", unit="个", unit_price=Decimal(1), vendor=world.vendor
        )


def test_movements_and_catalogue_changes_are_audited(stock):
    receive(stock, stock.toner, stock.store, 2)
    parts.level_set(actor=stock.supervisor, item=stock.toner, location=stock.store, reorder_point=1, target_stock=4)
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"parts.item.created", "parts.location.created", "parts.movement.receive", "parts.level.updated"} <= actions


def test_level_settings_are_checked(stock):
    with pytest.raises(ApplicationError):
        parts.level_set(actor=stock.supervisor, item=stock.toner, location=stock.store, reorder_point=5, target_stock=2)
    parts.level_set(actor=stock.supervisor, item=stock.toner, location=stock.store, reorder_point=2, target_stock=6)
    assert (level(stock.toner, stock.store).reorder_point, level(stock.toner, stock.store).target_stock) == (2, 6)


def test_the_ledger_is_append_only(stock):
    row = receive(stock, stock.toner, stock.store, 2)
    with pytest.raises(ValueError):
        row.save()
    with pytest.raises(ValueError):
        row.delete()
    with pytest.raises(ValueError):
        StockMovement.objects.filter(pk=row.pk).update(quantity=5)
    with pytest.raises(ValueError):
        StockMovement.objects.filter(pk=row.pk).delete()
    assert StockMovement.objects.get(pk=row.pk).quantity == 2


def test_the_database_refuses_a_negative_balance(stock):
    receive(stock, stock.toner, stock.store, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        StockLevel.objects.filter(item=stock.toner).update(on_hand=-1)


def test_the_kept_balances_equal_a_rebuild_from_the_ledger(world, stock, work_order):
    wo = work_order()
    agent = world.users["vendor_agent"]
    parts.movement_record(actor=stock.supervisor, item=stock.toner, location=stock.store, kind="order", quantity=6)
    receive(stock, stock.toner, stock.store, 4)
    parts.movement_record(
        actor=agent, item=stock.toner, location=stock.store, kind="consume", quantity=3, work_order=wo
    )
    parts.stock_transfer(actor=agent, item=stock.toner, source=stock.store, destination=stock.ward, quantity=1)
    parts.movement_record(actor=agent, item=stock.toner, location=stock.ward, kind="return", quantity=1, work_order=wo)
    receive(stock, stock.switch, stock.ward, 2)
    # By hand: store 4 - 3 - 1 = 0 on hand, 6 - 4 = 2 on order; ward 1 + 1 = 2; switch at ward 2.
    ledger = parts.ledger_balances(organisation_id=world.org.pk)
    assert ledger == {
        (stock.toner.pk, stock.store.pk): (0, 2),
        (stock.toner.pk, stock.ward.pk): (2, 0),
        (stock.switch.pk, stock.ward.pk): (2, 0),
    }
    assert parts.stock_mismatches(organisation_id=world.org.pk) == []
    # A balance changed behind the services' back is found and rebuilt from the ledger.
    StockLevel.objects.filter(item=stock.toner, location=stock.ward).update(on_hand=7)
    assert parts.stock_mismatches(organisation_id=world.org.pk) == [(stock.toner.pk, stock.ward.pk, (7, 0), (2, 0))]
    assert parts.stock_rebuild(organisation_id=world.org.pk) == 1
    assert level(stock.toner, stock.ward).on_hand == 2
    assert parts.stock_mismatches(organisation_id=world.org.pk) == []
