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
