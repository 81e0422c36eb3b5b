"""Fixtures of the trigger tests, imported by each test module (`tests/risks/conftest.py` is the register's)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from oversight.core.clock import frozen_at
from oversight.facts.models import VendorDailyFact
from oversight.risks import services
from oversight.risks.choices_triggers import KriRule, KriWindow
from oversight.risks.triggers import kri_save

START = dt.date(2026, 11, 1)


def at_noon(day: dt.date) -> dt.datetime:
    """Noon UTC of a day (20:00 in Beijing: the same local date)."""
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


@pytest.fixture
def rated_risk(world):
    """A vendor risk owned by the client supervisor, rated current 2 × 3, with a two-line contingency plan."""
    actor = world.users["client_supervisor"]
    risk = services.risk_create(
        actor=actor,
        title="Desk vendor stops serving",
        cause="The vendor loses its night staff",
        event="No work order is resolved for days",
        consequence="Wards wait for repairs",
        category="vendor",
        owner=actor,
        vendor=world.vendor,
        contingency_plan="1. Call the backup vendor\n2. Escalate to the vendor's director",
    )
    services.risk_rating_record(
        risk=risk, kind="current", probability_level=2, impact_level=3, reason="First rating", actor=actor
    )
    return risk


def resolved_on(world, days_and_counts: dict[dt.date, int]) -> None:
    """Daily vendor facts: how many work orders the vendor resolved on each day."""
    for day, count in days_and_counts.items():
        VendorDailyFact.objects.update_or_create(
            organisation=world.org, vendor=world.vendor, day=day, defaults={"resolved": count, "received": count}
        )


@pytest.fixture
def no_service_kri(world, rated_risk):
    """MISSION's trigger: the vendor resolved nothing for 3 consecutive working days (24 × 7 calendar)."""
    with frozen_at(at_noon(START)):
        return kri_save(
            actor=world.users["client_supervisor"],
            organisation=world.org,
            links=[(rated_risk, 1)],
            name="Desk Co delivers no service",
            rule=KriRule.NO_SERVICE,
            vendor=world.vendor,
            higher_is_worse=False,
            amber_threshold=Decimal("1"),
            red_threshold=Decimal("1"),
            window=KriWindow.BUSINESS_DAYS,
            window_days=1,
            calendar=world.calendar,
            persistence=3,
            starts_on=START,
        )
