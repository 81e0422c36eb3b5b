"""Contact-centre KPIs (ccmath.metrics) against hand-computed values; aggregation sums components."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from oversight.ccmath import metrics as m

# One half-hour: 100 offered, 90 answered, 10 abandoned (4 short), wait 1 800 s of the answered,
# talk 18 000 s, hold 1 800 s, ACW 3 600 s, 15 staffed agents, 16 scheduled, 10 paid hours.
ROW = m.interval_totals(
    interval_minutes=30,
    staffed_agents=Decimal("15"),
    scheduled_agents=Decimal("16"),
    offered=100,
    answered=90,
    abandoned=10,
    short_abandoned=4,
    wait_seconds=Decimal("1800"),
    talk_seconds=Decimal("18000"),
    hold_seconds=Decimal("1800"),
    acw_seconds=Decimal("3600"),
    paid_hours=Decimal("10"),
)


def test_the_interval_kpis_by_hand():
    assert m.asa(ROW) == 20  # 1 800 / 90
    assert m.abandonment_rate(ROW) == Fraction(1, 10)  # 10 / 100
    assert m.abandonment_rate(ROW, exclude_short=True) == Fraction(6, 96)  # (10 - 4) / (100 - 4)
    assert m.aht(ROW) == 260  # (18 000 + 1 800 + 3 600) / 90
    # Staffed time 15 × 1 800 s = 27 000 s; handle 23 400 s.
    assert m.occupancy(ROW) == Fraction(23400, 27000)
    # Productive hours 15 × 0.5 = 7.5 of 10 paid: shrinkage 25 %.
    assert m.shrinkage(ROW) == Fraction(1, 4)
    assert m.schedule_conformance(ROW) == Fraction(15, 16)


def test_empty_denominators_give_no_figure():
    empty = m.Totals()
    for f in (m.asa, m.abandonment_rate, m.aht, m.occupancy, m.shrinkage, m.schedule_conformance):
        assert f(empty) is None
    assert m.fcr(0, 0) is None and m.nps([]) is None and m.csat_mean([]) is None


def test_quality_scores_by_hand():
    assert m.fcr(42, 60) == Fraction(7, 10)
    scores = [5, 4, 4, 3, 1]
    assert m.csat_mean(scores) == Fraction(17, 5)  # 3.4
    assert m.csat_share(scores) == Fraction(3, 5)
    # 10 answers: 5 promoters (9, 10), 3 passives (7, 8), 2 detractors (0–6): 50 % − 20 % = 30 points.
    assert m.nps([10, 10, 9, 9, 9, 8, 7, 7, 6, 0]) == 30


def test_a_day_is_the_sum_of_its_intervals_not_the_mean_of_their_ratios():
    night = m.Totals(answered=2, wait_seconds=200)  # ASA 100 s
    morning = m.Totals(answered=98, wait_seconds=980)  # ASA 10 s
    assert m.asa(m.total([night, morning])) == Fraction(1180, 100)  # 11.8 s, not (100 + 10) / 2 = 55 s


def test_buckets_and_grouping():
    monday = dt.datetime(2026, 3, 2, 9, 30)
    sunday = dt.datetime(2026, 3, 8, 23, 30)
    april = dt.datetime(2026, 4, 1, 0, 0)
    assert m.bucket(sunday, "week") == dt.date(2026, 3, 2)
    assert m.bucket(sunday, "day") == dt.date(2026, 3, 8)
    assert m.bucket(april, "month") == dt.date(2026, 4, 1)
    assert m.bucket(monday, "interval") == monday
    grouped = m.by_bucket(
        [(monday, m.Totals(offered=3)), (sunday, m.Totals(offered=4)), (april, m.Totals(offered=5))], "month"
    )
    assert grouped == {dt.date(2026, 3, 1): m.Totals(offered=7), dt.date(2026, 4, 1): m.Totals(offered=5)}
    with pytest.raises(ValueError, match="grain"):
        m.bucket(monday, "year")
