"""Contract API: who reads what (other vendor 404, requesters nothing), who writes (client admins), the schema."""

from __future__ import annotations

import datetime as dt

import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from oversight.contracts.models import Contract, ContractDocument
from oversight.core import clock
from tests.contracts.conftest import SIGNED_AT, make_terms
from tests.factories import ServiceFactory
from tests.query_counts import assert_flat, count_queries

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def api(world):
    def make(role) -> APIClient:
        client = APIClient()
        client.force_authenticate(user=world.users[role])
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return make


@pytest.fixture
def pair(world, make_contract):
    """An active contract with each of the organisation's vendors, and a draft with the first."""
    ServiceFactory(organisation=world.org, vendor=world.other_vendor, code="net2")
    return {
        "own": make_contract(number="HT-OWN"),
        "other": make_contract(number="HT-OTHER", vendor=world.other_vendor),
        "draft": make_contract(number="HT-DRAFT", activate=False),
    }


def body(world, **overrides) -> dict:
    data = {
        "vendor": world.vendor.pk,
        "number": "HT-API-1",
        "title": "Desktop support",
        "currency": "CNY",
        "terms": {
            "term_start": "2026-01-01",
            "term_end": "2027-12-31",
            "fee_period": "monthly",
            "fixed_fee": "120000.00",
            "at_risk_percent": "10",
            "max_deduction": "20",
            "services": [world.service.pk],
            "sites": [world.dept.pk],
            "bands": [{"upper": "90", "per_point": "1"}],
            "commitments": [
                {
                    "code": "response",
                    "name": "Response",
                    "sla_metric": "response",
                    "target": "95",
                    "allocation_percent": "30",
                    "sla_policy_versions": [world.policy.versions.get().pk],
                },
                {
                    "code": "resolution",
                    "name": "Resolution",
                    "sla_metric": "resolution",
                    "target": "90",
                    "allocation_percent": "40",
                    "miss_share_percent": "50",
                    "share_steps": [{"threshold": "80", "share_percent": "100"}],
                },
            ],
            "unit_rates": [{"kind": "incident", "rate": "85.50", "included_quantity": 400}],
            "staffing": [{"position": "onsite_engineer", "count": 4}],
        },
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("client_admin", {"HT-OWN", "HT-OTHER", "HT-DRAFT"}),
        ("client_supervisor", {"HT-OWN", "HT-OTHER", "HT-DRAFT"}),
        ("executive", {"HT-OWN", "HT-OTHER", "HT-DRAFT"}),
        ("auditor", {"HT-OWN", "HT-OTHER", "HT-DRAFT"}),
        ("vendor_manager", {"HT-OWN"}),
        ("vendor_agent", {"HT-OWN"}),
        ("other_vendor_manager", {"HT-OTHER"}),
        ("requester", set()),
        ("foreign_admin", set()),
    ],
)
def test_each_role_lists_exactly_the_contracts_it_may_see(api, pair, role, expected):
    response = api(role).get("/api/v1/contracts/")
    assert response.status_code == 200
    assert {row["number"] for row in response.json()["results"]} == expected


@pytest.mark.parametrize("role", ["vendor_manager", "vendor_agent", "requester", "foreign_admin"])
def test_invisible_contracts_are_404_everywhere(api, pair, role):
    client = api(role)
    hidden = [c for key, c in pair.items() if key != "own" or role in ("requester", "foreign_admin")]
    for contract in hidden:
        for url in (
            f"/api/v1/contracts/{contract.pk}/",
            f"/api/v1/contracts/{contract.pk}/versions/",
            f"/api/v1/contracts/{contract.pk}/terms/",
            f"/api/v1/contracts/{contract.pk}/documents/",
            f"/api/v1/contract-versions/{contract.versions.get().pk}/",
        ):
            response = client.get(url)
            assert response.status_code == 404, url
            assert contract.number not in response.content.decode()


def test_a_vendor_reads_its_own_contract_with_versions_and_terms(api, pair):
    client = api("vendor_manager")
    contract = pair["own"]
    detail = client.get(f"/api/v1/contracts/{contract.pk}/").json()
    assert detail["status"] == "active"
    assert detail["permissions"] == {"manage": False}
    assert [v["number"] for v in detail["versions"]] == [1]
    assert detail["versions"][0]["effective_to"] == "2027-12-31"
    terms = client.get(f"/api/v1/contracts/{contract.pk}/terms/?on=2026-03-01").json()
    assert terms["fixed_fee"] == "120000.00"
    assert terms["bands"] == [
        {
            "upper": "90.00",
            "lower": None,
            "per_point": "1.0000",
            "per_point_basis": "percent",
            "step": "0.0000",
            "step_basis": "percent",
        }
    ]
    assert [c["code"] for c in terms["commitments"]] == ["response", "resolution", "onsite"]
    assert client.get(f"/api/v1/contracts/{contract.pk}/terms/?on=2025-03-01").status_code == 404
    assert client.get(f"/api/v1/contracts/{contract.pk}/terms/?on=yesterday").status_code == 400


def test_the_client_admin_creates_activates_amends_and_terminates(api, world):
    client = api("client_admin")
    with clock.frozen_at(SIGNED_AT):
        response = client.post("/api/v1/contracts/", body(world), format="json")
        assert response.status_code == 201, response.content
        contract_id = response.json()["id"]
        assert response["Location"] == f"/api/v1/contracts/{contract_id}/"
        assert response.json()["status"] == "draft"
        response = client.post(f"/api/v1/contracts/{contract_id}/activate/")
        assert response.status_code == 200 and response.json()["status"] == "active"
        assert response.json()["version_in_force"] == 1
        response = client.post(
            f"/api/v1/contracts/{contract_id}/amend/",
            {"effective_from": "2026-02-01", "reason": "More at risk", "at_risk_percent": "12.5"},
            format="json",
        )
        assert response.status_code == 201, response.content
        assert (response.json()["number"], response.json()["at_risk_percent"]) == (2, "12.50")
        assert response.json()["fixed_fee"] == "120000.00"  # carried over
        versions = client.get(f"/api/v1/contracts/{contract_id}/versions/").json()
        assert [(v["number"], v["effective_to"]) for v in versions] == [(1, "2026-01-31"), (2, "2027-12-31")]
        assert versions[0]["at_risk_percent"] == "10.00"  # untouched
        response = client.post(
            f"/api/v1/contract-versions/{versions[1]['id']}/withdraw/", {"reason": "Not agreed"}, format="json"
        )
        assert response.status_code == 200
        assert [v["number"] for v in response.json()["versions"]] == [1]
        response = client.post(
            f"/api/v1/contracts/{contract_id}/terminate/",
            {"terminated_on": "2026-06-30", "reason": "Merger"},
            format="json",
        )
        assert response.status_code == 200 and response.json()["status"] == "terminated"
        response = client.post(
            f"/api/v1/contracts/{contract_id}/amend/",
            {"effective_from": "2026-03-01", "reason": "x", "fixed_fee": "1.00"},
            format="json",
        )
        assert response.status_code == 409
        assert response.json()["error"]["code"] == "not_active"


def test_errors_come_back_in_the_one_error_body_naming_the_input(api, world):
    client = api("client_admin")
    data = body(world)
    data["terms"]["bands"] = [{"upper": "90", "lower": "80", "per_point": "1"}, {"upper": "70"}]
    response = client.post("/api/v1/contracts/", data, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["field"], error["row"]) == ("band_gap", "bands", 2)
    assert "contiguous" in error["message"]
    data = body(world, status="active")
    response = client.post("/api/v1/contracts/", data, format="json")
    assert response.status_code == 400 and "status" in response.json()["error"]["fields"]
    data = body(world)
    data["terms"]["services"] = [world.foreign_service.pk]
    assert client.post("/api/v1/contracts/", data, format="json").status_code == 400
    assert not Contract.objects.exists()


@pytest.mark.parametrize(
    "role", ["client_supervisor", "executive", "auditor", "vendor_manager", "vendor_agent", "requester"]
)
def test_only_the_client_admin_writes(api, world, pair, role):
    client = api(role)
    contract = pair["own"]
    expected = {403} if role != "requester" else {403, 404}
    assert client.post("/api/v1/contracts/", body(world, number="HT-X"), format="json").status_code == 403
    for url, data in (
        (f"/api/v1/contracts/{contract.pk}/amend/", {"effective_from": "2026-06-01", "reason": "x", "fixed_fee": "1"}),
        (f"/api/v1/contracts/{contract.pk}/terminate/", {"terminated_on": "2026-06-01", "reason": "x"}),
        (f"/api/v1/contracts/{pair['draft'].pk}/activate/", {}),
    ):
        status = client.post(url, data, format="json").status_code
        assert status in expected | ({404} if "draft" in url or role.startswith("vendor") else set()), url
    assert client.patch(f"/api/v1/contracts/{contract.pk}/", {"title": "x"}, format="json").status_code in expected
    assert Contract.objects.get(pk=contract.pk).title == "Desktop support"
    assert Contract.objects.count() == 3


def test_a_draft_is_edited_with_patch_and_an_active_contract_only_retitled(api, world, pair):
    client = api("client_admin")
    draft = pair["draft"]
    response = client.patch(f"/api/v1/contracts/{draft.pk}/", {"number": "HT-DRAFT-2"}, format="json")
    assert response.status_code == 200 and response.json()["number"] == "HT-DRAFT-2"
    own = pair["own"]
    assert (
        client.patch(f"/api/v1/contracts/{own.pk}/", {"title": "Renamed"}, format="json").json()["title"] == "Renamed"
    )
    response = client.patch(f"/api/v1/contracts/{own.pk}/", {"number": "HT-NEW"}, format="json")
    assert response.status_code == 409


def test_documents_upload_list_and_download_with_permissions(api, world, pair):
    from django.core.files.uploadedfile import SimpleUploadedFile

    contract = pair["own"]
    admin = api("client_admin")
    response = admin.post(
        f"/api/v1/contracts/{contract.pk}/documents/",
        {"file": SimpleUploadedFile("signed.png", PNG, "image/png"), "kind": "signed_contract", "version": 1},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    public_id = response.json()["id"]
    assert response.json()["version"] == 1
    response = admin.post(
        f"/api/v1/contracts/{contract.pk}/documents/",
        {"file": SimpleUploadedFile("memo.txt", b"internal approval\n", "text/plain"), "is_internal": True},
        format="multipart",
    )
    internal_id = response.json()["id"]
    bad = admin.post(
        f"/api/v1/contracts/{contract.pk}/documents/",
        {"file": SimpleUploadedFile("evil.png", b"<script>alert(1)</script>", "image/png")},
        format="multipart",
    )
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "file_type"
    vendor = api("vendor_manager")
    assert [d["id"] for d in vendor.get(f"/api/v1/contracts/{contract.pk}/documents/").json()] == [public_id]
    download = vendor.get(f"/api/v1/contract-documents/{public_id}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert vendor.get(f"/api/v1/contract-documents/{internal_id}/").status_code == 404
    assert vendor.get(f"/api/v1/contract-documents/{internal_id}/download/").status_code == 404
    assert api("other_vendor_manager").get(f"/api/v1/contract-documents/{public_id}/download/").status_code == 404
    assert api("requester").get(f"/api/v1/contract-documents/{public_id}/").status_code == 404
    assert api("auditor").get(f"/api/v1/contract-documents/{internal_id}/download/").status_code == 200
    upload = vendor.post(
        f"/api/v1/contracts/{contract.pk}/documents/",
        {"file": SimpleUploadedFile("x.png", PNG, "image/png")},
        format="multipart",
    )
    assert upload.status_code == 403
    assert ContractDocument.objects.count() == 2


def test_list_query_count_does_not_grow_with_rows(api, world, make_contract):
    client = api("client_supervisor")
    make_contract(number="HT-A")

    def count() -> int:
        with count_queries() as queries:
            assert client.get("/api/v1/contracts/?page_size=100").status_code == 200
        return len(queries)

    one = count()
    for i in range(5):
        make_contract(number=f"HT-B{i}")
    assert_flat("contracts.api.contracts", one, count())


def test_filters_by_vendor_status_and_text(api, world, pair):
    client = api("client_admin")
    numbers = lambda q: {r["number"] for r in client.get(f"/api/v1/contracts/?{q}").json()["results"]}  # noqa: E731
    assert numbers(f"vendor={world.other_vendor.pk}") == {"HT-OTHER"}
    assert numbers("status=draft") == {"HT-DRAFT"}
    assert numbers("q=own") == {"HT-OWN"}


def test_the_schema_documents_every_contract_endpoint_without_warnings():
    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    warnings = [w for w in GENERATOR_STATS._warn_cache if "ontract" in w or "Commitment" in w or "Band" in w]
    assert warnings == []
    paths = schema["paths"]
    for path, method in (
        ("/api/v1/contracts/", "post"),
        ("/api/v1/contracts/{id}/", "patch"),
        ("/api/v1/contracts/{id}/amend/", "post"),
        ("/api/v1/contracts/{id}/activate/", "post"),
        ("/api/v1/contracts/{id}/terminate/", "post"),
        ("/api/v1/contracts/{id}/versions/", "get"),
        ("/api/v1/contracts/{id}/terms/", "get"),
        ("/api/v1/contracts/{id}/documents/", "post"),
        ("/api/v1/contract-versions/{id}/withdraw/", "post"),
        ("/api/v1/contract-documents/{id}/download/", "get"),
    ):
        assert method in paths[path], (path, method)
    components = schema["components"]["schemas"]
    # The choice sets of contracts have their own names, with no collision resolved by a hash.
    assert components["ContractStatusEnum"]["enum"] == ["draft", "active", "expired", "terminated"]
    assert {"AmountBasisEnum", "DocumentKindEnum", "FeePeriodEnum"} <= set(components)
    assert "put" not in paths["/api/v1/contracts/{id}/"]
    assert "delete" not in paths["/api/v1/contracts/{id}/"]


def test_amend_dates_follow_the_organisation_calendar(api, world, make_contract):
    contract = make_contract()
    client = api("client_admin")
    # 2026-02-28 17:00 UTC is already 1 March in Shanghai: an amendment from 1 March is not in the past.
    with clock.frozen_at(dt.datetime(2026, 2, 28, 17, 0, tzinfo=dt.UTC)):
        response = client.post(
            f"/api/v1/contracts/{contract.pk}/amend/",
            {"effective_from": "2026-03-01", "reason": "r", "fixed_fee": "1.00"},
            format="json",
        )
    assert response.status_code == 201, response.content


def test_a_foreign_organisations_admin_cannot_use_our_vendor_or_services(api, world):
    response = api("foreign_admin").post("/api/v1/contracts/", body(world), format="json")
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"vendor", "terms"}
    assert not Contract.objects.exists()
    assert make_terms  # the shared builder stays importable for other test modules


def test_a_commitment_takes_and_returns_a_name_in_both_languages(api, world):
    client = api("client_admin")
    data = body(world)
    data["terms"]["commitments"][0].update(name="响应及时率", name_en="On-time response rate")
    with clock.frozen_at(SIGNED_AT):
        response = client.post("/api/v1/contracts/", data, format="json")
    assert response.status_code == 201, response.content
    contract_id = response.json()["id"]
    version = client.get(f"/api/v1/contracts/{contract_id}/versions/").json()[0]
    terms = client.get(f"/api/v1/contract-versions/{version['id']}/").json()
    names = {c["code"]: (c["name"], c["name_en"]) for c in terms["commitments"]}
    assert names == {"response": ("响应及时率", "On-time response rate"), "resolution": ("Resolution", "")}
