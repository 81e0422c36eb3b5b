"""Earned value (oversight.quant.evm): MISSION.md's reference values, hand-computed cases, the methods per
deliverable, planned value over working days, earned schedule, traffic lights, and properties."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oversight.businesstime.engine import CalendarDataMissing, CalendarSpec
from oversight.quant import evm

WORKWEEK = CalendarSpec(tz="Asia/Shanghai", weekly=(((540, 1020),),) * 5 + ((), ()))


def test_mission_reference_values():
    """BAC 4000, PV 3000, EV 2500, AC 2800 (MISSION.md, formulas)."""
    f = evm.figures(bac=D(4000), pv=D(3000), ev=D(2500), ac=D(2800))
    r = f.rounded()
    assert r["cv"] == D("-300.00")
    assert r["sv"] == D("-500.00")
    assert r["cpi"] == D("0.8929")
    assert r["spi"] == D("0.8333")
    assert r["eac"] == D("4480.00")  # exact: BAC·AC/EV, not BAC/0.89 = 4494 nor the textbook's 4479
    assert f.eac == D(4480)
    assert r["etc"] == D("1680.00")
    assert r["vac"] == D("-480.00")
    assert r["eac_cpi_spi"] == D("4816.00")
    assert f.eac_cpi_spi == D(4816)
    assert r["eac_atypical"] == D("4300.00")  # AC + (BAC − EV) = 2800 + 1500
    assert r["tcpi"] == D("1.2500")


def test_hand_computed_ahead_and_under_budget():
    # BAC 10 000, PV 4 000, EV 5 000, AC 4 500 by hand:
    # SV 1 000, CV 500, SPI 1.25, CPI 1.1111, EAC 10 000·4 500/5 000 = 9 000, ETC 4 500, VAC 1 000,
    # EAC(CPI·SPI) = 4 500 + 5 000/(1.1111·1.25) = 4 500 + 5 000·4 500·4 000/25 000 000 = 4 500 + 3 600 = 8 100,
    # TCPI = 5 000/5 500 = 0.9091.
    r = evm.figures(bac=D(10000), pv=D(4000), ev=D(5000), ac=D(4500)).rounded()
    assert (r["sv"], r["cv"], r["spi"], r["cpi"]) == (D("1000.00"), D("500.00"), D("1.2500"), D("1.1111"))
    assert (r["eac"], r["etc"], r["vac"]) == (D("9000.00"), D("4500.00"), D("1000.00"))
    assert r["eac_cpi_spi"] == D("8100.00")
    assert r["tcpi"] == D("0.9091")


def test_eac_needs_unrounded_ratio():
    # BAC 1 000, EV 300, AC 700: BAC·AC/EV = 2 333.333… → 2 333.33; with CPI rounded to 0.4286 first: 2 333.18.
    r = evm.figures(bac=D(1000), pv=D(300), ev=D(300), ac=D(700)).rounded()
    assert r["eac"] == D("2333.33")
    assert r["vac"] == D("-1333.33")


def test_not_yet_measurable():
    f = evm.figures(bac=D(1000), pv=D(0), ev=D(0), ac=D(0))
    assert f.spi is None and f.cpi is None and f.eac is None and f.etc is None and f.vac is None
    assert f.eac_cpi_spi is None
    assert f.tcpi == D(1)  # (1000 − 0)/(1000 − 0)
    assert evm.project_light(f) == evm.LIGHT_UNKNOWN
    # value planned, nothing spent yet: SPI 0.5 but CPI and EAC wait for a cost
    f = evm.figures(bac=D(1000), pv=D(200), ev=D(100), ac=D(0))
    assert f.spi == D("0.5") and f.cpi is None and f.eac is None
    # the whole budget spent: TCPI is not measurable
    assert evm.figures(bac=D(1000), pv=D(1000), ev=D(900), ac=D(1000)).tcpi is None


def test_refuses_negative_and_floats():
    with pytest.raises(ValueError, match="AC"):
        evm.figures(bac=D(1), pv=D(0), ev=D(0), ac=D(-1))
    with pytest.raises(TypeError):
        evm.figures(bac=1000.0, pv=D(0), ev=D(0), ac=D(0))


@pytest.mark.parametrize(
    ("method", "progress", "share"),
    [
        (evm.METHOD_FIXED_0_100, evm.DeliverableProgress(started=True), D(0)),
        (evm.METHOD_FIXED_0_100, evm.DeliverableProgress(started=True, finished=True), D(1)),
        (evm.METHOD_FIXED_50_50, evm.DeliverableProgress(), D(0)),
        (evm.METHOD_FIXED_50_50, evm.DeliverableProgress(started=True), D("0.5")),
        (evm.METHOD_FIXED_20_80, evm.DeliverableProgress(started=True), D("0.2")),
        (evm.METHOD_FIXED_20_80, evm.DeliverableProgress(finished=True), D(1)),
        (evm.METHOD_PERCENT, evm.DeliverableProgress(), D(0)),
        (evm.METHOD_PERCENT, evm.DeliverableProgress(percent_complete=D("37.5")), D("0.375")),
        (
            evm.METHOD_MILESTONES,
            evm.DeliverableProgress(milestone_weight_reached=D(3), milestone_weight_total=D(8)),
            D("0.375"),
        ),
        (evm.METHOD_UNITS, evm.DeliverableProgress(units_done=D(45), units_total=D(120)), D("0.375")),
        (evm.METHOD_UNITS, evm.DeliverableProgress(units_done=D(130), units_total=D(120)), D(1)),
    ],
)
def test_earned_share_by_method(method, progress, share):
    assert evm.earned_share(method, progress) == share


def test_percent_is_entered_never_forced_and_checked():
    # finished without a percentage entered earns nothing under "percent complete": it is what was entered
    assert evm.earned_share(evm.METHOD_PERCENT, evm.DeliverableProgress(finished=True)) == 0
    with pytest.raises(ValueError):
        evm.earned_share(evm.METHOD_PERCENT, evm.DeliverableProgress(percent_complete=D(101)))
    with pytest.raises(ValueError):
        evm.earned_share("guess", evm.DeliverableProgress())
    assert evm.earned_value(evm.METHOD_FIXED_50_50, D(800), evm.DeliverableProgress(started=True)) == D(400)


def test_working_days_skip_weekends_and_holidays():
    # Mon 2026-12-07 … Sun 2026-12-13: five working days
    assert len(evm.working_days(WORKWEEK, date(2026, 12, 7), date(2026, 12, 13))) == 5
    with_holiday = CalendarSpec(tz="Asia/Shanghai", weekly=WORKWEEK.weekly, overrides={date(2026, 12, 9): ()})
    days = evm.working_days(with_holiday, date(2026, 12, 7), date(2026, 12, 13))
    assert date(2026, 12, 9) not in days and len(days) == 4
    covered = CalendarSpec(tz="Asia/Shanghai", weekly=WORKWEEK.weekly, covered_years=frozenset({2026}))
    with pytest.raises(CalendarDataMissing):
        evm.working_days(covered, date(2026, 12, 28), date(2027, 1, 5))


def test_pv_time_phased_over_working_days():
    # Two weeks Mon 12-07 … Fri 12-18 (10 working days). Package A: 1 000 over week 1 (200 a day);
    # package B: 500 over Wed 12-16 … Fri 12-18 (three days, 166.67 each).
    days = evm.working_days(WORKWEEK, date(2026, 12, 7), date(2026, 12, 18))
    packages = [
        evm.PlannedPackage(D(1000), date(2026, 12, 7), date(2026, 12, 11)),
        evm.PlannedPackage(D(500), date(2026, 12, 16), date(2026, 12, 18)),
    ]
    curve = evm.pv_curve(packages, days)
    assert len(curve) == 10
    assert curve[0] == D(200) and curve[4] == D(1000) and curve[6] == D(1000)
    assert evm.money(curve[7]) == D("1166.67")
    assert curve[-1] == D(1500)
    # a status date on the weekend counts the Friday: PV 1 000 after 5 working days
    assert evm.planned_value_at(curve, days, date(2026, 12, 13)) == (D(1000), 5)
    assert evm.planned_value_at(curve, days, date(2026, 12, 6)) == (D(0), 0)
    assert evm.work_package_pv(packages[1], days, date(2026, 12, 17)) == D("333.333333333333")


def test_pv_of_a_package_without_working_days_lands_on_the_next_one():
    days = evm.working_days(WORKWEEK, date(2026, 12, 7), date(2026, 12, 18))
    weekend = evm.PlannedPackage(D(300), date(2026, 12, 12), date(2026, 12, 13))
    curve = evm.pv_curve([weekend], days)
    assert curve[4] == 0 and curve[5] == D(300)


def test_earned_schedule_interpolates_on_the_pv_curve():
    curve = [D(100), D(200), D(300), D(400)]
    # EV 250 lies half-way between day 2 (200) and day 3 (300): ES 2.5
    assert evm.earned_schedule(curve, D(250)) == D("2.5")
    assert evm.earned_schedule(curve, D(0)) == 0
    assert evm.earned_schedule(curve, D(400)) == 4
    assert evm.earned_schedule(curve, D(500)) == 4
    # flat stretch: EV equal to a plateau takes its last day
    assert evm.earned_schedule([D(100), D(100), D(200)], D(100)) == 2
    f = evm.figures(bac=D(400), pv=D(300), ev=D(250), ac=D(250), pv_curve=curve, at=3)
    assert f.es == D("2.5")
    assert evm.index(f.spi_t) == D("0.8333")  # 2.5/3


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, evm.LIGHT_UNKNOWN),
        (D("1.2"), evm.LIGHT_GREEN),
        (D("1"), evm.LIGHT_GREEN),
        (D("0.9999"), evm.LIGHT_YELLOW),
        (D("0.9001"), evm.LIGHT_YELLOW),
        (D("0.9"), evm.LIGHT_RED),  # a deviation of exactly 10 % is red ("10 % or more")
        (D("0.5"), evm.LIGHT_RED),
    ],
)
def test_traffic_light_seeds_rule(value, expected):
    assert evm.light(value) == expected


def test_traffic_light_configurable_and_worst():
    loose = evm.Thresholds(green_tolerance=D("0.02"), red_deviation=D("0.15"))
    assert evm.light(D("0.98"), loose) == evm.LIGHT_GREEN
    assert evm.light(D("0.86"), loose) == evm.LIGHT_YELLOW
    assert evm.light(D("0.85"), loose) == evm.LIGHT_RED
    with pytest.raises(ValueError):
        evm.Thresholds(green_tolerance=D("0.2"), red_deviation=D("0.1"))
    f = evm.figures(bac=D(4000), pv=D(3000), ev=D(2500), ac=D(2800))
    assert evm.light(f.cpi) == evm.LIGHT_RED and evm.light(f.spi) == evm.LIGHT_RED
    assert evm.worst(evm.LIGHT_GREEN, evm.LIGHT_YELLOW, evm.LIGHT_UNKNOWN) == evm.LIGHT_YELLOW
    assert evm.project_light(evm.figures(bac=D(100), pv=D(50), ev=D(50), ac=D(52))) == evm.LIGHT_YELLOW


def test_slippage_counts_working_days():
    def count(a, b):
        return len(evm.working_days(WORKWEEK, a, b)) - (1 if WORKWEEK.intervals_for(a) else 0)

    planned = date(2026, 12, 11)  # Friday
    assert evm.slippage_days(planned, date(2026, 12, 15), date(2026, 12, 20), count) == 2  # Mon, Tue
    assert evm.slippage_days(planned, date(2026, 12, 10), date(2026, 12, 20), count) == 0
    assert evm.slippage_days(planned, None, date(2026, 12, 9), count) == 0
    assert evm.slippage_days(planned, None, date(2026, 12, 18), count) == 5


amounts = st.decimals(min_value=D("0.01"), max_value=D("1e9"), places=2)


@given(bac=amounts, pv=amounts, ev=amounts, ac=amounts)
def test_property_identities(bac, pv, ev, ac):
    f = evm.figures(bac=bac, pv=pv, ev=ev, ac=ac)
    assert f.sv == ev - pv and f.cv == ev - ac
    # EAC·CPI = BAC and ETC + AC = EAC, VAC + EAC = BAC (up to the 28-digit context)
    tolerance = (bac + ac + f.eac) * D("1e-20")
    assert abs(f.eac * f.cpi - bac) <= tolerance
    assert abs(f.etc + ac - f.eac) <= tolerance and abs(f.vac + f.eac - bac) <= tolerance
    # CPI·SPI = 1 makes the third EAC the second
    if ev == ac == pv:
        assert f.eac_cpi_spi == f.eac_atypical


@given(
    budgets=st.lists(st.decimals(min_value=0, max_value=D("1e6"), places=2), min_size=1, max_size=6),
    spans=st.lists(st.tuples(st.integers(0, 40), st.integers(0, 20)), min_size=6, max_size=6),
    ev_share=st.decimals(min_value=0, max_value=1, places=3),
)
def test_property_pv_curve_and_earned_schedule(budgets, spans, ev_share):
    start = date(2026, 11, 2)
    days = evm.working_days(WORKWEEK, start, date(2026, 12, 31))
    packages = []
    for budget, (offset, length) in zip(budgets, spans, strict=False):
        first = days[min(offset, len(days) - 1)]
        last = days[min(offset + length, len(days) - 1)]
        packages.append(evm.PlannedPackage(budget, first, last))
    curve = evm.pv_curve(packages, days)
    total = sum(budgets)
    assert curve[-1] == total
    assert all(a <= b for a, b in zip(curve, curve[1:], strict=False))
    ev = total * ev_share
    es = evm.earned_schedule(curve, ev)
    assert 0 <= es <= len(days)
    # the plan at ES (interpolated) is the value earned
    if 0 < ev < total:
        whole = int(es)
        before = curve[whole - 1] if whole else D(0)
        after = curve[whole] if whole < len(curve) else curve[-1]
        assert abs(before + (after - before) * (es - whole) - ev) <= D("1e-9")
