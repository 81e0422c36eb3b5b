"""Fixtures of the service-report tests: a small world whose report figures are computed by hand in the tests.

The world's SLA policy gives P3 (the default priority) 60 min to respond and 960 min (16 h) to resolve on a
round-the-clock calendar (business time = wall-clock time); no offering needs a visit, so on-site timeliness has
nothing to measure. The organisation lives in Asia/Shanghai: September 2026 is
[2026-08-31 16:00 UTC, 2026-09-30 16:00 UTC).

Work orders of vendor "desk" (September unless said otherwise):

* A  Desktop, Cardiology "Room 101", asset PC-1, T: answered in 10 min, resolved in 2 h; rated 5 stars, 10.
* B  Desktop, Cardiology "Room 101", asset PC-1, T+1 d: answered after 90 min (response late by 30 min),
  resolved after 20 h (resolution late by 4 h); rated 2 stars, 3; complaint opened T+2 d, resolved T+3 d.
* C  Printing (another category, outside the contract), Radiology, asset PR-9, T+2 d: answered in 20 min,
  resolved in 3 h; rated 4 stars, 8.
* D  Printing, Radiology, asset PR-9, T+3 d: never answered (both targets missed, still open).
* E  Desktop, T+4 d: cancelled (left out of everything).
* G  the other vendor's work order (never in this vendor's report).
* P  Desktop, August: answered in 5 min, resolved in 1 h; rated 3 stars, 9 (the previous period).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from oversight.core import clock
from oversight.facts.services import facts_rebuild
from oversight.feedback.models import Complaint
from oversight.settlement import services as settlement_services
from oversight.tickets import services as tickets
from tests.factories import OfferingFactory, ServiceCategoryFactory, ServiceFactory
from tests.scorecards.conftest import _rate, _step
from tests.settlement.conftest import CLIENT_NAME, VENDOR_NAME, make_contract, signed_period

UTC = dt.UTC
T = dt.datetime(2026, 9, 7, 2, 0, tzinfo=UTC)  # Monday 7 September 2026, 10:00 in Shanghai
AUGUST = dt.datetime(2026, 8, 10, 2, 0, tzinfo=UTC)
NOW = dt.datetime(2026, 10, 20, 2, 0, tzinfo=UTC)
SEPTEMBER_END = dt.datetime(2026, 9, 30, 16, 0, tzinfo=UTC)
MIN = dt.timedelta(minutes=1)
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)

__all__ = ["CLIENT_NAME", "DAY", "HOUR", "MIN", "NOW", "SEPTEMBER_END", "T", "VENDOR_NAME", "ReportWorld"]


@dataclass
class ReportWorld:
    """The work orders (by letter), the printing service, the contract, complaint and statement."""

    wo: dict
    printing: object
    contract: object
    complaint: Complaint
    statement: object


def build_report_world(world) -> ReportWorld:
    world.org.name = CLIENT_NAME
    world.org.save(update_fields=["name"])
    world.vendor.name = VENDOR_NAME
    world.vendor.save(update_fields=["name"])
    contract = make_contract(world, vendor=world.vendor, service=world.service, number="HT-9")
    printing_category = ServiceCategoryFactory(organisation=world.org, name="打印设备", code="printers")
    printing = ServiceFactory(
        organisation=world.org,
        vendor=world.vendor,
        sla_policy=world.policy,
        category=printing_category,
        code="printing",
        name="Printing",
    )
    OfferingFactory(service=printing)
    req, agent, vm = world.users["requester"], world.users["vendor_agent"], world.users["vendor_manager"]
    wo: dict = {}

    def create(key, at, service, **kwargs):
        wo[key] = _step(at, tickets.work_order_create, actor=req, service=service, title=f"工单 {key}", **kwargs)

    def act(key, at, action, **kwargs):
        wo[key] = _step(at, tickets.work_order_transition, actor=agent, work_order=wo[key], action=action, **kwargs)

    def assign(key, at):
        wo[key] = _step(at, tickets.work_order_assign, actor=vm, work_order=wo[key], assignee=agent)

    room = {"site": world.dept, "location_detail": "Room 101", "asset_tag": "PC-1"}
    create("A", T, world.service, **room)
    assign("A", T + MIN)
    act("A", T + 10 * MIN, "accept")
    act("A", T + 2 * HOUR, "resolve", resolution="fixed")
    create("B", T + DAY, world.service, **room)
    assign("B", T + DAY + MIN)
    act("B", T + DAY + 90 * MIN, "accept")
    act("B", T + DAY + 20 * HOUR, "resolve", resolution="fixed late")
    printer = {"site": world.other_dept, "asset_tag": "PR-9"}
    create("C", T + 2 * DAY, printing, **printer)
    assign("C", T + 2 * DAY + MIN)
    act("C", T + 2 * DAY + 20 * MIN, "accept")
    act("C", T + 2 * DAY + 3 * HOUR, "resolve", resolution="fixed")
    create("D", T + 3 * DAY, printing, **printer)
    create("E", T + 4 * DAY, world.service)
    wo["E"] = _step(
        T + 4 * DAY + 5 * MIN,
        tickets.work_order_transition,
        actor=world.users["client_supervisor"],
        work_order=wo["E"],
        action="cancel",
        note="duplicate",
    )
    wo["G"] = _step(T + DAY, tickets.work_order_create, actor=req, service=world.other_service, title="工单 G")
    create("P", AUGUST, world.service)
    assign("P", AUGUST + MIN)
    act("P", AUGUST + 5 * MIN, "accept")
    act("P", AUGUST + HOUR, "resolve", resolution="fixed")
    _rate(world, wo["A"], 5, 10, T + 3 * HOUR)
    rating_b = _rate(world, wo["B"], 2, 3, T + 2 * DAY)
    _rate(world, wo["C"], 4, 8, T + 2 * DAY + 4 * HOUR)
    _rate(world, wo["G"], 1, 0, T + 2 * DAY)
    _rate(world, wo["P"], 3, 9, AUGUST + 2 * HOUR)
    complaint = Complaint.objects.create(
        organisation=world.org,
        vendor=world.vendor,
        work_order=wo["B"],
        rating=rating_b,
        source="rating",
        status="resolved",
        summary="电脑反复死机",
        opened_at=T + 2 * DAY,
        updated_at=T + 3 * DAY,
        resolved_at=T + 3 * DAY,
        resolution="更换了主机并回访用户",
    )
    for key in wo:
        wo[key].refresh_from_db()
    period = signed_period(world, contract, score="88.50", quarter=3)
    with clock.frozen_at(NOW):
        statement = settlement_services.statement_prepare(actor=world.users["client_supervisor"], period=period)
        statement = settlement_services.statement_approve(actor=world.users["client_admin"], statement=statement)
    facts_rebuild(organisation=world.org)  # rows written directly above (complaints, ratings) announce nothing
    return ReportWorld(wo=wo, printing=printing, contract=contract, complaint=complaint, statement=statement)


@pytest.fixture
def rw(world) -> ReportWorld:
    return build_report_world(world)


@pytest.fixture
def now():
    with clock.frozen_at(NOW):
        yield NOW
