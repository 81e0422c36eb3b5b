"""Fixtures of the workforce tests: a contract with a service-level term (T 20 s, 80 %, occupancy 85 %, shrinkage
30 %, forecast tolerance 10 %), a voice queue of the world's vendor and one of the other vendor (30-minute
intervals, organisation in Asia/Shanghai), and helpers that write interval facts with known figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from oversight.contactcentre.models import IntervalFact, Queue, ServiceLevelTerm
from oversight.contracts import services as contracts
from oversight.core import clock
from tests.contracts.conftest import make_terms

D = Decimal
SHANGHAI = dt.timezone(dt.timedelta(hours=8))
SIGNED_AT = dt.datetime(2026, 1, 5, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """A Shanghai wall-clock time as an aware datetime."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)


@pytest.fixture
def cc(world):
    """The contract, its term and two queues."""
    with clock.frozen_at(SIGNED_AT):
        contract = contracts.contract_create(
            actor=world.users["client_admin"],
            vendor=world.vendor,
            number="BPO-1",
            title="Customer service",
            terms=make_terms(world),
        )
        contract = contracts.contract_activate(actor=world.users["client_admin"], contract=contract)
    version = contract.versions.get()
    term = ServiceLevelTerm.objects.create(
        contract_version=version,
        threshold_seconds=20,
        target=D("0.8"),
        max_occupancy=D("0.85"),
        shrinkage=D("0.3"),
        forecast_tolerance=D("0.10"),
    )
    queue = Queue.objects.create(
        organisation=world.org, vendor=world.vendor, contract=contract, code="VOICE", name="Hotline", channel="voice"
    )
    other = Queue.objects.create(organisation=world.org, vendor=world.other_vendor, code="CHAT", name="Chat")

    class CC:
        pass

    out = CC()
    out.contract, out.version, out.term, out.queue, out.other_queue = contract, version, term, queue, other
    return out


def fact(queue, start: dt.datetime, offered: int, **fields) -> IntervalFact:
    """One current interval fact; answered defaults to everything offered, 180 s handle per answered contact."""
    answered = fields.pop("answered", offered)
    values = {
        "answered": answered,
        "answered_within_threshold": fields.pop("within", answered),
        "talk_seconds": D(180 * answered),
        "staffed_agents": D("14"),
        "scheduled_agents": D("20"),
    }
    values.update(fields)
    return IntervalFact.objects.create(queue=queue, interval_start=start.astimezone(dt.UTC), offered=offered, **values)
