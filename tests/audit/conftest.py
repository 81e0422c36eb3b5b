"""Fixtures for the audit tests: the admin's clients, API and web clients per role, work orders made by services."""

from tests.admin.conftest import admin_client_a, client_admin, superuser  # noqa: F401 - fixtures
from tests.api.conftest import api, make_work_order  # noqa: F401 - fixtures
from tests.web.conftest import web, wo  # noqa: F401 - fixtures
