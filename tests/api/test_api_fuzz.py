"""A bounded schemathesis run against /api/schema/ (issue 8): every operation of the published schema gets
generated requests, as a vendor agent and as a client supervisor, in-process through the WSGI application.

Done criterion: no response is a server error (schemathesis' `not_a_server_error`), and every response
conforms to the schema in its status code and content type. Deterministic (derandomized hypothesis), a few
hundred requests in total, well under two minutes.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import content_type_conformance, status_code_conformance

from oversight.tenancy.services import api_token_create

EXAMPLES_PER_OPERATION = 1  # per role and generation mode: ~4 requests per operation, ~500 in all
ROLES = ("vendor_agent", "client_supervisor")
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance]


@pytest.fixture
def api_token(db):
    """`api_token(user)`: the Authorization header of a fresh API token of that user (the one place tokens are made)."""

    def make(user) -> str:
        return f"Token {api_token_create(actor=user, owner=user, name='schemathesis')[1]}"

    return make


@pytest.fixture
def wsgi_app(settings):
    """The project's WSGI application, called in-process inside the test's transaction.

    As Django's test client does, requests do not close the database connection (that would end the test's
    transaction, or drop SQLite's in-memory test database)."""
    settings.ALLOWED_HOSTS = ["*"]  # schemathesis' WSGI client calls itself "localhost"
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(wsgi_app):
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app)


def _known_ids(world, work_orders) -> list[int]:
    """Ids of objects that exist, so generated paths reach real objects as well as missing ones."""
    objects = [world.vendor, world.service, world.onsite_offering, world.team, world.dept, world.org, *work_orders]
    return sorted({obj.pk for obj in objects})


def _run(operation, mode, headers, known_ids, failures) -> int:
    sent = 0

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode), data=st.data())
    def exercise(case, data):
        nonlocal sent
        if case.path_parameters and data.draw(st.booleans()):
            for name in case.path_parameters:
                case.path_parameters[name] = data.draw(st.sampled_from(known_ids))
        response = case.call(headers=headers)
        sent += 1
        try:
            case.validate_response(response, checks=CHECKS)
        except (AssertionError, FailureGroup) as exc:  # every failure is collected, not only the first
            failures.append(f"{operation.label} [{mode.value}] {response.status_code}: {str(exc)[:600]}")

    try:
        exercise()
    except Unsatisfiable:  # nothing to negate (an operation without parameters or body): no request to make
        assert mode == GenerationMode.NEGATIVE
    return sent


def test_the_generated_api_requests_get_no_server_error_and_conform(world, api_schema, api_token, make_work_order):
    work_orders = [make_work_order(), make_work_order(title="Second")]
    known_ids = _known_ids(world, work_orders)
    failures: list[str] = []
    sent = 0
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 60
    for role in ROLES:
        headers = {"Authorization": api_token(world.users[role]), "Accept-Language": "en"}
        for operation in operations:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                sent += _run(operation, mode, headers, known_ids, failures)
    print(f"\nschemathesis: {len(operations)} operations, {sent} requests, {len(failures)} failures")
    assert sent >= 300
    assert failures == [], "\n".join(failures)
