"""The demo contracts: one per demo vendor, made through the services, idempotent, amended in the past."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from oversight.contracts import selectors, services
from oversight.contracts.demo import load_demo_contracts
from oversight.contracts.models import Contract, ContractDocument
from oversight.core import clock
from oversight.demo.scenario import build_scenario
from oversight.fees.calc import settle
from oversight.notifications.models import Notification

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 5, 20, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def demo():
    with clock.frozen_at(NOW):
        scenario = build_scenario(now=NOW)
        contracts = load_demo_contracts(scenario.organisation)
    return scenario, {c.vendor.code: c for c in contracts}


def test_one_active_contract_per_demo_vendor_and_loading_twice_changes_nothing(demo):
    scenario, contracts = demo
    assert set(contracts) == {"desk", "net", "his"}
    assert {c.status for c in contracts.values()} == {"active"}
    counts = (Contract.objects.count(), ContractDocument.objects.count())
    with clock.frozen_at(NOW):
        again = load_demo_contracts(scenario.organisation)
    assert (Contract.objects.count(), ContractDocument.objects.count()) == counts
    assert {c.pk for c in again} == {c.pk for c in contracts.values()}


def test_the_desk_contract_has_the_documented_terms_and_a_past_amendment(demo):
    _scenario, contracts = demo
    desk = contracts["desk"]
    v1, v2 = selectors.contract_versions(contract=desk, full=True)
    assert (v1.fixed_fee, v1.at_risk_percent, v1.max_deduction) == (Decimal("120000.00"), 10, 20)
    assert [(c.code, c.target, c.allocation_percent) for c in v1.commitments.all()] == [
        ("response", 95, 30),
        ("resolution", 90, 40),
        ("onsite", 95, 30),
    ]
    assert v2.effective_from == dt.date(2026, 1, 1)  # the start of the previous quarter
    assert v2.created_at < NOW
    assert [c.code for c in v2.commitments.all()] == ["response", "resolution", "onsite", "csat"]
    # The first quarter of 2026 was evaluated under version 2, the last of 2025 under version 1.
    assert selectors.contract_version_for_period(desk, dt.date(2025, 10, 1), dt.date(2026, 1, 1)).number == 1
    assert selectors.contract_version_for_period(desk, dt.date(2026, 1, 1), dt.date(2026, 4, 1)).number == 2
    version = selectors.contract_version_for_period(desk, dt.date(2026, 4, 1), dt.date(2026, 5, 1))
    inputs = selectors.settlement_inputs(
        version,
        months=1,
        actuals={
            "response": Decimal("94"),
            "resolution": Decimal("92"),
            "onsite": Decimal("96"),
            "csat": Decimal("85"),
        },
    )
    statement = settle(**inputs.as_kwargs(Decimal("88.5")))
    # 1.5 points x 1 % x 120 000 = 1 800; pool 12 000: response 30 % = 3 600, CSAT 20 % x 50 % = 1 200.
    assert (statement.band_deduction, statement.credits, statement.total) == (
        Decimal("1800.00"),
        Decimal("4800.00"),
        Decimal("113400.00"),
    )


def test_the_net_contract_is_due_for_renewal_and_the_his_contract_is_quarterly(demo):
    _scenario, contracts = demo
    with clock.frozen_at(NOW):
        assert services.contract_renewal_reminders_send() > 0
    assert Notification.objects.filter(kind="contract_renewal", subject__contains=contracts["net"].number).exists()
    assert not Notification.objects.filter(subject__contains=contracts["desk"].number).exists()
    his = selectors.contract_version_in_force(contracts["his"], dt.date(2026, 5, 20))
    assert his.fee_period == "quarterly" and his.number == 2
    assert [(r.kind, r.rate, r.included_quantity) for r in his.unit_rates.all()] == [
        ("service_request", Decimal("200.00"), 60)
    ]
    assert contracts["desk"].documents.get().kind == "signed_contract"
