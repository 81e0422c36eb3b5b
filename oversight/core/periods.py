"""Calendar months and quarters as date ranges (pure: no Django), shared by contracts, evaluations and reports."""

from __future__ import annotations

import datetime as dt


def calendar_period(day: dt.date, months: int) -> tuple[dt.date, dt.date]:
    """The calendar period of ``months`` months (1: month, 3: quarter, 12: year) containing ``day``, as
    ``[first day, first day after)``; periods start in January and tile the year."""
    if months not in (1, 2, 3, 4, 6, 12):
        raise ValueError(f"a period of {months} months does not tile the year")
    first_month = (day.month - 1) // months * months + 1
    first = dt.date(day.year, first_month, 1)
    month_after = first_month + months
    after = dt.date(day.year + (month_after - 1) // 12, (month_after - 1) % 12 + 1, 1)
    return first, after


def quarter_start(year: int, quarter: int) -> dt.date:
    """The first day of a calendar quarter (1–4)."""
    return dt.date(year, 3 * (quarter - 1) + 1, 1)


def quarter_of(day: dt.date) -> int:
    """The calendar quarter (1–4) of a date."""
    return (day.month - 1) // 3 + 1
