"""The helpers every app shares: local zones and dates, calendar months and quarters, money as text."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oversight.core import clock
from oversight.core.money import format_money
from oversight.core.periods import calendar_period, quarter_of, quarter_start
from oversight.core.zones import local_date, local_today, zone_of, zone_or_default

SHANGHAI = SimpleNamespace(time_zone="Asia/Shanghai")


def test_zone_of_anything_with_a_time_zone_falls_back_to_utc():
    assert zone_of(SHANGHAI) == zoneinfo.ZoneInfo("Asia/Shanghai")
    assert zone_of(SimpleNamespace(time_zone="Mars/Olympus")) is dt.UTC
    assert zone_of(SimpleNamespace(time_zone="../etc")) is dt.UTC


def test_zone_or_default_falls_back_to_the_installation_zone(settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    assert zone_or_default("Europe/Paris") == zoneinfo.ZoneInfo("Europe/Paris")
    assert zone_or_default("nowhere") == zoneinfo.ZoneInfo("Asia/Shanghai")


def test_local_today_is_the_owners_date_not_utcs():
    late_utc = dt.datetime(2026, 3, 31, 17, 0, tzinfo=dt.UTC)  # already 1 April in Shanghai
    with clock.frozen_at(late_utc):
        assert local_today(SHANGHAI) == dt.date(2026, 4, 1)
        assert local_today(SimpleNamespace(time_zone="UTC")) == dt.date(2026, 3, 31)
    assert local_date(late_utc, SHANGHAI) == dt.date(2026, 4, 1)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 2, 14), 1, (dt.date(2026, 2, 1), dt.date(2026, 3, 1))),
        (dt.date(2026, 12, 31), 1, (dt.date(2026, 12, 1), dt.date(2027, 1, 1))),
        (dt.date(2026, 11, 5), 3, (dt.date(2026, 10, 1), dt.date(2027, 1, 1))),
        (dt.date(2026, 4, 1), 3, (dt.date(2026, 4, 1), dt.date(2026, 7, 1))),
        (dt.date(2026, 6, 30), 12, (dt.date(2026, 1, 1), dt.date(2027, 1, 1))),
    ],
)
def test_calendar_periods(day, months, expected):
    assert calendar_period(day, months) == expected


def test_a_period_that_does_not_tile_the_year_is_refused():
    with pytest.raises(ValueError):
        calendar_period(dt.date(2026, 1, 1), 5)


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2999, 12, 31)), st.sampled_from([1, 3, 12]))
def test_a_period_contains_its_day_and_the_next_one_starts_where_it_ends(day, months):
    first, after = calendar_period(day, months)
    assert first <= day < after and first.day == 1 and after.day == 1
    assert calendar_period(after, months)[0] == after
    assert calendar_period(after - dt.timedelta(days=1), months) == (first, after)


def test_quarters():
    assert [quarter_of(dt.date(2026, m, 1)) for m in range(1, 13)] == [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4]
    assert quarter_start(2026, 4) == dt.date(2026, 10, 1)


def test_money_text():
    assert format_money(Decimal("120000")) == "120,000.00"
    assert format_money("1234.5") == "1,234.50"
    assert format_money(Decimal("-1234.56")) == "-1,234.56"
    assert format_money(None) == "—"
