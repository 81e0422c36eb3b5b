"""Fixtures of the evaluation tests: a contract for the world's first vendor, a small scheme, and a handful of work
orders with known timelines in Q3 2026 whose indicators are computed by hand in the tests.

The world's SLA policy gives P3 (the default priority) 60 min to respond, 240 min to arrive and 960 min (16 h)
to resolve, on a round-the-clock UTC calendar: business time is wall-clock time. The organisation lives in
Asia/Shanghai, so Q3 2026 is [2026-06-30 16:00 UTC, 2026-09-30 16:00 UTC).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from oversight.contracts import services as contract_services
from oversight.contracts.validation import CommitmentInput, Terms
from oversight.core import clock
from oversight.feedback.models import Complaint, Rating
from oversight.scorecards import services
from oversight.scorecards.rules import DeductionRule, LinearRule, StepRule
from oversight.tickets import services as tickets
from tests.factories import OfferingFactory, ServiceFactory

D = Decimal
UTC = dt.UTC
SIGNED_AT = dt.datetime(2026, 1, 5, 2, 0, tzinfo=UTC)
T0 = dt.datetime(2026, 7, 6, 2, 0, tzinfo=UTC)  # Monday 6 July 2026, 10:00 in Shanghai
EVAL_AT = dt.datetime(2026, 10, 5, 2, 0, tzinfo=UTC)  # after the quarter
Q3_DAY = dt.date(2026, 7, 15)
MIN = dt.timedelta(minutes=1)
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


def terms_for(world, service, *, commitments=True) -> Terms:
    """A monthly contract over one service, with three timeliness commitments tied to the policy's version."""
    version = service.sla_policy.versions.get()
    return Terms(
        term_start=dt.date(2026, 1, 1),
        term_end=dt.date(2027, 12, 31),
        fixed_fee=D("120000.00"),
        fee_period="monthly",
        at_risk_percent=D("10"),
        max_deduction=D("20"),
        services=(service,),
        commitments=(
            (
                CommitmentInput(
                    code="response",
                    name="Response",
                    sla_metric="response",
                    target=D("95"),
                    allocation_percent=D("30"),
                    sla_policy_versions=(version,),
                ),
                CommitmentInput(
                    code="resolution",
                    name="Resolution",
                    sla_metric="resolution",
                    target=D("90"),
                    allocation_percent=D("40"),
                ),
                CommitmentInput(
                    code="csat",
                    name="CSAT",
                    indicator="csat_satisfied_share",
                    target=D("90"),
                    allocation_percent=D("20"),
                    miss_share_percent=D("50"),
                ),
            )
            if commitments
            else ()
        ),
    )


def make_contract(world, *, vendor, service, number):
    with clock.frozen_at(SIGNED_AT):
        contract = contract_services.contract_create(
            actor=world.users["client_admin"],
            vendor=vendor,
            number=number,
            title=f"Contract {number}",
            terms=terms_for(world, service),
        )
        return contract_services.contract_activate(actor=world.users["client_admin"], contract=contract)


@pytest.fixture
def contract(world):
    """The first vendor's active contract over the desktop service."""
    return make_contract(world, vendor=world.vendor, service=world.service, number="HT-1")


@pytest.fixture
def other_contract(world):
    """The second vendor's active contract over the network service."""
    return make_contract(world, vendor=world.other_vendor, service=world.other_service, number="HT-2")


def simple_indicators():
    """Linear response (points = %), stepped resolution, linear CSAT mean, complaints deducted 5 each."""
    return [
        services.IndicatorInput(
            code="response",
            name="Response",
            dimension="processes",
            weight=D("40"),
            source="response_timeliness",
            rule=LinearRule(D("100"), D("0")).to_dict(),
            missing_policy="full",
        ),
        services.IndicatorInput(
            code="resolution",
            name="Resolution",
            dimension="processes",
            weight=D("30"),
            source="resolution_timeliness",
            rule=StepRule(((D("80"), D("100")), (D("50"), D("60")))).to_dict(),
            missing_policy="full",
        ),
        services.IndicatorInput(
            code="csat",
            name="CSAT",
            dimension="technology",
            weight=D("20"),
            source="csat_mean",
            rule=LinearRule(D("5"), D("1")).to_dict(),
            missing_policy="full",
        ),
        services.IndicatorInput(
            code="complaints",
            name="Complaints",
            dimension="technology",
            weight=D("10"),
            source="complaint_count",
            rule=DeductionRule(D("5"), D("10"), D("0")).to_dict(),
            missing_policy="full",
        ),
    ]


@pytest.fixture
def simple_scheme(world, contract):
    return services.scheme_version_create(
        contract=contract,
        actor=world.users["client_admin"],
        settings=services.SchemeSettings(name="Simple"),
        indicators=simple_indicators(),
    )


@pytest.fixture
def template_scheme(world, contract):
    return services.scheme_from_template(contract, world.users["client_admin"])


@dataclass
class Fixture:
    """The work orders (by letter), ratings and complaint of the hand-computed fixture."""

    wo: dict
    ratings: dict
    complaint: Complaint


def _step(at, fn, **kwargs):
    with clock.frozen_at(at):
        return fn(**kwargs)


def _rate(world, wo, stars, recommend, at):
    return Rating.objects.create(
        organisation=world.org,
        work_order=wo,
        vendor=wo.vendor,
        requester=wo.requester,
        stars=stars,
        recommend=recommend,
        channel="link",
        created_at=at,
    )


def build_fixture(world) -> Fixture:
    """Work orders A–H (see tests/scorecards/test_scorecards_evaluation.py for what each one is)."""
    req, vm = world.users["requester"], world.users["vendor_manager"]
    agent, agent2 = world.users["vendor_agent"], world.users["vendor_agent_2"]
    supervisor = world.users["client_supervisor"]
    wo: dict = {}

    def create(key, at, **kwargs):
        wo[key] = _step(at, tickets.work_order_create, actor=req, service=world.service, title=f"WO {key}", **kwargs)
        return wo[key]

    def act(key, at, action, actor=agent, **kwargs):
        wo[key] = _step(at, tickets.work_order_transition, actor=actor, work_order=wo[key], action=action, **kwargs)

    def assign(key, at, who):
        wo[key] = _step(at, tickets.work_order_assign, actor=vm, work_order=wo[key], assignee=who)

    # A: answered in 10 min, resolved in 2 h: every target met.
    create("A", T0)
    assign("A", T0 + MIN, agent)
    act("A", T0 + 10 * MIN, "accept")
    act("A", T0 + 2 * HOUR, "resolve", resolution="fixed")
    # B: answered after 90 min (response breached), resolved after 20 h (resolution breached).
    create("B", T0 + DAY)
    assign("B", T0 + DAY + MIN, agent)
    act("B", T0 + DAY + 90 * MIN, "accept")
    act("B", T0 + DAY + 20 * HOUR, "resolve", resolution="fixed late")
    # C: needs a visit; arrived after 5 h (on-site breached), resolved at 6 h, reopened at 8 h, resolved at 10 h.
    create("C", T0 + 2 * DAY, offering=world.onsite_offering)
    assign("C", T0 + 2 * DAY + MIN, agent)
    act("C", T0 + 2 * DAY + 30 * MIN, "accept")
    act("C", T0 + 2 * DAY + 5 * HOUR, "arrive")
    act("C", T0 + 2 * DAY + 6 * HOUR, "resolve", resolution="fixed")
    act("C", T0 + 2 * DAY + 8 * HOUR, "reopen", actor=req, note="still broken")
    act("C", T0 + 2 * DAY + 10 * HOUR, "resolve", resolution="fixed again")
    # D: reassigned once before acceptance, answered in 20 min, resolved in 3 h.
    create("D", T0 + 3 * DAY)
    assign("D", T0 + 3 * DAY + MIN, agent)
    assign("D", T0 + 3 * DAY + 2 * MIN, agent2)
    act("D", T0 + 3 * DAY + 20 * MIN, "accept", actor=agent2)
    act("D", T0 + 3 * DAY + 3 * HOUR, "resolve", actor=agent2, resolution="fixed")
    # E: received late in the quarter and never answered: response and resolution due in Q3, breached.
    create("E", T0 + 80 * DAY)
    assign("E", T0 + 80 * DAY + MIN, agent)
    # F: cancelled (excluded from everything).
    create("F", T0 + 4 * DAY)
    act("F", T0 + 4 * DAY + 5 * MIN, "cancel", actor=supervisor, note="duplicate")
    # G: another vendor's work order; H: this vendor's work order on a service outside the contract's scope.
    wo["G"] = _step(T0 + 5 * DAY, tickets.work_order_create, actor=req, service=world.other_service, title="WO G")
    outside = ServiceFactory(
        organisation=world.org, vendor=world.vendor, sla_policy=world.policy, code="outside", name="Outside"
    )
    OfferingFactory(service=outside)
    wo["H"] = _step(T0 + 5 * DAY, tickets.work_order_create, actor=req, service=outside, title="WO H")
    ratings = {
        "A": _rate(world, wo["A"], 5, 10, T0 + 3 * HOUR),
        "B": _rate(world, wo["B"], 2, 3, T0 + 2 * DAY),
        "D": _rate(world, wo["D"], 4, 8, T0 + 4 * DAY),
        "G": _rate(world, wo["G"], 1, 0, T0 + 6 * DAY),
    }
    complaint = Complaint.objects.create(
        organisation=world.org,
        vendor=world.vendor,
        work_order=wo["B"],
        rating=ratings["B"],
        source="rating",
        status="open",
        opened_at=T0 + 2 * DAY,
        updated_at=T0 + 2 * DAY,
    )
    for key in wo:
        wo[key].refresh_from_db()
    return Fixture(wo=wo, ratings=ratings, complaint=complaint)


@pytest.fixture
def fixture_data(world, contract):
    return build_fixture(world)


def open_period(world, contract, *, at=EVAL_AT, actor="client_supervisor", kind="quarterly", day=Q3_DAY):
    """Open and compute the contract's Q3 2026 (at EVAL_AT unless told)."""
    with clock.frozen_at(at):
        period, _created = services.period_open(contract=contract, kind=kind, day=day, actor=world.users[actor])
    return period


@pytest.fixture
def q3(world, contract, simple_scheme, fixture_data):
    """Q3 2026 of the first vendor's contract, computed with the simple scheme after the quarter."""
    return open_period(world, contract)
