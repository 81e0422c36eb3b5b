"""The liaisons lists (pages and API) cost the same number of queries with few rows and with more."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from oversight.liaisons.choices import LiaisonRole, Trigger
from oversight.liaisons.models import HotlineReport
from oversight.liaisons.services import escalation_raise
from oversight.liaisons.services.liaisons import liaison_save
from tests.factories import signed_in
from tests.query_counts import assert_flat, get_counts

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
PAGES = (
    ("liaisons.list", "liaisons:liaison-list"),
    ("liaisons.escalations", "liaisons:escalation-list"),
    ("liaisons.hotline_reports", "liaisons:hotline-report-list"),
    ("liaisons.api.liaisons", "api:liaison-list"),
    ("liaisons.api.escalations", "api:escalation-list"),
    ("liaisons.api.hotline_reports", "api:hotline-report-list"),
)


def add_rows(world, start: int, count: int) -> None:
    admin = world.users["client_admin"]
    for i in range(start, start + count):
        vendor = world.vendor if i % 2 else world.other_vendor
        liaison_save(
            actor=admin,
            organisation=world.org,
            vendor=vendor,
            role=LiaisonRole.ONSITE_LEAD,
            name=f"Lead {i}",
            user=world.users["vendor_agent"] if i % 2 else None,
            deputies=[{"name": f"Deputy {i}"}, {"user": world.users["vendor_agent_2"]}],
        )
        escalation_raise(
            trigger=Trigger.OVERDUE_ACTION,
            organisation=world.org,
            vendor=vendor,
            subject_type="meetings.actionitem",
            subject_id=i,
            title=f"Action {i}",
            url="",
            started_at=START,
        )
        HotlineReport.objects.create(organisation=world.org, description=f"Report {i}", received_at=START)


def test_list_query_counts_do_not_grow(world):
    client = signed_in(world.users["client_supervisor"])
    add_rows(world, 0, 2)
    few = get_counts([(client, reverse(url)) for _name, url in PAGES])
    add_rows(world, 2, 6)
    many = get_counts([(client, reverse(url)) for _name, url in PAGES])
    for (name, _url), a, b in zip(PAGES, few, many, strict=True):
        assert_flat(name, a, b)
