"""Critical chain (oversight.quant.critical_chain): buffer consumption, burn rate, fever-chart zones."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oversight.quant import critical_chain as cc


def test_buffer_status_by_hand():
    # chain 40 days, buffer 20; after 20 days 24 remain: needs 44, 4 days of buffer (20 %), chain 40 % complete,
    # burn rate 0.2/0.4 = 0.5
    s = cc.buffer_status(chain_length=D(40), buffer=D(20), elapsed=D(20), remaining=D(24))
    assert s.consumed == D(4)
    assert s.consumed_share == D("0.2")
    assert s.complete_share == D("0.4")
    assert s.burn_rate == D("0.5")
    assert cc.fever_zone(s.consumed_share, s.complete_share) == cc.ZONE_GREEN  # yellow starts at 0.39 there


def test_early_chain_and_nothing_complete():
    s = cc.buffer_status(chain_length=D(10), buffer=D(5), elapsed=D(2), remaining=D(6))
    assert s.consumed == 0 and s.burn_rate == 0
    s = cc.buffer_status(chain_length=D(10), buffer=D(5), elapsed=D(3), remaining=D(12))
    assert s.consumed == D(5) and s.complete_share == 0 and s.burn_rate is None
    assert cc.burn_rate(D("0.3"), D(0)) is None


def test_refusals():
    with pytest.raises(ValueError):
        cc.buffer_status(chain_length=D(0), buffer=D(5), elapsed=D(0), remaining=D(0))
    with pytest.raises(ValueError):
        cc.buffer_status(chain_length=D(10), buffer=D(0), elapsed=D(0), remaining=D(0))
    with pytest.raises(ValueError):
        cc.buffer_status(chain_length=D(10), buffer=D(5), elapsed=D(-1), remaining=D(0))
    with pytest.raises(ValueError):
        cc.FeverZones(yellow_start=D("0.5"), red_start=D("0.4"))


@pytest.mark.parametrize(
    ("consumed", "complete", "zone"),
    [
        (D("0.14"), D(0), cc.ZONE_GREEN),
        (D("0.15"), D(0), cc.ZONE_YELLOW),
        (D("0.30"), D(0), cc.ZONE_RED),
        (D("0.44"), D("0.5"), cc.ZONE_GREEN),  # yellow line at 0.15 + 0.6·0.5 = 0.45
        (D("0.45"), D("0.5"), cc.ZONE_YELLOW),
        (D("0.60"), D("0.5"), cc.ZONE_RED),  # red line at 0.30 + 0.6·0.5 = 0.60
        (D("0.89"), D(1), cc.ZONE_YELLOW),
        (D("1.10"), D(1), cc.ZONE_RED),
    ],
)
def test_fever_zone_default_boundaries(consumed, complete, zone):
    assert cc.fever_zone(consumed, complete) == zone


def test_fever_zone_configurable():
    strict = cc.FeverZones(yellow_start=D("0.1"), yellow_end=D("0.5"), red_start=D("0.2"), red_end=D("0.7"))
    assert cc.fever_zone(D("0.45"), D("0.5"), strict) == cc.ZONE_RED  # red at 0.45
    assert cc.fever_zone(D("0.30"), D("0.5"), strict) == cc.ZONE_YELLOW  # yellow at 0.30


durations = st.decimals(min_value=0, max_value=1000, places=1)


@given(
    length=st.decimals(min_value=1, max_value=1000, places=1),
    buffer=st.decimals(min_value=1, max_value=500, places=1),
    elapsed=durations,
    remaining=durations,
)
def test_property_consistency(length, buffer, elapsed, remaining):
    s = cc.buffer_status(chain_length=length, buffer=buffer, elapsed=elapsed, remaining=remaining)
    assert s.consumed >= 0 and 0 <= s.complete_share <= 1
    assert s.consumed == max(D(0), elapsed + remaining - length)
    if s.burn_rate is not None:
        assert s.burn_rate * s.complete_share == pytest.approx(s.consumed_share)
    # consuming more buffer never moves a point to a greener zone
    order = [cc.ZONE_GREEN, cc.ZONE_YELLOW, cc.ZONE_RED]
    more = cc.fever_zone(s.consumed_share + D("0.1"), s.complete_share)
    assert order.index(more) >= order.index(cc.fever_zone(s.consumed_share, s.complete_share))


# --- planning the chain from per-task durations (root square error buffers) -------------------------------------


def _network():
    #   A(10/16) → B(6/10) → C(8/20)       the chain: A, B, C (24 days)
    #   D(2/3) → B                         feeds B
    #   F1(4/7) → F2(3/7) → C              feeds C
    return [
        cc.Task("A", D(10), D(16)),
        cc.Task("B", D(6), D(10), ("A", "D")),
        cc.Task("C", D(8), D(20), ("B", "F2")),
        cc.Task("D", D(2), D(3)),
        cc.Task("F1", D(4), D(7)),
        cc.Task("F2", D(3), D(7), ("F1",)),
    ]


def test_chain_and_buffers_by_hand():
    plan = cc.plan_chain(_network())
    assert plan.chain == ("A", "B", "C") and plan.length == D(24)
    assert plan.buffer == D(14)  # √(6² + 4² + 12²) = √196
    d, f = plan.feeding
    assert (d.tasks, d.joins, d.length, d.buffer, d.join_at) == (("D",), "B", D(2), D(1), D(10))
    assert (d.planned_start, d.planned_finish) == (D(7), D(9))  # ends one buffer (1 day) before B starts at 10
    assert (f.tasks, f.joins, f.length, f.buffer, f.join_at) == (("F1", "F2"), "C", D(7), D(5), D(16))
    assert (f.planned_start, f.planned_finish) == (D(4), D(11))  # √(3² + 4²) = 5 before C starts at 16


def test_buffer_burn_of_the_chain_and_a_feeding_chain_by_hand():
    tasks = _network()
    plan = cc.plan_chain(tasks)
    # Day 12: A done, B has 5 days left, C not started (keeps its 8): 13 remain; needs 12 + 13 = 25 > 24 → 1 day
    remaining = {"A": D(0), "B": D(5), "F1": D(0), "F2": D(2)}
    chain_left = cc.remaining_of(plan.chain, remaining, tasks)
    assert chain_left == D(13)
    s = cc.chain_status(length=plan.length, buffer=plan.buffer, start=D(0), now=D(12), remaining=chain_left)
    assert s.consumed == D(1) and s.consumed_share == D(1) / D(14)
    assert s.complete_share == D(11) / D(24)
    assert s.burn_rate == (D(1) / D(14)) / (D(11) / D(24))  # 0.1558…
    # F1 → F2 planned 4…11; on day 12 F2 still has 2 days: 8 elapsed + 2 − 7 = 3 of its 5-day buffer
    f = plan.feeding[1]
    fs = cc.feeding_status(f, now=D(12), remaining=cc.remaining_of(f.tasks, remaining, tasks))
    assert fs.consumed == D(3) and fs.consumed_share == D("0.6")
    assert fs.complete_share == D(5) / D(7)
    assert fs.burn_rate == D("0.6") / (D(5) / D(7))  # 0.84
    # yellow line 0.15 + 0.6·5/7 = 0.578…, red 0.30 + 0.6·5/7 = 0.728… → yellow
    assert cc.fever_zone(fs.consumed_share, fs.complete_share) == cc.ZONE_YELLOW


def test_a_finished_feeding_chain_keeps_the_buffer_use_it_finished_with():
    tasks = _network()
    d = cc.plan_chain(tasks).feeding[0]  # D planned 7…9, finished on day 10: 1 day late = its whole buffer
    early = cc.feeding_status(d, now=D(20), remaining=D(0), finished_at=D(10))
    assert early.consumed == D(1) and early.consumed_share == D(1) and early.complete_share == D(1)
    assert cc.feeding_status(d, now=D(5), remaining=D(2)).consumed == 0  # before its planned start


def test_plan_refusals():
    with pytest.raises(ValueError, match="cycle"):
        cc.plan_chain([cc.Task("A", D(1), D(2), ("B",)), cc.Task("B", D(1), D(2), ("A",))])
    with pytest.raises(ValueError, match="safe"):
        cc.plan_chain([cc.Task("A", D(3), D(2))])
    with pytest.raises(ValueError, match="positive"):
        cc.plan_chain([cc.Task("A", D(0), D(2))])
    with pytest.raises(ValueError, match="unknown"):
        cc.plan_chain([cc.Task("A", D(1), D(2), ("Z",))])
    with pytest.raises(ValueError):
        cc.plan_chain([])


@st.composite
def networks(draw):
    n = draw(st.integers(min_value=1, max_value=8))
    out = []
    for i in range(n):
        aggressive = draw(st.decimals(min_value=1, max_value=50, places=1))
        safe = aggressive + draw(st.decimals(min_value=0, max_value=50, places=1))
        preds = tuple(sorted(draw(st.sets(st.sampled_from([f"T{j}" for j in range(i)]), max_size=3)) if i else ()))
        out.append(cc.Task(f"T{i}", aggressive, safe, preds))
    return out


@given(networks())
def test_property_the_chain_is_the_longest_path_and_its_buffer_lies_between_the_largest_and_the_sum_of_cuts(tasks):
    plan = cc.plan_chain(tasks)
    by_key = {t.key: t for t in tasks}
    chain = [by_key[k] for k in plan.chain]
    assert plan.length == sum(t.aggressive for t in chain)
    for before, after in zip(plan.chain, plan.chain[1:], strict=False):
        assert before in by_key[after].predecessors
    assert all(plan.early_start[t.key] + t.aggressive <= plan.length for t in tasks)
    cuts = [t.safe - t.aggressive for t in chain]
    assert max(cuts) - D("1e-20") <= plan.buffer <= sum(cuts) + D("1e-20")
    for f in plan.feeding:
        assert not set(f.tasks) & set(plan.chain) and f.tasks[-1] in by_key[f.joins].predecessors
        assert f.planned_finish <= f.join_at
