"""Stored terms convert one to one into the pure settlement dataclasses and settle to hand-computed statements."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oversight.contracts import selectors
from oversight.contracts.terms import CommitmentRule, ShareStep, forfeited_share, is_met, rule_problems
from oversight.contracts.validation import BandInput, CommitmentInput, ShareStepInput, UnitRateInput
from oversight.core.errors import ApplicationError
from oversight.fees.calc import BandTable, Basis, Commitment, ScoreBand, UnitCharge, settle

D = Decimal

BANDS = (
    BandInput(upper=D("90"), lower=D("80"), per_point=D("1")),
    BandInput(upper=D("80"), per_point=D("2"), step=D("5")),
)
COMMITMENTS = (
    CommitmentInput(
        code="response", name="Response", sla_metric="response", target=D("95"), allocation_percent=D("30")
    ),
    CommitmentInput(
        code="resolution",
        name="Resolution",
        sla_metric="resolution",
        target=D("90"),
        allocation_percent=D("40"),
        miss_share_percent=D("50"),
        share_steps=(ShareStepInput(D("85"), D("100")),),
    ),
    CommitmentInput(code="onsite", name="On-site", sla_metric="onsite", target=D("95"), allocation_percent=D("30")),
    CommitmentInput(
        code="csat", name="CSAT", indicator="csat_satisfied_share", target=D("90"), allocation_percent=D("20")
    ),
)


@pytest.fixture
def version(make_contract):
    contract = make_contract(
        bands=BANDS,
        commitments=COMMITMENTS,
        unit_rates=(UnitRateInput(kind="incident", rate=D("85.50"), included_quantity=400),),
    )
    return selectors.contract_version_in_force(contract, dt.date(2026, 3, 1))


@pytest.mark.django_db
def test_stored_rows_convert_one_to_one(version):
    assert selectors.band_table(version) == BandTable(
        bands=(
            ScoreBand(upper=D("90"), lower=D("80"), per_point=D("1"), per_point_basis=Basis.PERCENT),
            ScoreBand(upper=D("80"), lower=None, per_point=D("2"), step=D("5"), step_basis=Basis.PERCENT),
        ),
        max_deduction=D("20"),
        max_deduction_basis=Basis.PERCENT,
    )
    assert selectors.unit_charges(version, {"incident": 430, "service_request": 12}) == [
        UnitCharge(code="incident", count=30, rate=D("85.50"))
    ]
    assert selectors.unit_charges(version, {"incident": 399}) == [UnitCharge(code="incident", count=0, rate=D("85.50"))]
    commitments = selectors.settlement_commitments(
        version, {"response": D("93.2"), "resolution": D("88"), "onsite": D("95.00"), "csat": None}, {"response": "e:1"}
    )
    assert commitments == [
        Commitment("response", D("30"), D("100"), "e:1"),
        Commitment("resolution", D("40"), D("50")),
        Commitment("onsite", D("30"), D("0")),
        Commitment("csat", D("20"), D("0")),
    ]


@pytest.mark.django_db
def test_a_period_settles_to_the_hand_computed_statement(version):
    inputs = selectors.settlement_inputs(
        version,
        months=1,
        actuals={"response": D("93.2"), "resolution": D("88"), "onsite": D("95.00"), "csat": None},
        counts={"incident": 430, "service_request": 12},
    )
    statement = settle(**inputs.as_kwargs(D("87.50")))
    # B 120 000.00; U = 30 x 85.50 = 2 565.00; I = 122 565.00
    assert (statement.base_fee, statement.unit_charges, statement.invoice_amount) == (
        D("120000.00"),
        D("2565.00"),
        D("122565.00"),
    )
    # Score 87.50: 2.5 points x 1 % x 120 000 = 3 000.00 (cap 20 % = 24 000 does not bind).
    assert statement.band_deduction == D("3000.00")
    # A = 10 % x 122 565.00 = 12 256.50; response 30 % x 100 % = 3 676.95; resolution 40 % x 50 % = 2 451.30.
    assert statement.at_risk_amount == D("12256.50")
    assert statement.line("credit:response").amount == D("-3676.95")
    assert statement.line("credit:resolution").amount == D("-2451.30")
    assert statement.credits == D("6128.25")
    # T = 122 565.00 - 3 000.00 - 6 128.25
    assert statement.total == D("113436.75")


@pytest.mark.django_db
def test_caps_bind_on_a_bad_period(version):
    inputs = selectors.settlement_inputs(
        version,
        months=1,
        actuals={"response": D("50"), "resolution": D("84.99"), "onsite": D("0"), "csat": D("10")},
        counts={"incident": 430},
    )
    statement = settle(**inputs.as_kwargs(D("70")))
    # 10 x 1 % + 10 x 2 % + 5 % = 35 % of 120 000 = 42 000, capped at 20 % = 24 000.00
    assert statement.band_deduction_raw == D("42000")
    assert statement.band_deduction == D("24000.00")
    # 3 676.95 + 4 902.60 + 3 676.95 + 2 451.30 = 14 707.80, capped at the pool 12 256.50
    assert statement.credits_uncapped == D("14707.80")
    assert statement.credits == D("12256.50")
    assert statement.total == D("86308.50")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("score", "deduction"),
    [("100", "0.00"), ("90.00", "0.00"), ("89.99", "12.00"), ("80.00", "12000.00"), ("79.99", "18024.00")],
)
def test_band_edges_at_exactly_90_and_80(version, score, deduction):
    inputs = selectors.settlement_inputs(
        version, months=1, actuals={"response": None, "resolution": None, "onsite": None, "csat": None}
    )
    assert settle(**inputs.as_kwargs(D(score))).band_deduction == D(deduction)


@pytest.mark.django_db
def test_every_commitment_needs_a_value_and_fees_follow_the_period(version):
    with pytest.raises(ApplicationError) as exc:
        selectors.settlement_commitments(version, {"response": D("99")})
    assert exc.value.code == "commitment_values_missing"
    assert selectors.base_fee_for(version, 3) == D("360000.00")
    version.fee_period = "quarterly"
    assert selectors.base_fee_for(version, 3) == D("120000.00")
    with pytest.raises(ApplicationError):
        selectors.base_fee_for(version, 1)


def test_fee_period_bounds():
    assert selectors.fee_period_bounds("monthly", dt.date(2026, 12, 31)) == (dt.date(2026, 12, 1), dt.date(2027, 1, 1))
    assert selectors.fee_period_bounds("quarterly", dt.date(2026, 11, 5)) == (dt.date(2026, 10, 1), dt.date(2027, 1, 1))
    assert selectors.fee_period_bounds("quarterly", dt.date(2026, 4, 1)) == (dt.date(2026, 4, 1), dt.date(2026, 7, 1))


# ---------------------------------------------------------------------------------------- the pure credit rule

GRADUATED = CommitmentRule(
    code="t",
    target=D("95"),
    higher_is_better=True,
    miss_share_percent=D("25"),
    steps=(ShareStep(D("80"), D("100")), ShareStep(D("90"), D("50"))),
)


@pytest.mark.parametrize(
    ("actual", "share"),
    [("96", "0"), ("95", "0"), ("94.9", "25"), ("90", "25"), ("89.9", "50"), ("80", "50"), ("79.99", "100")],
)
def test_graduated_shares_follow_the_documented_example(actual, share):
    assert forfeited_share(GRADUATED, D(actual)) == D(share)


def test_no_value_is_no_breach_and_lower_is_better_mirrors():
    assert is_met(GRADUATED, None) is None
    assert forfeited_share(GRADUATED, None) == 0
    mttr = CommitmentRule("mttr", D("14400"), False, D("50"), (ShareStep(D("28800"), D("100")),))
    assert forfeited_share(mttr, D("14400")) == 0
    assert forfeited_share(mttr, D("14401")) == D("50")
    assert forfeited_share(mttr, D("28800")) == D("50")
    assert forfeited_share(mttr, D("28801")) == D("100")
    assert rule_problems(GRADUATED) == [] and rule_problems(mttr) == []


@given(
    a=st.decimals(min_value=0, max_value=100, places=2),
    b=st.decimals(min_value=0, max_value=100, places=2),
)
def test_a_worse_value_never_forfeits_less(a, b):
    worse, better = min(a, b), max(a, b)
    assert forfeited_share(GRADUATED, worse) >= forfeited_share(GRADUATED, better)
    assert 0 <= forfeited_share(GRADUATED, worse) <= 100
