"""Report periods: keys, local bounds in the organisation's zone, trailing runs."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from oversight.core.errors import ApplicationError
from oversight.reports.periods import period_containing, period_from_key, previous_period, trailing_periods

SHANGHAI = SimpleNamespace(time_zone="Asia/Shanghai")
BERLIN = SimpleNamespace(time_zone="Europe/Berlin")


def test_month_key_bounds_are_local_midnights_in_utc():
    period = period_from_key("2026-10", SHANGHAI)
    assert (period.kind, period.first, period.last, period.key) == (
        "monthly",
        dt.date(2026, 10, 1),
        dt.date(2026, 10, 31),
        "2026-10",
    )
    # Shanghai is UTC+8 all year: local midnight of 1 October is 16:00 UTC on 30 September.
    assert period.start_at == dt.datetime(2026, 9, 30, 16, tzinfo=dt.UTC)
    assert period.end_at == dt.datetime(2026, 10, 31, 16, tzinfo=dt.UTC)
    assert period.months == 1


def test_quarter_key_and_dst_zone():
    period = period_from_key("2026-q1", BERLIN)
    assert (period.kind, period.first, period.last, period.key) == (
        "quarterly",
        dt.date(2026, 1, 1),
        dt.date(2026, 3, 31),
        "2026-Q1",
    )
    # Berlin: CET (UTC+1) on 1 January, CEST (UTC+2) from 29 March 2026, so 1 April 00:00 is 31 March 22:00 UTC.
    assert period.start_at == dt.datetime(2025, 12, 31, 23, tzinfo=dt.UTC)
    assert period.end_at == dt.datetime(2026, 3, 31, 22, tzinfo=dt.UTC)
    assert period.months == 3


@pytest.mark.parametrize("key", ["", "2026", "2026-13", "2026-00", "2026-Q5", "26-10", "2026-10-01", "Q3-2026"])
def test_bad_keys_are_refused_with_a_clear_error(key):
    with pytest.raises(ApplicationError) as caught:
        period_from_key(key, SHANGHAI)
    assert caught.value.code == "period_key"
    assert "2026-Q3" in str(caught.value)


def test_unknown_kind_is_refused():
    with pytest.raises(ApplicationError):
        period_containing("weekly", dt.date(2026, 1, 1), SHANGHAI)


def test_previous_and_trailing_periods_cross_year_ends():
    january = period_from_key("2026-01", SHANGHAI)
    assert previous_period(january, SHANGHAI).key == "2025-12"
    run = trailing_periods(period_from_key("2026-02", SHANGHAI), SHANGHAI, 6)
    assert [p.key for p in run] == ["2025-09", "2025-10", "2025-11", "2025-12", "2026-01", "2026-02"]
    quarters = trailing_periods(period_from_key("2026-Q2", SHANGHAI), SHANGHAI, 4)
    assert [p.key for p in quarters] == ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"]
    # Consecutive periods tile time without gaps or overlaps.
    for before, after in zip(run, run[1:], strict=False):
        assert before.end_at == after.start_at
