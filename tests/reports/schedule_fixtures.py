"""Shared helpers of the report delivery tests: the hospital's China calendar and schedules made at a known time.

The calendar works Monday to Friday 08:00–12:00 and 13:30–17:30 in Asia/Shanghai, with China's public holidays
and adjusted working days of 2025 and 2026 loaded from the maintained library (2027 is unknown to it).
"""

from __future__ import annotations

import datetime as dt

from oversight.catalog.choices import HolidaySource
from oversight.catalog.services import calendar_create, calendar_load_china_year
from oversight.core import clock
from oversight.reports import services

UTC = dt.UTC
OFFICE_HOURS = [(480, 720), (810, 1050)]
# 20 September 2026, 10:00 in Shanghai: after the 3rd working day of September, so August is never owed.
CREATED_AT = dt.datetime(2026, 9, 20, 2, 0, tzinfo=UTC)


def china_calendar(organisation, name="Office hours (China)"):
    """Working days Monday–Friday with China's 2025 and 2026 holidays and adjusted working days."""
    calendar = calendar_create(
        actor=None,
        organisation=organisation,
        name=name,
        time_zone="Asia/Shanghai",
        holiday_source=HolidaySource.CHINA,
        weekly={d: OFFICE_HOURS for d in range(5)},
    )
    for year in (2025, 2026):
        calendar_load_china_year(actor=None, calendar=calendar, year=year)
    return calendar


def make_schedule(world, calendar, *, recipients, vendor=None, contract=None, kind="monthly", working_day=3,
                  actor="client_supervisor", at=CREATED_AT):  # fmt: skip
    """A schedule created by the client supervisor at ``at``."""
    with clock.frozen_at(at):
        return services.schedule_create(
            actor=world.users[actor],
            organisation=world.org,
            vendor=vendor or world.vendor,
            contract=contract,
            kind=kind,
            working_day=working_day,
            calendar=calendar,
            recipients=[world.users[r] if isinstance(r, str) else r for r in recipients],
        )


def shanghai(year, month, day, hour=0, minute=0) -> dt.datetime:
    """A Shanghai wall-clock time as an aware UTC instant (UTC+8 all year)."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=UTC) - dt.timedelta(hours=8)
