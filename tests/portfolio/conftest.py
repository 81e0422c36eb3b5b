"""Fixtures of the portfolio tests: an active monthly contract for the world's first vendor with contracted staffing.

The organisation lives in Asia/Shanghai, so July 2026 is [2026-06-30 16:00 UTC, 2026-07-31 16:00 UTC). The world's
SLA policy gives P3 (the default priority) 60 minutes to respond on a round-the-clock calendar.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from rest_framework.test import APIClient

from oversight.contracts import services as contract_services
from oversight.contracts.validation import StaffingInput, Terms
from oversight.core import clock
from tests.admin.conftest import admin_client_a, client_admin  # noqa: F401 - fixtures of the admin tests

SIGNED_AT = dt.datetime(2026, 1, 5, 2, 0, tzinfo=dt.UTC)
JULY = dt.date(2026, 7, 1)


@pytest.fixture
def contract(world):
    """120 000.00 a month over the desktop service; 4 on-site engineers and 2 service desk agents contracted."""
    terms = Terms(
        term_start=dt.date(2026, 1, 1),
        term_end=dt.date(2027, 12, 31),
        fixed_fee=Decimal("120000.00"),
        fee_period="monthly",
        at_risk_percent=Decimal("10"),
        max_deduction=Decimal("20"),
        services=(world.service,),
        commitments=(),
        staffing=(
            StaffingInput(position="onsite_engineer", count=4),
            StaffingInput(position="service_desk", count=2),
        ),
    )
    with clock.frozen_at(SIGNED_AT):
        contract = contract_services.contract_create(
            actor=world.users["client_admin"], vendor=world.vendor, number="HT-P1", title="Desktop", terms=terms
        )
        return contract_services.contract_activate(actor=world.users["client_admin"], contract=contract)


@pytest.fixture
def web(world):
    """A page client signed in as one of the world's roles (English pages)."""

    def make(role) -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(world.users[role])
        return client

    return make


@pytest.fixture
def api(world):
    """An API client authenticated as one of the world's roles (English messages)."""

    def make(role) -> APIClient:
        client = APIClient()
        client.force_authenticate(user=world.users[role])
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return make
