"""The matrix is exhaustive by construction: every URL pattern of the project is walked, or excluded with
a written reason. A new pattern whose keywords the matrix cannot fill with objects, a new write without a
known body, a new role, or a stale exclusion makes these tests fail, so no endpoint escapes the matrix."""

from __future__ import annotations

from oversight.tenancy.choices import Role
from tests.permissions.permissions_support import (
    ALL_ROLES,
    CLIENT_SIDE,
    EXCLUDED_NAMES,
    EXCLUDED_NAMESPACES,
    GET_OK_STATUS,
    HTML_PK_MODELS,
    PAGE_GATES,
    PERSONAL_WRITES,
    REFUSED_BY_REDIRECT,
    SIGNED_IN_ROLES,
    TOKEN_MODELS,
    UNCOUNTED_LISTS,
    VISIBLE_WORK_ORDERS,
    Endpoint,
    is_excluded,
    iter_endpoints,
    matrix_endpoints,
    targets,
    write_payload,
)


def test_every_url_pattern_is_walked_or_excluded_with_a_reason(matrix, db):
    endpoints = list(iter_endpoints())
    walked = matrix_endpoints()
    problems = []
    for endpoint in walked:
        problems += endpoint.problems()
        if problems:
            continue
        filled = targets(endpoint, matrix)
        if not filled:
            problems.append(f"{endpoint.name}: no concrete URL")
        if endpoint.model and not any(t.instance.startswith("probe") for t in filled):
            problems.append(f"{endpoint.name}: no probe")
        for method in endpoint.methods - {"get"}:
            if write_payload(filled[-1], method, matrix) is None:
                problems.append(f"{endpoint.name}: {method.upper()} has no known body in write_payload()")
    assert not problems, "\n".join(problems)
    names = {e.name for e in endpoints}
    assert set(EXCLUDED_NAMES) <= names, "stale exclusion"
    assert all(any(e.namespace.split(":")[0] == ns for e in endpoints) for ns in EXCLUDED_NAMESPACES)
    for table in (
        PAGE_GATES,
        GET_OK_STATUS,
        HTML_PK_MODELS,
        TOKEN_MODELS,
        PERSONAL_WRITES,
        UNCOUNTED_LISTS,
        REFUSED_BY_REDIRECT,
    ):
        assert set(table) <= {e.name for e in walked}, f"stale entries: {set(table) - names}"
    # What the matrix walks, for the record (shown with -s): the API and the pages.
    api = [e for e in walked if e.api]
    print(f"\npermission matrix: {len(walked)} URL patterns ({len(api)} API, {len(walked) - len(api)} pages)")
    assert len(api) >= 40 and len(walked) - len(api) >= 20


def test_the_guard_refuses_patterns_it_cannot_fill():
    """The coverage test can fail: unknown keywords, unknown <pk>/<token> models, unnamed patterns and views of
    apps the matrix has no rules for are reported."""

    def view(request):
        return None

    view.__module__ = "oversight.tickets.views"  # a view of a described app

    def foreign_view(request):
        return None

    def problems(name, route, kwargs, callback=view):
        return Endpoint(name, name.split(":")[0], route, callback, kwargs, ()).problems()

    assert not problems("tickets:attachment", "attachments/<int:pk>/", ("pk",))
    assert not problems("tickets:act", "wo/<number>/act/<action>/", ("number", "action"))
    assert problems("tickets:x", "x/<slug>/", ("slug",))
    assert problems("tickets:y", "y/<int:pk>/", ("pk",))
    assert problems("tickets:z", "z/<token>/", ("token",))
    assert problems("tickets:w", "w/<number>/go/<action>/", ("number", "action"))
    assert problems(":", "z/", ())
    assert "has no objects" in problems("x:list", "x/", (), foreign_view)[0]
    assert not is_excluded(Endpoint("tickets:detail", "tickets", "wo/<number>/", view, ("number",), ()))
    assert is_excluded(Endpoint("admin:index", "admin", "admin/", view, (), ()))


def test_every_role_of_the_product_is_in_the_matrix(matrix, db):
    assert set(ALL_ROLES) == set(VISIBLE_WORK_ORDERS)
    assert set(SIGNED_IN_ROLES) <= set(matrix.users)
    assert set(Role.values) <= {matrix.users[r].role for r in SIGNED_IN_ROLES}, "a role without a user in the matrix"


def test_the_written_visibility_table_follows_the_rules(matrix, db):
    """Double entry: the hand-written table agrees with the rules stated another way (org, vendor, own, grant)."""
    for role in SIGNED_IN_ROLES:
        user = matrix.users[role]
        for key, wo in matrix.work_orders.items():
            if user.organisation_id != wo.organisation_id:
                rule = False
            elif user.role in CLIENT_SIDE:
                rule = True
            elif user.vendor_id:
                rule = wo.vendor_id == user.vendor_id
            else:
                department = user.department_id if user.sees_department_work_orders else None
                rule = wo.requester_id == user.pk or (department is not None and wo.site_id == department)
            assert (key in VISIBLE_WORK_ORDERS[role]) == rule, (role, key)
