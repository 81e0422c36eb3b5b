"""Every reference endpoint is read-only (the per-app reference tests live under tests/catalog, tests/tenancy,
tests/notifications and tests/audit)."""

from __future__ import annotations

import pytest

API = "/api/v1/"


@pytest.mark.parametrize(
    "path",
    [
        "services/",
        "offerings/",
        "service-categories/",
        "calendars/",
        "sla-policies/",
        "vendors/",
        "sites/",
        "teams/",
        "users/",
        "organisations/",
    ],
)
def test_reference_endpoints_are_read_only(world, api, path):
    client = api("client_admin")
    assert client.post(f"{API}{path}", {"name": "x"}, format="json").status_code == 405
    assert client.get(f"{API}{path}").status_code == 200
