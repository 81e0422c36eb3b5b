"""The audit trail reads nested values by name (an SLA version's targets, the statuses that pause each clock)
and links an entry about a vendor to the vendor's page, for the readers who may open it."""

from __future__ import annotations

import pytest
from django.utils import translation

from oversight.audit.models import AuditEntry
from oversight.audit.presentation import readable_entries
from oversight.catalog import services as catalog_services
from oversight.portfolio import services as portfolio_services


@pytest.fixture
def version_entry(world):
    catalog_services.sla_policy_version_create(
        actor=world.users["client_admin"],
        policy=world.policy,
        targets=[
            {"priority": "P1", "metric": "response", "target_minutes": 30, "calendar": world.calendar},
            {"priority": "P1", "metric": "resolution", "target_minutes": 240, "calendar": world.calendar},
        ],
        pause_statuses={"response": [], "onsite": ["pending_requester"], "resolution": ["pending_third_party"]},
        change_note="Faster P1",
    )
    entries = AuditEntry.objects.filter(action="catalog.slapolicy.version_created", object_id=str(world.policy.pk))
    return entries.order_by("-pk").first()  # the world's policy already had its first version


def changes_of(entry, user, language):
    with translation.override(language):
        item = readable_entries([entry], user=user)[0]
        return {change.name: change.after for change in item.changes}


def test_an_sla_versions_targets_read_by_name_in_both_languages(world, version_entry):
    admin = world.users["client_admin"]
    english = changes_of(version_entry, admin, "en")
    calendar = world.calendar.name
    assert english["targets"] == (
        f"Priority: P1 critical; Metric: Response; Minutes: 30; Calendar: {calendar} | "
        f"Priority: P1 critical; Metric: Resolution; Minutes: 240; Calendar: {calendar}"
    )
    assert english["pause_statuses"] == (
        "Response: —; On-site arrival: Pending requester; Resolution: Pending third party"
    )
    chinese = changes_of(version_entry, admin, "zh-hans")
    for code in ("response", "resolution", "onsite", "pending_requester", "pending_third_party", "metric"):
        assert code not in chinese["targets"] + chinese["pause_statuses"], code
    assert "P1 紧急" in chinese["targets"] or "P1" in chinese["targets"]


def test_a_calendar_the_reader_may_not_see_keeps_its_id(world, version_entry):
    far = world.users["foreign_admin"]
    targets = changes_of(version_entry, far, "en")["targets"]
    assert world.calendar.name not in targets and f"#{world.calendar.pk}" in targets


def test_an_entry_about_a_vendor_links_to_its_page_for_those_who_may_open_it(world, web):
    portfolio_services.vendor_set_tier(
        actor=world.users["client_admin"], vendor=world.vendor, tier="strategic", reason="Runs the desk"
    )
    entry = AuditEntry.objects.get(action="portfolio.vendor.tier_changed")
    for role in ("client_admin", "auditor"):
        item = readable_entries([entry], user=world.users[role])[0]
        assert item.object_url == f"/portfolio/vendors/{world.vendor.pk}/", role
        assert web(role).get(item.object_url).status_code == 200
    # A vendor's own manager may not open the portfolio page; another organisation sees nothing.
    for role in ("vendor_manager", "foreign_admin"):
        assert readable_entries([entry], user=world.users[role])[0].object_url == "", role
    page = web("auditor").get("/audit/").content.decode()
    assert f'href="/portfolio/vendors/{world.vendor.pk}/"' in page
