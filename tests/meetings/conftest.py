"""Fixtures of the meeting tests: China's 2026 calendar (09:00–17:00 on working days) for organisation A and a
communication plan with vendor V1 whose minutes are due in 3 working days and actions in 5."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from oversight.catalog import services as catalog_services
from oversight.catalog.choices import HolidaySource
from oversight.core import clock
from oversight.meetings import services

WORKWEEK = {d: [(540, 1020)] for d in range(5)} | {5: [], 6: []}


def at(y, m, d, hh=0, mm=0) -> dt.datetime:
    """A Shanghai wall-clock time as a UTC instant."""
    return dt.datetime(y, m, d, hh, mm, tzinfo=dt.UTC) - dt.timedelta(hours=8)


@pytest.fixture
def english():
    """Messages in English, so refusals can be matched by their words."""
    with translation.override("en"):
        yield


@pytest.fixture
def china(world):
    calendar = catalog_services.calendar_create(
        actor=None,
        organisation=world.org,
        name="China 2026",
        time_zone="Asia/Shanghai",
        holiday_source=HolidaySource.CHINA,
        weekly=WORKWEEK,
    )
    catalog_services.calendar_load_china_year(actor=None, calendar=calendar, year=2026)
    calendar.refresh_from_db()
    return calendar


@pytest.fixture
def plan(world, china):
    with clock.frozen_at(at(2026, 9, 1, 9)):
        return services.plan_create(
            actor=world.users["client_supervisor"], vendor=world.vendor, calendar=china, name="Desk service plan"
        )


@pytest.fixture
def weekly(world, plan):
    """Weekly operations review on Mondays at 10:00 from 21 September 2026, both managers standing."""
    with clock.frozen_at(at(2026, 9, 1, 9)):
        return services.series_create(
            actor=world.users["client_supervisor"],
            plan=plan,
            kind="weekly_operations",
            name="Weekly operations review",
            starts_on=dt.date(2026, 9, 21),
            start_minute=600,
            participants=[world.users["client_supervisor"], world.users["vendor_manager"]],
        )


@pytest.fixture
def meeting(world, weekly):
    """The series' meeting of Monday 28 September 2026, 10:00."""
    with clock.frozen_at(at(2026, 9, 1, 9)):
        services.series_schedule(actor=world.users["client_supervisor"], series=weekly, until=dt.date(2026, 10, 19))
    return weekly.meetings.get(nominal_date=dt.date(2026, 9, 28))
