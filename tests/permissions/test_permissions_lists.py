"""Lists, counts and exports: every API list, the board with its counts and its CSV/XLSX exports, the
workbench queues, the portal, notifications and the audit trail hold exactly the rows the oracle says the
role may see, their counts equal those rows (computed from the fixture, not from a selector), filters
naming invisible objects answer like filters naming nothing, and no response contains a hidden word."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.urls import reverse

from tests.permissions.permissions_support import (
    MODEL_CLASSES,
    PAGE_GATES,
    PROBE_PK,
    SIGNED_IN_ROLES,
    UNCOUNTED_LISTS,
    VISIBLE_WORK_ORDERS,
    LeakFinder,
    body_bytes,
    body_text,
    csv_rows,
    expected_ids,
    fillable_endpoints,
    forbidden_words,
    sees,
    xlsx_rows,
)

OPEN = {"new", "dispatched", "accepted", "on_site", "pending_requester", "pending_third_party", "pending_problem"}
QUEUES = ("mine", "team", "unassigned", "due_soon", "breached")
# Who opens the board (client side and vendor managers) and the workbench (vendor staff), on every side.
BOARD_ROLES = (
    "client_admin",
    "client_supervisor",
    "executive",
    "auditor",
    "vendor_manager",
    "other_vendor_manager",
    "foreign_admin",
)
VENDOR_ROLES = (
    "vendor_manager",
    "vendor_agent",
    "vendor_agent_2",
    "other_vendor_manager",
    "other_vendor_agent",
    "foreign_vendor_agent",
)


class Problems(list):
    """Readable failures: role, what was asked, what went wrong."""

    def add(self, role, what, problem):
        self.append(f"{role:22} {what}: {problem}")

    def report(self):
        return f"{len(self)} problem(s):\n" + "\n".join(self)


def _visible(matrix, role):
    return {key: wo for key, wo in matrix.work_orders.items() if key in VISIBLE_WORK_ORDERS[role]}


def _check_leaks(leaks, role, what, response, problems, allowed=""):
    for word in leaks.find(body_text(response), allowed=allowed):
        problems.add(role, what, f"leaks {word}")


@pytest.mark.parametrize("role", SIGNED_IN_ROLES)
def test_api_lists_hold_and_count_exactly_what_the_role_may_see(matrix, clients, role):
    client, user = clients(role), matrix.users[role]
    leaks = LeakFinder(forbidden_words(matrix, role))
    problems = Problems()
    lists = [e for e in fillable_endpoints() if e.is_api_list]
    assert {e.name for e in lists} >= {"api:work-order-list", "api:work-order-event-list", "api:user-list"}
    for endpoint in lists:
        model = endpoint.list_model
        if endpoint.name in UNCOUNTED_LISTS:
            response = client.get(reverse(endpoint.name), {"page_size": 500})
            _check_leaks(leaks, role, endpoint.name, response, problems)
            gate = PAGE_GATES.get(endpoint.name)
            wanted = 403 if gate is not None and user.role not in gate else 200
            if response.status_code != wanted:
                problems.add(role, endpoint.name, f"status {response.status_code}, expected {wanted}")
            continue
        if model is None:
            problems.add(role, endpoint.name, "the matrix does not know which model this list returns")
            continue
        nested = endpoint.model == "work_order"
        parents = list(_visible(matrix, role).values()) if nested else [None]
        for parent in parents:
            url = reverse(endpoint.name, kwargs={"work_order_id": parent.pk} if nested else {})
            response = client.get(url, {"page_size": 500})
            _check_leaks(leaks, role, url, response, problems)
            gate = PAGE_GATES.get(endpoint.name)
            if gate is not None and user.role not in gate:
                if response.status_code != 403:
                    problems.add(role, url, f"status {response.status_code}, expected 403")
                continue
            if response.status_code != 200:
                problems.add(role, url, f"status {response.status_code}, expected 200")
                continue
            data = response.json()
            rows = data["results"] if isinstance(data, dict) else data
            count = data["count"] if isinstance(data, dict) else len(rows)
            queryset = MODEL_CLASSES[model].objects.all()
            if nested:
                queryset = queryset.filter(work_order=parent)
            expected = expected_ids(matrix, role, model, queryset)
            if count != len(expected) or len(rows) != len(expected):
                problems.add(role, url, f"count {count} / {len(rows)} rows, the role may see {len(expected)}")
            if rows and "id" in rows[0]:
                got = {row["id"] for row in rows}
                if got - expected:
                    problems.add(role, url, f"rows it may not see: {sorted(got - expected)}")
                if expected - got:
                    problems.add(role, url, f"rows missing: {sorted(expected - got)}")
    assert not problems, problems.report()


def _answer(response, pk) -> tuple:
    """What a filtered list says, with the id asked for blanked (pages: rows, totals and form errors)."""
    if response.context is not None and "filterset" in response.context:
        context = response.context
        errors = {k: [str(e).replace(str(pk), "<id>") for e in v] for k, v in context["filterset"].form.errors.items()}
        return response.status_code, context.get("total"), len(context["page"].items), errors
    return response.status_code, body_text(response).replace(str(pk), "<id>")


@pytest.mark.parametrize("role", SIGNED_IN_ROLES)
def test_work_order_filters_naming_invisible_objects_answer_like_filters_naming_nothing(matrix, clients, role):
    client = clients(role)
    leaks = LeakFinder(forbidden_words(matrix, role))
    problems = Problems()
    invisible = {
        "vendor": [v.pk for v in matrix.objects["vendor"].values() if not sees(matrix, role, "vendor", v)],
        "service": [s.pk for s in matrix.objects["service"].values() if not sees(matrix, role, "service", s)],
        "site": [s.pk for s in matrix.objects["site"].values() if not sees(matrix, role, "site", s)],
        "assignee": [
            u.pk
            for u in matrix.users.values()
            if u.vendor_id and not sees(matrix, role, "user", u) and u.pk != matrix.users[role].pk
        ],
    }
    hidden_orders = [wo for key, wo in matrix.work_orders.items() if key not in VISIBLE_WORK_ORDERS[role]]
    board = matrix.users[role].role in PAGE_GATES["tickets:board"]
    urls = ["/api/v1/work-orders/"] + (["/board/", "/board/export.csv"] if board else [])
    for param, ids in invisible.items():
        for url in urls:
            probe = _answer(client.get(url, {param: PROBE_PK}), PROBE_PK)
            for pk in ids:
                got = client.get(url, {param: pk})
                _check_leaks(leaks, role, f"{url}?{param}={pk}", got, problems)
                if _answer(got, pk) != probe:
                    problems.add(role, f"{url}?{param}={pk}", "answers unlike the same filter naming nothing")
    for wo in hidden_orders:
        for term in (wo.number, wo.title):
            response = client.get("/api/v1/work-orders/", {"q": term})
            if response.json().get("count") != 0:
                problems.add(role, f"api ?q={term}", f"found {response.json().get('count')} work orders")
            if board:
                page = client.get("/board/", {"q": term})
                if page.context["total"] != 0:
                    problems.add(role, f"board ?q={term}", f"total {page.context['total']}")
    assert not problems, problems.report()


@pytest.mark.parametrize("role", BOARD_ROLES)
def test_board_counts_and_exports_hold_exactly_the_visible_open_work_orders(matrix, clients, role):
    client = clients(role)
    leaks = LeakFinder(forbidden_words(matrix, role))
    problems = Problems()
    visible_open = [wo for wo in _visible(matrix, role).values() if wo.status in OPEN]
    numbers = {wo.number for wo in visible_open}
    by_vendor = Counter(wo.vendor_id for wo in visible_open)
    by_status = Counter(wo.status for wo in visible_open)
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = client.get("/board/", **headers)
        _check_leaks(leaks, role, f"/board/ {headers}", response, problems)
        context = response.context
        shown = {wo.number for wo in context["page"].items}
        if shown != numbers:
            problems.add(role, "board rows", f"{sorted(shown)} != {sorted(numbers)}")
        if context["total"] != len(numbers):
            problems.add(role, "board total", f"{context['total']} != {len(numbers)}")
        vendors = {row["vendor_id"]: row["n"] for row in context["by_vendor"]}
        if vendors != dict(by_vendor):
            problems.add(role, "board counts per vendor", f"{vendors} != {dict(by_vendor)}")
        statuses = {row["status"]: row["n"] for row in context["by_status"]}
        if statuses != dict(by_status):
            problems.add(role, "board counts per status", f"{statuses} != {dict(by_status)}")
    for fmt in ("csv", "xlsx"):
        for query in ({}, {"status": sorted(OPEN | {"resolved", "closed", "cancelled"})}):
            response = client.get(f"/board/export.{fmt}", query)
            if response.status_code != 200:
                problems.add(role, f"export {fmt}", f"status {response.status_code}")
                continue
            _check_leaks(leaks, role, f"export {fmt} {query}", response, problems)
            rows = xlsx_rows(body_bytes(response)) if fmt == "xlsx" else csv_rows(body_bytes(response))
            column = rows[0].index("Number")
            exported = {row[column] for row in rows[1:]}
            wanted = numbers if not query else {wo.number for wo in _visible(matrix, role).values()}
            if exported != wanted:
                problems.add(role, f"export {fmt} {query}", f"{sorted(exported)} != {sorted(wanted)}")
    assert not problems, problems.report()


@pytest.mark.parametrize("role", VENDOR_ROLES)
def test_workbench_queues_count_what_they_list_and_list_only_the_vendors_work(matrix, clients, role):
    client, user = clients(role), matrix.users[role]
    leaks = LeakFinder(forbidden_words(matrix, role))
    problems = Problems()
    visible = {wo.number: wo for wo in _visible(matrix, role).values()}
    exact = {
        "mine": {n for n, wo in visible.items() if wo.status in OPEN and wo.assignee_id == user.pk},
        "unassigned": {n for n, wo in visible.items() if wo.status in OPEN and wo.assignee_id is None},
    }
    for name in QUEUES:
        for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
            response = client.get("/workbench/", {"queue": name}, **headers)
            _check_leaks(leaks, role, f"/workbench/?queue={name}", response, problems)
            counts = {q["name"]: q["count"] for q in response.context["queues"]}
            listed = {wo.number for wo in response.context["page"].items}
            if counts[name] != len(listed):
                problems.add(role, f"queue {name}", f"count {counts[name]} but {len(listed)} rows")
            if listed - set(visible):
                problems.add(role, f"queue {name}", f"lists invisible {sorted(listed - set(visible))}")
            if name in exact and listed != exact[name]:
                problems.add(role, f"queue {name}", f"{sorted(listed)} != {sorted(exact[name])}")
    assert not problems, problems.report()


@pytest.mark.parametrize("role", SIGNED_IN_ROLES)
def test_portal_notifications_audit_and_offering_options_list_only_what_the_role_may_see(matrix, clients, role):
    client, user = clients(role), matrix.users[role]
    leaks = LeakFinder(forbidden_words(matrix, role))
    problems = Problems()
    visible = _visible(matrix, role)
    if user.role == "requester":
        portal = {wo.number for wo in visible.values()}
    else:
        portal = {wo.number for wo in visible.values() if user.pk in (wo.requester_id, wo.created_by_id)}
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = client.get("/portal/", {"show": "all"}, **headers)
        _check_leaks(leaks, role, "/portal/?show=all", response, problems)
        listed = {wo.number for wo in response.context["page"].items}
        if listed != portal:
            problems.add(role, "portal", f"{sorted(listed)} != {sorted(portal)}")

        response = client.get("/notifications/", **headers)
        _check_leaks(leaks, role, "/notifications/", response, problems)
        mine = {n.pk for n in matrix.objects["notification"].values() if n.recipient_id == user.pk}
        listed = {n.pk for n in response.context["page"].items}
        if listed != mine:
            problems.add(role, "notifications page", f"{sorted(listed)} != {sorted(mine)}")

        response = client.get("/audit/", **headers)
        _check_leaks(leaks, role, "/audit/", response, problems)
        if user.role in PAGE_GATES["audit:list"]:
            readable = expected_ids(matrix, role, "audit_entry")
            listed = {entry.pk for entry in response.context["page"].items}
            if listed - readable or len(listed) != min(len(readable), 50):
                problems.add(role, "audit page", f"{len(listed)} rows, {len(listed - readable)} of them unreadable")
        elif response.status_code != 403:
            problems.add(role, "audit page", f"status {response.status_code}, expected 403")

    for service in matrix.objects["service"].values():
        response = client.get("/portal/offerings/", {"service": service.pk})
        _check_leaks(leaks, role, f"/portal/offerings/?service={service.pk}", response, problems)
        offered = {int(pk) for pk in re.findall(r'value="(\d+)"', body_text(response))}
        allowed = expected_ids(matrix, role, "offering", service.offerings.all())
        if offered - allowed:
            problems.add(role, f"offering options of service {service.pk}", f"offers {sorted(offered - allowed)}")
    assert not problems, problems.report()
