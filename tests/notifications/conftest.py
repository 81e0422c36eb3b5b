"""Fixtures for the notifications tests: API and web clients per role, work orders made through the services."""

from tests.api.conftest import api, make_work_order  # noqa: F401 - fixtures
from tests.web.conftest import web, wo  # noqa: F401 - fixtures
