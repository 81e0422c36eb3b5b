"""The pages of the redundancy groups: list and detail with each group's state now, new and edit."""

from __future__ import annotations

import pytest

from oversight.audit.models import AuditEntry
from oversight.configuration import services as cmdb
from oversight.configuration.models import ConfigurationItem, RedundancyGroup
from tests.factories import signed_in
from tests.query_counts import assert_flat, count_queries


def speaking(user, language: str):
    user.language = language
    user.save(update_fields=["language"])
    return signed_in(user)


def db_pair() -> RedundancyGroup:
    """The estate's database pair (its members' objects in the fixture predate their joining it)."""
    return RedundancyGroup.objects.get(name="DB pair")


def test_the_list_shows_each_rule_and_how_many_members_are_up_now(world, estate):
    supervisor = world.users["client_supervisor"]
    client = signed_in(supervisor)
    group = db_pair()
    page = client.get("/configuration/groups/")
    assert page.status_code == 200
    # The DB pair needs 1 of its 2 members up; both are in use.
    assert page.context["page"].items[0].state == {"members": 2, "required": 1, "up": 2, "works": True}
    text = page.content.decode()
    assert "At least 1 member up" in text and f'data-up="{group.pk}">2 of 2<' in text
    cmdb.ci_transition(actor=supervisor, ci=estate["db1"], action="fail")
    assert client.get("/configuration/groups/").context["page"].items[0].state["up"] == 1
    cmdb.ci_transition(actor=supervisor, ci=estate["db2"], action="start_maintenance")
    down = client.get("/configuration/groups/")
    assert down.context["page"].items[0].state == {"members": 2, "required": 1, "up": 0, "works": False}
    assert "Not working" in down.content.decode()
    # Vendor staff read the groups of their organisation; requesters have no CMDB pages.
    assert signed_in(world.users["vendor_agent"]).get("/configuration/groups/").status_code == 200
    assert signed_in(world.users["requester"]).get("/configuration/groups/").status_code == 403


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ("Members needed up", "Working", "DB-02")),
        ("zh-hans", ("需正常的成员数", "正常工作", "至少 1 个成员正常", "DB-02")),
    ],
)
def test_the_group_page_shows_its_members_in_both_languages(world, estate, language, words):
    group = db_pair()
    page = speaking(world.users["client_supervisor"], language).get(f"/configuration/groups/{group.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    for word in words:
        assert word in text
    assert [c.name for c in page.context["members"]] == ["DB-01", "DB-02"]
    assert signed_in(world.users["foreign_admin"]).get(f"/configuration/groups/{group.pk}/").status_code == 404


def test_a_percentage_rule_is_rounded_up_and_a_member_down_through_its_relations_is_not_up(world, ci, relation):
    supervisor = world.users["client_supervisor"]
    nodes = [ci(f"APP-{i}", kind="application") for i in range(3)]
    host = ci("HOST-1")
    cmdb.ci_relation_create(actor=supervisor, source=nodes[0], relation_type=relation["runs_on"], target=host)
    group = cmdb.redundancy_group_create(actor=supervisor, name="Apps", min_up_percent=50, members=nodes)
    cmdb.ci_transition(actor=supervisor, ci=host, action="fail")
    page = signed_in(supervisor).get(f"/configuration/groups/{group.pk}/")
    # 50 % of 3 is 1.5, so 2 must be up; APP-0 is impacted through its host, so 2 of 3 are up.
    assert page.context["state"] == {"members": 3, "required": 2, "up": 2, "works": True}


def test_the_clients_operators_create_and_edit_groups_others_may_not(world, estate, ci):
    supervisor = world.users["client_supervisor"]
    client = signed_in(supervisor)
    sw1, sw2 = ci("SW-1"), ci("SW-2")
    assert client.get("/configuration/groups/new/").status_code == 200
    bad = client.post("/configuration/groups/new/", {"name": "Core", "rule": "percent", "value": 150})
    assert bad.status_code == 400 and "The percentage is between 1 and 100." in bad.content.decode()
    assert client.post("/configuration/groups/new/", {"name": "Core", "rule": "count", "value": 0}).status_code == 400
    done = client.post(
        "/configuration/groups/new/", {"name": "Core", "rule": "count", "value": 1, "members": [sw1.pk, sw2.pk]}
    )
    group = RedundancyGroup.objects.get(name="Core")
    assert done.status_code == 302 and done["Location"] == f"/configuration/groups/{group.pk}/"
    assert (group.min_up, group.min_up_percent) == (1, None)
    assert set(ConfigurationItem.objects.filter(redundancy_group=group).values_list("name", flat=True)) == {
        "SW-1",
        "SW-2",
    }
    edit = client.get(f"/configuration/groups/{group.pk}/edit/")
    assert edit.status_code == 200 and set(edit.context["form"].initial["members"]) == {sw1.pk, sw2.pk}
    # SW-2 leaves, DB-01 moves in from the DB pair, and the rule becomes a percentage.
    saved = client.post(
        f"/configuration/groups/{group.pk}/edit/",
        {"name": "Core pair", "rule": "percent", "value": 50, "members": [sw1.pk, estate["db1"].pk]},
    )
    assert saved.status_code == 302
    group.refresh_from_db()
    assert (group.name, group.min_up, group.min_up_percent) == ("Core pair", None, 50)
    sw2.refresh_from_db()
    estate["db1"].refresh_from_db()
    assert sw2.redundancy_group_id is None and estate["db1"].redundancy_group_id == group.pk
    entry = AuditEntry.objects.get(action="configuration.redundancygroup.changed", object_id=str(group.pk))
    assert entry.before["members"] == sorted([sw1.pk, sw2.pk])
    assert entry.after["members"] == sorted([sw1.pk, estate["db1"].pk])
    # Saving the same form again changes nothing and records nothing.
    client.post(
        f"/configuration/groups/{group.pk}/edit/",
        {"name": "Core pair", "rule": "percent", "value": 50, "members": [sw1.pk, estate["db1"].pk]},
    )
    assert AuditEntry.objects.filter(action="configuration.redundancygroup.changed").count() == 1
    manager = signed_in(world.users["vendor_manager"])
    assert manager.get("/configuration/groups/new/").status_code == 403
    assert manager.post(f"/configuration/groups/{group.pk}/edit/", {"name": "x"}).status_code == 403
    foreign = signed_in(world.users["foreign_admin"])
    assert foreign.post(f"/configuration/groups/{group.pk}/edit/", {"name": "x"}).status_code == 404
    group.refresh_from_db()
    assert group.name == "Core pair"


def test_a_ci_page_links_to_its_class_and_group(world, estate):
    text = signed_in(world.users["client_supervisor"]).get(f"/configuration/{estate['db1'].pk}/").content.decode()
    assert f"/configuration/groups/{db_pair().pk}/" in text
    assert f"/configuration/classes/{estate['db1'].ci_class_id}/" in text


def test_the_group_list_query_count_does_not_grow(world, ci):
    supervisor = world.users["client_supervisor"]
    client = signed_in(supervisor)

    def measure():
        with count_queries() as queries:
            assert client.get("/configuration/groups/").status_code == 200
        return len(queries)

    cmdb.redundancy_group_create(actor=supervisor, name="G0", min_up=1, members=[ci("N0"), ci("N1")])
    few = measure()
    for i in range(1, 4):
        cmdb.redundancy_group_create(actor=supervisor, name=f"G{i}", min_up=1, members=[ci(f"M{i}"), ci(f"K{i}")])
    assert_flat("configuration.groups", few, measure())
