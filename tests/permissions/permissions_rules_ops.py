"""The permission matrix's knowledge of the operator's endpoints (docs/operations/): health, readiness, metrics.

None of them shows an object of the matrix: /healthz and /readyz are open to anyone by design (a load balancer or
an orchestrator asks them without signing in) and say only states and ages; /metrics answers only a scraper with
the token or on the loopback, whoever is signed in. Their own tests check exactly that."""

from __future__ import annotations

from tests.permissions.permissions_support import describe_app

describe_app(
    "core",
    excluded={
        "healthz": "liveness for load balancers: open by design, says only 'ok' (tests/core/test_core_health.py)",
        "readyz": "readiness for orchestrators: open by design, states and ages only, no host or error text "
        "(tests/core/test_core_health.py)",
        "metrics": "Prometheus text for a scraper with the token or on the loopback, never by sign-in: "
        "tests/core/test_core_metrics.py checks every role and the anonymous are refused without them",
    },
)
