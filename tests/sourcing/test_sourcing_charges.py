"""Expected charge beside the settled amount, and the cost indicators from the settlement (conftest's facts)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from oversight.core.kpis import Facts, Scope, Window, compute, registry
from oversight.kpi import Period
from oversight.settlement.models import SettlementStatement
from oversight.sourcing import charges, services

D = Decimal
Q3 = Period(dt.datetime(2026, 7, 1, tzinfo=dt.UTC), dt.datetime(2026, 10, 1, tzinfo=dt.UTC))


def test_usage_sums_the_current_facts_of_the_period_only(cc):
    period = cc["period"]
    used = charges.usage(contract_id=cc["contract"].pk, start=period.start_at, end=period.end_at)
    assert (used.offered, used.answered, used.abandoned) == (200, 180, 20)
    assert used.wait_seconds == D(1600)
    assert used.handle_seconds == D(54000)
    assert used.productive_hours == D(10)  # (10 + 6 + 4) agents x 0.5 h
    assert used.paid_hours == D(12)


def test_expected_charge_beside_the_statement(world, cc):
    model = services.commercial_model_create(
        actor=world.users["client_admin"],
        contract_version=cc["version"],
        basis="handled_contact",
        rate="3.50",
        outcome_kpi="abandonment_rate",
        outcome_target="12",
        bonus_percent="5",
    )
    [row] = charges.period_charges(user=world.users["client_supervisor"], model=model)
    # 180 x 3.50 = 630.00; abandonment 10 % <= 12 % -> + 5 % = 31.50
    assert (row.charge.base, row.charge.adjustment, row.charge.total) == (D("630.00"), D("31.50"), D("661.50"))
    assert row.actual == cc["statement"].total
    assert row.difference == cc["statement"].total - D("661.50")


def test_a_vendor_sees_charges_of_approved_statements_only(world, cc):
    model = services.commercial_model_create(
        actor=world.users["client_admin"], contract_version=cc["version"], basis="productive_hour", rate="80"
    )
    SettlementStatement.objects.filter(pk=cc["statement"].pk).update(status="draft", approved_at=None)
    assert charges.period_charges(user=world.users["vendor_manager"], model=model) == []
    assert len(charges.period_charges(user=world.users["client_supervisor"], model=model)) == 1


def _figure(world, code):
    scope = Scope(organisation_id=world.org.pk, vendor_id=world.vendor.pk, evaluated_at=Q3.end)
    return compute(registry.get(code), Facts(scope, Q3), Window(Q3, Q3.end))


def test_cost_indicators_from_the_approved_statement(world, cc):
    total = cc["statement"].total
    contact = _figure(world, "cost_per_contact")
    assert contact.value == (total / 180).quantize(D("0.01"))
    assert contact.numerator_ids == (cc["statement"].pk,)
    assert _figure(world, "cost_per_productive_hour").value == (total / 10).quantize(D("0.01"))
    # No FCR share is supplied for the period: no cost per resolution, never a guess.
    assert _figure(world, "cost_per_resolution").value is None


def test_a_draft_statement_gives_no_cost(world, cc):
    SettlementStatement.objects.filter(pk=cc["statement"].pk).update(status="draft", approved_at=None)
    assert _figure(world, "cost_per_contact").value is None
