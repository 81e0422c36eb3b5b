"""Every GET page and endpoint, with absurd query parameters, answers 2xx/3xx/4xx, never a 500 (issue 8).

Each URL pattern the matrix walks is requested with query strings where every parameter a list, report or
dashboard reads (ids, page numbers, years, periods, kinds) holds text, a number past 64 bits or 1e99."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from tests.permissions.permissions_support import fillable_endpoints, targets

HUGE = "99999999999999999999"
PARAMETERS = (
    "page",
    "page_size",
    "vendor",
    "service",
    "category",
    "contract",
    "site",
    "parent",
    "assignee",
    "actor",
    "handler",
    "organisation",
    "indicator",
    "version",
    "year",
    "period",
    "kind",
    "set",
    "queue",
    "show",
    "status",
    "ordering",
    "on",
    "expected_version",
    "stars",
    "opened_after",
    "due_before",
)
QUERIES = [urlencode(dict.fromkeys(PARAMETERS, value)) for value in ("abc", HUGE, "1e99")]


@pytest.mark.parametrize("role", ["client_supervisor", "vendor_agent", "requester"])
def test_no_page_or_endpoint_answers_absurd_query_parameters_with_a_server_error(matrix, clients, role):
    client = clients(role)
    client.raise_request_exception = False
    errors = []
    checked = 0
    for endpoint in fillable_endpoints():
        if "get" not in endpoint.methods:
            continue
        found = [t for t in targets(endpoint, matrix, numbers=False) if not t.instance.startswith("probe")]
        for target in found[:1]:
            for query in QUERIES:
                response = client.get(f"{target.url}?{query}")
                checked += 1
                if response.status_code >= 500:
                    errors.append(f"{response.status_code} {target.url}?{query[:60]}")
    assert checked > 100
    assert errors == []
