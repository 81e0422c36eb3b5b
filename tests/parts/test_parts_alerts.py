"""The low-stock alert: sent to the supervisors once per item and month, idempotent when run twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from oversight.core import clock
from oversight.notifications.models import Notification
from oversight.parts import services as parts
from oversight.parts.handlers import alert_low_stock
from oversight.parts.models import StockAlert
from tests.parts.conftest import receive


@pytest.fixture
def low_ready(stock):
    """Reorder point 2, target 6, 4 toners on hand at the store."""
    parts.level_set(actor=stock.supervisor, item=stock.toner, location=stock.store, reorder_point=2, target_stock=6)
    receive(stock, stock.toner, stock.store, 4)
    return stock


def take(stock, quantity):
    return parts.movement_record(
        actor=stock.supervisor, item=stock.toner, location=stock.store, kind="adjust", quantity=-quantity, reason="x"
    )


def test_falling_to_the_reorder_point_notifies_the_supervisors_once(
    world, low_ready, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        take(low_ready, 1)  # 3 on hand: above the reorder point
    assert not Notification.objects.filter(kind="parts_low_stock").exists()
    with django_capture_on_commit_callbacks(execute=True):
        take(low_ready, 1)  # 2 on hand: at the reorder point
    sent = Notification.objects.filter(kind="parts_low_stock")
    assert [n.recipient for n in sent] == [world.users["client_supervisor"]]
    alert = StockAlert.objects.get()
    assert (alert.on_hand, alert.reorder_point, alert.location) == (2, 2, low_ready.store)
    # Lower again in the same month: no second alert.
    with django_capture_on_commit_callbacks(execute=True):
        take(low_ready, 1)
    assert sent.count() == 1
    assert StockAlert.objects.count() == 1


def test_the_alert_text_names_the_part_the_place_and_the_numbers(world, low_ready, django_capture_on_commit_callbacks):
    supervisor = world.users["client_supervisor"]
    supervisor.language = "en"
    supervisor.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        take(low_ready, 2)
    note = Notification.objects.get(kind="parts_low_stock")
    assert note.subject == "Low stock: Toner cartridge"
    assert note.body.startswith("Toner cartridge (TN-01) is low at 信息科备件库: 2 个 on hand, reorder point 2.")


def test_running_the_handler_twice_notifies_nobody_twice(world, low_ready, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        take(low_ready, 2)
    args = {"item_id": low_ready.toner.pk, "location_id": low_ready.store.pk, "event_id": "again"}
    assert alert_low_stock(**args) == 0
    assert alert_low_stock(**args) == 0
    assert Notification.objects.filter(kind="parts_low_stock").count() == 1
    assert StockAlert.objects.count() == 1


def test_a_new_month_alerts_again(world, low_ready, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        take(low_ready, 2)
    next_month = clock.now() + dt.timedelta(days=32)
    with clock.frozen_at(next_month), django_capture_on_commit_callbacks(execute=True):
        take(low_ready, 1)
    assert StockAlert.objects.count() == 2
    assert Notification.objects.filter(kind="parts_low_stock").count() == 2


def test_no_alert_once_stock_was_replenished_before_the_handler_ran(low_ready):
    take(low_ready, 2)  # no callbacks run: the handler has not run yet
    receive(low_ready, low_ready.toner, low_ready.store, 5)
    with translation.override("en"):
        assert alert_low_stock(item_id=low_ready.toner.pk, location_id=low_ready.store.pk, event_id="late") == 0
    assert not StockAlert.objects.exists()
