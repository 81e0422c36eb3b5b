"""Fixtures for the web UI tests: a logged-in test client per role and work orders made through the services."""

from __future__ import annotations

import pytest
from django.test import Client

from oversight.tickets import services


@pytest.fixture
def web(world):
    """`web(role_or_user)` returns a Django test Client signed in as that world user (or user object)."""

    def make(who) -> Client:
        user = world.users[who] if isinstance(who, str) else who
        client = Client()
        client.force_login(user)
        client.user = user
        return client

    return make


@pytest.fixture
def wo(world):
    """`wo(...)` creates a work order through the real service (default: the requester on vendor 1's service)."""

    def make(*, requester="requester", service=None, title="Printer jammed", **kwargs):
        actor = world.users[requester] if isinstance(requester, str) else requester
        return services.work_order_create(actor=actor, service=service or world.service, title=title, **kwargs)

    return make


@pytest.fixture
def accepted(world, wo):
    """A work order of vendor 1 accepted by its agent."""
    work_order = wo()
    return services.work_order_transition(actor=world.users["vendor_agent"], work_order=work_order, action="accept")


@pytest.fixture
def png_bytes() -> bytes:
    """A real, tiny PNG image."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def form_value(html: str, name: str) -> str:
    """The value attribute of the first input with this name in an HTML page."""
    import re

    escaped = re.escape(name)
    match = re.search(rf'<input[^>]*name="{escaped}"[^>]*value="([^"]*)"', html)
    if match is None:
        match = re.search(rf'<input[^>]*value="([^"]*)"[^>]*name="{escaped}"', html)
    assert match is not None, f"no input named {name}"
    return match.group(1)
