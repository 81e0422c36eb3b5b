"""The demo parts: made through the services on the demo hospital, idempotent, with one part below its reorder
point, and balances that equal the ledger."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.catalog import calendars
from oversight.catalog.models import Service
from oversight.core import clock
from oversight.demo.scenario import build_scenario
from oversight.parts import services as parts
from oversight.parts.demo import load_demo_parts
from oversight.parts.models import StockLevel, StockMovement
from oversight.tenancy.choices import Role
from oversight.tenancy.models import User
from oversight.tickets import services as tickets

NOW = dt.datetime(2026, 11, 18, 2, 30, tzinfo=dt.UTC)


@pytest.fixture
def hospital(db):
    calendars._cache.clear()
    return build_scenario(now=NOW)


def test_demo_parts_have_movements_and_one_part_below_its_reorder_point(hospital):
    org = hospital.organisation
    requester = User.objects.filter(organisation=org, role=Role.REQUESTER).order_by("pk").first()
    network = Service.objects.filter(organisation=org, vendor__code="net").order_by("pk").first()
    with clock.frozen_at(NOW - dt.timedelta(days=10)):
        for title in ("核心交换机光口告警", "门诊楼汇聚链路中断"):
            tickets.work_order_create(actor=requester, service=network, title=title)
    with clock.frozen_at(NOW):
        items = load_demo_parts(org)
        assert load_demo_parts(org) == items  # idempotent
    assert [item.code for item in items] == ["HDD-1.2T", "KB-USB", "PH-ZD888", "SFP-10G-LR", "SW-24P", "TN-88A"]
    rows_before = StockMovement.objects.count()
    with clock.frozen_at(NOW):
        load_demo_parts(org)
    assert StockMovement.objects.count() == rows_before
    sfp = StockLevel.objects.get(item__code="SFP-10G-LR")
    # Ordered 10, received 3, used on the two network work orders: 1 on hand, 7 on order, reorder point 4.
    assert (sfp.on_hand, sfp.on_order, sfp.reorder_point, sfp.target_stock) == (1, 7, 4, 10)
    assert StockMovement.objects.filter(item__code="SFP-10G-LR", kind="consume").count() == 2
    low = [
        lv.item.code
        for lv in StockLevel.objects.select_related("item")
        if 0 < lv.reorder_point and lv.on_hand <= lv.reorder_point
    ]
    assert "SFP-10G-LR" in low
    toner = {
        lv.location.code: lv.on_hand for lv in StockLevel.objects.filter(item__code="TN-88A").select_related("location")
    }
    assert toner == {"IT-STORE": 16, "OPD-ROOM": 4}  # 20 received, 4 transferred, no open desk work orders used
    assert parts.stock_mismatches(organisation_id=org.pk) == []
    assert all(m.at <= NOW for m in StockMovement.objects.all())
