"""Mainland-China statutory working calendar (holidays and 调休 adjusted working days).

Source of truth: the ``chinese_calendar`` package (data transcribed from the State Council's
yearly notices). It only knows years already announced and raises ``NotImplementedError`` for
others; we turn that into :class:`CalendarDataMissing` and never guess.

Cross-check: the ``holidays`` package (``holidays.China``). As verified for every year 2004-2026
with holidays 0.108 / chinesecalendar 1.11.0, the two agree exactly:

* every date ``holidays.China`` lists is a non-working day per chinese_calendar, and every
  weekday off per chinese_calendar is listed by ``holidays.China``;
* ``holidays.China`` names the compensating days off "Day off (substituted from MM/DD/YYYY)"; the
  quoted dates are exactly chinese_calendar's adjusted working days - with one known, legitimate
  twist handled below: an adjusted working day in late December may compensate a day off of the
  *next* year's New Year holiday (2006-12-30/31 for 2007, 2011-12-31 for 2012), so it is quoted
  by the next year's entries.

Beware: ``holidays.China`` also returns rule-based *estimates* for years the State Council has
not announced yet (e.g. 2027, without any adjusted working days). It is therefore never used as
a data source, only as a check.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from oversight.businesstime.engine import CalendarDataMissing, CalendarSpec, DayIntervals

__all__ = [
    "DEFAULT_CHINA_NAME",
    "DEFAULT_WORKING_INTERVALS",
    "CalendarSourceMismatch",
    "ChinaYearData",
    "china_calendar_spec",
    "china_data_source",
    "china_year_data",
    "cross_check_china_year",
]

#: 08:00-12:00 and 13:30-17:30 local time.
DEFAULT_WORKING_INTERVALS: DayIntervals = ((480, 720), (810, 1050))
DEFAULT_CHINA_NAME = "China (mainland) statutory calendar"

_SUBSTITUTED_FROM = re.compile(r"substituted from (\d{2})/(\d{2})/(\d{4})")


class CalendarSourceMismatch(Exception):  # noqa: N818 - name fixed by the project's API
    """chinese_calendar and holidays.China disagree about a year."""

    def __init__(self, year: int, differences: tuple[str, ...]) -> None:
        super().__init__(year, differences)
        self.year = year
        self.differences = differences

    def __str__(self) -> str:
        """List the disagreements."""
        return f"holiday sources disagree for {self.year} (chinese_calendar vs holidays.China): " + "; ".join(
            self.differences
        )


@dataclass(frozen=True)
class ChinaYearData:
    """One year's statutory exceptions to the Monday-Friday week.

    ``holidays``: weekdays (Mon-Fri) that are days off; ``adjusted_working_days``: weekend days
    (Sat/Sun) that are working days (调休). Both sorted, all dates inside ``year``.
    """

    year: int
    holidays: tuple[date, ...]
    adjusted_working_days: tuple[date, ...]

    def __post_init__(self) -> None:
        """Validate so that manually entered years cannot be silently wrong."""
        hol = tuple(sorted(set(self.holidays)))
        adj = tuple(sorted(set(self.adjusted_working_days)))
        for d in hol:
            if d.year != self.year or d.weekday() >= 5:
                raise ValueError(f"holiday {d} must be a Monday-Friday date in {self.year}")
        for d in adj:
            if d.year != self.year or d.weekday() < 5:
                raise ValueError(f"adjusted working day {d} must be a weekend date in {self.year}")
        object.__setattr__(self, "holidays", hol)
        object.__setattr__(self, "adjusted_working_days", adj)


def china_data_source() -> str:
    """The maintained library the holiday data comes from, with its installed version ("chinesecalendar 1.11.0")."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"chinesecalendar {version('chinesecalendar')}"
    except PackageNotFoundError:
        return "chinesecalendar"


def china_year_data(year: int, *, calendar: str = DEFAULT_CHINA_NAME) -> ChinaYearData:
    """Holidays and adjusted working days of a year from chinese_calendar.

    Raises CalendarDataMissing(year) when the package has no data for the year.
    """
    import chinese_calendar  # local import: only this module needs it

    first, last = date(year, 1, 1), date(year, 12, 31)
    try:
        # Validate both ends: the package checks years against its data range.
        chinese_calendar.is_workday(first)
        chinese_calendar.is_workday(last)
    except NotImplementedError:
        raise CalendarDataMissing(year, calendar) from None
    holidays: list[date] = []
    adjusted: list[date] = []
    d = first
    while d <= last:
        working = chinese_calendar.is_workday(d)
        if d.weekday() < 5 and not working:
            holidays.append(d)
        elif d.weekday() >= 5 and working:
            adjusted.append(d)
        d += timedelta(days=1)
    return ChinaYearData(year, tuple(holidays), tuple(adjusted))


def _substitution_sources(names: Iterable[str]) -> set[date]:
    """Dates quoted in holidays.China's "Day off (substituted from MM/DD/YYYY)" labels."""
    out: set[date] = set()
    for name in names:
        for month, day, year in _SUBSTITUTED_FROM.findall(name):
            out.add(date(int(year), int(month), int(day)))
    return out


def cross_check_china_year(data: ChinaYearData) -> None:
    """Compare a year's data with holidays.China; raise CalendarSourceMismatch on disagreement."""
    import holidays as holidays_lib  # heavy import, only needed for the check

    year = data.year
    listed = holidays_lib.China(years=year, language="en_US")
    off_weekdays = set(data.holidays)
    adjusted = set(data.adjusted_working_days)
    problems: list[str] = []

    for d in sorted(listed):
        if d.weekday() < 5 and d not in off_weekdays:
            problems.append(f"{d} ({listed[d]}) is a working day per chinese_calendar")
        if d in adjusted:
            problems.append(f"{d} ({listed[d]}) is an adjusted working day per chinese_calendar")
    for d in sorted(off_weekdays - set(listed)):
        problems.append(f"{d} is a day off per chinese_calendar but not in holidays.China")

    sources = _substitution_sources(listed.values())
    for d in sorted(s for s in sources if s.year == year and s not in adjusted):
        problems.append(f"{d} is quoted as a substituted working day but is not one")
    missing = adjusted - sources
    if any(d.month == 12 for d in missing):
        # Known twist: a late-December working day can compensate next year's New Year.
        following = holidays_lib.China(years=year + 1, language="en_US")
        missing -= _substitution_sources(following.values())
    for d in sorted(missing):
        problems.append(f"adjusted working day {d} is not quoted by holidays.China")

    if problems:
        raise CalendarSourceMismatch(year, tuple(problems))


def china_calendar_spec(
    *,
    tz: str = "Asia/Shanghai",
    working_intervals: DayIntervals = DEFAULT_WORKING_INTERVALS,
    years: Iterable[int],
    name: str = DEFAULT_CHINA_NAME,
    extra_years: Iterable[ChinaYearData] = (),
    cross_check: bool = True,
) -> CalendarSpec:
    """CalendarSpec for the Chinese statutory week: Mon-Fri working, holidays and 调休 applied.

    ``years`` come from chinese_calendar (CalendarDataMissing if unknown, CalendarSourceMismatch
    if ``cross_check`` and holidays.China disagrees); ``extra_years`` are manually entered years
    (e.g. from the database) for years the package does not know yet. ``covered_years`` of the
    result is exactly the union of both, so computations outside them raise CalendarDataMissing.
    """
    intervals = tuple((int(s), int(e)) for s, e in working_intervals)
    per_year: dict[int, ChinaYearData] = {}
    for year in sorted(set(years)):
        data = china_year_data(year, calendar=name)
        if cross_check:
            cross_check_china_year(data)
        per_year[year] = data
    for data in extra_years:
        if data.year in per_year:
            raise ValueError(f"year {data.year} given both by the library and manually")
        per_year[data.year] = data

    overrides: dict[date, DayIntervals] = {}
    for data in per_year.values():
        for d in data.holidays:
            overrides[d] = ()
        for d in data.adjusted_working_days:
            overrides[d] = intervals
    weekly = (intervals,) * 5 + ((), ())
    return CalendarSpec(
        tz=tz,
        weekly=weekly,
        overrides=overrides,
        covered_years=frozenset(per_year),
        name=name,
    )
