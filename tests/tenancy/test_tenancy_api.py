"""Tenancy reference endpoints: vendors, sites, teams and users, scoped; users/me is read-only."""

from __future__ import annotations

from oversight.tenancy.choices import Role

API = "/api/v1/"


def ids(response) -> set[int]:
    """The ids of a successful list response's rows."""
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


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
