"""Fixtures for the feedback tests: resolved work orders made through the real services, rating links, clients."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from oversight.feedback import services as feedback
from oversight.tickets import services as tickets
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    """Every test starts with an empty rate-limit counter (the cache is per process)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def resolve(world, django_capture_on_commit_callbacks):
    """`resolve(...)`: a work order created by a requester, accepted and resolved by its vendor's agent.

    The resolution commits, so its after-commit reactions (the rating link, the notices) have happened."""

    def make(*, requester="requester", service=None, title="Printer jammed", **kwargs):
        actor = world.users[requester] if isinstance(requester, str) else requester
        service = service or world.service
        agents = {
            world.vendor.pk: world.users["vendor_agent"],
            world.other_vendor.pk: world.users["other_vendor_agent"],
        }
        agent = agents.get(service.vendor_id) or UserFactory(
            organisation=service.organisation, role="vendor_agent", vendor=service.vendor
        )
        work_order = tickets.work_order_create(actor=actor, service=service, title=title, **kwargs)
        work_order = tickets.work_order_transition(actor=agent, work_order=work_order, action="accept")
        with django_capture_on_commit_callbacks(execute=True):
            return tickets.work_order_transition(
                actor=agent, work_order=work_order, action="resolve", resolution="Fixed"
            )

    return make


@pytest.fixture
def link():
    """`link(work_order, channel=...)`: a fresh rating token for the work order's requester (portal or QR)."""

    def make(work_order, channel="portal") -> str:
        return feedback.rating_link_for_requester(
            actor=work_order.requester, work_order=work_order, channel=channel
        ).token

    return make


@pytest.fixture
def rate(link):
    """`rate(work_order, stars, ...)`: the requester rates through a fresh link; returns the rating."""

    def make(work_order, stars=5, **kwargs):
        return feedback.rating_submit(token=link(work_order), stars=stars, **kwargs)

    return make


@pytest.fixture
def web(world):
    """`web(role_or_user)`: a Django test client signed in as that user."""

    def make(who) -> Client:
        user = world.users[who] if isinstance(who, str) else who
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def api(world):
    """`api(role_or_user)`: an API client authenticated as that user."""

    def make(who) -> APIClient:
        user = world.users[who] if isinstance(who, str) else who
        client = APIClient()
        client.force_authenticate(user=user)
        return client

    return make
