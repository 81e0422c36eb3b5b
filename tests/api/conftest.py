"""Fixtures for the REST API tests: authenticated clients per role and work orders made through the services."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from oversight.tickets import services


@pytest.fixture
def api(world):
    """`api(role_or_user)` returns an APIClient authenticated as that world user (or user object)."""

    def make(who) -> APIClient:
        user = world.users[who] if isinstance(who, str) else who
        client = APIClient()
        client.force_authenticate(user=user)
        # Like a real API client, ask for the user's language (Accept-Language; the default is Chinese).
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = user.language or "zh-hans"
        client.user = user
        return client

    return make


@pytest.fixture
def make_work_order(world):
    """Create a work order through the real service (default: the requester on the first vendor's service)."""

    def make(*, requester="requester", service=None, title="Printer jammed", **kwargs):
        actor = world.users[requester] if isinstance(requester, str) else requester
        return services.work_order_create(actor=actor, service=service or world.service, title=title, **kwargs)

    return make
