"""Fixtures for the spare parts tests: two locations, a part of the first vendor, and work orders made through
the real tickets services."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from oversight.parts import services as parts
from oversight.tickets import services as tickets
from tests.factories import SiteFactory


@dataclass
class Stock:
    """The parts world: `store` and `ward` locations, a toner of world.vendor and a switch of world.other_vendor."""

    store: object
    ward: object
    toner: object
    switch: object
    supervisor: object


def build_stock(world) -> Stock:
    """The parts world made through the real services (also used by the browser journey)."""
    supervisor = world.users["client_supervisor"]
    building = SiteFactory(organisation=world.org, name="Outpatient building", code="opd")
    store = parts.location_create(actor=supervisor, site=building, code="store", name="信息科备件库")
    ward = parts.location_create(actor=supervisor, site=world.dept, code="ward", name="门诊楼机房")
    toner = parts.item_create(
        actor=supervisor,
        code="TN-01",
        name="硒鼓",
        name_en="Toner cartridge",
        unit="个",
        unit_price=Decimal("450.00"),
        vendor=world.vendor,
    )
    switch = parts.item_create(
        actor=supervisor,
        code="SFP-10G",
        name="光模块",
        name_en="SFP module",
        unit="个",
        unit_price=Decimal("1200.00"),
        vendor=world.other_vendor,
    )
    return Stock(store=store, ward=ward, toner=toner, switch=switch, supervisor=supervisor)


@pytest.fixture
def stock(world) -> Stock:
    return build_stock(world)


@pytest.fixture
def work_order(world):
    """`work_order(service=None)`: a work order raised by the requester and accepted by the service's agent."""

    def make(*, service=None, title="Printer out of toner"):
        service = service or world.service
        wo = tickets.work_order_create(actor=world.users["requester"], service=service, title=title)
        agent = world.users["vendor_agent" if service.vendor_id == world.vendor.pk else "other_vendor_agent"]
        return tickets.work_order_transition(actor=agent, work_order=wo, action="accept")

    return make


def receive(stock, item, location, quantity, actor=None):
    """Receive units of a part at a location (by the supervisor unless told)."""
    return parts.movement_record(
        actor=actor or stock.supervisor, item=item, location=location, kind="receive", quantity=quantity
    )
