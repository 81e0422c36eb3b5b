"""Shared fixtures: a small two-organisation world with every role, used across the suite."""

from __future__ import annotations

import os
from dataclasses import dataclass
from fnmatch import fnmatch

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from oversight.celery import app as celery_app
from oversight.tenancy.choices import Role
from tests.factories import (
    OfferingFactory,
    OrganisationFactory,
    ServiceFactory,
    SiteFactory,
    TeamFactory,
    UserFactory,
    VendorFactory,
    calendar_24x7,
    policy_with_targets,
)

# Property tests: no per-example deadline (the machine may be busy) and, in CI, a fixed derandomised
# run so a red build always reproduces; locally each run explores new examples.
hypothesis_settings.register_profile(
    "oversight",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=bool(os.environ.get("CI")),
    database=None if os.environ.get("CI") else hypothesis_settings.default.database,
)
hypothesis_settings.load_profile("oversight")

# Which tests a pass of `make test` runs (OVERSIGHT_TEST_PASS). Without PostgreSQL at hand, the whole suite runs on
# SQLite. With it (CI), the whole suite that uses a database runs on PostgreSQL, the production engine
# (OVERSIGHT_TEST_PASS=database), and SQLite, the embedded default, runs what differs by engine: the tests below
# and those marked `engines`, plus the tests that never touch a database (pytest-django refuses them any access,
# so they answer the same on both and run once) (OVERSIGHT_TEST_PASS=engines). Running every database test on both
# engines doubled CI's time; a local `make test` without PostgreSQL still runs all of them on SQLite.
ENGINE_SPECIFIC = (
    "*/test_*concurren*.py",  # row locks: real on PostgreSQL, whole-database on SQLite
    "*/test_*search*.py",  # full-text search on PostgreSQL, LIKE on SQLite
    "*/test_*import*.py",  # bulk writes, constraint errors mid-batch
    "*/test_*backup*.py",  # pg_dump / the SQLite online backup
    "*/test_*append_only*.py",  # triggers
    "*/test_*db_timestamps*.py",  # the PostgreSQL timestamp reader
    "*/test_*celery_worker*.py",
    "*/test_core_events.py",  # after-commit hooks and rollbacks
    "*/test_core_health.py",
    "tests/facts/*",  # raw SQL upserts
    "tests/demo/*",  # bulk loading, parallel generators
    "tests/permissions/test_permissions_hostile_queries.py",  # absurd numbers overflow SQLite's integers
    "tests/api/test_api_fuzz.py",  # the same, for generated API requests
)
DATABASE_FIXTURES = frozenset({"db", "transactional_db", "live_server", "django_db_reset_sequences"})


def _uses_database(item: pytest.Item) -> bool:
    return bool(DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))) or item.get_closest_marker("django_db")


def _engine_specific(item: pytest.Item) -> bool:
    path = item.path.relative_to(item.config.rootpath).as_posix()
    return item.get_closest_marker("engines") is not None or any(fnmatch(path, glob) for glob in ENGINE_SPECIFIC)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    selected_pass = os.environ.get("OVERSIGHT_TEST_PASS")
    if selected_pass == "database":
        wanted = _uses_database
    elif selected_pass == "engines":
        wanted = lambda item: not _uses_database(item) or _engine_specific(item)  # noqa: E731
    else:
        return
    left_out = [item for item in items if not wanted(item)]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if wanted(item)]


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_modify_db_settings):
    """pytest-django's database set-up, from a template migrated once (tests/testdb.py says why)."""
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _get_databases_for_setup

    from tests.testdb import prepare_from_template

    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    with django_db_blocker.unblock():
        prepare_from_template(setup_databases, teardown_databases)
        config = setup_databases(
            verbosity=request.config.option.verbose,
            interactive=False,
            aliases=aliases,
            serialized_aliases=serialized_aliases,
            keepdb=True,  # the copy made above: migrate finds nothing to apply
        )
    yield
    with django_db_blocker.unblock():
        teardown_databases(config, verbosity=request.config.option.verbose)


@dataclass
class World:
    """Two client organisations; the first has two vendors, each with a service, and one user per role."""

    org: object
    other_org: object
    vendor: object
    other_vendor: object
    foreign_vendor: object
    dept: object
    other_dept: object
    team: object
    calendar: object
    policy: object
    service: object
    onsite_offering: object
    other_service: object
    foreign_service: object
    users: dict


@pytest.fixture
def world(db) -> World:
    """Build the world; `world.users[role]` for org A / vendor V1, plus 'other_*' counterparts."""
    org = OrganisationFactory(name="General Hospital", code="gh", work_order_prefix="GH")
    other_org = OrganisationFactory(name="Other Hospital", code="oh", work_order_prefix="OH")
    vendor = VendorFactory(organisation=org, name="Desk Co", code="desk")
    other_vendor = VendorFactory(organisation=org, name="Net Co", code="net")
    foreign_vendor = VendorFactory(organisation=other_org, name="Far Co", code="far")
    dept = SiteFactory(organisation=org, name="Cardiology", code="card")
    other_dept = SiteFactory(organisation=org, name="Radiology", code="rad")
    team = TeamFactory(vendor=vendor, name="Field team")
    calendar = calendar_24x7(org)
    policy = policy_with_targets(org, calendar)
    service = ServiceFactory(organisation=org, vendor=vendor, sla_policy=policy, code="desktop", name="Desktop")
    onsite_offering = OfferingFactory(service=service, name="Printer repair", requires_onsite=True)
    other_service = ServiceFactory(
        organisation=org, vendor=other_vendor, sla_policy=policy, code="network", name="Network"
    )
    other_cal = calendar_24x7(other_org)
    foreign_service = ServiceFactory(
        organisation=other_org,
        vendor=foreign_vendor,
        sla_policy=policy_with_targets(other_org, other_cal, code="far"),
        code="far",
        name="Far service",
    )
    users = {
        "client_admin": UserFactory(username="admin_a", organisation=org, role=Role.CLIENT_ADMIN),
        "client_supervisor": UserFactory(username="super_a", organisation=org, role=Role.CLIENT_SUPERVISOR),
        "executive": UserFactory(username="exec_a", organisation=org, role=Role.EXECUTIVE),
        "auditor": UserFactory(username="audit_a", organisation=org, role=Role.AUDITOR),
        "vendor_manager": UserFactory(username="vm_a", organisation=org, role=Role.VENDOR_MANAGER, vendor=vendor),
        "vendor_agent": UserFactory(username="agent_a", organisation=org, role=Role.VENDOR_AGENT, vendor=vendor),
        "vendor_agent_2": UserFactory(username="agent_a2", organisation=org, role=Role.VENDOR_AGENT, vendor=vendor),
        "requester": UserFactory(username="nurse_a", organisation=org, role=Role.REQUESTER, department=dept),
        "requester_2": UserFactory(username="nurse_a2", organisation=org, role=Role.REQUESTER, department=dept),
        "other_vendor_manager": UserFactory(
            username="vm_b", organisation=org, role=Role.VENDOR_MANAGER, vendor=other_vendor
        ),
        "other_vendor_agent": UserFactory(
            username="agent_b", organisation=org, role=Role.VENDOR_AGENT, vendor=other_vendor
        ),
        "other_requester": UserFactory(
            username="clerk_b", organisation=org, role=Role.REQUESTER, department=other_dept
        ),
        "foreign_admin": UserFactory(username="admin_x", organisation=other_org, role=Role.CLIENT_ADMIN),
        "foreign_requester": UserFactory(username="nurse_x", organisation=other_org, role=Role.REQUESTER),
    }
    users["vendor_agent"].teams.add(team)
    return World(
        org=org,
        other_org=other_org,
        vendor=vendor,
        other_vendor=other_vendor,
        foreign_vendor=foreign_vendor,
        dept=dept,
        other_dept=other_dept,
        team=team,
        calendar=calendar,
        policy=policy,
        service=service,
        onsite_offering=onsite_offering,
        other_service=other_service,
        foreign_service=foreign_service,
        users=users,
    )


@pytest.fixture(autouse=True)
def _media_and_mail(settings, tmp_path):
    """Keep uploads and e-mails of each test in its own temporary folder / in-memory outbox."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # A broken domain-event handler fails the test instead of becoming a log line.
    settings.EVENT_HANDLER_ERRORS_RAISE = True
    # Each test starts with an empty private cache (rate limits and the like never leak between tests or
    # between the parallel workers that would otherwise share Redis).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
    from django.core.cache import cache

    cache.clear()
    # Tasks run in-process in tests even when REDIS_URL is set (the worker test opts out explicitly).
    celery_app.conf.task_always_eager = True
    # Real hashing costs ~0.3 s per user; tests only need a working hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
