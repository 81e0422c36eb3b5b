"""Who sees which configuration items, relations and impact: the gate per role, other vendor, other organisation."""

from __future__ import annotations

import pytest
from django.http import Http404

from oversight.configuration import selectors
from oversight.configuration import services as cmdb


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("client_admin", {"service", "app", "server", "db1", "db2"}),
        ("client_supervisor", {"service", "app", "server", "db1", "db2"}),
        ("executive", {"service", "app", "server", "db1", "db2"}),
        ("auditor", {"service", "app", "server", "db1", "db2"}),
        ("vendor_manager", {"app", "db1", "db2"}),
        ("vendor_agent", {"app", "db1", "db2"}),
        ("other_vendor_agent", {"server"}),
        ("requester", set()),
        ("foreign_admin", set()),
    ],
)
def test_ci_visibility_per_role(world, estate, role, expected):
    names = {v.pk: k for k, v in estate.items()}
    assert {names[pk] for pk in selectors.ci_list(user=world.users[role]).values_list("pk", flat=True)} == expected


def test_read_only_roles_change_nothing(world, estate):
    assert not selectors.ci_list(user=world.users["auditor"], action="change").exists()
    assert selectors.ci_list(user=world.users["vendor_agent"], action="change").count() == 3


def test_an_invisible_ci_is_404(world, estate):
    with pytest.raises(Http404):
        selectors.ci_get(user=world.users["vendor_agent"], pk=estate["server"].pk)
    with pytest.raises(Http404):
        selectors.ci_get(user=world.users["foreign_admin"], pk=estate["app"].pk)
    with pytest.raises(Http404):
        selectors.ci_get(user=world.users["vendor_agent"], pk="nope")
    assert selectors.ci_get(user=world.users["vendor_agent"], pk=estate["app"].pk) == estate["app"]


def test_relations_are_seen_between_visible_cis_only(world, estate):
    # The other vendor's agent sees its server but not the application that runs on it, nor the relation.
    assert selectors.relations_of(user=world.users["other_vendor_agent"], ci=estate["server"]) == ([], [])
    assert selectors.relation_list(user=world.users["other_vendor_agent"]).count() == 0
    outgoing, incoming = selectors.relations_of(user=world.users["vendor_agent"], ci=estate["app"])
    assert [(r.relation_type.code, r.target.name) for r in outgoing] == [
        ("depends_on", "DB-01"),
        ("depends_on", "DB-02"),
    ]
    assert incoming == []
    assert selectors.relation_list(user=world.users["client_supervisor"]).count() == 4
    assert selectors.relation_list(user=world.users["requester"]).count() == 0


def test_classes_and_groups_are_reference_data_of_the_organisation(world, estate):
    assert selectors.ci_class_list(user=world.users["vendor_agent"]).count() == 8
    assert selectors.ci_class_list(user=world.users["requester"]).count() == 0
    assert selectors.ci_class_list(user=world.users["foreign_admin"]).count() == 0
    assert selectors.redundancy_group_list(user=world.users["other_vendor_agent"]).count() == 1
    assert selectors.relation_type_list(user=world.users["requester"]).count() == 4


def test_impact_is_walked_on_the_whole_graph_and_shown_through_the_gate(world, estate):
    ids = {v.pk: k for k, v in estate.items()}
    supervisor, agent = world.users["client_supervisor"], world.users["other_vendor_agent"]

    def named(values):
        return {ids[pk] for pk in values}

    # The server (net vendor) going down takes the application and the business service with it.
    what_if = selectors.what_if_down(user=supervisor, ci=estate["server"])
    assert named(what_if["impacted"]) == {"app", "service"}
    assert named(what_if["services"]) == {"service"}
    # Its own vendor sees nothing it may not see: the application and the service are not theirs.
    assert selectors.what_if_down(user=agent, ci=estate["server"]) == {"impacted": [], "services": []}
    # One database of the pair is shielded; with it down, the other one becomes critical.
    assert selectors.what_if_down(user=supervisor, ci=estate["db1"])["impacted"] == []
    cmdb.ci_transition(actor=supervisor, ci=estate["db1"], action="fail")
    assert named(selectors.what_if_down(user=supervisor, ci=estate["db2"])["impacted"]) == {"app", "service"}
    now = selectors.current_impact(user=supervisor, organisation_id=world.org.pk)
    assert (named(now["down"]), now["impacted"], now["services"]) == ({"db1"}, [], [])
    cmdb.ci_transition(actor=supervisor, ci=estate["db2"], action="start_maintenance")
    now = selectors.current_impact(user=supervisor, organisation_id=world.org.pk)
    assert named(now["impacted"]) == {"app", "service"}
    assert named(now["services"]) == {"service"}
    assert named(selectors.what_impacts(user=supervisor, ci=estate["service"])) == {"app", "server", "db1", "db2"}
    assert named(selectors.what_impacts(user=world.users["vendor_agent"], ci=estate["service"])) == {
        "app",
        "db1",
        "db2",
    }


def test_a_retired_ci_carries_no_impact(world, estate):
    supervisor = world.users["client_supervisor"]
    cmdb.ci_transition(actor=supervisor, ci=estate["server"], action="retire")
    assert selectors.what_if_down(user=supervisor, ci=estate["server"])["impacted"] == []
