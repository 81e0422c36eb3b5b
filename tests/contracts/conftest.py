"""Fixtures of the contract tests: demo-like terms for the world's first vendor and a contract made by the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from oversight.contracts import services
from oversight.contracts.validation import BandInput, CommitmentInput, StaffingInput, Terms, UnitRateInput
from oversight.core import clock

D = Decimal
# 2026-01-05 10:00 in Shanghai: the day the contract is signed in these tests.
SIGNED_AT = dt.datetime(2026, 1, 5, 2, 0, tzinfo=dt.UTC)


def make_terms(world, **overrides) -> Terms:
    """120 000.00 a month, 10 % at risk, >= 90 full fee then 1 % per point (cap 20 %), three commitments."""
    version = world.policy.versions.get()
    values = {
        "term_start": dt.date(2026, 1, 1),
        "term_end": dt.date(2027, 12, 31),
        "fixed_fee": D("120000.00"),
        "fee_period": "monthly",
        "at_risk_percent": D("10"),
        "max_deduction": D("20"),
        "max_deduction_basis": "percent",
        "renewal_notice_days": 90,
        "services": (world.service,),
        "sites": (world.dept,),
        "bands": (BandInput(upper=D("90"), lower=None, per_point=D("1")),),
        "commitments": (
            CommitmentInput(
                code="response",
                name="Response timeliness",
                sla_metric="response",
                target=D("95"),
                allocation_percent=D("30"),
                sla_policy_versions=(version,),
            ),
            CommitmentInput(
                code="resolution",
                name="Resolution timeliness",
                sla_metric="resolution",
                target=D("90"),
                allocation_percent=D("40"),
                sla_policy_versions=(version,),
            ),
            CommitmentInput(
                code="onsite",
                name="On-site timeliness",
                sla_metric="onsite",
                target=D("95"),
                allocation_percent=D("30"),
            ),
        ),
        "unit_rates": (UnitRateInput(kind="incident", rate=D("85.50"), included_quantity=400),),
        "staffing": (
            StaffingInput(position="onsite_engineer", count=4),
            StaffingInput(position="service_desk", count=2),
        ),
    }
    values.update(overrides)
    return Terms(**values)


@pytest.fixture
def terms(world) -> Terms:
    return make_terms(world)


@pytest.fixture
def make_contract(world):
    """`make_contract(activate=True, vendor=None, number=..., **term_overrides)` through the real services."""

    def make(*, activate: bool = True, vendor=None, number: str = "HT-2026-001", at=SIGNED_AT, terms=None, **over):
        vendor = vendor or world.vendor
        if terms is None:
            if vendor.pk == world.vendor.pk:
                terms = make_terms(world, **over)
            else:
                service = vendor.services.first()
                terms = make_terms(world, services=(service,), commitments=(), **over)
        with clock.frozen_at(at):
            contract = services.contract_create(
                actor=world.users["client_admin"], vendor=vendor, number=number, title="Desktop support", terms=terms
            )
            if activate:
                contract = services.contract_activate(actor=world.users["client_admin"], contract=contract)
        return contract

    return make
