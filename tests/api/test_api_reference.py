"""Read-only reference endpoints: catalog, calendars, SLA policies, tenancy, users/me, notifications and audit."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.catalog import services as catalog_services
from oversight.catalog.choices import HolidaySource
from oversight.core import clock
from oversight.notifications.services import notification_create
from oversight.tenancy.choices import Role
from tests.factories import calendar_24x7, policy_with_targets

API = "/api/v1/"


def ids(response) -> set[int]:
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


@pytest.mark.parametrize(
    "path",
    [
        "services/",
        "offerings/",
        "service-categories/",
        "calendars/",
        "sla-policies/",
        "vendors/",
        "sites/",
        "teams/",
        "users/",
        "organisations/",
    ],
)
def test_reference_endpoints_are_read_only(world, api, path):
    client = api("client_admin")
    assert client.post(f"{API}{path}", {"name": "x"}, format="json").status_code == 405
    assert client.get(f"{API}{path}").status_code == 200


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


def test_vendors_sites_teams_are_scoped(world, api):
    assert ids(api("client_admin").get(f"{API}vendors/")) == {world.vendor.pk, world.other_vendor.pk}
    assert ids(api("vendor_manager").get(f"{API}vendors/")) == {world.vendor.pk}
    assert api("vendor_manager").get(f"{API}vendors/{world.other_vendor.pk}/").status_code == 404
    assert ids(api("requester").get(f"{API}vendors/")) == set()
    assert ids(api("other_vendor_agent").get(f"{API}teams/")) == set()
    assert ids(api("vendor_agent").get(f"{API}teams/")) == {world.team.pk}
    assert ids(api("foreign_admin").get(f"{API}sites/")) == set()
    assert ids(api("requester").get(f"{API}sites/")) == {world.dept.pk, world.other_dept.pk}
    assert ids(api("client_admin").get(f"{API}organisations/")) == {world.org.pk}


def test_users_are_scoped(world, api):
    requester_view = ids(api("requester").get(f"{API}users/"))
    assert requester_view == {world.users["requester"].pk}
    vendor_view = ids(api("vendor_agent").get(f"{API}users/"))
    assert world.users["vendor_manager"].pk in vendor_view
    assert world.users["other_vendor_agent"].pk not in vendor_view
    assert world.users["foreign_admin"].pk not in vendor_view
    assert api("vendor_agent").get(f"{API}users/{world.users['other_vendor_agent'].pk}/").status_code == 404
    staff = ids(api("client_admin").get(f"{API}users/", {"role": Role.VENDOR_AGENT, "vendor": world.vendor.pk}))
    assert staff == {world.users["vendor_agent"].pk, world.users["vendor_agent_2"].pk}


def test_users_me_shows_role_and_cannot_be_written(world, api):
    client = api("vendor_agent")
    body = client.get(f"{API}users/me/").json()
    assert body["role"] == Role.VENDOR_AGENT
    assert body["vendor"] == world.vendor.pk
    assert body["organisation"] == world.org.pk
    assert body["teams"] == [world.team.pk]
    assert body["is_superuser"] is False
    for method in ("patch", "put", "post"):
        response = getattr(client, method)(
            f"{API}users/me/", {"role": Role.CLIENT_ADMIN, "vendor": None}, format="json"
        )
        assert response.status_code == 405
    own = world.users["vendor_agent"].pk
    assert client.patch(f"{API}users/{own}/", {"role": Role.CLIENT_ADMIN}, format="json").status_code == 405
    world.users["vendor_agent"].refresh_from_db()
    assert world.users["vendor_agent"].role == Role.VENDOR_AGENT


def test_notifications_are_own_and_can_be_marked_read(world, api, make_work_order):
    work_order = make_work_order()
    mine, _ = notification_create(
        recipient=world.users["vendor_agent"],
        kind="sla.warning",
        dedupe_key="n1",
        subject="Due soon",
        work_order=work_order,
    )
    notification_create(recipient=world.users["vendor_agent"], kind="info", dedupe_key="n2", subject="Other")
    theirs, _ = notification_create(
        recipient=world.users["vendor_manager"], kind="info", dedupe_key="n3", subject="Not yours"
    )
    client = api("vendor_agent")
    listed = client.get(f"{API}notifications/").json()
    assert {row["subject"] for row in listed["results"]} >= {"Due soon", "Other"}
    assert "Not yours" not in {row["subject"] for row in listed["results"]}
    assert client.get(f"{API}notifications/{theirs.pk}/").status_code == 404
    assert client.post(f"{API}notifications/{theirs.pk}/read/").status_code == 404
    response = client.post(f"{API}notifications/{mine.pk}/read/")
    assert response.status_code == 200
    assert response.json()["is_read"] is True
    assert response.json()["work_order_number"] == work_order.number
    unread = client.get(f"{API}notifications/", {"unread": "true"}).json()["results"]
    assert mine.pk not in {row["id"] for row in unread}
    marked = client.post(f"{API}notifications/read-all/", {}, format="json").json()["marked"]
    assert marked == len(unread)
    assert client.get(f"{API}notifications/", {"unread": "true"}).json()["count"] == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None
    bad = client.post(f"{API}notifications/read-all/", {"recipient": 1}, format="json")
    assert bad.status_code == 400


def test_audit_entries_for_auditors_and_client_admins_only(world, api, make_work_order):
    work_order = make_work_order()
    client = api("auditor")
    response = client.get(f"{API}audit-entries/", {"action": "tickets.workorder.created"})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(r["object_type"], r["object_id"]) for r in rows] == [("tickets.workorder", str(work_order.pk))]
    by_object = client.get(f"{API}audit-entries/", {"object_type": "tickets.workorder", "object_id": work_order.pk})
    assert by_object.json()["count"] >= 1
    assert client.get(f"{API}audit-entries/", {"action_prefix": "catalog."}).json()["count"] >= 1
    assert api("client_admin").get(f"{API}audit-entries/").status_code == 200
    assert (
        api("foreign_admin").get(f"{API}audit-entries/", {"action": "tickets.workorder.created"}).json()["count"] == 0
    )
    for role in ("client_supervisor", "executive", "vendor_manager", "requester"):
        assert api(role).get(f"{API}audit-entries/").status_code == 403, role
    entry_id = rows[0]["id"]
    assert client.delete(f"{API}audit-entries/{entry_id}/").status_code == 405
    assert (
        api("client_admin").patch(f"{API}audit-entries/{entry_id}/", {"action": "x"}, format="json").status_code == 405
    )
