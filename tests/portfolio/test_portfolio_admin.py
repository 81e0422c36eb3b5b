"""Service qualifications and portfolio settings in the admin: scoped to the organisation, written through the
portfolio services (their rules show as field errors, their audit entries are the only ones)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse

from oversight.audit.models import AuditEntry
from oversight.portfolio import services
from oversight.portfolio.models import PortfolioSettings, ServiceQualification
from tests.admin.admin_support import result_pks

JAN = dt.date(2026, 1, 1)


def _qualify(world, actor, service, vendor):
    return services.qualification_add(actor=actor, service=service, vendor=vendor, valid_from=JAN)


def test_the_changelists_show_only_the_own_organisation(admin_client_a, world):
    own = _qualify(world, world.users["client_admin"], world.service, world.other_vendor)
    _qualify(world, world.users["foreign_admin"], world.foreign_service, world.foreign_vendor)
    services.portfolio_settings_update(
        actor=None, organisation=world.other_org, min_critical_vendors=3, target_cost_per_work_order=None
    )
    mine = services.portfolio_settings_update(
        actor=None, organisation=world.org, min_critical_vendors=2, target_cost_per_work_order=None
    )
    shown = result_pks(admin_client_a.get(reverse("admin:portfolio_servicequalification_changelist")))
    assert shown == {own.pk}
    shown = result_pks(admin_client_a.get(reverse("admin:portfolio_portfoliosettings_changelist")))
    assert shown == {mine.pk}
    form = admin_client_a.get(reverse("admin:portfolio_servicequalification_add")).context["adminform"].form
    assert set(form.fields["vendor"].queryset) == {world.vendor, world.other_vendor}
    assert world.foreign_service not in form.fields["service"].queryset


def test_adding_a_qualification_goes_through_the_service_and_its_rules(admin_client_a, world):
    url = reverse("admin:portfolio_servicequalification_add")
    data = {"service": world.service.pk, "vendor": world.other_vendor.pk, "role": "backup", "valid_from": "2026-01-01"}
    assert admin_client_a.post(url, data).status_code == 302
    q = ServiceQualification.objects.get()
    assert (q.service, q.vendor, q.role) == (world.service, world.other_vendor, "backup")
    assert AuditEntry.objects.filter(action="portfolio.qualification.created", object_id=str(q.pk)).count() == 1
    assert not AuditEntry.objects.filter(action__startswith="portfolio.servicequalification").exists()
    again = admin_client_a.post(url, {**data, "valid_from": "2026-03-01"})
    assert again.status_code == 200
    assert "already qualified" in str(again.context["adminform"].form.errors["vendor"])
    wrong_role = admin_client_a.post(url, {**data, "role": "primary", "valid_from": "2030-01-01"})
    assert "primary" in str(wrong_role.context["adminform"].form.errors["role"])
    assert ServiceQualification.objects.count() == 1


def test_deleting_a_qualification_goes_through_the_service(admin_client_a, world):
    q = _qualify(world, world.users["client_admin"], world.service, world.other_vendor)
    response = admin_client_a.post(reverse("admin:portfolio_servicequalification_delete", args=[q.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not ServiceQualification.objects.exists()
    assert AuditEntry.objects.filter(action="portfolio.qualification.removed", object_id=str(q.pk)).count() == 1
    assert not AuditEntry.objects.filter(action="portfolio.servicequalification.deleted").exists()


def test_the_bulk_delete_action_removes_through_the_service(admin_client_a, world):
    first = _qualify(world, world.users["client_admin"], world.service, world.other_vendor)
    second = _qualify(world, world.users["client_admin"], world.other_service, world.vendor)
    response = admin_client_a.post(
        reverse("admin:portfolio_servicequalification_changelist"),
        {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not ServiceQualification.objects.exists()
    assert AuditEntry.objects.filter(action="portfolio.qualification.removed").count() == 2


def test_settings_are_added_and_changed_through_the_service(admin_client_a, world):
    url = reverse("admin:portfolio_portfoliosettings_add")
    refused = admin_client_a.post(
        url, {"organisation": world.org.pk, "min_critical_vendors": "0", "target_cost_per_work_order": ""}
    )
    assert refused.status_code == 200
    assert "between 1 and 20" in str(refused.context["adminform"].form.errors["min_critical_vendors"])
    foreign = admin_client_a.post(
        url, {"organisation": world.other_org.pk, "min_critical_vendors": "3", "target_cost_per_work_order": ""}
    )
    assert foreign.status_code == 200 and not PortfolioSettings.objects.exists()
    added = admin_client_a.post(
        url, {"organisation": world.org.pk, "min_critical_vendors": "3", "target_cost_per_work_order": "100.5"}
    )
    assert added.status_code == 302
    stored = PortfolioSettings.objects.get()
    assert (stored.organisation, stored.min_critical_vendors, stored.target_cost_per_work_order) == (
        world.org,
        3,
        Decimal("100.50"),
    )
    changed = admin_client_a.post(
        reverse("admin:portfolio_portfoliosettings_change", args=[stored.pk]),
        {"min_critical_vendors": "4", "target_cost_per_work_order": ""},
    )
    assert changed.status_code == 302
    stored.refresh_from_db()
    assert (stored.min_critical_vendors, stored.target_cost_per_work_order) == (4, None)
    entries = AuditEntry.objects.filter(action="portfolio.settings.updated").order_by("pk")
    assert [e.after["min_critical_vendors"] for e in entries] == [3, 4]
    assert not AuditEntry.objects.filter(action__startswith="portfolio.portfoliosettings").exists()
