"""Fixtures for the tenancy tests: the admin's signed-in client administrator, API and web clients per role."""

from tests.admin.conftest import admin_client_a, client_admin, frozen_2026, superuser  # noqa: F401 - fixtures
from tests.api.conftest import api  # noqa: F401 - fixture
from tests.web.conftest import web  # noqa: F401 - fixture
