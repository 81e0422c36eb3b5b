"""Fixtures for the admin tests: a logged-in client administrator with staff access, a frozen date."""

import datetime as dt

import pytest

from oversight.core import clock


@pytest.fixture
def frozen_2026():
    """Freeze 'now' on 2026-06-01 so "this year" is 2026 and "next year" 2027 (which the library lacks)."""
    with clock.frozen_at(dt.datetime(2026, 6, 1, 4, 0, tzinfo=dt.UTC)):
        yield


@pytest.fixture
def client_admin(world):
    """Org A's client administrator, with the staff flag the demo gives client administrators."""
    user = world.users["client_admin"]
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


@pytest.fixture
def admin_client_a(client, client_admin):
    """A test client signed in as org A's client administrator."""
    client.force_login(client_admin)
    return client


@pytest.fixture
def superuser(db):
    from tests.factories import UserFactory

    return UserFactory(username="root", organisation=None, is_staff=True, is_superuser=True, role="client_admin")
