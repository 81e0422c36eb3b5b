"""Settlement (oversight.fees.calc) against hand-computed statements, edges and properties."""

from __future__ import annotations

import json
import math
from decimal import Decimal as D
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oversight.fees.calc import (
    BandTable,
    Basis,
    Commitment,
    ScoreBand,
    SettlementError,
    UnitCharge,
    settle,
)

# >= 90 full fee; [80, 90) 1 % of the base fee per point below 90; below 80 a further 2 % per point
# below 80 plus a one-off 5 % step; the deduction is capped at 20 % of the base fee.
STANDARD = BandTable(
    bands=(
        ScoreBand(upper=D(90), lower=D(80), per_point=D(1)),
        ScoreBand(upper=D(80), lower=None, per_point=D(2), step=D(5)),
    ),
    max_deduction=D(20),
)
BASE = D("100000.00")  # 1 % of it is 1 000.00 per point


def amounts(statement) -> list[tuple[str, D]]:
    return [(ln.code, ln.amount) for ln in statement.lines]


# --------------------------------------------------------------------------------------------
# score bands
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "deduction", "capped"),
    [
        (D("100"), D("0.00"), False),
        (D("90"), D("0.00"), False),  # exactly 90: full fee (the 90 edge is inclusive for the full fee)
        (D("90.00"), D("0.00"), False),
        (D("89.99"), D("10.00"), False),  # 0.01 point x 1 % x 100 000 = 0.01 x 1 000 = 10.00
        (D("85"), D("5000.00"), False),  # 5 x 1 000
        (D("80"), D("10000.00"), False),  # exactly 80: 10 points x 1 000, the lower band not reached
        (D("80.00"), D("10000.00"), False),
        # 79.99: 10 x 1 000 + 0.01 x 2 % x 100 000 (= 20.00) + step 5 % (= 5 000) = 15 020.00
        (D("79.99"), D("15020.00"), False),
        # 77.5: 10 000 + 2.5 x 2 000 + 5 000 = 20 000 = the cap exactly (binding not needed)
        (D("77.5"), D("20000.00"), False),
        # 75: 10 000 + 5 x 2 000 + 5 000 = 25 000 -> capped at 20 % x 100 000 = 20 000
        (D("75"), D("20000.00"), True),
        # 0: 10 000 + 80 x 2 000 + 5 000 = 175 000 -> 20 000
        (D("0"), D("20000.00"), True),
    ],
)
def test_band_deduction_edges_and_cap(score, deduction, capped):
    st_ = settle(base_fee=BASE, score=score, bands=STANDARD)
    assert st_.band_deduction == deduction
    assert st_.line("score_deduction").amount == -deduction
    assert st_.line("score_deduction").explanation["capped"] is capped
    assert st_.total == BASE - deduction
    assert st_.credits == 0 and st_.at_risk_amount == 0


def test_band_explanation_lists_each_band_reached():
    st_ = settle(base_fee=BASE, score=D("79.99"), bands=STANDARD)
    exp = st_.line("score_deduction").explanation
    assert exp["score"] == "79.99"
    assert exp["full_fee_from"] == "90"
    assert D(exp["cap"]) == D("20000")  # 20 % of 100 000.00, exact
    assert [D(b["points_below"]) for b in exp["bands"]] == [D(10), D("0.01")]
    assert [D(b["per_point_amount"]) for b in exp["bands"]] == [D(10000), D(20)]  # 10 x 1 000; 0.01 x 2 000
    assert [D(b["step_amount"]) for b in exp["bands"]] == [D(0), D(5000)]
    assert D(exp["raw"]) == D("15020")


def test_without_a_cap_a_huge_deduction_is_floored_at_zero():
    table = BandTable(bands=STANDARD.bands, max_deduction=None)
    st_ = settle(base_fee=BASE, score=D(0), bands=table)
    # raw 175 000.00 > 100 000.00: subtotal -75 000.00, floor line +75 000.00, total 0
    assert st_.band_deduction == D("175000.00")
    assert st_.floor_adjustment == D("75000.00")
    assert amounts(st_) == [
        ("base_fee", D("100000.00")),
        ("score_deduction", D("-175000.00")),
        ("floor", D("75000.00")),
    ]
    assert st_.total == D("0.00")


def test_amount_bases_for_per_point_step_and_cap():
    table = BandTable(
        bands=(
            ScoreBand(D(90), D(80), per_point=D("500.00"), per_point_basis=Basis.AMOUNT),
            ScoreBand(
                D(80), None, per_point=D("1000.00"), per_point_basis="amount", step=D("3000"), step_basis="amount"
            ),
        ),
        max_deduction=D("9000.00"),
        max_deduction_basis=Basis.AMOUNT,
    )
    # 85.5: 4.5 x 500 = 2 250.00
    assert settle(base_fee=BASE, score=D("85.5"), bands=table).band_deduction == D("2250.00")
    # 79: 10 x 500 + 1 x 1 000 + 3 000 = 9 000.00 = cap
    assert settle(base_fee=BASE, score=D(79), bands=table).band_deduction == D("9000.00")
    # 70: 5 000 + 10 000 + 3 000 = 18 000 -> capped at 9 000.00
    assert settle(base_fee=BASE, score=D(70), bands=table).band_deduction == D("9000.00")


@pytest.mark.parametrize(
    ("base", "score", "expected"),
    [
        (D("101.00"), D("89.5"), D("0.51")),  # 0.5 x 1 % x 101.00 = 0.505 -> half up 0.51 (half-even: 0.50)
        (D("103.00"), D("89.5"), D("0.52")),  # 0.515 -> 0.52
        (D("1234.56"), D("89.5"), D("6.17")),  # 0.5 x 12.3456 = 6.1728 -> 6.17
        (D("0.00"), D("10"), D("0.00")),  # zero base fee: percentages of 0
    ],
)
def test_band_deduction_is_rounded_half_up_once(base, score, expected):
    table = BandTable(bands=(ScoreBand(D(90), None, per_point=D(1)),))
    assert settle(base_fee=base, score=score, bands=table).band_deduction == expected


def test_no_bands_means_no_deduction():
    st_ = settle(base_fee=BASE, score=D(0), bands=BandTable())
    assert st_.band_deduction == 0 and st_.total == BASE
    assert st_.line("score_deduction").explanation["full_fee_from"] is None


# --------------------------------------------------------------------------------------------
# service credits (at-risk pool)
# --------------------------------------------------------------------------------------------


def test_at_risk_pool_worked_example_cap_not_binding():
    st_ = settle(
        base_fee=BASE,
        score=D(95),
        bands=STANDARD,
        at_risk_percent=D(10),
        commitments=[
            Commitment("response", D(20), D(100), ref="evaluation-line:1"),
            Commitment("resolution", D(50), D(50), ref="evaluation-line:2"),
            Commitment("csat", D(40), D(0)),  # met: no line
        ],
    )
    # A = 10 % x 100 000.00 = 10 000.00
    # response   20 % x 100 % x 10 000 = 2 000.00
    # resolution 50 % x  50 % x 10 000 = 2 500.00 -> C = 4 500.00 < 10 000.00
    assert st_.at_risk_amount == D("10000.00")
    assert amounts(st_) == [
        ("base_fee", D("100000.00")),
        ("score_deduction", D("0.00")),
        ("credit:response", D("-2000.00")),
        ("credit:resolution", D("-2500.00")),
    ]
    assert st_.credits_uncapped == st_.credits == D("4500.00")
    assert st_.total == D("95500.00")  # 100 000 - 4 500
    line = st_.line("credit:resolution")
    assert line.ref == "evaluation-line:2"
    assert line.label_key == "settlement.service_credit"
    assert line.explanation["allocation_percent"] == "50"
    assert line.explanation["share_percent"] == "50"
    assert line.explanation["at_risk_amount"] == "10000.00"


def test_at_risk_pool_credits_exceeding_the_pool_are_capped():
    st_ = settle(
        base_fee=BASE,
        score=D(95),
        bands=STANDARD,
        at_risk_percent=D(10),
        commitments=[
            Commitment("response", D(20), D(100)),  # 2 000.00
            Commitment("resolution", D(50), D(100)),  # 5 000.00
            Commitment("csat", D(40), D(100)),  # 4 000.00 -> 11 000.00 in all
        ],
    )
    # 11 000.00 > A = 10 000.00: a cap line gives back 1 000.00
    assert st_.credits_uncapped == D("11000.00")
    assert st_.credits == D("10000.00")
    assert st_.line("credit_cap").amount == D("1000.00")
    assert st_.total == D("90000.00")  # 100 000 - 10 000
    assert sum(ln.amount for ln in st_.lines) == st_.total


def test_credits_exactly_at_the_pool_add_no_cap_line():
    st_ = settle(
        base_fee=BASE,
        score=D(95),
        bands=STANDARD,
        at_risk_percent=D(10),
        commitments=[Commitment("a", D(60), D(100)), Commitment("b", D(40), D(100))],  # 6 000 + 4 000 = A
    )
    assert st_.credits == D("10000.00")
    with pytest.raises(KeyError):
        st_.line("credit_cap")


def test_credits_are_rounded_half_up_per_line_then_summed():
    # invoice 1 001.00, at risk 10 % -> A = 100.10; each commitment 10 % x 50 % x 100.10 = 5.005 -> 5.01
    st_ = settle(
        base_fee=D("1001.00"),
        score=D(95),
        bands=STANDARD,
        at_risk_percent=D(10),
        commitments=[Commitment(c, D(10), D(50)) for c in ("a", "b", "c")],
    )
    assert st_.at_risk_amount == D("100.10")
    assert [ln.amount for ln in st_.lines if ln.code.startswith("credit:")] == [D("-5.01")] * 3
    assert st_.credits == D("15.03")  # 3 x 5.01 (rounding the sum 15.015 instead would give 15.02)
    assert st_.total == D("985.97")  # 1 001.00 - 15.03
    assert D(st_.line("credit:a").explanation["exact"]) == D("5.005")


def test_credit_half_up_and_at_risk_rounding():
    # invoice 1 000.20 x 10 % = 100.02; 50 % x 50 % x 100.02 = 25.005 -> 25.01 (half-even: 25.00)
    st_ = settle(
        base_fee=D("1000.20"),
        score=D(95),
        bands=STANDARD,
        at_risk_percent=D(10),
        commitments=[Commitment("a", D(50), D(50))],
    )
    assert st_.credits == D("25.01")
    # invoice 1 234.57 x 7.5 % = 92.59275 -> 92.59
    assert settle(base_fee=D("1234.57"), score=D(95), bands=STANDARD, at_risk_percent=D("7.5")).at_risk_amount == D(
        "92.59"
    )


# --------------------------------------------------------------------------------------------
# unit charges and the whole order of operations
# --------------------------------------------------------------------------------------------


def test_full_statement_in_the_documented_order():
    st_ = settle(
        base_fee=D("50000.00"),
        score=D(85),
        bands=STANDARD,
        at_risk_percent=D(12),
        commitments=[Commitment("resolution", D(25), D(50), ref="ev:9")],
        unit_charges=[
            UnitCharge("install", 12, D("150.00"), ref="wo-type:install"),  # 12 x 150.00 = 1 800.00
            UnitCharge("move", 3, D("33.335")),  # 3 x 33.335 = 100.005 -> 100.01
        ],
    )
    # U = 1 900.01; invoice I = 51 900.01
    # D: 85 -> 5 points x 1 % x 50 000.00 = 2 500.00 (percent of the base fee only)
    # A = 12 % x 51 900.01 = 6 228.0012 -> 6 228.00; credit 25 % x 50 % x 6 228.00 = 778.50
    # T = 51 900.01 - 2 500.00 - 778.50 = 48 621.51
    assert amounts(st_) == [
        ("base_fee", D("50000.00")),
        ("unit:install", D("1800.00")),
        ("unit:move", D("100.01")),
        ("score_deduction", D("-2500.00")),
        ("credit:resolution", D("-778.50")),
    ]
    assert st_.unit_charges == D("1900.01")
    assert st_.invoice_amount == D("51900.01")
    assert st_.at_risk_amount == D("6228.00")
    assert st_.total == D("48621.51")
    assert st_.line("unit:move").explanation == {"type": "move", "count": 3, "rate": "33.335", "exact": "100.005"}
    assert st_.line("unit:install").ref == "wo-type:install"
    data = json.loads(json.dumps(st_.as_dict()))
    assert data["total"] == "48621.51"
    assert [ln["code"] for ln in data["lines"]] == [ln.code for ln in st_.lines]


def test_zero_base_fee():
    # nothing at all
    st_ = settle(base_fee=D("0.00"), score=D(50), bands=STANDARD, at_risk_percent=D(10))
    assert (st_.total, st_.band_deduction, st_.at_risk_amount) == (D("0.00"), D("0.00"), D("0.00"))
    # unit charges only: U = 10 x 20.00 = 200.00; A = 10 % x 200.00 = 20.00; credit 100 % x 100 % x 20.00
    st_ = settle(
        base_fee=D(0),
        score=D(50),
        bands=STANDARD,
        at_risk_percent=D(10),
        unit_charges=[UnitCharge("visit", 10, D("20.00"))],
        commitments=[Commitment("all", D(100), D(100))],
    )
    assert st_.band_deduction == 0  # percentages of a zero base fee
    assert st_.total == D("180.00")
    # a fixed-amount deduction larger than the invoice: 200.00 - 500.00 -> floor +300.00 -> 0
    table = BandTable(bands=(ScoreBand(D(90), None, step=D(500), step_basis=Basis.AMOUNT),))
    st_ = settle(base_fee=D(0), score=D(85), bands=table, unit_charges=[UnitCharge("visit", 10, D("20.00"))])
    assert st_.floor_adjustment == D("300.00")
    assert st_.total == D("0.00")


def test_input_validation():
    with pytest.raises(SettlementError, match="whole number of cents"):
        settle(base_fee=D("100.001"), score=D(90), bands=STANDARD)
    with pytest.raises(SettlementError, match=r"\[0, 100\]"):
        settle(base_fee=BASE, score=D("100.01"), bands=STANDARD)
    with pytest.raises(SettlementError, match=r"\[0, 100\]"):
        settle(base_fee=BASE, score=D("-0.01"), bands=STANDARD)
    with pytest.raises(SettlementError, match="Decimal or int"):
        settle(base_fee=100000.0, score=D(90), bands=STANDARD)
    with pytest.raises(SettlementError, match=">= 0"):
        settle(base_fee=D("-1.00"), score=D(90), bands=STANDARD)
    with pytest.raises(SettlementError, match="BandTable"):
        settle(base_fee=BASE, score=D(90), bands=[ScoreBand(D(90))])
    with pytest.raises(SettlementError, match="repeated: a"):
        settle(base_fee=BASE, score=D(90), bands=STANDARD, commitments=[Commitment("a", 1, 1), Commitment("a", 2, 2)])
    with pytest.raises(SettlementError, match="repeated: x"):
        settle(base_fee=BASE, score=D(90), bands=STANDARD, unit_charges=[UnitCharge("x", 1, 1), UnitCharge("x", 1, 1)])
    with pytest.raises(SettlementError) as exc:
        BandTable(bands=(ScoreBand(D(90), D(80)), ScoreBand(D(70), None)))  # gap [70, 80)
    assert exc.value.code == "band_gap"
    with pytest.raises(SettlementError, match="contiguous"):
        BandTable(bands=(ScoreBand(D(90), None), ScoreBand(D(80), None)))  # open band not last
    with pytest.raises(SettlementError, match="below its upper"):
        ScoreBand(D(80), D(90))
    with pytest.raises(SettlementError, match=">= 0"):
        ScoreBand(D(90), per_point=D(-1))
    with pytest.raises(SettlementError, match="percent"):
        ScoreBand(D(90), per_point_basis="euro")
    with pytest.raises(SettlementError, match=r"\[0, 100\]"):
        Commitment("a", D(101), D(50))
    with pytest.raises(SettlementError, match=r"\[0, 100\]"):
        Commitment("a", D(10), D(-5))
    with pytest.raises(SettlementError, match="whole number"):
        UnitCharge("a", -1, D(1))
    with pytest.raises(SettlementError, match="whole number"):
        UnitCharge("a", True, D(1))


# --------------------------------------------------------------------------------------------
# properties
# --------------------------------------------------------------------------------------------

money = st.decimals(min_value=0, max_value=10_000_000, places=2)
percents = st.decimals(min_value=0, max_value=100, places=2)
scores = st.decimals(min_value=0, max_value=100, places=2)


@st.composite
def band_tables(draw):
    edges = sorted(draw(st.sets(st.integers(min_value=1, max_value=100), min_size=1, max_size=4)), reverse=True)
    open_bottom = draw(st.booleans())
    bounds = list(zip(edges, [*edges[1:], None if open_bottom else 0]))
    bands = tuple(
        ScoreBand(
            D(u),
            None if lo is None else D(lo),
            per_point=draw(st.decimals(min_value=0, max_value=5, places=2)),
            step=draw(st.decimals(min_value=0, max_value=10, places=2)),
        )
        for u, lo in bounds
    )
    cap = draw(st.one_of(st.none(), percents))
    return BandTable(bands=bands, max_deduction=cap)


commitment_lists = st.lists(st.tuples(percents, percents), max_size=6).map(
    lambda pairs: [Commitment(f"c{i}", a, s) for i, (a, s) in enumerate(pairs)]
)
unit_lists = st.lists(
    st.tuples(st.integers(min_value=0, max_value=500), st.decimals(min_value=0, max_value=1000, places=3)), max_size=4
).map(lambda items: [UnitCharge(f"u{i}", n, r) for i, (n, r) in enumerate(items)])


def oracle_deduction(table: BandTable, score: D, base: D) -> Fraction:
    """Independent piecewise formula: rate x clamp(upper - s, 0, width) + step when s < upper."""
    total = Fraction(0)
    for b in table.bands:
        width = None if b.lower is None else Fraction(b.upper) - Fraction(b.lower)
        below = max(Fraction(b.upper) - Fraction(score), Fraction(0))
        if width is not None:
            below = min(below, width)
        total += Fraction(b.per_point) / 100 * Fraction(base) * below
        if score < b.upper:
            total += Fraction(b.step) / 100 * Fraction(base)
    if table.max_deduction is not None:
        total = min(total, Fraction(table.max_deduction) / 100 * Fraction(base))
    return total


def half_up_cents(x: Fraction) -> D:
    """Round a non-negative fraction to cents, half up, in integer arithmetic: floor(100 x + 1/2) cents."""
    assert x >= 0
    return D(math.floor(x * 100 + Fraction(1, 2))).scaleb(-2).quantize(D("0.01"))


@settings(max_examples=300, deadline=None)
@given(money, scores, scores, band_tables(), percents, commitment_lists, unit_lists)
def test_settlement_properties(base, s1, s2, table, at_risk, commitments, units):
    lo, hi = sorted((s1, s2))
    low = settle(
        base_fee=base, score=lo, bands=table, at_risk_percent=at_risk, commitments=commitments, unit_charges=units
    )
    high = settle(
        base_fee=base, score=hi, bands=table, at_risk_percent=at_risk, commitments=commitments, unit_charges=units
    )
    for st_ in (low, high):
        charges = sum((ln.amount for ln in st_.lines if ln.code.startswith("unit:")), D(0))
        assert st_.total <= base + charges  # never more than the invoice
        assert st_.total >= 0  # never negative
        assert st_.credits <= st_.at_risk_amount  # credits capped by the pool
        assert sum((ln.amount for ln in st_.lines), D(0)) == st_.total  # the lines add up
        assert all(ln.amount == ln.amount.quantize(D("0.01")) for ln in st_.lines)  # cents everywhere
        assert all(ln.amount.as_tuple().exponent == -2 for ln in st_.lines)
    assert low.total <= high.total  # monotone: a better score never pays less
    assert low.band_deduction >= high.band_deduction
    # independent oracle for the band deduction (exact fractions, then one half-up rounding)
    assert low.band_deduction == half_up_cents(oracle_deduction(table, lo, base))
    # independent oracle for the at-risk amount and each credit line
    assert low.at_risk_amount >= 0
    assert low.invoice_amount == base + sum((half_up_cents(Fraction(u.count) * Fraction(u.rate)) for u in units), D(0))
    assert low.at_risk_amount == half_up_cents(Fraction(at_risk) / 100 * Fraction(low.invoice_amount))
    for c in commitments:
        expected = half_up_cents(
            Fraction(c.allocation_percent) * Fraction(c.share_percent) / 10000 * Fraction(low.at_risk_amount)
        )
        if c.allocation_percent and c.share_percent:
            assert low.line(f"credit:{c.code}").amount == -expected
