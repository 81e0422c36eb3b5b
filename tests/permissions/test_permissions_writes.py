"""The write matrix: every write method of every URL pattern × every role, against objects the role cannot
see (404, exactly like a missing object, and nothing changed), by the read-only roles against what they
can see (403, nothing changed) and by anonymous callers (401 / the login page, nothing changed).

Each write runs in a savepoint that is rolled back, with the database compared before and after
(audit entries, work orders and their versions, events, comments, attachments, notifications, users)."""

from __future__ import annotations

import pytest

from tests.permissions.permissions_support import (
    ALL_ROLES,
    LOGIN,
    PERSONAL_WRITES,
    READ_ONLY,
    SIGNED_IN_ROLES,
    LeakFinder,
    Payload,
    Violations,
    comparable_body,
    expected_statuses,
    fillable_endpoints,
    forbidden_words,
    in_rollback,
    probe_key,
    sees,
    send,
    status_ok,
    targets,
    write_payload,
)

WRITE_METHODS = ("post", "put", "patch", "delete")


def _must_try(matrix, role, target, method) -> bool:
    """Writes the matrix makes: anonymous ones, on invisible objects, and by read-only roles."""
    user = matrix.user(role)
    if user is None or target.instance.startswith("probe"):
        return True
    if target.obj is not None and not sees(matrix, role, target.endpoint.model, target.obj):
        return True
    return user.role in READ_ONLY and target.endpoint.name not in PERSONAL_WRITES


@pytest.mark.parametrize("role", ALL_ROLES)
def test_no_role_writes_what_it_cannot_see_or_may_not_change(matrix, clients, role):
    client = clients(role)
    leaks = LeakFinder(forbidden_words(matrix, role))
    violations = Violations()
    checked = 0
    for endpoint in fillable_endpoints():
        all_targets = targets(endpoint, matrix, numbers=False)
        for method in sorted(endpoint.methods - {"get"}):
            probes = {}
            later = []
            for target in all_targets:
                if not _must_try(matrix, role, target, method):
                    continue
                payload = write_payload(target, method, matrix)
                if payload is None:
                    violations.add(role, method, target, "the matrix has no payload for this write")
                    continue
                response, changes = in_rollback(lambda t=target, p=payload, m=method: send(client, m, t.url, p))
                checked += 1
                if isinstance(response, Exception):
                    violations.add(role, method, target, f"raised {response!r}")
                    continue
                expected = expected_statuses(matrix, role, target, method)
                if not status_ok(response, expected):
                    want = expected if expected == LOGIN else sorted(expected)
                    violations.add(role, method, target, f"expected {want}", response)
                if changes:
                    violations.add(role, method, target, f"changed {', '.join(changes)}", response)
                for word in leaks.find(response.content.decode("utf-8", "replace"), allowed=target.url):
                    violations.add(role, method, target, f"leaks {word}", response)
                if target.instance.startswith("probe"):
                    probes[probe_key(target)] = (target, response)
                elif target.obj is not None and role != "anonymous":
                    if not sees(matrix, role, endpoint.model, target.obj):
                        later.append((target, response))
            for target, response in later:
                probe_target, probe = probes[probe_key(target)]
                if response.status_code != probe.status_code:
                    violations.add(
                        role, method, target, f"answers unlike a missing object ({probe.status_code})", response
                    )
                elif endpoint.api and comparable_body(response, target) != comparable_body(probe, probe_target):
                    violations.add(role, method, target, "body differs from a missing object's", response)
    print(f"\n{role}: {checked} writes checked")
    assert checked > 50
    assert not violations.items, violations.report()


@pytest.mark.parametrize("role", ["anonymous", "executive", "vendor_agent"])
def test_methods_a_url_does_not_declare_change_nothing(matrix, clients, role):
    """PUT/PATCH/DELETE/POST where the view has no such method: 405 (or a 401/403/404 that comes first)."""
    client = clients(role)
    violations = Violations()
    checked = 0
    for endpoint in fillable_endpoints():
        all_targets = targets(endpoint, matrix, numbers=False)
        first_extra = all_targets[0].extra
        # The method is refused before any lookup: one real object (A1, visible to two of the three roles) is enough.
        picked = [t for t in all_targets if t.extra == first_extra and not t.instance.startswith("probe")][:1]
        for method in sorted(set(WRITE_METHODS) - endpoint.methods):
            for target in picked:
                response, changes = in_rollback(
                    lambda t=target, m=method: send(client, m, t.url, write_payload(t, m, matrix))
                )
                checked += 1
                expected = expected_statuses(matrix, role, target, method)
                if isinstance(response, Exception):
                    violations.add(role, method, target, f"raised {response!r}")
                elif not status_ok(response, expected):
                    want = expected if expected == LOGIN else sorted(expected)
                    violations.add(role, method, target, f"expected {want}", response)
                if changes:
                    violations.add(role, method, target, f"changed {', '.join(changes)}", response)
    assert checked > 50
    assert not violations.items, violations.report()


@pytest.mark.parametrize("role", SIGNED_IN_ROLES)
def test_nobody_marks_someone_elses_notifications_read(matrix, clients, role):
    client = clients(role)
    user = matrix.users[role]
    others = [n for n in matrix.objects["notification"].values() if n.recipient_id != user.pk]
    problems = []
    for notification in others:
        response, changes = in_rollback(
            lambda n=notification: send(client, "post", "/notifications/read/", Payload({"id": str(n.pk)}))
        )
        if changes:
            problems.append(f"page: notification {notification.pk} of {notification.recipient}: changed {changes}")
    ids = [n.pk for n in others]
    response, changes = in_rollback(
        lambda: send(client, "post", "/api/v1/notifications/read-all/", Payload({"ids": ids}, json=True))
    )
    if changes or response.status_code != 200 or response.json() != {"marked": 0}:
        problems.append(f"api read-all with others' ids: {response.status_code} {response.content[:200]!r} {changes}")
    assert others
    assert not problems, "\n".join(problems)
