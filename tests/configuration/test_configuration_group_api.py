"""The redundancy-group API: the same groups, rules, members and state as the pages, kept through the same
services (the client's operators write; vendor staff read; other organisations see nothing)."""

from __future__ import annotations

from oversight.audit.models import AuditEntry
from oversight.configuration import services as cmdb
from oversight.configuration.models import ConfigurationItem, RedundancyGroup
from tests.query_counts import assert_flat, count_queries


def _pair() -> RedundancyGroup:
    return RedundancyGroup.objects.get(name="DB pair")


def test_a_group_reads_with_its_rule_members_and_state_now(world, estate, api):
    supervisor = world.users["client_supervisor"]
    group = _pair()
    body = api("client_supervisor").get(f"/api/v1/redundancy-groups/{group.pk}/").json()
    assert body["min_up"] == 1 and body["min_up_percent"] is None
    assert body["members"] == sorted([estate["db1"].pk, estate["db2"].pk])
    assert body["state"] == {"members": 2, "required": 1, "up": 2, "works": True}
    # Both members down: the pair no longer works (1 required, 0 up), as the impact walk says.
    cmdb.ci_transition(actor=supervisor, ci=estate["db1"], action="fail")
    cmdb.ci_transition(actor=supervisor, ci=estate["db2"], action="fail")
    listed = api("client_supervisor").get("/api/v1/redundancy-groups/").json()["results"]
    assert [row["state"] for row in listed] == [{"members": 2, "required": 1, "up": 0, "works": False}]


def test_vendor_staff_read_the_groups_others_get_nothing(world, estate, api):
    group = _pair()
    assert api("vendor_agent").get(f"/api/v1/redundancy-groups/{group.pk}/").status_code == 200
    assert api("foreign_admin").get(f"/api/v1/redundancy-groups/{group.pk}/").status_code == 404
    assert api("foreign_admin").get("/api/v1/redundancy-groups/").json()["results"] == []
    assert api("requester").get("/api/v1/redundancy-groups/").json()["results"] == []


def test_the_clients_operators_create_a_group_and_others_may_not(world, ci, api):
    nodes = [ci(f"NODE-{i}") for i in range(3)]
    body = {"name": "Web farm", "name_en": "Web farm", "min_up_percent": 50, "members": [n.pk for n in nodes]}
    answer = api("client_admin").post("/api/v1/redundancy-groups/", body, format="json")
    assert answer.status_code == 201, answer.content
    created = RedundancyGroup.objects.get(pk=answer.json()["id"])
    assert answer["Location"].endswith(f"/api/v1/redundancy-groups/{created.pk}/")
    # 50 % of 3 rounds up to 2 required.
    assert answer.json()["state"] == {"members": 3, "required": 2, "up": 3, "works": True}
    assert set(ConfigurationItem.objects.filter(redundancy_group=created).values_list("pk", flat=True)) == {
        n.pk for n in nodes
    }
    assert AuditEntry.objects.filter(action="configuration.redundancygroup.created", object_id=created.pk).exists()
    for role in ("vendor_manager", "executive", "auditor"):
        refused = api(role).post("/api/v1/redundancy-groups/", {**body, "name": f"By {role}"}, format="json")
        assert refused.status_code == 403, role
    assert RedundancyGroup.objects.count() == 1


def test_bad_input_is_a_clear_400_with_nothing_saved(world, ci, api):
    node = ci("NODE-A")
    client = api("client_supervisor")
    both = client.post("/api/v1/redundancy-groups/", {"name": "X", "min_up": 1, "min_up_percent": 50}, format="json")
    assert both.status_code == 400
    neither = client.post("/api/v1/redundancy-groups/", {"name": "X", "members": [node.pk]}, format="json")
    assert neither.status_code == 400
    huge = client.post("/api/v1/redundancy-groups/", {"name": "X", "min_up_percent": 150}, format="json")
    assert huge.status_code == 400 and "min_up_percent" in huge.json()["error"]["fields"]
    unknown = client.post(
        "/api/v1/redundancy-groups/", {"name": "X", "min_up": 1, "members": [99999999]}, format="json"
    )
    assert unknown.status_code == 400 and "members" in unknown.json()["error"]["fields"]
    assert not RedundancyGroup.objects.exists()


def test_a_change_keeps_what_it_does_not_name(world, estate, ci, api):
    group = _pair()
    client = api("client_supervisor")
    renamed = client.patch(f"/api/v1/redundancy-groups/{group.pk}/", {"name": "数据库双机"}, format="json")
    assert renamed.status_code == 200, renamed.content
    group.refresh_from_db()
    assert (group.name, group.min_up, group.min_up_percent) == ("数据库双机", 1, None)
    assert renamed.json()["members"] == sorted([estate["db1"].pk, estate["db2"].pk])
    # A percentage rule replaces the count; members given replace the members.
    third = ci("DB-03", kind="database")
    body = {"min_up_percent": 100, "members": [estate["db1"].pk, third.pk]}
    changed = client.patch(f"/api/v1/redundancy-groups/{group.pk}/", body, format="json").json()
    assert (changed["min_up"], changed["min_up_percent"]) == (None, 100)
    assert changed["members"] == sorted([estate["db1"].pk, third.pk])
    assert ConfigurationItem.objects.get(pk=estate["db2"].pk).redundancy_group_id is None
    assert (
        api("foreign_admin").patch(f"/api/v1/redundancy-groups/{group.pk}/", {"name": "x"}, format="json").status_code
        == 404
    )


def test_the_group_list_query_count_does_not_grow(world, ci, api):
    supervisor = world.users["client_supervisor"]
    client = api("client_supervisor")

    def measure():
        with count_queries() as queries:
            assert client.get("/api/v1/redundancy-groups/").status_code == 200
        return len(queries)

    cmdb.redundancy_group_create(actor=supervisor, name="G0", min_up=1, members=[ci("N0"), ci("N1")])
    few = measure()
    for i in range(1, 4):
        cmdb.redundancy_group_create(actor=supervisor, name=f"G{i}", min_up=1, members=[ci(f"M{i}"), ci(f"K{i}")])
    assert_flat("configuration.api.groups", few, measure())
