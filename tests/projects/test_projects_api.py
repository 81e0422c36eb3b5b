"""The projects API: create and start, record progress, read the figures and snapshots, request and decide a
baseline, attribute cost; the same visibility as the pages; list query counts pinned."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from oversight.projects import services
from tests.projects.test_projects_services import record_first_week

D = Decimal


@pytest.fixture
def api():
    def make(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


def test_figures_progress_and_visibility(world, api, started):
    record_first_week(world, started)
    pk = started.project.pk
    vendor = api(world.users["vendor_agent"])
    figures = vendor.get(f"/api/v1/projects/{pk}/figures/", {"date": "2026-11-11"})
    assert figures.status_code == 200
    body = figures.json()
    assert (body["pv"], body["ev"], body["ac"], body["eac"]) == ("1600.00", "1500.00", "1700.00", "4533.33")
    assert (body["spi"], body["cpi"], body["light"]) == ("0.9375", "0.8824", "red")
    assert vendor.get(f"/api/v1/projects/{pk}/figures/", {"date": "junk"}).status_code == 400
    assert [s["status_date"] for s in vendor.get(f"/api/v1/projects/{pk}/snapshots/").json()] == ["2026-11-11"]
    # the vendor owner records progress; another vendor's staff and another organisation see nothing
    recorded = vendor.post(
        f"/api/v1/projects/{pk}/progress/",
        {
            "status_date": "2026-11-12",
            "lines": [{"work_package": started.design.pk, "finished": True}],
            "milestones_reached": [],
        },
        format="json",
    )
    assert recorded.status_code == 201, recorded.content
    assert vendor.get(f"/api/v1/projects/{pk}/figures/").json()["ev"] == "2000.00"
    for role in ("other_vendor_manager", "foreign_admin"):
        assert api(world.users[role]).get(f"/api/v1/projects/{pk}/").status_code == 404
    assert api(world.users["requester"]).get("/api/v1/projects/").status_code == 403
    # unknown fields are refused, not ignored
    assert (
        vendor.post(
            f"/api/v1/projects/{pk}/progress/", {"status_date": "2026-11-12", "light": "green"}, format="json"
        ).status_code
        == 400
    )


def test_create_start_baseline_and_cost(world, api, workweek):
    admin = api(world.users["client_admin"])
    created = admin.post(
        "/api/v1/projects/",
        {"name": "API project", "vendor": world.vendor.pk, "calendar": workweek.pk, "bac": "300.00"},
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    package = admin.post(
        f"/api/v1/projects/{pk}/work-packages/",
        {"code": "1", "name": "All", "planned_start": "2026-11-02", "planned_finish": "2026-11-06", "budget": "300"},
        format="json",
    )
    assert package.status_code == 201, package.content
    started = admin.post(f"/api/v1/projects/{pk}/transitions/start/", {}, format="json")
    assert started.status_code == 200 and started.json()["status"] == "active"
    cost = admin.post(
        f"/api/v1/projects/{pk}/cost-entries/",
        {"incurred_on": "2026-11-03", "amount": "120.00", "description": "Licences"},
        format="json",
    )
    assert cost.status_code == 201
    request = admin.post(f"/api/v1/projects/{pk}/baselines/", {"reason": "Scope grew"}, format="json")
    assert request.status_code == 201
    baseline = request.json()["id"]
    assert (
        admin.post(f"/api/v1/project-baselines/{baseline}/decide/", {"action": "approve"}, format="json").status_code
        == 403
    )
    decided = api(world.users["client_supervisor"]).post(
        f"/api/v1/project-baselines/{baseline}/decide/", {"action": "approve"}, format="json"
    )
    assert decided.status_code == 200 and decided.json()["status"] == "approved"


def test_a_transition_accepts_the_etag_it_was_given_and_refuses_a_stale_one(world, api, workweek):
    # A client sends back the ETag it read: that must pass, and the same ETag after a change must be 412.
    admin = api(world.users["client_admin"])
    created = admin.post(
        "/api/v1/projects/",
        {"name": "ETag project", "vendor": world.vendor.pk, "calendar": workweek.pk, "bac": "100.00"},
        format="json",
    )
    pk = created.json()["id"]
    admin.post(
        f"/api/v1/projects/{pk}/work-packages/",
        {"code": "1", "name": "All", "planned_start": "2026-11-02", "planned_finish": "2026-11-06", "budget": "100"},
        format="json",
    )
    seen = admin.get(f"/api/v1/projects/{pk}/")["ETag"]
    started = admin.post(f"/api/v1/projects/{pk}/transitions/start/", {}, format="json", HTTP_IF_MATCH=seen)
    assert started.status_code == 200, started.content
    assert started["ETag"] != seen
    stale = admin.post(f"/api/v1/projects/{pk}/transitions/hold/", {}, format="json", HTTP_IF_MATCH=seen)
    assert stale.status_code == 412
    held = admin.post(f"/api/v1/projects/{pk}/transitions/hold/", {}, format="json", HTTP_IF_MATCH=started["ETag"])
    assert held.status_code == 200 and held.json()["status"] == "on_hold", held.content


def test_list_query_counts_do_not_grow_with_the_rows(world, api, client, workweek):
    from django.urls import reverse

    from tests.query_counts import assert_flat, count_queries

    admin = world.users["client_admin"]

    def add(n: int) -> None:
        services.project_create(actor=admin, name=f"P{n}", vendor=world.vendor, calendar=workweek, bac=D(1))

    def counts() -> list[int]:
        found = []
        with count_queries() as queries:
            assert api(admin).get("/api/v1/projects/").status_code == 200
        found.append(len(queries))
        client.force_login(admin)
        with count_queries() as queries:
            assert client.get(reverse("projects:list")).status_code == 200
        found.append(len(queries))
        return found

    add(1)
    few = counts()
    for n in range(2, 5):
        add(n)
    many = counts()
    assert_flat("projects.api.projects", few[0], many[0])
    assert_flat("projects.list", few[1], many[1])
