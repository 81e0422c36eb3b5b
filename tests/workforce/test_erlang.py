"""Erlang C against MISSION.md's reference, Erlang A against a discrete-event simulation run in the test and
against its θ → 0 limit (Erlang C), and the vectorised staffing search against the benchmark's straightforward
per-interval loop (Erlang B recomputed by recursion at every N)."""

import heapq

import numpy as np
import pytest

from bench.bench_staffing import loop_requirement
from oversight.ccmath import erlang

RATE = 100 / 1800  # 100 calls per 30 minutes, per second


def test_erlang_c_reference_values():
    r = erlang.erlang_c(RATE, 180, 14, 20)
    assert r.traffic == pytest.approx(10.0)
    assert r.p_wait == pytest.approx(0.1741319, abs=5e-8)
    assert r.service_level == pytest.approx(0.8883500, abs=5e-8)
    assert r.asa_seconds == pytest.approx(7.836, abs=5e-4)
    assert r.occupancy == pytest.approx(0.7142857, abs=5e-8)
    assert erlang.erlang_c(RATE, 180, 13, 20).service_level == pytest.approx(0.7956, abs=5e-5)


def test_reference_requirement_rounded_fractional_and_scheduled():
    req = erlang.erlang_c_requirement(RATE, 180, 20, 0.80, max_occupancy=0.85, shrinkage=0.30)
    assert int(req.agents) == 14
    assert int(req.scheduled) == 20
    # By hand: 13 + (0.80 − SL(13)) / (SL(14) − SL(13)) with the two reference service levels.
    sl13 = erlang.erlang_c(RATE, 180, 13, 20).service_level
    assert float(req.fractional) == pytest.approx(13 + (0.80 - sl13) / (0.8883500 - sl13), abs=1e-6)
    assert 13 < float(req.fractional) < 14
    assert float(req.scheduled_fractional) == pytest.approx(float(req.fractional) / 0.7)


def test_occupancy_cap_binds_when_service_level_is_easy():
    # A low target is met at 11 agents, but 10 / 11 = 0.909 > 0.85: the cap asks ⌈10 / 0.85⌉ = 12.
    req = erlang.erlang_c_requirement(RATE, 180, 20, 0.30, max_occupancy=0.85)
    assert int(req.agents) == 12
    assert float(req.fractional) == pytest.approx(10 / 0.85)


def test_erlang_b_recursion_by_hand():
    # A = 2, N = 2: B1 = 2/3, B2 = 2·(2/3) / (2 + 2·(2/3)) = 0.4
    assert float(erlang.erlang_b(2.0, 2)) == pytest.approx(0.4)


def test_unstable_and_empty_intervals():
    r = erlang.erlang_c(RATE, 180, 10, 20)  # N = A
    assert r.p_wait == 1.0 and r.service_level == 0.0 and np.isinf(r.asa_seconds)
    req = erlang.erlang_c_requirement([0.0, RATE], 180, 20, 0.8, 0.85, 0.3)
    assert list(req.agents) == [0, 14]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"target": 1.2}, "target"),
        ({"max_occupancy": 0}, "occupancy"),
        ({"shrinkage": 1}, "shrinkage"),
        ({"aht": 0}, "handle time"),
    ],
)
def test_bad_input_is_a_clear_error(kwargs, message):
    args = {"arrivals": RATE, "aht": 180, "threshold": 20, "target": 0.8, "max_occupancy": 0.85, "shrinkage": 0.3}
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        erlang.erlang_c_requirement(**args)


def test_vectorised_requirement_matches_a_per_interval_loop():
    rng = np.random.default_rng(3)
    offered = rng.integers(0, 400, 200)
    aht = rng.uniform(120, 400, 200)
    req = erlang.erlang_c_requirement(offered / 1800, aht, 20, 0.8, 0.85)
    expected = [loop_requirement(o / 1800, h, 20, 0.8, 0.85) for o, h in zip(offered, aht, strict=True)]
    assert req.agents.tolist() == expected
    assert np.all(np.ceil(req.fractional - 1e-9) == req.agents)


def test_service_level_curve_around_the_requirement():
    curve = erlang.service_level_curve(RATE, 180, 20, 11, 16)
    assert [p["agents"] for p in curve] == [11, 12, 13, 14, 15, 16]
    assert curve[3]["service_level"] == pytest.approx(0.8883500, abs=5e-8)
    sls = [p["service_level"] for p in curve]
    assert sls == sorted(sls)


def _simulate_mmnm(rate, aht, n, t, theta, count, seed):
    """Discrete-event simulation of M/M/N+M, first come first served: each arrival starts service at the earliest
    time an agent is free (all earlier callers already placed), or abandons if that wait exceeds its patience."""
    rng = np.random.default_rng(seed)
    arrivals = np.cumsum(rng.exponential(1 / rate, count))
    services = rng.exponential(aht, count)
    patience = rng.exponential(1 / theta, count)
    free = [0.0] * n
    within = abandoned = 0
    waits = []
    for a, s, p in zip(arrivals.tolist(), services.tolist(), patience.tolist(), strict=True):
        wait = max(0.0, free[0] - a)
        if wait > p:
            abandoned += 1
            continue
        heapq.heapreplace(free, a + wait + s)
        waits.append(wait)
        within += wait <= t
    return within / count, abandoned / count, sum(waits) / len(waits)


@pytest.mark.parametrize(("agents", "theta"), [(14, 1 / 120), (11, 1 / 60)])
def test_erlang_a_against_a_simulation(agents, theta):
    sl, p_ab, asa = _simulate_mmnm(RATE, 180, agents, 20, theta, 200_000, seed=7)
    r = erlang.erlang_a(RATE, 180, agents, 20, theta)
    assert float(r.service_level) == pytest.approx(sl, abs=0.01)
    assert float(r.p_abandon) == pytest.approx(p_ab, abs=0.005)
    assert float(r.asa_seconds) == pytest.approx(asa, rel=0.06)
    # P(abandon) = θ · E[wait of offered] holds exactly in the model.
    assert float(r.p_abandon) == pytest.approx(theta * float(r.mean_wait_seconds))


def test_erlang_a_tends_to_erlang_c():
    c = erlang.erlang_c(RATE, 180, 14, 20)
    a = erlang.erlang_a(RATE, 180, 14, 20, 1e-6)
    assert float(a.p_wait) == pytest.approx(float(c.p_wait), abs=2e-4)
    assert float(a.service_level) == pytest.approx(float(c.service_level), abs=2e-4)
    assert float(a.asa_seconds) == pytest.approx(float(c.asa_seconds), rel=2e-3)
    exact = erlang.erlang_a(RATE, 180, 14, 20, 0)
    assert float(exact.service_level) == pytest.approx(0.8883500, abs=5e-8)


def test_erlang_a_needs_no_more_agents_than_erlang_c():
    c = erlang.erlang_c_requirement(RATE, 180, 20, 0.8, 0.85, 0.3)
    a = erlang.erlang_a_requirement(RATE, 180, 20, 0.8, 1 / 120, 0.85, 0.3)
    assert int(a.agents) <= int(c.agents)
    sl_below = erlang.erlang_a(RATE, 180, int(a.agents) - 1, 20, 1 / 120).service_level
    occ_below = erlang.erlang_a(RATE, 180, int(a.agents) - 1, 20, 1 / 120).occupancy
    assert float(sl_below) < 0.8 or float(occ_below) > 0.85
    assert float(a.service_level) >= 0.8


def test_patience_estimate_is_abandoned_over_total_wait():
    # 10 abandoned out of 100, total wait 1,200 s → mean wait 12 s, rate 0.1 → θ = 0.1 / 12 = 10 / 1200
    assert float(erlang.estimate_patience(10, 1200)) == pytest.approx(1 / 120)
    assert float(erlang.estimate_patience(0, 0)) == 0.0
    with pytest.raises(ValueError, match="patience"):
        erlang.estimate_patience(3, 0)
