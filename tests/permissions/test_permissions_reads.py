"""The read matrix: every URL pattern × every role × objects of its own, of another vendor, of another
organisation (and a probe naming nothing). GET must give 200 for what the role may see, 404 for what it
may not (exactly as for an object that does not exist), 401 / the login page for anonymous callers,
and no response may contain a word of an object the role cannot see."""

from __future__ import annotations

import pytest

from tests.permissions.permissions_support import (
    ALL_ROLES,
    LOGIN,
    LeakFinder,
    Violations,
    body_text,
    changed,
    comparable_body,
    db_state,
    expected_statuses,
    fillable_endpoints,
    forbidden_words,
    probe_key,
    sees,
    send,
    status_ok,
    targets,
)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_page_and_endpoint_answers_each_role_as_the_rules_say(matrix, clients, role):
    client = clients(role)
    leaks = LeakFinder(forbidden_words(matrix, role))
    violations = Violations()
    before = db_state()
    checked = 0
    for endpoint in fillable_endpoints():
        probes = {}
        later = []
        all_targets = targets(endpoint, matrix)
        if "get" not in endpoint.methods:
            # A GET on a write-only URL is refused before any lookup: the probe and one object are enough.
            all_targets = [t for t in all_targets if t.extra == all_targets[0].extra][:2]
        for target in all_targets:
            response = send(client, "get", target.url)
            checked += 1
            expected = expected_statuses(matrix, role, target, "get")
            if not status_ok(response, expected):
                want = expected if expected == LOGIN else sorted(expected)
                violations.add(role, "get", target, f"expected {want}", response)
            for word in leaks.find(body_text(response), allowed=target.url):
                violations.add(role, "get", target, f"leaks {word}", response)
            if target.instance.startswith("probe"):
                probes[probe_key(target)] = (target, response)
            else:
                later.append((target, response))
        # An object the role cannot see must be indistinguishable from one that does not exist.
        for target, response in later:
            if target.obj is None or probe_key(target) not in probes:
                continue
            if role == "anonymous" or sees(matrix, role, endpoint.model, target.obj):
                continue
            probe_target, probe = probes[probe_key(target)]
            if response.status_code != probe.status_code:
                violations.add(role, "get", target, f"answers unlike a missing object ({probe.status_code})", response)
            elif endpoint.api and comparable_body(response, target) != comparable_body(probe, probe_target):
                violations.add(role, "get", target, "body differs from a missing object's", response)
    print(f"\n{role}: {checked} GETs checked")
    assert checked > 100
    assert not changed(before, db_state()), "a GET changed the database"
    assert not violations.items, violations.report()
