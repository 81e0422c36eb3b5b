"""The demo projects: a vendor onboarding and a HIS upgrade with baselines, progress over several status dates,
actual cost partly from an approved settlement line, the HIS upgrade in red; loaded once."""

from __future__ import annotations

from decimal import Decimal

from oversight.catalog import services as catalog_services
from oversight.projects.demo import load_demo_projects
from oversight.projects.models import Project, SettlementLink, Snapshot
from oversight.settlement import services as settlement
from oversight.tenancy.models import Vendor
from tests.projects.conftest import WORKWEEK
from tests.settlement.conftest import make_contract, signed_period


def test_demo_projects_once(world):
    Vendor.objects.filter(pk=world.other_vendor.pk).update(code="net")
    Vendor.objects.filter(pk=world.vendor.pk).update(code="his")
    calendar = catalog_services.calendar_create(
        actor=None,
        organisation=world.org,
        name="工作日",
        time_zone="Asia/Shanghai",
        holiday_source="china",
        weekly=WORKWEEK,
    )
    catalog_services.calendar_load_china_year(actor=None, calendar=calendar, year=2026)
    contract = make_contract(world, vendor=world.vendor, service=world.service, number="HT-DEMO")
    draft = settlement.statement_prepare(
        actor=world.users["client_admin"], period=signed_period(world, contract, score="95")
    )
    settlement.statement_approve(actor=world.users["client_supervisor"], statement=draft)
    made = load_demo_projects(world.org)
    assert [p.kind for p in made] == ["vendor_onboarding", "system_migration"]
    onboarding, his = made
    for project in made:
        assert project.status == "active" and project.baselines.count() == 1
        assert Snapshot.objects.filter(project=project).count() >= 3
    assert Snapshot.objects.filter(project=his).order_by("-status_date").first().light == "red"
    assert SettlementLink.objects.filter(project=his, amount__gt=Decimal(0)).exists()
    assert [p.pk for p in load_demo_projects(world.org)] == [p.pk for p in made]
    assert Project.objects.count() == 2
