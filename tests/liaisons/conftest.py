"""Fixtures of the liaisons tests: a Chinese office calendar for 2026 (Asia/Shanghai, 09:00–17:00 on working
days, the Spring Festival holiday and its adjusted working Saturdays), liaisons and a matrix."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from oversight.catalog import services as catalog_services
from oversight.catalog.choices import HolidaySource
from oversight.liaisons.choices import Delivery, LiaisonRole, Trigger
from oversight.liaisons.services.liaisons import liaison_save, matrix_save, rule_save
from tests.api.conftest import api  # noqa: F401 - fixture

SHANGHAI = ZoneInfo("Asia/Shanghai")
OFFICE = [(9 * 60, 17 * 60)]


def local(*args) -> dt.datetime:
    """An instant given in Beijing time."""
    return dt.datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def office_calendar(world):
    """Weekdays 09:00–17:00 in Beijing with the 2026 holidays and adjusted working days loaded."""
    calendar = catalog_services.calendar_create(
        actor=None,
        organisation=world.org,
        name="Office 2026",
        time_zone="Asia/Shanghai",
        holiday_source=HolidaySource.CHINA,
        weekly={d: OFFICE for d in range(5)},
    )
    catalog_services.calendar_load_china_year(actor=None, calendar=calendar, year=2026)
    return calendar


@pytest.fixture
def liaisons(world):
    """The vendor's project manager and quality manager, the other vendor's project manager, the client's
    supervisor (with a deputy who has no account)."""
    admin = world.users["client_admin"]
    return {
        "pm": liaison_save(
            actor=admin,
            organisation=world.org,
            vendor=world.vendor,
            role=LiaisonRole.PROJECT_MANAGER,
            user=world.users["vendor_manager"],
        ),
        "qc": liaison_save(
            actor=admin,
            organisation=world.org,
            vendor=world.vendor,
            role=LiaisonRole.QC_MANAGER,
            name="Wang Fang",
            phone="+86 10 5555 0101",
        ),
        "other_pm": liaison_save(
            actor=admin,
            organisation=world.org,
            vendor=world.other_vendor,
            role=LiaisonRole.PROJECT_MANAGER,
            user=world.users["other_vendor_manager"],
        ),
        "supervisor": liaison_save(
            actor=admin,
            organisation=world.org,
            vendor=None,
            role=LiaisonRole.CLIENT_SUPERVISOR,
            user=world.users["client_supervisor"],
            deputies=[{"name": "Li Lei", "phone": "+86 10 5555 0102"}],
        ),
    }


@pytest.fixture
def matrix(world, office_calendar, liaisons):
    """The organisation's matrix: L1 after 1, L2 after 4, L3 after 16 business hours, for several triggers."""
    admin = world.users["client_admin"]
    matrix = matrix_save(actor=admin, organisation=world.org, calendar=office_calendar)
    for trigger in (Trigger.OVERDUE_ACTION, Trigger.OPEN_COMPLAINT, Trigger.PRIORITY_BREACH):
        rule_save(
            actor=admin,
            matrix=matrix,
            trigger=trigger,
            level=1,
            wait_hours=Decimal("1"),
            roles=[LiaisonRole.PROJECT_MANAGER],
            delivery=Delivery.IN_APP,
        )
        rule_save(
            actor=admin,
            matrix=matrix,
            trigger=trigger,
            level=2,
            wait_hours=Decimal("4"),
            roles=[LiaisonRole.PROJECT_MANAGER, LiaisonRole.QC_MANAGER],
            delivery=Delivery.EMAIL,
        )
        rule_save(
            actor=admin,
            matrix=matrix,
            trigger=trigger,
            level=3,
            wait_hours=Decimal("16"),
            roles=[LiaisonRole.CLIENT_SUPERVISOR],
            users=[world.users["client_admin"]],
            delivery=Delivery.EMAIL,
        )
    return matrix
