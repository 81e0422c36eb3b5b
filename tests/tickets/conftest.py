"""Fixtures for the tickets tests: the admin's signed-in client administrator and a superuser."""

from tests.admin.conftest import admin_client_a, client_admin, superuser  # noqa: F401 - fixtures
