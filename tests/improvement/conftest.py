"""Fixtures of the improvement tests: a helper to raise items, complaints of both vendors, and ratings with known
stars on known days, from which the effect of an improvement is computed by hand in the tests.

The organisation lives in Asia/Shanghai; every rating is given at 12:00 UTC (20:00 in Shanghai, the same local
date)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from oversight.core import clock
from oversight.feedback.models import Complaint, Rating
from oversight.improvement import services
from oversight.tickets import services as tickets

D = Decimal


def noon(day: dt.date) -> dt.datetime:
    """Noon UTC of a day (20:00 in Shanghai: the same local date)."""
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


@pytest.fixture
def english():
    """Messages in English, so refusals can be matched by their words."""
    with translation.override("en"):
        yield


def raise_item(world, actor=None, **kwargs):
    """An improvement raised by the client supervisor, owned by them and approved by the client admin."""
    actor = actor or world.users["client_supervisor"]
    fields = {
        "title": "Faster printer repairs",
        "description": "Keep spare fusers on every floor.",
        "owner": world.users["client_supervisor"],
        "approver": world.users["client_admin"],
        "vendor": world.vendor,
    }
    fields.update(kwargs)
    return services.item_create(actor=actor, **fields)


def complaint_of(world, service, at: dt.datetime) -> Complaint:
    """A complaint on a new work order of the service's vendor."""
    with clock.frozen_at(at):
        wo = tickets.work_order_create(actor=world.users["requester"], service=service, title="Broken again")
    return Complaint.objects.create(
        organisation=world.org,
        vendor=wo.vendor,
        work_order=wo,
        source="manual",
        status="open",
        opened_at=at,
        updated_at=at,
    )


def rate(world, service, day: dt.date, stars: int) -> Rating:
    """A rating of ``stars`` on a new work order of the service's vendor, given at noon UTC of ``day``."""
    at = noon(day)
    with clock.frozen_at(at - dt.timedelta(hours=2)):
        wo = tickets.work_order_create(actor=world.users["requester"], service=service, title=f"Rated {stars}")
    return Rating.objects.create(
        organisation=world.org,
        work_order=wo,
        vendor=wo.vendor,
        requester=wo.requester,
        stars=stars,
        recommend=stars * 2,
        channel="link",
        created_at=at,
    )
