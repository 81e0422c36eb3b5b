"""Fixtures of the sourcing tests: a contact-centre contract (the settlement tests' quarterly contract) with one
voice queue, interval facts inside its third quarter of 2026, and a signed period with an approved statement.

Facts (30-minute intervals, the queue's contract HT-9): two current intervals on 2026-07-01 and one on
2026-09-30 — offered 100 + 60 + 40 = 200, answered 90 + 50 + 40 = 180, abandoned 10 + 10 + 0 = 20, wait 900 +
600 + 100 = 1600 s, handle time (talk + hold + ACW) 27 000 + 15 000 + 12 000 = 54 000 s, staffed agents 10 + 6 + 4
(× 0.5 h = 10 productive hours), paid hours 6 + 4 + 2 = 12 — plus a superseded revision and an interval after the
quarter, both of which must not count."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from oversight.contactcentre.models import IntervalFact, Queue
from oversight.settlement import services as settlement_services
from oversight.sourcing import services
from tests.settlement.conftest import make_contract, signed_period

D = Decimal


@pytest.fixture
def english():
    """Messages in English, so refusals can be matched by their words."""
    with translation.override("en"):
        yield


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=dt.UTC)


def fact(queue, start, **values) -> IntervalFact:
    defaults = {"threshold_seconds": 20}
    defaults.update(values)
    return IntervalFact.objects.create(queue=queue, interval_start=start, **defaults)


@pytest.fixture
def cc(world):
    """The contract, its queue, the facts of the module docstring and the approved statement of Q3 2026."""
    contract = make_contract(world, vendor=world.vendor, service=world.service, number="HT-9")
    queue = Queue.objects.create(
        organisation=world.org, vendor=world.vendor, contract=contract, code="Q1", name="热线", channel="voice"
    )
    july, end = dt.date(2026, 7, 1), dt.date(2026, 9, 30)
    common = {"hold_seconds": D(0), "acw_seconds": D(0)}
    fact(
        queue,
        at(july, 1),
        offered=100,
        answered=90,
        abandoned=10,
        wait_seconds=D(900),
        talk_seconds=D(27000),
        staffed_agents=D(10),
        paid_hours=D(6),
        **common,
    )
    fact(
        queue,
        at(july, 1, 30),
        offered=60,
        answered=50,
        abandoned=10,
        wait_seconds=D(600),
        talk_seconds=D(15000),
        staffed_agents=D(6),
        paid_hours=D(4),
        **common,
    )
    fact(
        queue,
        at(end, 23, 30),
        offered=40,
        answered=40,
        abandoned=0,
        wait_seconds=D(100),
        talk_seconds=D(10000),
        hold_seconds=D(1000),
        acw_seconds=D(1000),
        staffed_agents=D(4),
        paid_hours=D(2),
    )
    # A superseded revision of an interval inside the quarter and an interval after it: neither counts.
    fact(
        queue,
        at(july, 2),
        revision=1,
        is_current=False,
        offered=999,
        answered=999,
        talk_seconds=D(99999),
        staffed_agents=D(99),
        paid_hours=D(99),
        **common,
    )
    fact(
        queue,
        at(dt.date(2026, 10, 1), 0),
        offered=500,
        answered=500,
        talk_seconds=D(99999),
        staffed_agents=D(99),
        paid_hours=D(99),
        **common,
    )
    period = signed_period(world, contract, score="95", quarter=3)
    operator = world.users["client_supervisor"]
    statement = settlement_services.statement_prepare(actor=operator, period=period)
    statement = settlement_services.statement_approve(actor=operator, statement=statement)
    version = contract.versions.get()
    return {"contract": contract, "queue": queue, "period": period, "statement": statement, "version": version}


def scenario_fields(**overrides) -> dict:
    """The worked example of test_sourcing_finance as form values (percentages as percent)."""
    values = {
        "name": "收回自营",
        "name_en": "",
        "kind": "in_house",
        "currency": "CNY",
        "horizon_years": 3,
        "discount_rate": D(8),
        "annual_contacts": D(100000),
        "aht_seconds": D(300),
        "service_level_target": D(80),
        "service_level_seconds": 20,
        "required_fte": D(10),
        "shrinkage": D(20),
        "annual_wage_per_fte": D(50000),
        "seat_cost_per_fte": D(10000),
        "technology_cost": D(50000),
        "price_per_contact": D(9),
        "governance_cost": D(20000),
        "transition_cost": D(150000),
        "in_house_share": D(100),
        "baseline_in_house_share": D(0),
        "volume_growth": D(10),
        "wage_growth": D(5),
        "price_growth": D(0),
    }
    values.update(overrides)
    return values


@pytest.fixture
def scenario(world):
    return services.scenario_create(actor=world.users["client_supervisor"], organisation=world.org, **scenario_fields())
