"""Fixtures of the permission matrix: one shared world per test module, signed-in clients per role.

The world (tests/conftest.py's `world` plus permissions_support.build_matrix) is built once per module
inside a transaction that is rolled back at the end of the module; every test runs in a savepoint of it
and every write the matrix makes is rolled back right after it, so all tests see the same data.
"""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings

from tests import conftest as root_conftest
from tests.permissions.permissions_support import build_matrix

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def matrix_media_root(tmp_path_factory):
    """Uploads of the shared world live here for the whole run (the files must outlive single tests)."""
    return tmp_path_factory.mktemp("permissions-media")


@pytest.fixture(autouse=True)
def _media_and_mail(settings, matrix_media_root):
    """Overrides tests/conftest.py's fixture of the same name: the shared world's files stay reachable."""
    settings.MEDIA_ROOT = matrix_media_root
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = FAST_HASHER
    # Thousands of signed-in requests: keep sessions in signed cookies instead of one table read each.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    # The matrix walks every endpoint as every role, far past the API throttles (those are tested in
    # tests/api/test_api_throttles.py with the real rates).
    unlimited = "1000000/min"
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": unlimited, "user": unlimited, "auth": unlimited},
    }


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker, matrix_media_root):
    """The matrix's data, built once per module and rolled back after it.

    pytest-django creates the test database only for sessions with tests that request `db`: every test
    using this fixture requests `db` (or `clients`) too.
    """
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=matrix_media_root, PASSWORD_HASHERS=FAST_HASHER),
    ):
        name = str(connection.settings_dict["NAME"])
        assert "test" in name, f"refusing to build the matrix in a non-test database ({name})"
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            # The shared `world` fixture's own builder (a function-scoped fixture cannot feed a module-scoped one).
            world = root_conftest.world.__wrapped__(None)
            yield build_matrix(world)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def clients(matrix, db):
    """`clients(role)`: a Django test client signed in as that role (anonymous: not signed in)."""
    made: dict[str, Client] = {}

    def get(role: str) -> Client:
        if role not in made:
            client = Client()
            if role != "anonymous":
                client.force_login(matrix.users[role])
            made[role] = client
        return made[role]

    return get
