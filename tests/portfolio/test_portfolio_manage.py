"""Managing the portfolio: service qualifications (add/remove with their rules) and the organisation's portfolio
settings, through the services, the coverage and settings pages and the API - with who may do what."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from oversight.audit.models import AuditEntry
from oversight.core import clock
from oversight.core.errors import ApplicationError, NotAllowed
from oversight.portfolio import selectors, services
from oversight.portfolio.models import PortfolioSettings, ServiceQualification

JAN = dt.date(2026, 1, 1)
TODAY = dt.datetime(2026, 7, 15, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen_at(TODAY):
        yield


@pytest.fixture
def critical(world):
    for service in (world.service, world.foreign_service):
        service.is_critical = True
        service.save(update_fields=["is_critical"])
    return world.service


def _add(world, vendor=None, **kwargs):
    values = {"valid_from": JAN} | kwargs
    return services.qualification_add(
        actor=world.users["client_supervisor"], service=world.service, vendor=vendor or world.other_vendor, **values
    )


def _code(fn) -> str:
    with pytest.raises(ApplicationError) as exc:
        fn()
    return exc.value.code


# ---------------------------------------------------------------------------------------------- services


def test_a_backup_is_added_with_its_role_following_the_owner_and_audited(world):
    backup = _add(world)
    owner = _add(world, vendor=world.vendor, role="primary")
    assert (backup.role, owner.role) == ("backup", "primary")
    entry = AuditEntry.objects.get(action="portfolio.qualification.created", object_id=str(backup.pk))
    assert entry.after == {
        "service": world.service.pk,
        "vendor": world.other_vendor.pk,
        "role": "backup",
        "valid_from": "2026-01-01",
        "valid_to": None,
    }
    assert entry.organisation == world.org


def test_the_rules_of_a_qualification_give_clear_errors(world):
    assert _code(lambda: _add(world, vendor=world.foreign_vendor)) == "foreign_vendor"
    assert _code(lambda: _add(world, role="primary")) == "role_mismatch"  # only the owner is primary
    assert _code(lambda: _add(world, vendor=world.vendor, role="backup")) == "role_mismatch"
    assert _code(lambda: _add(world, valid_to=dt.date(2025, 12, 31))) == "invalid_dates"
    world.other_vendor.is_active = False
    world.other_vendor.save(update_fields=["is_active"])
    assert _code(lambda: _add(world)) == "inactive_vendor"
    assert not ServiceQualification.objects.exists()


def test_overlapping_dates_of_the_same_vendor_are_a_duplicate_but_a_later_term_is_not(world):
    _add(world, valid_to=dt.date(2026, 6, 30))
    assert _code(lambda: _add(world, valid_from=dt.date(2026, 6, 30))) == "duplicate_qualification"  # shares 30 June
    assert _code(lambda: _add(world, valid_from=dt.date(2025, 6, 1))) == "duplicate_qualification"  # open end
    later = _add(world, valid_from=dt.date(2026, 7, 1))
    assert _code(lambda: _add(world, valid_from=dt.date(2027, 1, 1))) == "duplicate_qualification"  # later is open
    assert ServiceQualification.objects.filter(vendor=world.other_vendor).count() == 2
    assert later.valid_to is None


def test_only_client_administrators_and_supervisors_manage_qualifications(world):
    for role in ("executive", "auditor", "vendor_manager", "foreign_admin"):
        with pytest.raises(NotAllowed):
            services.qualification_add(
                actor=world.users[role], service=world.service, vendor=world.other_vendor, valid_from=JAN
            )
    q = _add(world)
    with pytest.raises(NotAllowed):
        services.qualification_remove(actor=world.users["executive"], qualification=q)
    services.qualification_remove(actor=world.users["client_admin"], qualification=q)
    assert not ServiceQualification.objects.exists()
    removed = AuditEntry.objects.get(action="portfolio.qualification.removed")
    assert (removed.object_id, removed.before["vendor"], removed.after) == (str(q.pk), world.other_vendor.pk, None)


def test_settings_are_validated_created_then_updated_and_audited(world, critical):
    admin = world.users["client_admin"]

    def update(minimum, target=None):
        return services.portfolio_settings_update(
            actor=admin, organisation=world.org, min_critical_vendors=minimum, target_cost_per_work_order=target
        )

    assert _code(lambda: update(0)) == "invalid_minimum"
    assert _code(lambda: update(21)) == "invalid_minimum"
    assert _code(lambda: update(2, Decimal("0"))) == "invalid_target_cost"
    assert _code(lambda: update(2, Decimal("-5"))) == "invalid_target_cost"
    assert not PortfolioSettings.objects.exists()
    update(1, Decimal("45.555"))
    stored = PortfolioSettings.objects.get(organisation=world.org)
    assert (stored.min_critical_vendors, stored.target_cost_per_work_order) == (1, Decimal("45.56"))  # half up
    # the owner alone now meets the minimum of 1
    assert [row.ok for row in selectors.coverage(user=admin, on=dt.date(2026, 7, 15))] == [True]
    update(3)
    first, second = AuditEntry.objects.filter(action="portfolio.settings.updated").order_by("pk")
    assert first.before is None
    assert second.before == {"min_critical_vendors": 1, "target_cost_per_work_order": "45.56"}
    assert second.after == {"min_critical_vendors": 3, "target_cost_per_work_order": None}
    for role in ("auditor", "foreign_admin"):
        with pytest.raises(NotAllowed):
            services.portfolio_settings_update(
                actor=world.users[role], organisation=world.org, min_critical_vendors=2, target_cost_per_work_order=None
            )


# ---------------------------------------------------------------------------------------------- pages


def _form(service, **values) -> dict:
    data = {"vendor": "", "role": "backup", "valid_from": "2026-07-01", "valid_to": ""} | values
    return {f"s{service.pk}-{k}": v for k, v in data.items()}


def test_a_supervisor_adds_a_backup_on_the_coverage_page_and_the_coverage_turns_green(world, web, critical):
    client = web("client_supervisor")
    page = client.get(reverse("portfolio:coverage")).content.decode()
    assert 'data-testid="status-warning"' in page  # 1 of 2
    assert reverse("portfolio:qualification_add", args=[critical.pk]) in page
    response = client.post(
        reverse("portfolio:qualification_add", args=[critical.pk]), _form(critical, vendor=world.other_vendor.pk)
    )
    assert response.status_code == 302
    q = ServiceQualification.objects.get()
    assert (q.service, q.vendor, q.role, q.valid_from, q.valid_to) == (
        critical,
        world.other_vendor,
        "backup",
        dt.date(2026, 7, 1),
        None,
    )
    page = client.get(reverse("portfolio:coverage")).content.decode()
    assert 'data-testid="status-ok"' in page and "2 / 2" in page
    assert reverse("portfolio:qualification_remove", args=[q.pk]) in page


def test_a_refused_qualification_is_shown_again_with_the_reason(world, web, critical):
    _add(world)
    client = web("client_admin")
    response = client.post(
        reverse("portfolio:qualification_add", args=[critical.pk]), _form(critical, vendor=world.other_vendor.pk)
    )
    assert response.status_code == 400
    assert "already qualified for this service" in response.content.decode()
    response = client.post(
        reverse("portfolio:qualification_add", args=[critical.pk]),
        _form(critical, vendor=world.other_vendor.pk, role="primary", valid_from="2027-01-01"),
    )
    assert response.status_code == 400
    assert "Only the vendor that owns the service is its primary vendor" in response.content.decode()
    # a vendor of another organisation is not even a choice
    response = client.post(
        reverse("portfolio:qualification_add", args=[critical.pk]), _form(critical, vendor=world.foreign_vendor.pk)
    )
    assert response.status_code == 400
    assert ServiceQualification.objects.count() == 1


def test_readers_see_the_qualifications_but_cannot_change_them(world, web, critical):
    q = _add(world)
    for role in ("executive", "auditor"):
        client = web(role)
        page = client.get(reverse("portfolio:coverage")).content.decode()
        assert world.other_vendor.name in page
        assert reverse("portfolio:qualification_remove", args=[q.pk]) not in page
        assert reverse("portfolio:qualification_add", args=[critical.pk]) not in page
        add = client.post(
            reverse("portfolio:qualification_add", args=[critical.pk]), _form(critical, vendor=world.vendor.pk)
        )
        remove = client.post(reverse("portfolio:qualification_remove", args=[q.pk]))
        assert (add.status_code, remove.status_code) == (403, 403)
    for role in ("vendor_manager", "requester"):
        assert web(role).get(reverse("portfolio:coverage")).status_code == 403
        assert web(role).post(reverse("portfolio:qualification_remove", args=[q.pk])).status_code == 403
    # another organisation's administrator: our service and qualification do not exist
    foreign = web("foreign_admin")
    assert foreign.post(reverse("portfolio:qualification_remove", args=[q.pk])).status_code == 404
    assert foreign.post(reverse("portfolio:qualification_add", args=[critical.pk]), {}).status_code == 404
    assert list(ServiceQualification.objects.all()) == [q]


def test_an_administrator_removes_a_qualification_on_the_page(world, web, critical):
    q = _add(world)
    response = web("client_admin").post(reverse("portfolio:qualification_remove", args=[q.pk]))
    assert response.status_code == 302
    assert not ServiceQualification.objects.exists()


def test_the_settings_page_edits_for_operators_and_reads_for_the_others(world, web):
    admin = web("client_admin")
    page = admin.get(reverse("portfolio:settings")).content.decode()
    assert 'name="min_critical_vendors"' in page and 'value="2"' in page  # the default
    bad = admin.post(reverse("portfolio:settings"), {"min_critical_vendors": "0", "target_cost_per_work_order": ""})
    assert bad.status_code == 400
    assert "between 1 and 20" in bad.content.decode()
    good = admin.post(
        reverse("portfolio:settings"), {"min_critical_vendors": "3", "target_cost_per_work_order": "50000"}
    )
    assert good.status_code == 302
    stored = PortfolioSettings.objects.get(organisation=world.org)
    assert (stored.min_critical_vendors, stored.target_cost_per_work_order) == (3, Decimal("50000.00"))
    auditor = web("auditor")
    page = auditor.get(reverse("portfolio:settings")).content.decode()
    assert 'name="min_critical_vendors"' not in page and 'data-testid="min-critical-vendors">3<' in page
    refused = auditor.post(reverse("portfolio:settings"), {"min_critical_vendors": "1"})
    assert refused.status_code == 403
    assert web("vendor_manager").get(reverse("portfolio:settings")).status_code == 403
    assert PortfolioSettings.objects.get(organisation=world.org).min_critical_vendors == 3


# ---------------------------------------------------------------------------------------------- API


def test_the_qualification_api_lists_creates_and_deletes_within_the_organisation(world, api, critical):
    foreign = services.qualification_add(
        actor=world.users["foreign_admin"], service=world.foreign_service, vendor=world.foreign_vendor, valid_from=JAN
    )
    client = api("client_supervisor")
    created = client.post(
        "/api/v1/portfolio-qualifications/",
        {"service": critical.pk, "vendor": world.other_vendor.pk, "valid_from": "2026-07-01"},
        format="json",
    )
    assert created.status_code == 201
    body = created.json()
    assert (body["role"], body["vendor_name"], body["valid_to"]) == ("backup", world.other_vendor.name, None)
    again = client.post(
        "/api/v1/portfolio-qualifications/",
        {"service": critical.pk, "vendor": world.other_vendor.pk, "valid_from": "2026-08-01"},
        format="json",
    )
    assert (again.status_code, again.json()["error"]["code"]) == (400, "duplicate_qualification")
    hidden = client.post(
        "/api/v1/portfolio-qualifications/",
        {"service": world.foreign_service.pk, "vendor": world.other_vendor.pk, "valid_from": "2026-07-01"},
        format="json",
    )
    assert hidden.status_code == 400 and "service" in hidden.json()["error"]["fields"]
    listed = client.get("/api/v1/portfolio-qualifications/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [r["id"] for r in rows] == [body["id"]]
    assert client.get(f"/api/v1/portfolio-qualifications/{foreign.pk}/").status_code == 404
    assert client.delete(f"/api/v1/portfolio-qualifications/{foreign.pk}/").status_code == 404
    assert api("executive").delete(f"/api/v1/portfolio-qualifications/{body['id']}/").status_code == 403
    assert api("vendor_manager").get("/api/v1/portfolio-qualifications/").status_code == 403
    assert client.delete(f"/api/v1/portfolio-qualifications/{body['id']}/").status_code == 204
    assert list(ServiceQualification.objects.all()) == [foreign]


def test_the_settings_api_reads_defaults_and_updates_the_own_organisation_only(world, api):
    url = f"/api/v1/portfolio-settings/{world.org.pk}/"
    client = api("client_admin")
    assert client.get(url).json() == {
        "organisation": world.org.pk,
        "min_critical_vendors": 2,
        "target_cost_per_work_order": None,
    }
    put = client.put(url, {"min_critical_vendors": 3, "target_cost_per_work_order": "48000"}, format="json")
    assert put.status_code == 200 and put.json()["target_cost_per_work_order"] == "48000.00"
    patch = client.patch(url, {"min_critical_vendors": 4}, format="json")
    assert patch.json() == {
        "organisation": world.org.pk,
        "min_critical_vendors": 4,
        "target_cost_per_work_order": "48000.00",
    }
    bad = client.patch(url, {"min_critical_vendors": 0}, format="json")
    assert (bad.status_code, bad.json()["error"]["code"]) == (400, "invalid_minimum")
    extra = client.patch(url, {"organisation": world.other_org.pk}, format="json")
    assert extra.status_code == 400
    assert api("executive").get(url).json()["min_critical_vendors"] == 4
    assert api("executive").patch(url, {"min_critical_vendors": 2}, format="json").status_code == 403
    assert api("vendor_manager").get(url).status_code == 403
    assert client.get(f"/api/v1/portfolio-settings/{world.other_org.pk}/").status_code == 404
    assert api("foreign_admin").patch(url, {"min_critical_vendors": 1}, format="json").status_code == 404
    assert PortfolioSettings.objects.get(organisation=world.org).min_critical_vendors == 4


def test_the_schema_documents_the_management_endpoints():
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    for path, method in (
        ("/api/v1/portfolio-qualifications/", "get"),
        ("/api/v1/portfolio-qualifications/", "post"),
        ("/api/v1/portfolio-qualifications/{id}/", "delete"),
        ("/api/v1/portfolio-settings/{id}/", "get"),
        ("/api/v1/portfolio-settings/{id}/", "put"),
        ("/api/v1/portfolio-settings/{id}/", "patch"),
    ):
        assert method in paths[path], (path, method)
