"""Pages and API of the portfolio: who may see what (other organisation / vendor → 404, wrong role → 403), the
set-tier and enter-score actions, and the OpenAPI schema."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from oversight.portfolio import services
from oversight.portfolio.models import VendorMonthlyScore, VendorTierChange
from tests.portfolio.conftest import JULY

CLIENT_ROLES = ["client_admin", "client_supervisor", "executive", "auditor"]


@pytest.fixture
def populated(world, contract):
    world.service.is_critical = True
    world.service.save(update_fields=["is_critical"])
    admin = world.users["client_admin"]
    services.vendor_set_tier(actor=admin, vendor=world.vendor, tier="strategic", reason="Runs the desk")
    services.monthly_score_enter(
        actor=admin, vendor=world.vendor, month=JULY, dimension="technical", value=Decimal("88"), note="Review"
    )
    services.monthly_score_enter(
        actor=admin,
        vendor=world.vendor,
        month=dt.date(2026, 8, 1),
        dimension="technical",
        value=Decimal("91"),
        note="R",
    )


@pytest.mark.parametrize("role", CLIENT_ROLES)
def test_client_roles_open_every_page(web, world, populated, role):
    client = web(role)
    overview = client.get(reverse("portfolio:overview"))
    assert overview.status_code == 200
    assert "Desk Co" in overview.content.decode() and "Far Co" not in overview.content.decode()
    assert 'data-testid="coverage-warning"' in overview.content.decode()
    detail = client.get(reverse("portfolio:vendor", args=[world.vendor.pk]))
    assert detail.status_code == 200
    assert "<svg" in detail.content.decode() and "Runs the desk" in detail.content.decode()
    coverage = client.get(reverse("portfolio:coverage"))
    assert 'data-testid="status-warning"' in coverage.content.decode()
    assert client.get(reverse("portfolio:compliance", args=[world.vendor.pk])).status_code == 200


@pytest.mark.parametrize("role", ["requester", "vendor_agent", "vendor_manager"])
def test_other_roles_are_refused_the_client_pages(web, world, role):
    client = web(role)
    for name, args in (("overview", []), ("coverage", []), ("vendor", [world.vendor.pk])):
        assert client.get(reverse(f"portfolio:{name}", args=args)).status_code == 403


def test_a_vendor_manager_sees_only_their_own_compliance(web, world, contract):
    client = web("vendor_manager")
    assert client.get(reverse("portfolio:compliance", args=[world.vendor.pk])).status_code == 200
    assert client.get(reverse("portfolio:compliance", args=[world.other_vendor.pk])).status_code == 404
    assert web("requester").get(reverse("portfolio:compliance", args=[world.vendor.pk])).status_code == 403


def test_another_organisations_vendor_is_404(web, api, world):
    assert web("foreign_admin").get(reverse("portfolio:vendor", args=[world.vendor.pk])).status_code == 404
    assert web("client_admin").get(reverse("portfolio:vendor", args=[world.foreign_vendor.pk])).status_code == 404
    client = api("foreign_admin")
    for suffix in ("", "tier-changes/", "monthly-scores/", "compliance/"):
        assert client.get(f"/api/v1/portfolio-vendors/{world.vendor.pk}/{suffix}").status_code == 404
    response = client.post(
        f"/api/v1/portfolio-vendors/{world.vendor.pk}/set-tier/", {"tier": "core", "reason": "x"}, format="json"
    )
    assert response.status_code == 404


def test_api_reads(api, world, populated):
    client = api("auditor")
    listed = client.get("/api/v1/portfolio-vendors/").json()
    assert {v["name"] for v in listed["results"]} == {"Desk Co", "Net Co"}
    changes = client.get(f"/api/v1/portfolio-vendors/{world.vendor.pk}/tier-changes/").json()
    assert [(c["previous_tier"], c["tier"], c["reason"]) for c in changes] == [
        ("ordinary", "strategic", "Runs the desk")
    ]
    scores = client.get(f"/api/v1/portfolio-vendors/{world.vendor.pk}/monthly-scores/").json()
    assert [(s["month"], s["technical"], s["technical_source"]) for s in scores] == [
        ("2026-08-01", "91.00", "entered"),
        ("2026-07-01", "88.00", "entered"),
    ]
    [row] = client.get("/api/v1/portfolio-coverage/").json()
    assert (row["service"], row["primary"], row["backups"], row["count"], row["minimum"], row["ok"]) == (
        world.service.pk,
        world.vendor.pk,
        [],
        1,
        2,
        False,
    )
    compliance = client.get(f"/api/v1/portfolio-vendors/{world.vendor.pk}/compliance/").json()
    assert [p["position"] for p in compliance["positions"]] == ["onsite_engineer", "service_desk"]
    assert compliance["figure"] == "0.00"


def test_api_compliance_for_the_vendor_manager_only_for_their_vendor(api, world, contract):
    client = api("vendor_manager")
    assert client.get(f"/api/v1/portfolio-vendors/{world.vendor.pk}/compliance/").status_code == 200
    assert client.get(f"/api/v1/portfolio-vendors/{world.other_vendor.pk}/compliance/").status_code == 404
    assert client.get(f"/api/v1/portfolio-vendors/{world.vendor.pk}/monthly-scores/").status_code == 403
    assert client.get("/api/v1/portfolio-vendors/").status_code == 403
    assert client.get("/api/v1/portfolio-coverage/").status_code == 403
    requester = api("requester")
    assert requester.get(f"/api/v1/portfolio-vendors/{world.vendor.pk}/compliance/").status_code == 403
    assert requester.get("/api/v1/portfolio-coverage/").status_code == 403


def test_api_set_tier_and_enter_score(api, world):
    url = f"/api/v1/portfolio-vendors/{world.vendor.pk}"
    response = api("client_supervisor").post(f"{url}/set-tier/", {"tier": "core", "reason": "Good year"}, format="json")
    assert response.status_code == 200
    assert response.json()["tier"] == "core"
    body = {"month": "2026-07-01", "dimension": "technical", "value": "77.5", "note": "Quarterly review"}
    response = api("client_admin").post(f"{url}/enter-score/", body, format="json")
    assert response.status_code == 200
    assert (response.json()["technical"], response.json()["technical_source"]) == ("77.50", "entered")
    for role in ("executive", "auditor", "vendor_manager", "requester"):
        client = api(role)
        assert client.post(f"{url}/set-tier/", {"tier": "strategic", "reason": "x"}, format="json").status_code == 403
        assert client.post(f"{url}/enter-score/", body, format="json").status_code == 403
    assert VendorTierChange.objects.count() == 1
    assert VendorMonthlyScore.objects.get().technical == Decimal("77.50")
    bad = api("client_admin").post(f"{url}/enter-score/", {**body, "month": "2026-07-02"}, format="json")
    assert bad.status_code == 400
    assert api("client_admin").post(f"{url}/set-tier/", {"tier": "core"}, format="json").status_code == 400


def test_the_schema_documents_the_portfolio_endpoints_without_warnings():
    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    assert [w for w in GENERATOR_STATS._warn_cache if "ortfolio" in w or "overage" in w or "imension" in w] == []
    paths = schema["paths"]
    for path, method in (
        ("/api/v1/portfolio-vendors/", "get"),
        ("/api/v1/portfolio-vendors/{id}/", "get"),
        ("/api/v1/portfolio-vendors/{id}/tier-changes/", "get"),
        ("/api/v1/portfolio-vendors/{id}/monthly-scores/", "get"),
        ("/api/v1/portfolio-vendors/{id}/compliance/", "get"),
        ("/api/v1/portfolio-vendors/{id}/set-tier/", "post"),
        ("/api/v1/portfolio-vendors/{id}/enter-score/", "post"),
        ("/api/v1/portfolio-coverage/", "get"),
    ):
        assert method in paths[path], (path, method)
    components = schema["components"]["schemas"]
    assert components["ScoreDimensionEnum"]["enum"] == ["technical", "response", "cost"]
    assert components["DimensionEnum"]["enum"] == ["people", "resources", "processes", "technology"]


def test_the_overview_leaves_out_empty_score_columns_and_marks_a_single_vendor_dependency(web, world, contract):
    world.service.is_critical = True
    world.service.save(update_fields=["is_critical"])
    supervisor = world.users["client_supervisor"]
    supervisor.language = "en"
    supervisor.save(update_fields=["language"])
    client = web("client_supervisor")
    html = client.get(reverse("portfolio:overview")).content.decode()
    # No monthly scores anywhere: no Month / Technical / Response / Cost columns of dashes, but a sentence why.
    assert 'data-testid="no-scores"' in html
    assert "Technical capability" not in html and "Response speed" not in html
    # The critical service has its primary vendor only: explained in words and marked as a risk.
    assert "Desktop: 1 qualified vendor, at least 2 needed" in html
    assert 'data-testid="single-vendor-risk"' in html and "single-vendor dependency" in html
    supervisor.language = "zh-hans"
    supervisor.save(update_fields=["language"])
    chinese = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    chinese.force_login(supervisor)
    with translation.override("en"):  # the Chinese request's language does not stay active for later tests
        assert "单一服务商依赖" in chinese.get(reverse("portfolio:overview")).content.decode()
    coverage = client.get(reverse("portfolio:coverage")).content.decode()
    assert 'data-testid="single-vendor-risk"' in coverage
    # Once a month is scored, the score columns are back.
    services.monthly_score_enter(
        actor=world.users["client_admin"],
        vendor=world.vendor,
        month=JULY,
        dimension="technical",
        value=Decimal("88"),
        note="R",
    )
    assert 'data-testid="no-scores"' not in client.get(reverse("portfolio:overview")).content.decode()
