"""The configuration API: CIs, relations, classes, each CI's graph and impact, all through the gate."""

from __future__ import annotations

from oversight.configuration import services as cmdb
from oversight.configuration.models import CIRelation, ConfigurationItem
from tests.factories import signed_in
from tests.query_counts import assert_flat, count_queries


def test_lists_and_reads_follow_the_gate(world, estate, api):
    names = {c["name"] for c in api("client_supervisor").get("/api/v1/configuration-items/").json()["results"]}
    assert names == {"门诊挂号", "HIS", "HIS-APP-01", "DB-01", "DB-02"}
    names = {c["name"] for c in api("vendor_agent").get("/api/v1/configuration-items/").json()["results"]}
    assert names == {"HIS", "DB-01", "DB-02"}
    assert api("requester").get("/api/v1/configuration-items/").json()["results"] == []
    assert api("vendor_agent").get(f"/api/v1/configuration-items/{estate['server'].pk}/").status_code == 404
    detail = api("client_supervisor").get(f"/api/v1/configuration-items/{estate['app'].pk}/")
    assert detail.status_code == 200
    assert detail["ETag"] == f'"{estate["app"].pk}-1"'
    assert detail.json()["ci_class"]["code"] == "application"
    assert len(api("vendor_agent").get("/api/v1/ci-relations/").json()["results"]) == 2
    assert api("other_vendor_agent").get("/api/v1/ci-relations/").json()["results"] == []
    classes = api("vendor_agent").get("/api/v1/ci-classes/").json()["results"]
    assert len(classes) == 8


def test_graph_and_impact(world, estate, api):
    ids = {v.pk: k for k, v in estate.items()}
    graph = api("client_supervisor").get(f"/api/v1/configuration-items/{estate['app'].pk}/graph/").json()
    assert {ids[n["id"]]: n["row"] for n in graph["nodes"]} == {
        "service": -1,
        "app": 0,
        "server": 1,
        "db1": 1,
        "db2": 1,
    }
    assert {(ids[e["source"]], e["relation_type"], ids[e["target"]]) for e in graph["edges"]} == {
        ("service", "depends_on", "app"),
        ("app", "runs_on", "server"),
        ("app", "depends_on", "db1"),
        ("app", "depends_on", "db2"),
    }
    impact = api("client_supervisor").get(f"/api/v1/configuration-items/{estate['server'].pk}/impact/").json()
    assert {ids[c["id"]] for c in impact["impacted"]} == {"app", "service"}
    assert [ids[c["id"]] for c in impact["services"]] == ["service"]
    agent_graph = api("vendor_agent").get(f"/api/v1/configuration-items/{estate['app'].pk}/graph/").json()
    assert {ids[n["id"]] for n in agent_graph["nodes"]} == {"app", "db1", "db2"}
    assert api("vendor_agent").get(f"/api/v1/configuration-items/{estate['server'].pk}/impact/").status_code == 404


def test_writes_go_through_the_services(world, estate, classes, api):
    supervisor = api("client_supervisor")
    created = supervisor.post(
        "/api/v1/configuration-items/",
        {"ci_class": classes["printer"].pk, "name": "心内科打印机", "vendor": world.vendor.pk, "serial": "PR-1"},
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created["Location"].endswith(f"/api/v1/configuration-items/{pk}/")
    duplicate = supervisor.post(
        "/api/v1/configuration-items/",
        {"ci_class": classes["printer"].pk, "name": "again", "serial": "PR-1"},
        format="json",
    )
    assert duplicate.status_code == 400
    stale = supervisor.post(
        f"/api/v1/configuration-items/{pk}/transition/", {"action": "fail"}, format="json", HTTP_IF_MATCH=f'"{pk}-7"'
    )
    assert stale.status_code in (409, 412)
    failed = supervisor.post(
        f"/api/v1/configuration-items/{pk}/transition/", {"action": "fail"}, format="json", HTTP_IF_MATCH=f'"{pk}-1"'
    )
    assert failed.status_code == 200 and failed.json()["status"] == "down"
    assert ConfigurationItem.objects.get(pk=pk).version == 2
    patched = supervisor.patch(f"/api/v1/configuration-items/{pk}/", {"host_name": "pr-card-1"}, format="json")
    assert patched.status_code == 200 and patched.json()["host_name"] == "pr-card-1"
    assert (
        api("auditor").patch(f"/api/v1/configuration-items/{pk}/", {"host_name": "x"}, format="json").status_code == 403
    )
    relation = supervisor.post(
        "/api/v1/ci-relations/",
        {"source": pk, "relation_type": "connected_to", "target": estate["server"].pk},
        format="json",
    )
    assert relation.status_code == 201, relation.content
    rel_pk = relation.json()["id"]
    # The other vendor's agent cannot relate their server to a CI they do not see (refused like a missing id).
    hidden = api("other_vendor_manager").post(
        "/api/v1/ci-relations/",
        {"source": estate["server"].pk, "relation_type": "depends_on", "target": estate["db1"].pk},
        format="json",
    )
    assert hidden.status_code == 400
    assert supervisor.delete(f"/api/v1/ci-relations/{rel_pk}/").status_code == 204
    assert not CIRelation.objects.filter(pk=rel_pk).exists()


def test_list_query_counts_do_not_grow_with_rows(world, estate, ci, relation, api):
    client, page = api("client_supervisor"), signed_in(world.users["client_supervisor"])

    def counts() -> tuple[int, int, int]:
        measured = []
        for get in (
            lambda: client.get("/api/v1/configuration-items/?page_size=100"),
            lambda: client.get("/api/v1/ci-relations/?page_size=100"),
            lambda: page.get("/configuration/"),
        ):
            with count_queries() as queries:
                assert get().status_code == 200
            measured.append(len(queries))
        return tuple(measured)

    few = counts()
    for i in range(6):
        item = ci(f"WS-{i}", kind="workstation", site=world.dept)
        cmdb.ci_relation_create(
            actor=world.users["client_supervisor"],
            source=item,
            relation_type=relation["connected_to"],
            target=estate["server"],
        )
    many = counts()
    assert_flat("configuration.api.configuration_items", few[0], many[0])
    assert_flat("configuration.api.ci_relations", few[1], many[1])
    assert_flat("configuration.list", few[2], many[2])
