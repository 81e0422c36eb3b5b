"""The impact walk (configuration.impact) with plain values and hypothesis: redundancy, cycles, monotonicity."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oversight.configuration.impact import Edge, Graph, Group, dependencies, impact


def edges(*pairs):
    return tuple(Edge(source, target) for source, target in pairs)


# The hospital in miniature: a business service needs the HIS application, which runs on two application
# servers (a pair: at least 1 up) and needs the database cluster (db1..db3, at least 2 up); the cluster's
# nodes are connected to a core switch.
HOSPITAL = Graph(
    edges=edges(
        ("outpatient", "his"),
        ("his", "app1"),
        ("his", "app2"),
        ("his", "db1"),
        ("his", "db2"),
        ("his", "db3"),
        ("db1", "core"),
        ("db2", "core"),
        ("db3", "core"),
        ("lab", "lis"),
    ),
    groups=(
        Group(members=frozenset({"app1", "app2"}), min_up=1, key="apps"),
        Group(members=frozenset({"db1", "db2", "db3"}), min_up=2, key="db"),
    ),
)
SERVICES = {"outpatient", "lab"}


def test_nothing_down_impacts_nothing():
    result = impact(HOSPITAL, set(), SERVICES)
    assert result.impacted == frozenset()
    assert result.services == frozenset()


def test_a_plain_failure_walks_up_to_the_business_service():
    result = impact(HOSPITAL, {"lis"}, SERVICES)
    assert result.impacted == {"lab"}
    assert result.services == {"lab"}


def test_one_cluster_node_down_is_shielded_by_the_group():
    result = impact(HOSPITAL, {"db1"}, SERVICES)
    assert result.impacted == frozenset()
    assert result.failed_groups == frozenset()


def test_two_of_three_nodes_down_break_the_cluster_and_everything_above():
    result = impact(HOSPITAL, {"db1", "db2"}, SERVICES)
    assert result.impacted == {"his", "outpatient"}
    assert result.services == {"outpatient"}
    assert result.failed_groups == {"db"}


def test_one_application_server_of_the_pair_is_enough():
    assert impact(HOSPITAL, {"app1"}, SERVICES).impacted == frozenset()
    assert impact(HOSPITAL, {"app1", "app2"}, SERVICES).impacted == {"his", "outpatient"}


def test_a_member_impacted_through_its_own_edges_is_not_up():
    # The core switch takes down all three database nodes (they are connected to it), so the cluster fails.
    result = impact(HOSPITAL, {"core"}, SERVICES)
    assert result.impacted == {"db1", "db2", "db3", "his", "outpatient"}


def test_a_failed_group_impacts_the_dependants_of_every_member():
    graph = Graph(
        edges=edges(("a", "n1"), ("b", "n2"), ("c", "n3")),
        groups=(Group(members=frozenset({"n1", "n2", "n3"}), min_up=3),),
    )
    # n1 down leaves 2 up where 3 are needed: the group is down, so b and c are impacted though n2 and n3 run.
    assert impact(graph, {"n1"}).impacted == {"a", "b", "c"}


@pytest.mark.parametrize(
    ("percent", "down", "impacted"),
    [
        # 4 members, 50 % -> 2 must be up: two down is still fine, three down is not.
        (50, {"m1", "m2"}, frozenset()),
        (50, {"m1", "m2", "m3"}, {"app"}),
        # 75 % of 4 = 3 must be up: two down breaks it.
        (75, {"m1"}, frozenset()),
        (75, {"m1", "m2"}, {"app"}),
        # 30 % of 4 = 1.2, rounded up to 2.
        (30, {"m1", "m2"}, frozenset()),
        (30, {"m1", "m2", "m3"}, {"app"}),
    ],
)
def test_a_percentage_rule_rounds_up(percent, down, impacted):
    members = frozenset({"m1", "m2", "m3", "m4"})
    graph = Graph(edges=edges(*(("app", m) for m in members)), groups=(Group(members=members, min_up_percent=percent),))
    assert Group(members=members, min_up_percent=percent).required() == {50: 2, 75: 3, 30: 2}[percent]
    assert impact(graph, down).impacted == impacted


def test_cycles_end():
    graph = Graph(edges=edges(("a", "b"), ("b", "c"), ("c", "a"), ("d", "c")))
    assert impact(graph, {"a"}).impacted == {"b", "c", "d"}
    assert dependencies(graph, "a") == {"b", "c"}


def test_dependencies_follow_the_edges_down():
    assert dependencies(HOSPITAL, "outpatient") == {"his", "app1", "app2", "db1", "db2", "db3", "core"}
    assert dependencies(HOSPITAL, "core") == frozenset()


def test_a_node_in_two_groups_is_refused():
    with pytest.raises(ValueError, match="at most one"):
        Graph(groups=(Group(members=frozenset({"x", "y"})), Group(members=frozenset({"y", "z"}))))


NODES = list(range(8))
edge_lists = st.lists(st.tuples(st.sampled_from(NODES), st.sampled_from(NODES)), max_size=20)
down_sets = st.sets(st.sampled_from(NODES))


@st.composite
def graphs(draw):
    pairs = draw(edge_lists)
    members = draw(st.sets(st.sampled_from(NODES), min_size=0, max_size=4))
    groups = ()
    if members:
        rule = draw(st.sampled_from(["count", "percent"]))
        if rule == "count":
            groups = (Group(members=frozenset(members), min_up=draw(st.integers(1, len(members)))),)
        else:
            groups = (Group(members=frozenset(members), min_up_percent=draw(st.integers(1, 100))),)
    return Graph(edges=edges(*pairs), groups=groups)


@settings(max_examples=200, deadline=None)
@given(graphs(), down_sets, st.sampled_from(NODES))
def test_adding_a_down_node_never_reduces_what_is_unavailable(graph, down, extra):
    before = impact(graph, down)
    after = impact(graph, down | {extra})
    assert before.unavailable <= after.unavailable
    assert before.failed_groups <= after.failed_groups


@settings(max_examples=200, deadline=None)
@given(graphs(), down_sets)
def test_without_groups_the_impact_is_everything_that_reaches_a_down_node(graph, down):
    plain = Graph(edges=graph.edges)
    expected = {n for n in NODES if n not in down and dependencies(plain, n) & down}
    assert impact(plain, down).impacted == expected


@settings(max_examples=200, deadline=None)
@given(st.integers(2, 6), st.data())
def test_a_group_with_enough_members_up_shields_its_dependants(size, data):
    members = [f"m{i}" for i in range(size)]
    need = data.draw(st.integers(1, size))
    down = set(data.draw(st.lists(st.sampled_from(members), unique=True, max_size=size - need)))
    # Each dependant needs one member, and "all" needs every member; only members are down.
    graph = Graph(
        edges=edges(*((f"d{m}", m) for m in members), *(("all", m) for m in members)),
        groups=(Group(members=frozenset(members), min_up=need),),
    )
    result = impact(graph, down)
    assert len(members) - len(down) >= need
    assert result.impacted == frozenset()
    # Down to one member fewer than the rule needs breaks the group: every dependant is impacted.
    more = down | set([m for m in members if m not in down][: len(members) - len(down) - need + 1])
    assert len(members) - len(more) == need - 1
    broken = impact(graph, more)
    assert broken.impacted == {f"d{m}" for m in members} | {"all"}
