"""Catalog reference endpoints: services and offerings, calendars, SLA policies with versions (read-only, scoped)."""

from __future__ import annotations

import datetime as dt

from oversight.catalog import services as catalog_services
from oversight.catalog.choices import HolidaySource
from oversight.core import clock
from tests.factories import calendar_24x7, policy_with_targets

API = "/api/v1/"


def ids(response) -> set[int]:
    """The ids of a successful list response's rows."""
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_services_and_offerings_are_scoped(world, api):
    assert ids(api("client_admin").get(f"{API}services/")) == {world.service.pk, world.other_service.pk}
    assert ids(api("vendor_agent").get(f"{API}services/")) == {world.service.pk}
    assert ids(api("foreign_admin").get(f"{API}services/")) == {world.foreign_service.pk}
    assert ids(api("client_admin").get(f"{API}services/", {"vendor": world.other_vendor.pk})) == {
        world.other_service.pk
    }
    assert api("vendor_agent").get(f"{API}services/{world.other_service.pk}/").status_code == 404
    assert api("client_admin").get(f"{API}services/{world.foreign_service.pk}/").status_code == 404
    row = api("requester").get(f"{API}services/{world.service.pk}/").json()
    assert row["vendor"] == {"id": world.vendor.pk, "name": "Desk Co"}
    assert ids(api("requester").get(f"{API}offerings/", {"service": world.service.pk})) == {world.onsite_offering.pk}
    assert ids(api("other_vendor_agent").get(f"{API}offerings/")) == set()


def test_calendars_show_hours_days_years_and_missing_years(world, api):
    this_year = clock.now().astimezone(dt.UTC).year
    china = catalog_services.calendar_create(
        actor=None,
        organisation=world.org,
        name="Office hours",
        time_zone="Asia/Shanghai",
        holiday_source=HolidaySource.CHINA,
        weekly={d: [(480, 720), (810, 1050)] for d in range(5)},
    )
    catalog_services.calendar_confirm_year(actor=world.users["client_admin"], calendar=china, year=this_year)
    catalog_services.calendar_set_day(
        actor=None, calendar=china, date=dt.date(this_year, 10, 1), is_working=False, name="National Day"
    )
    response = api("vendor_agent").get(f"{API}calendars/")
    rows = {row["name"]: row for row in response.json()["results"]}
    assert set(rows) == {"24x7", "Office hours"}
    office = rows["Office hours"]
    assert [(i["weekday"], i["start"], i["end"]) for i in office["intervals"][:2]] == [
        (0, "08:00", "12:00"),
        (0, "13:30", "17:30"),
    ]
    assert office["days"] == [
        {"date": f"{this_year}-10-01", "is_working": False, "intervals": [], "name": "National Day", "source": "manual"}
    ]
    assert [y["year"] for y in office["covered_years"]] == [this_year]
    assert office["missing_years"] == [this_year + 1]
    assert str(this_year + 1) in office["warning"]
    assert rows["24x7"]["missing_years"] == []
    assert rows["24x7"]["warning"] is None
    assert api("requester").get(f"{API}calendars/").json()["count"] == 0
    assert api("foreign_admin").get(f"{API}calendars/{china.pk}/").status_code == 404


def test_sla_policies_with_versions_and_targets(world, api):
    catalog_services.sla_policy_version_create(
        actor=None,
        policy=world.policy,
        targets=[{"priority": "P1", "metric": "response", "target_minutes": 10, "calendar": world.calendar}],
        change_note="Faster P1",
    )
    body = api("client_supervisor").get(f"{API}sla-policies/{world.policy.pk}/").json()
    assert [v["number"] for v in body["versions"]] == [2, 1]
    assert body["versions"][0]["change_note"] == "Faster P1"
    assert body["versions"][0]["targets"] == [
        {
            "priority": "P1",
            "metric": "response",
            "target_minutes": 10,
            "calendar": {"id": world.calendar.pk, "name": "24x7"},
        }
    ]
    assert len(body["versions"][1]["targets"]) == 12
    assert body["versions"][1]["pause_statuses"]["resolution"] == ["pending_requester", "pending_third_party"]
    # Vendor staff see only the policies of their own services; requesters none.
    own_only = policy_with_targets(world.org, calendar_24x7(world.org, name="c2"), code="unused")
    assert own_only.pk not in ids(api("vendor_agent").get(f"{API}sla-policies/"))
    assert ids(api("vendor_agent").get(f"{API}sla-policies/")) == {world.policy.pk}
    assert ids(api("requester").get(f"{API}sla-policies/")) == set()
