"""Builders of the vendor dashboard tests: two vendors with a handful of October 2026 work orders whose SLA
outcomes, ratings, complaint, evaluation score, settlement statement and base fee are known, so every figure can
be computed by hand in the tests.

The world's SLA policy gives P3 (the default priority) 60 minutes to respond and 960 minutes (16 h) to resolve on
a round-the-clock calendar: business time is wall-clock time. The organisation lives in Asia/Shanghai, so
October 2026 is [2026-09-30 16:00 UTC, 2026-10-31 16:00 UTC).

Desk Co (world.vendor, monthly contract HT-D 120 000.00 CNY, an October evaluation scored 88.50 and settled at
99 000.00 CNY):
  A 5 Oct: answered in 10 min, resolved in 2 h        → response met,    resolution met;    rated 5★, recommend 10
  B 6 Oct: answered after 90 min, resolved after 20 h → response missed, resolution missed; rated 2★, recommend 3,
           and a complaint
  C 7 Oct: answered in 20 min, resolved in 3 h        → response met,    resolution met;    rated 4★, recommend 8
  D 8 Oct: answered in 30 min, resolved after 17 h    → response met,    resolution missed; rated 5★, recommend 9
  S 10 Sep (the previous month): answered in 5 min, resolved in 1 h → both met.
Net Co (world.other_vendor, monthly contract HT-N 10 000.00, no evaluation, no statement):
  E 5 Oct: answered in 5 min, resolved in 1 h         → response met,    resolution met;    rated 5★, recommend 10
  F 9 Oct: answered after 70 min, resolved in 5 h     → response missed, resolution met
  H 10 Oct: never answered                            → response missed, resolution missed
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from oversight.contracts import services as contract_services
from oversight.contracts.validation import Terms
from oversight.core import clock
from oversight.facts.services import facts_rebuild
from oversight.feedback.models import Complaint
from oversight.scorecards import services as scorecard_services
from oversight.scorecards.models import EvaluationPeriod
from oversight.settlement.models import SettlementStatement
from oversight.tickets import services as tickets
from tests.scorecards.conftest import _rate as rate
from tests.scorecards.conftest import _step

D = Decimal
UTC = dt.UTC
SIGNED_AT = dt.datetime(2026, 1, 5, 2, 0, tzinfo=UTC)
NOW = dt.datetime(2026, 11, 20, 2, 0, tzinfo=UTC)  # 20 November 2026: the last complete month is October
OCT_START = dt.datetime(2026, 9, 30, 16, 0, tzinfo=UTC)
OCT_END = dt.datetime(2026, 10, 31, 16, 0, tzinfo=UTC)
MIN = dt.timedelta(minutes=1)
HOUR = dt.timedelta(hours=1)


def at(day: int, month: int = 10) -> dt.datetime:
    """10:00 in Shanghai on a day of 2026."""
    return dt.datetime(2026, month, day, 2, 0, tzinfo=UTC)


def make_contract(world, *, vendor, service, number: str, fee: str, currency: str = "CNY"):
    """An active monthly contract over one service for all of 2026–2027."""
    terms = Terms(
        term_start=dt.date(2026, 1, 1),
        term_end=dt.date(2027, 12, 31),
        fixed_fee=D(fee),
        fee_period="monthly",
        at_risk_percent=D("10"),
        max_deduction=D("20"),
        services=(service,),
        commitments=(),
    )
    admin = world.users["client_admin"]
    with clock.frozen_at(SIGNED_AT):
        contract = contract_services.contract_create(
            actor=admin, vendor=vendor, number=number, title=f"Contract {number}", terms=terms, currency=currency
        )
        return contract_services.contract_activate(actor=admin, contract=contract)


def evaluation(world, contract, *, score: str | None, status: str = "signed", month: int = 10, kind="monthly"):
    """An evaluation period of the contract as the evaluation app stores it (built in the ORM)."""
    if not contract.indicator_schemes.exists():
        scorecard_services.scheme_from_template(contract, world.users["client_admin"])
    if kind == "monthly":
        first = dt.date(2026, month, 1)
        after = dt.date(2026 + month // 12, month % 12 + 1, 1)
    else:
        first = dt.date(2026, month, 1)
        after = dt.date(2026 + (month + 2) // 12, (month + 2) % 12 + 1, 1)
    shanghai = dt.timedelta(hours=8)
    return EvaluationPeriod.objects.create(
        organisation=contract.organisation,
        contract=contract,
        vendor=contract.vendor,
        contract_version=contract.versions.get(),
        scheme=contract.indicator_schemes.order_by("-number").first(),
        kind=kind,
        starts_on=first,
        ends_on=after - dt.timedelta(days=1),
        start_at=dt.datetime.combine(first, dt.time(), tzinfo=UTC) - shanghai,
        end_at=dt.datetime.combine(after, dt.time(), tzinfo=UTC) - shanghai,
        status=status,
        total_score=None if score is None else D(score),
        total_exact="" if score is None else score,
        created_at=NOW,
        updated_at=NOW,
    )


def statement(period: EvaluationPeriod, *, total: str, status: str = "approved") -> SettlementStatement:
    """A settlement statement of the period with a known total (built in the ORM; settlement tests cover its maths)."""
    money = D(total)
    zero = D("0.00")
    return SettlementStatement.objects.create(
        organisation=period.organisation,
        period=period,
        contract=period.contract,
        contract_version=period.contract_version,
        vendor=period.vendor,
        status=status,
        currency=period.contract.currency,
        score=period.total_score or zero,
        base_fee=money,
        unit_charges=zero,
        invoice_amount=money,
        band_deduction_raw=zero,
        band_deduction=zero,
        at_risk_amount=zero,
        credits_uncapped=zero,
        credits=zero,
        floor_adjustment=zero,
        total=money,
        content_hash="0" * 64,
        prepared_at=NOW,
        approved_at=NOW if status == "approved" else None,
        created_at=NOW,
        updated_at=NOW,
    )


def work_order(world, service, received, *, answer=None, resolve=None, key="WO"):
    """A work order received at `received`, accepted `answer` later and resolved `resolve` later (None: never)."""
    req, vm = world.users["requester"], world.users["vendor_manager"]
    vendor = service.vendor
    if vendor.pk == world.vendor.pk:
        manager, agent = vm, world.users["vendor_agent"]
    else:
        manager, agent = world.users["other_vendor_manager"], world.users["other_vendor_agent"]
    wo = _step(received, tickets.work_order_create, actor=req, service=service, title=f"WO {key}")
    wo = _step(received + MIN, tickets.work_order_assign, actor=manager, work_order=wo, assignee=agent)
    if answer is not None:
        wo = _step(received + answer, tickets.work_order_transition, actor=agent, work_order=wo, action="accept")
    if resolve is not None:
        wo = _step(
            received + resolve,
            tickets.work_order_transition,
            actor=agent,
            work_order=wo,
            action="resolve",
            resolution="fixed",
        )
    return wo


@dataclass
class Scenario:
    """What the dashboard tests compare against."""

    desk_contract: object
    net_contract: object
    desk_period: EvaluationPeriod
    desk_statement: SettlementStatement
    wo: dict


def build(world, *, net_currency: str = "CNY") -> Scenario:
    """The scenario of the module docstring."""
    desk = make_contract(world, vendor=world.vendor, service=world.service, number="HT-D", fee="120000.00")
    net = make_contract(
        world,
        vendor=world.other_vendor,
        service=world.other_service,
        number="HT-N",
        fee="10000.00",
        currency=net_currency,
    )
    s, o = world.service, world.other_service
    wo = {
        "A": work_order(world, s, at(5), answer=10 * MIN, resolve=2 * HOUR, key="A"),
        "B": work_order(world, s, at(6), answer=90 * MIN, resolve=20 * HOUR, key="B"),
        "C": work_order(world, s, at(7), answer=20 * MIN, resolve=3 * HOUR, key="C"),
        "D": work_order(world, s, at(8), answer=30 * MIN, resolve=17 * HOUR, key="D"),
        "S": work_order(world, s, at(10, month=9), answer=5 * MIN, resolve=HOUR, key="S"),
        "E": work_order(world, o, at(5), answer=5 * MIN, resolve=HOUR, key="E"),
        "F": work_order(world, o, at(9), answer=70 * MIN, resolve=5 * HOUR, key="F"),
        "H": work_order(world, o, at(10), key="H"),
    }
    rate(world, wo["A"], 5, 10, at(5) + 3 * HOUR)
    rating_b = rate(world, wo["B"], 2, 3, at(7))
    rate(world, wo["C"], 4, 8, at(7) + 4 * HOUR)
    rate(world, wo["D"], 5, 9, at(9) + 2 * HOUR)
    rate(world, wo["E"], 5, 10, at(5) + 2 * HOUR)
    Complaint.objects.create(
        organisation=world.org,
        vendor=world.vendor,
        work_order=wo["B"],
        rating=rating_b,
        source="rating",
        status="open",
        opened_at=at(7),
        updated_at=at(7),
    )
    period = evaluation(world, desk, score="88.50")
    facts_rebuild(organisation=world.org)  # rows written directly above (complaints) announce nothing
    return Scenario(
        desk_contract=desk,
        net_contract=net,
        desk_period=period,
        desk_statement=statement(period, total="99000.00"),
        wo=wo,
    )


def more_work_orders(world, count: int) -> None:
    """Extra October work orders for both vendors (for the query-count test)."""
    for i in range(count):
        work_order(world, world.service, at(12) + i * HOUR, answer=5 * MIN, resolve=HOUR, key=f"X{i}")
        work_order(world, world.other_service, at(13) + i * HOUR, answer=5 * MIN, resolve=HOUR, key=f"Y{i}")
    facts_rebuild(organisation=world.org)
