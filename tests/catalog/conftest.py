"""Fixtures for the catalog tests: the admin's signed-in client administrator and API clients per role."""

from tests.admin.conftest import admin_client_a, client_admin, frozen_2026, superuser  # noqa: F401 - fixtures
from tests.api.conftest import api  # noqa: F401 - fixture
