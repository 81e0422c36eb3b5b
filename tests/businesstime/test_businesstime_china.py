"""Tests of the mainland-China calendar built from chinese_calendar, cross-checked by holidays."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from oversight.businesstime.china import (
    CalendarSourceMismatch,
    ChinaYearData,
    china_calendar_spec,
    china_year_data,
    cross_check_china_year,
)
from oversight.businesstime.engine import (
    CalendarDataMissing,
    add_business_seconds,
    business_seconds_between,
    is_business_time,
    working_segments,
)

SH = ZoneInfo("Asia/Shanghai")
HOUR = 3600


def sh(*args: int) -> datetime:
    """Aware Asia/Shanghai datetime shorthand."""
    return datetime(*args, tzinfo=SH)


@pytest.fixture(scope="module")
def spec_2026():
    """08:00-12:00, 13:30-17:30 Shanghai calendar for 2025-2026."""
    return china_calendar_spec(years=[2025, 2026])


def test_2026_adjusted_working_days_match_state_council_notice() -> None:
    """State Council notice of 2025-11-04: six adjusted working days in 2026."""
    data = china_year_data(2026)
    assert data.adjusted_working_days == (
        date(2026, 1, 4),
        date(2026, 2, 14),
        date(2026, 2, 28),
        date(2026, 5, 9),
        date(2026, 9, 20),
        date(2026, 10, 10),
    )
    assert date(2026, 10, 1) in data.holidays
    assert all(d.weekday() < 5 for d in data.holidays)
    # National Day + Mid-Autumn 2026: Oct 1-7 off (Oct 3/4 are the weekend anyway)
    assert {date(2026, 10, d) for d in (1, 2, 5, 6, 7)} <= set(data.holidays)


@pytest.mark.parametrize("year", [2027, 2003])
def test_years_without_data_raise(year: int) -> None:
    """Years chinese_calendar lacks are refused, never guessed."""
    with pytest.raises(CalendarDataMissing) as exc:
        china_year_data(year)
    assert exc.value.year == year
    with pytest.raises(CalendarDataMissing):
        china_calendar_spec(years=[2026, year])


@pytest.mark.parametrize("year", range(2004, 2027))
def test_sources_agree(year: int) -> None:
    """holidays.China agrees with chinese_calendar for every year both know."""
    cross_check_china_year(china_year_data(year))


def test_cross_check_reports_disagreement() -> None:
    """A year whose data differs from holidays.China raises CalendarSourceMismatch."""
    real = china_year_data(2026)
    wrong = ChinaYearData(
        2026,
        tuple(d for d in real.holidays if d != date(2026, 10, 1)),
        tuple(d for d in real.adjusted_working_days if d != date(2026, 9, 20)),
    )
    with pytest.raises(CalendarSourceMismatch) as exc:
        cross_check_china_year(wrong)
    text = str(exc.value)
    assert "2026-10-01" in text and "2026-09-20" in text
    assert exc.value.year == 2026


def test_year_data_validation() -> None:
    """Manually entered years must be coherent."""
    with pytest.raises(ValueError, match="Monday-Friday"):
        ChinaYearData(2027, (date(2027, 1, 2),), ())  # a Saturday
    with pytest.raises(ValueError, match="weekend"):
        ChinaYearData(2027, (), (date(2027, 1, 4),))  # a Monday
    with pytest.raises(ValueError, match="in 2027"):
        ChinaYearData(2027, (date(2026, 1, 2),), ())


def test_friday_before_adjusted_sunday(spec_2026) -> None:
    """Fri 2026-09-18 16:30 + 4 h: 1 h Friday, Saturday off, Sunday 09-20 is a working day."""
    assert add_business_seconds(spec_2026, sh(2026, 9, 18, 16, 30), 4 * HOUR) == sh(2026, 9, 20, 11)
    assert is_business_time(spec_2026, sh(2026, 9, 20, 9))
    assert not is_business_time(spec_2026, sh(2026, 9, 19, 9))


def test_national_day_week(spec_2026) -> None:
    """Mid-Autumn Fri 09-25, National Day Oct 1-7 off; Sat 10-10 works."""
    assert add_business_seconds(spec_2026, sh(2026, 9, 30, 16), 2 * HOUR) == sh(2026, 10, 8, 8, 30)
    assert add_business_seconds(spec_2026, sh(2026, 9, 24, 17), HOUR) == sh(2026, 9, 28, 8, 30)
    # Thu 10-08, Fri 10-09, Sat 10-10 are three full working days
    assert business_seconds_between(spec_2026, sh(2026, 10, 1), sh(2026, 10, 11)) == 24 * HOUR
    assert business_seconds_between(spec_2026, sh(2026, 10, 1), sh(2026, 10, 8)) == 0


def test_spring_festival(spec_2026) -> None:
    """Sat 02-14 works, 02-15..02-23 off, Sat 02-28 works."""
    assert add_business_seconds(spec_2026, sh(2026, 2, 13, 17), HOUR) == sh(2026, 2, 14, 8, 30)
    assert add_business_seconds(spec_2026, sh(2026, 2, 14, 17), HOUR) == sh(2026, 2, 24, 8, 30)
    assert business_seconds_between(spec_2026, sh(2026, 2, 14, 12), sh(2026, 2, 24, 12)) == 8 * HOUR
    assert working_segments(spec_2026, sh(2026, 2, 27, 17), sh(2026, 3, 2, 9)) == [
        (sh(2026, 2, 27, 17), sh(2026, 2, 27, 17, 30)),
        (sh(2026, 2, 28, 8), sh(2026, 2, 28, 12)),
        (sh(2026, 2, 28, 13, 30), sh(2026, 2, 28, 17, 30)),
        (sh(2026, 3, 2, 8), sh(2026, 3, 2, 9)),
    ]


def test_new_year_2026_and_uncovered_2027(spec_2026) -> None:
    """Jan 1-3 2026 off, Sun Jan 4 works; 2027 is not covered."""
    assert add_business_seconds(spec_2026, sh(2025, 12, 31, 17), HOUR) == sh(2026, 1, 4, 8, 30)
    with pytest.raises(CalendarDataMissing) as exc:
        add_business_seconds(spec_2026, sh(2026, 12, 31, 17), HOUR)
    assert exc.value.year == 2027
    # the whole of 2026: 261 weekdays - 19 weekday holidays + 6 adjusted days = 248 days of 8 h
    data = china_year_data(2026)
    assert (len(data.holidays), len(data.adjusted_working_days)) == (19, 6)
    assert business_seconds_between(spec_2026, sh(2026, 1, 1), sh(2027, 1, 1)) == 248 * 8 * HOUR


def test_manual_year_extends_coverage() -> None:
    """Years entered by hand (e.g. from the database) extend the covered years."""
    manual = ChinaYearData(2027, (date(2027, 1, 1),), ())
    spec = china_calendar_spec(years=[2026], extra_years=[manual], working_intervals=((540, 1020),))
    assert spec.covered_years == frozenset({2026, 2027})
    assert add_business_seconds(spec, sh(2026, 12, 31, 16), 2 * HOUR) == sh(2027, 1, 4, 10)
    with pytest.raises(ValueError, match="both"):
        china_calendar_spec(years=[2026], extra_years=[ChinaYearData(2026, (), ())])
