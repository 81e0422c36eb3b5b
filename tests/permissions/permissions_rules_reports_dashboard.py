"""The permission matrix's knowledge of the vendor dashboard: the organisation's vendors side by side.

Rules (issue 3 §7, the dashboard's stated design): the client side (administrator, supervisor, executive,
auditor) reads the comparison of its own organisation's vendors, on the page and through the API; vendor staff
and requesters are refused (403) before anything is read. The page and the API compute one object from the
vendors, work orders, evaluations and statements the matrix already builds, so they add no model of their own;
the matrix's hidden words (other organisations' and vendors' objects) must still never appear in them.
"""

from __future__ import annotations

from tests.permissions.permissions_support import CLIENT_SIDE, describe_app

describe_app(
    "reports",
    gates={
        "reports:dashboard": CLIENT_SIDE,
        "api:vendor-dashboard-list": CLIENT_SIDE,
    },
    uncounted_lists={
        "api:vendor-dashboard-list": "one computed comparison, not rows of a model (tests/reports count its figures)",
    },
)
