"""The pure finance of a sourcing scenario (``oversight.ccmath.finance``) against published and hand-computed values.

Published: numpy-financial's documentation gives IRR([-100, 39, 59, 55, 20]) = 0.28095 and
NPV(8 %, [-40000, 5000, 8000, 12000, 30000]) = 3065.22. Every other expected value below is worked out by hand in
the comments (or by a plain Decimal loop, another method than numpy-financial).
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oversight.ccmath import finance

D = Decimal


def test_irr_matches_the_published_value_and_npv_at_irr_is_zero():
    flows = [D(-100), D(39), D(59), D(55), D(20)]
    rate = finance.irr(flows)
    assert round(rate, 5) == D("0.28095")
    # NPV at the IRR, by hand with Decimals: Σ f_t / (1 + r)^t
    assert abs(sum(f / (1 + rate) ** t for t, f in enumerate(flows))) < D("0.0001")


def test_npv_matches_the_published_value():
    assert finance.npv(D("0.08"), [D(-40000), D(5000), D(8000), D(12000), D(30000)]) == D("3065.22")


def test_irr_is_none_without_a_sign_change():
    assert finance.irr([D(-100), D(-5), D(0)]) is None
    assert finance.irr([D(10), D(20)]) is None


def test_payback_simple_and_discounted_by_hand():
    flows = [D(-100), D(39), D(59), D(55), D(20)]
    # cumulative -100, -61, -2, 53: crosses in year 3 -> 2 + 2/55 = 2.036
    assert finance.payback(flows) == D("2.04")
    # at 10 %: -100, 35.4545, 48.7603, 41.3223 -> cumulative -15.7851 after year 2 -> 2 + 15.7851/41.3223 = 2.382
    assert finance.discounted_payback(D("0.10"), flows) == D("2.38")


def test_payback_edges():
    assert finance.payback([D(0), D(5), D(5)]) == D("0.00")  # nothing invested
    assert finance.payback([D(-100), D(10), D(10)]) is None  # not paid back within the horizon
    assert finance.payback([D(-100), D(100)]) == D("1.00")  # exactly at the end of year 1


def test_roi_by_hand():
    # gains 39 + 59 + 55 + 20 = 173, invested 100 -> (173 - 100) / 100
    assert finance.roi([D(-100), D(39), D(59), D(55), D(20)]) == D("0.730000")
    assert finance.roi([D(0), D(5)]) is None


def scenario(**overrides) -> finance.ScenarioInputs:
    """Bring 100 % in-house from fully outsourced, three years (the worked example of the tests below)."""
    values = {
        "horizon_years": 3,
        "discount_rate": D("0.08"),
        "annual_contacts": D(100000),
        "aht_seconds": D(300),
        "required_fte": D(10),
        "shrinkage": D("0.2"),
        "annual_wage_per_fte": D(50000),
        "seat_cost_per_fte": D(10000),
        "technology_cost": D(50000),
        "price_per_contact": D(9),
        "governance_cost": D(20000),
        "transition_cost": D(150000),
        "in_house_share": D(1),
        "baseline_in_house_share": D(0),
        "volume_growth": D("0.1"),
        "wage_growth": D("0.05"),
        "price_growth": D(0),
    }
    values.update(overrides)
    return finance.ScenarioInputs(**values)


def test_cash_flow_tables_by_hand():
    result = finance.evaluate(scenario())
    # Status quo, all outsourced: fees = contacts x 9 (100000, 110000, 121000) + governance 20000
    assert [row.total for row in result.baseline] == [D(0), D(920000), D(1010000), D(1109000)]
    # Proposal, all in-house: FTE 10, 11, 12.1 productive -> paid / 0.8 = 12.5, 13.75, 15.125
    # wages y1 12.5 x 50000 = 625000; y2 13.75 x 50000 x 1.05 = 721875; y3 15.125 x 50000 x 1.1025 = 833765.625
    # seats 125000, 137500, 151250; technology 50000 every year; transition 150000 in year 0
    proposal = result.proposal
    assert [row.paid_fte for row in proposal[1:]] == [D("12.50"), D("13.75"), D("15.13")]
    assert [row.wages for row in proposal[1:]] == [D("625000.00"), D("721875.00"), D("833765.63")]
    assert [row.total for row in proposal] == [D(150000), D(800000), D(909375), D("1035015.63")]
    assert result.tco_baseline == D(3039000)
    assert result.tco_proposal == D("2894390.63")
    assert result.flows == [D(-150000), D(120000), D(100625), D("73984.37")]
    # cumulative -150000, -30000, 70625 -> 1 + 30000 / 100625 = 1.298
    assert result.payback_years == D("1.30")
    # gains 294609.37 - invested 150000 = 144609.37, / 150000
    assert result.roi == D("0.964062")


def test_npv_and_pv_of_cost_against_a_plain_decimal_loop():
    result = finance.evaluate(scenario())

    def pv(amounts):
        return sum(a / D("1.08") ** t for t, a in enumerate(amounts))

    assert abs(result.npv - pv(result.flows)) <= D("0.01")
    assert abs(result.pv_cost_baseline - pv([r.total for r in result.baseline])) <= D("0.01")
    assert abs(result.pv_cost_proposal - pv([r.total for r in result.proposal])) <= D("0.01")
    assert result.irr is not None
    assert abs(pv_at(result.irr, result.flows)) < D("0.5")


def pv_at(rate, flows):
    return sum(f / (1 + rate) ** t for t, f in enumerate(flows))


def test_mixed_share_splits_the_volume():
    result = finance.evaluate(scenario(in_house_share=D("0.4"), horizon_years=1))
    row = result.proposal[1]
    # 40 % of 100000 in-house: 4 productive FTE, 5 paid; wages 250000, seats 50000, technology 50000
    # 60000 outsourced x 9 = 540000, governance 20000 -> 910000
    assert (row.in_house_contacts, row.outsourced_contacts) == (D(40000), D(60000))
    assert row.total == D(910000)


def test_tornado_sorted_by_swing_and_price_swing_by_hand():
    base, bars = finance.tornado(scenario(), change=D("0.10"))
    assert base == finance.evaluate(scenario()).npv
    swings = [bar.swing for bar in bars]
    assert swings == sorted(swings, reverse=True)
    price = next(bar for bar in bars if bar.driver == "price_per_contact")
    # price only moves the status quo's vendor fees: swing = 0.2 x PV(900000, 990000, 1089000) at 8 %
    fees_pv = D(900000) / D("1.08") + D(990000) / D("1.08") ** 2 + D(1089000) / D("1.08") ** 3
    assert abs(price.swing - D("0.2") * fees_pv) <= D("0.02")
    assert price.npv_high > price.npv_low  # a dearer vendor makes bringing it in-house worth more
    transition = next(bar for bar in bars if bar.driver == "transition_cost")
    assert transition.swing == D(30000)  # ±15000 at year 0, undiscounted


def test_tornado_uses_the_given_staffing_function():
    calls = []

    def staffing(contacts, aht):
        calls.append((contacts, aht))
        return D(10) * contacts / D(100000)

    finance.tornado(scenario(horizon_years=1), drivers=("aht_seconds",), staffing=staffing)
    assert {aht for _, aht in calls} == {D(300), D(270), D(330)}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("horizon_years", 0),
        ("horizon_years", 31),
        ("shrinkage", D(1)),
        ("in_house_share", D("1.5")),
        ("price_per_contact", D(-1)),
        ("annual_contacts", D(0)),
        ("volume_growth", D(-1)),
    ],
)
def test_bad_inputs_are_refused_with_the_field(field, value):
    with pytest.raises(finance.FinanceInputError) as error:
        finance.evaluate(scenario(**{field: value}))
    assert error.value.field == field


def test_bad_tornado_change_is_refused():
    with pytest.raises(finance.FinanceInputError):
        finance.tornado(scenario(), change=D("1.5"))


def test_the_unchanged_status_quo_has_no_flows():
    result = finance.evaluate(replace(scenario(), in_house_share=D(0), transition_cost=D(0)))
    assert all(flow == 0 for flow in result.flows)
    assert result.irr is None and result.roi is None and result.payback_years == D("0.00")


@settings(max_examples=60, deadline=None)
@given(
    invest=st.integers(min_value=1, max_value=10**6),
    returns=st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=8),
)
def test_npv_at_irr_is_zero(invest, returns):
    flows = [D(-invest)] + [D(r) for r in returns]
    rate = finance.irr(flows)
    if sum(returns) == 0:
        assert rate is None
        return
    assert rate is not None  # one sign change and a positive return: a root in (-1, inf) exists
    # the root rounded to six places: NPV (decreasing in the rate for these flows) changes sign within ±1e-6
    step = D("0.000001")
    assert pv_at(rate - step, flows) >= 0 >= pv_at(rate + step, flows)


def test_erlang_staffing_at_the_mission_reference_load():
    # 200 000 contacts over 1 000 open hours = 100 per 30 minutes, AHT 180 s, 80 % in 20 s, occupancy cap 85 %:
    # MISSION.md's reference needs N = 14 (SL 0.8883500) and N = 13 is not enough (SL 0.7956); the fractional
    # requirement interpolates on the SL curve: 13 + (0.8 − 0.7956) / (0.88835 − 0.7956) = 13.047 agents, so
    # FTE = 13.047 × 1 000 open hours ÷ 1 650 productive hours per FTE-year = 7.907
    staffing = finance.erlang_staffing(
        service_level_target=D("0.8"),
        threshold_seconds=D(20),
        open_hours_per_year=D(1000),
        productive_hours_per_fte=D(1650),
        max_occupancy=D("0.85"),
    )
    fte = staffing(D(200000), D(180))
    assert abs(fte - D("13.047") * 1000 / 1650) < D("0.002")
    inputs = scenario(annual_contacts=D(200000), aht_seconds=D(180), required_fte=D(0), volume_growth=D(0))
    result = finance.evaluate(inputs, staffing=staffing)
    # paid FTE = productive ÷ (1 − 0.2 shrinkage)
    assert abs(result.proposal[1].paid_fte - D("7.907") / D("0.8")) <= D("0.01")
