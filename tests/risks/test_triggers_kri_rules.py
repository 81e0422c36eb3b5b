"""Traffic lights, persistence and breach episodes of key risk indicators, on plain values."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oversight.quant import kri
from oversight.quant.kri import AMBER, GREEN, RED

D = Decimal


@pytest.mark.parametrize(
    ("value", "expected"),
    [(D("4.99"), GREEN), (D("5"), GREEN), (D("5.01"), AMBER), (D("10"), AMBER), (D("10.01"), RED), (None, None)],
)
def test_cost_deviation_over_ten_percent_is_red_and_exactly_ten_is_not(value, expected):
    assert kri.Thresholds(amber=D("5"), red=D("10"), higher_is_worse=True).status(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(D("99"), GREEN), (D("97"), GREEN), (D("96.9"), AMBER), (D("95"), AMBER), (D("94.99"), RED), (D("0"), RED)],
)
def test_compliance_under_target_is_red(value, expected):
    assert kri.Thresholds(amber=D("97"), red=D("95"), higher_is_worse=False).status(value) == expected


def test_inconsistent_thresholds_are_explained():
    assert kri.Thresholds(amber=D("10"), red=D("5"), higher_is_worse=True).problems()
    assert kri.Thresholds(amber=D("90"), red=D("95"), higher_is_worse=False).problems()
    assert kri.Thresholds(amber=D("5"), red=D("5"), higher_is_worse=False).problems() == []


def test_episodes_need_persistence_and_start_at_the_first_red_period():
    statuses = [GREEN, RED, RED, AMBER, RED, RED, RED, None, RED, RED]
    assert kri.episodes(statuses, 2) == [
        kri.Episode(start=1, breached=2, end=3),
        kri.Episode(start=4, breached=5, end=7),
        kri.Episode(start=8, breached=9, end=None),
    ]
    assert kri.episodes(statuses, 3) == [kri.Episode(start=4, breached=6, end=7)]
    assert kri.episodes(statuses, 1)[0] == kri.Episode(start=1, breached=1, end=3)
    assert kri.episodes([], 1) == []
    assert kri.episodes(statuses, 3)[0].open is False
    assert kri.episodes([RED, RED], 2)[0].open is True
    with pytest.raises(ValueError, match="Persistence"):
        kri.episodes(statuses, 0)


@given(
    statuses=st.lists(st.sampled_from([GREEN, AMBER, RED, None]), max_size=40),
    persistence=st.integers(1, 5),
    extra=st.lists(st.sampled_from([GREEN, AMBER, RED, None]), max_size=10),
)
def test_an_episode_keeps_its_start_when_later_periods_are_judged(statuses, persistence, extra):
    before = kri.episodes(statuses, persistence)
    after = kri.episodes([*statuses, *extra], persistence)
    starts_after = {episode.start for episode in after}
    assert {episode.start for episode in before} <= starts_after
    for episode in after:
        run = statuses[episode.start : episode.breached + 1] if episode.breached < len(statuses) else None
        assert run is None or run == [RED] * persistence


def test_business_day_windows_are_anchored_and_complete_only():
    days = [dt.date(2026, 12, d) for d in (1, 2, 3, 4, 7, 8, 9, 10, 11, 14)]
    assert kri.business_day_windows(days, 3, dt.date(2026, 12, 1), dt.date(2026, 12, 14)) == [
        (dt.date(2026, 12, 1), dt.date(2026, 12, 3)),
        (dt.date(2026, 12, 4), dt.date(2026, 12, 8)),
        (dt.date(2026, 12, 9), dt.date(2026, 12, 11)),
    ]
    # Judged a day earlier the same windows come out (the 14th only completes nothing yet).
    assert kri.business_day_windows(days, 3, dt.date(2026, 12, 1), dt.date(2026, 12, 11)) == (
        kri.business_day_windows(days, 3, dt.date(2026, 12, 1), dt.date(2026, 12, 14))
    )
    assert kri.business_day_windows(days, 1, dt.date(2026, 12, 10), dt.date(2026, 12, 11)) == [
        (dt.date(2026, 12, 10), dt.date(2026, 12, 10)),
        (dt.date(2026, 12, 11), dt.date(2026, 12, 11)),
    ]


def test_deviation_shortfall_and_clusters_by_hand():
    assert kri.deviation_percent(D("110000"), D("100000")) == D("10")
    assert kri.deviation_percent(D("88000"), D("100000")) == D("-12")
    assert kri.deviation_percent(D("1"), D("0")) is None
    assert kri.shortfall_percent(7, 8) == D("12.5")
    assert kri.shortfall_percent(9, 8) == D("0")
    assert kri.shortfall_percent(3, 0) is None
    expiries = [dt.date(2027, 1, 5), dt.date(2027, 1, 20), dt.date(2027, 2, 3), dt.date(2027, 3, 30)]
    assert kri.largest_cluster(expiries, 30) == 3  # 5 Jan .. 3 Feb is 29 days apart
    assert kri.largest_cluster(expiries, 29) == 2
    assert kri.largest_cluster([], 30) == 0
