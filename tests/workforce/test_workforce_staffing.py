"""Required agents per interval from the facts, the term and the snapshots; staffed ÷ required flagged below 90 %."""

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest

from oversight.core import clock
from oversight.workforce import services, staffing
from tests.workforce.conftest import fact, local

DAY = dt.date(2026, 3, 2)


def test_reference_interval_needs_14_and_a_short_one_is_flagged(world, cc):
    fact(cc.queue, local(DAY, 9), 100)  # 180 s each: A = 10 → N = 14, scheduled 20 (MISSION.md's example)
    fact(cc.queue, local(DAY, 9, 30), 100, staffed_agents=Decimal("12"))
    plan = staffing.plan(cc.queue, [DAY], with_erlang_a=False)
    i9 = 18  # 09:00 is the 19th half hour
    assert plan.required_c[i9] == 14 and plan.scheduled_c[i9] == 20
    assert 13 < plan.fractional_c[i9] < 14
    assert plan.ratio[i9] == pytest.approx(1.0)
    assert plan.ratio[i9 + 1] == pytest.approx(12 / 14)
    assert plan.understaffed.tolist().count(True) == 1 and plan.understaffed[i9 + 1]
    assert plan.required_c[0] == 0 and np.isnan(plan.ratio[0])
    assert plan.volume_source[i9] == "actual"
    curve = staffing.curve_around(plan, i9)
    assert [p["agents"] for p in curve][:5] == [10, 11, 12, 13, 14]
    assert curve[4]["service_level"] == pytest.approx(0.8883500, abs=5e-8)


def test_forecast_volume_and_aht_from_a_snapshot_and_erlang_a(world, cc):
    # 200 offered, 20 abandoned, 2,400 s of wait → θ = 20 / 2,400 per second.
    fact(cc.queue, local(DAY, 9), 200, answered=180, abandoned=20, wait_seconds=Decimal("2400"))
    with clock.frozen_at(dt.datetime(2026, 3, 1, tzinfo=dt.UTC)):
        snap = services.snapshot_publish(
            queue=cc.queue,
            source="client",
            model="ets",
            points=[(local(DAY, 9), 100, 180)],
            actor=world.users["client_admin"],
        )
    plan = staffing.plan(cc.queue, [DAY], snapshots=[snap])
    assert plan.volume[18] == 100 and plan.volume_source[18] == "client" and plan.aht[18] == 180
    assert plan.required_c[18] == 14
    assert plan.patience_rate == pytest.approx(20 / 2400)
    assert plan.required_a is not None and plan.required_a[18] <= 14


def test_no_contract_term_uses_defaults_and_says_so(world, cc):
    fact(cc.other_queue, local(DAY, 9), 100)
    plan = staffing.plan(cc.other_queue, [DAY], with_erlang_a=False)
    assert not plan.has_term.any()
    assert plan.required_c[18] == 14  # defaults: 80 % in 20 s, no occupancy cap
