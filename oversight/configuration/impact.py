"""Impact of failed configuration items, computed from the relation graph with redundancy. Pure: no Django.

The graph
---------
An :class:`Edge` ``(source, target)`` says that ``source`` needs ``target`` (an application *runs on* a server,
a workstation is *connected to* a switch, a business service *depends on* an application): when the target
is unavailable, the source is impacted. Relation types that carry no dependency (a CI *provided by* a
vendor's platform, when so declared) are simply left out of the edges by the caller. Nodes are any hashable
identifiers (the ORM layer uses primary keys).

Redundancy
----------
A :class:`Group` is a set of interchangeable members (a database cluster, a pair of core switches) that
works while at least ``min_up`` members — or ``min_up_percent`` per cent of them, rounded up — are up.
A member is *up* when it is neither down itself nor impacted through its own edges. While the group works,
the failure of some members impacts nobody through them: the group shields its dependants. When fewer
members than required are up, the group as a whole is unavailable and the dependants of *every* member are
impacted (a client of one node of a failed cluster is not saved by its own node still running). A node
belongs to at most one group.

The walk
--------
:func:`impact` starts from the down nodes and walks the edges backwards, from each unavailable node to the
nodes that need it, once per node: cycles end because a node is only ever marked once. The result only grows
when more nodes are down (the walk is monotone), which the property tests check.
"""

from __future__ import annotations

import math
from collections import defaultdict, deque
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

Node = Hashable


@dataclass(frozen=True)
class Edge:
    """``source`` needs ``target``: an unavailable target impacts the source."""

    source: Node
    target: Node


@dataclass(frozen=True)
class Group:
    """Interchangeable members that work while at least ``min_up`` (or ``min_up_percent`` %) are up."""

    members: frozenset
    min_up: int | None = None
    min_up_percent: int | None = None
    key: Node = None

    def required(self) -> int:
        """How many members must be up for the group to work (a percentage is rounded up)."""
        if self.min_up is not None:
            return self.min_up
        if self.min_up_percent is not None:
            return math.ceil(self.min_up_percent * len(self.members) / 100)
        return 1


@dataclass(frozen=True)
class Graph:
    """The dependency edges and the redundancy groups of an estate."""

    edges: tuple[Edge, ...] = ()
    groups: tuple[Group, ...] = ()

    def __post_init__(self) -> None:
        seen: set = set()
        for group in self.groups:
            if seen & group.members:
                raise ValueError("a node belongs to at most one redundancy group")
            seen |= group.members


@dataclass(frozen=True)
class Impact:
    """What a set of down nodes does: the nodes impacted (not down themselves), the business services among
    them, and the groups that no longer have enough members up."""

    down: frozenset
    impacted: frozenset
    services: frozenset
    failed_groups: frozenset = field(default_factory=frozenset)

    @property
    def unavailable(self) -> frozenset:
        """Down or impacted: every node that does not deliver."""
        return self.down | self.impacted


def impact(graph: Graph, down: Iterable[Node], services: Iterable[Node] = ()) -> Impact:
    """The nodes impacted when ``down`` are down, walking from each unavailable node to those that need it."""
    down_set = frozenset(down)
    needed_by: dict[Node, list[Node]] = defaultdict(list)
    for edge in graph.edges:
        needed_by[edge.target].append(edge.source)
    group_of = {member: index for index, group in enumerate(graph.groups) for member in group.members}
    up = [len(group.members) for group in graph.groups]
    failed_groups: set[int] = set()
    unavailable: set[Node] = set()
    queue: deque[Node] = deque()

    def mark(node: Node) -> None:
        if node not in unavailable:
            unavailable.add(node)
            queue.append(node)

    def reach_dependants(node: Node) -> None:
        for dependant in needed_by.get(node, ()):
            mark(dependant)

    for node in down_set:
        mark(node)
    while queue:
        node = queue.popleft()
        index = group_of.get(node)
        if index is None:
            reach_dependants(node)
            continue
        up[index] -= 1
        if index in failed_groups:
            reach_dependants(node)
        elif up[index] < graph.groups[index].required():
            failed_groups.add(index)
            for member in graph.groups[index].members:
                reach_dependants(member)
    impacted = frozenset(unavailable - down_set)
    return Impact(
        down=down_set,
        impacted=impacted,
        services=impacted & frozenset(services),
        failed_groups=frozenset(graph.groups[i].key if graph.groups[i].key is not None else i for i in failed_groups),
    )


def dependencies(graph: Graph, node: Node) -> frozenset:
    """Every node ``node`` needs, directly or through others (what could impact it), itself excluded."""
    needs: dict[Node, list[Node]] = defaultdict(list)
    for edge in graph.edges:
        needs[edge.source].append(edge.target)
    seen: set[Node] = set()
    queue: deque[Node] = deque([node])
    while queue:
        for target in needs.get(queue.popleft(), ()):
            if target not in seen:
                seen.add(target)
                queue.append(target)
    seen.discard(node)
    return frozenset(seen)
