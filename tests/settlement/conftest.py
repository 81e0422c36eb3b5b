"""Fixtures of the settlement tests: a quarterly contract with demo-like terms and signed periods built in the ORM.

Terms: 120 000.00 per quarter; bands ≥ 90 full fee, [80, 90) 1 % per point, below 80 2 % per point plus a
5 % step, capped at 20 % of the base fee; 10 % of the invoice at risk; commitments response (≥ 95, 30 % of
the pool, 100 % forfeited when missed), resolution (≥ 90, 40 %, 50 % when missed, 100 % below 80) and CSAT
share of 4–5 stars (≥ 90, 20 %); incidents beyond 400 a quarter at 85.50 each.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from oversight.contracts import services as contract_services
from oversight.contracts.validation import BandInput, CommitmentInput, ShareStepInput, Terms, UnitRateInput
from oversight.core import clock
from oversight.scorecards import services as scorecard_services
from oversight.scorecards.models import CommitmentResult, EvaluationPeriod

D = Decimal
SIGNED_AT = dt.datetime(2026, 1, 5, 2, 0, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 10, 20, 2, 0, tzinfo=dt.UTC)
CLIENT_NAME = "市第一人民医院"
VENDOR_NAME = "北京桌面运维服务有限公司"


def settlement_terms(world, service) -> Terms:
    return Terms(
        term_start=dt.date(2026, 1, 1),
        term_end=dt.date(2027, 12, 31),
        fixed_fee=D("120000.00"),
        fee_period="quarterly",
        at_risk_percent=D("10"),
        max_deduction=D("20"),
        max_deduction_basis="percent",
        services=(service,),
        bands=(
            BandInput(upper=D("90"), lower=D("80"), per_point=D("1")),
            BandInput(upper=D("80"), lower=None, per_point=D("2"), step=D("5")),
        ),
        commitments=(
            CommitmentInput(
                code="response", name="响应及时率", sla_metric="response", target=D("95"), allocation_percent=D("30")
            ),
            CommitmentInput(
                code="resolution",
                name="解决及时率",
                sla_metric="resolution",
                target=D("90"),
                allocation_percent=D("40"),
                miss_share_percent=D("50"),
                share_steps=(ShareStepInput(D("80"), D("100")),),
            ),
            CommitmentInput(
                code="csat",
                name="满意度",
                indicator="csat_satisfied_share",
                target=D("90"),
                allocation_percent=D("20"),
            ),
        ),
        unit_rates=(UnitRateInput(kind="incident", rate=D("85.50"), included_quantity=400),),
    )


def make_contract(world, *, vendor, service, number):
    with clock.frozen_at(SIGNED_AT):
        contract = contract_services.contract_create(
            actor=world.users["client_admin"],
            vendor=vendor,
            number=number,
            title=f"桌面运维 {number}",
            terms=settlement_terms(world, service),
        )
        contract = contract_services.contract_activate(actor=world.users["client_admin"], contract=contract)
        scorecard_services.scheme_from_template(contract, world.users["client_admin"])
    return contract


@pytest.fixture
def contract(world):
    world.org.name = CLIENT_NAME
    world.org.save(update_fields=["name"])
    world.vendor.name = VENDOR_NAME
    world.vendor.save(update_fields=["name"])
    return make_contract(world, vendor=world.vendor, service=world.service, number="HT-9")


@pytest.fixture
def other_contract(world):
    return make_contract(world, vendor=world.other_vendor, service=world.other_service, number="HT-8")


QUARTERS = {2: (dt.date(2026, 4, 1), dt.date(2026, 6, 30)), 3: (dt.date(2026, 7, 1), dt.date(2026, 9, 30))}


def signed_period(
    world,
    contract,
    *,
    score,
    actuals=None,
    incidents=412,
    status="signed",
    quarter=3,
    revision_of=None,
) -> EvaluationPeriod:
    """A quarter of the contract as the evaluation app stores it once signed (built directly in the ORM)."""
    actuals = {"response": "93.5", "resolution": "85", "csat": "92"} if actuals is None else actuals
    first, last = QUARTERS[quarter]
    version = contract.versions.get()
    start = dt.datetime.combine(first, dt.time(), tzinfo=dt.UTC)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    period = EvaluationPeriod.objects.create(
        organisation=contract.organisation,
        contract=contract,
        vendor=contract.vendor,
        contract_version=version,
        scheme=contract.indicator_schemes.order_by("-number").first(),
        kind="quarterly",
        starts_on=first,
        ends_on=last,
        start_at=start,
        end_at=end,
        revision=1 if revision_of is None else revision_of.revision + 1,
        revision_of=revision_of,
        revision_reason="" if revision_of is None else "更正",
        status=status,
        total_score=D(score),
        total_exact=str(score),
        unit_counts={"incident": incidents},
        client_signed_at=NOW if status in ("signed", "locked", "signed_client") else None,
        client_signed_by=world.users["client_supervisor"] if status in ("signed", "locked", "signed_client") else None,
        vendor_signed_at=NOW if status in ("signed", "locked") else None,
        vendor_signed_by=world.users["vendor_manager"] if status in ("signed", "locked") else None,
        created_at=NOW,
        updated_at=NOW,
    )
    for position, commitment in enumerate(version.commitments.order_by("position", "id")):
        measured = actuals.get(commitment.code)
        CommitmentResult.objects.create(
            period=period,
            commitment=commitment,
            position=position,
            code=commitment.code,
            name=commitment.name,
            indicator=commitment.indicator,
            unit="percent",
            target=commitment.target,
            higher_is_better=True,
            allocation_percent=commitment.allocation_percent,
            measured_value=None if measured is None else D(measured),
            measured_exact="" if measured is None else measured,
            met=None if measured is None else D(measured) >= commitment.target,
            forfeited_share_percent=D(0),
            record_type="work_order",
        )
    return period
