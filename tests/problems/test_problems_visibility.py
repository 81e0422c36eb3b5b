"""Who sees which problems, links, known errors and suggestions (the gate, per role)."""

from __future__ import annotations

import pytest
from django.http import Http404

from oversight.problems import selectors


@pytest.fixture
def three(world, problem, incident):
    """A problem attributed to V1, one unattributed with a V2 incident linked, one unattributed and unlinked."""
    attributed = problem(title="A", vendor=world.vendor)
    linked = problem(title="B", service=world.other_service, work_orders=[incident(service=world.other_service)])
    alone = problem(title="C")
    return attributed, linked, alone


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("client_admin", {"A", "B", "C"}),
        ("client_supervisor", {"A", "B", "C"}),
        ("executive", {"A", "B", "C"}),
        ("auditor", {"A", "B", "C"}),
        ("vendor_manager", {"A"}),
        ("vendor_agent", {"A"}),
        ("other_vendor_manager", {"B"}),
        ("other_vendor_agent", {"B"}),
        ("requester", set()),
        ("foreign_admin", set()),
    ],
)
def test_problem_visibility_per_role(world, three, role, expected):
    user = world.users[role]
    assert set(selectors.problem_list(user=user).values_list("title", flat=True)) == expected
    for p in three:
        if p.title not in expected:
            with pytest.raises(Http404):
                selectors.problem_get(user=user, number=p.number)


def test_vendor_sees_only_its_own_linked_incidents(world, problem, incident):
    mine, theirs = incident(), incident(service=world.other_service)
    p = problem(vendor=world.vendor, work_orders=[mine, theirs])
    seen = selectors.problem_incidents(user=world.users["vendor_agent"], problem=p)
    assert [link.work_order_id for link in seen] == [mine.pk]
    assert selectors.problem_incidents(user=world.users["client_supervisor"], problem=p).count() == 2
    assert selectors.problem_for_work_order(user=world.users["vendor_agent"], work_order=mine).problem == p
    assert selectors.problem_for_work_order(user=world.users["requester"], work_order=mine) is None


def test_suggestions_are_for_the_client_side(world):
    from oversight.problems.models import ProblemSuggestion

    ProblemSuggestion.objects.create(
        organisation=world.org,
        dimension="service",
        key=f"service:{world.service.pk}",
        service=world.service,
        work_order_ids=[1, 2, 3],
        window_start=world.org.created_at if hasattr(world.org, "created_at") else "2026-01-01T00:00:00Z",
        created_at="2026-01-02T00:00:00Z",
    )
    assert selectors.suggestion_list(user=world.users["client_supervisor"]).count() == 1
    for role in ("vendor_manager", "vendor_agent", "requester", "foreign_admin"):
        assert selectors.suggestion_list(user=world.users[role]).count() == 0
