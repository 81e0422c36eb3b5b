"""Fixtures of the contact-centre tests: a contract of vendor V1 in force from 2026-01-01 (made by the contract
services), a voice queue and a chat queue on it, and Shanghai wall-clock helpers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from oversight.contactcentre import services
from oversight.contracts import services as contract_services
from oversight.core import clock
from tests.contracts.conftest import SIGNED_AT, make_terms

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def at(y, m, d, hh=0, mm=0) -> dt.datetime:
    """A Shanghai wall-clock time as a UTC instant."""
    return dt.datetime(y, m, d, hh, mm, tzinfo=SHANGHAI).astimezone(dt.UTC)


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def contract(world):
    """Vendor V1's contract, version 1 in force 2026-01-01 .. 2027-12-31."""
    with clock.frozen_at(SIGNED_AT):
        made = contract_services.contract_create(
            actor=world.users["client_admin"],
            vendor=world.vendor,
            number="CC-2026-001",
            title="Customer service",
            terms=make_terms(world),
        )
        return contract_services.contract_activate(actor=world.users["client_admin"], contract=made)


@pytest.fixture
def voice(world, contract):
    return services.queue_create(
        actor=world.users["client_supervisor"],
        vendor=world.vendor,
        contract=contract,
        code="VOICE-1",
        name="热线",
        name_en="Hotline",
        channel="voice",
    )


@pytest.fixture
def chat(world, contract):
    return services.queue_create(
        actor=world.users["client_supervisor"],
        vendor=world.vendor,
        contract=contract,
        code="CHAT-1",
        name="在线客服",
        name_en="Web chat",
        channel="chat",
    )


@pytest.fixture
def other_queue(world):
    return services.queue_create(
        actor=world.users["client_supervisor"], vendor=world.other_vendor, code="NET-1", name="Network line"
    )
