"""The layout of a CI's neighbourhood graph, drawn from the relations (never stored as a drawing). Pure: no Django.

The CI sits in the middle row; the CIs that need it (its dependants, the sources of its incoming relations) are
drawn in the rows above, what it needs (the targets of its outgoing relations) in the rows below, up to
``depth`` hops each way. A node belongs to the first row it is reached in (the middle row wins, then the
nearer row), so a cycle is drawn once. Rows are sorted by label, centred, and sized in SVG user units; the SVG
scales down to the width of the screen (a phone sees the whole graph, never a sideways scroll).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

NODE_WIDTH = 150
NODE_HEIGHT = 44
GAP_X = 20
GAP_Y = 56
MARGIN = 10


@dataclass(frozen=True)
class PlacedNode:
    """A node with its row (negative: above, needs the centre; positive: below, needed by it) and position."""

    key: Hashable
    row: int
    x: float
    y: float


@dataclass(frozen=True)
class PlacedEdge:
    """A relation drawn between the facing edges of its two nodes."""

    source: Hashable
    target: Hashable
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True)
class Layout:
    """Where every node and edge goes, and the size of the drawing."""

    nodes: tuple[PlacedNode, ...]
    edges: tuple[PlacedEdge, ...]
    width: float
    height: float


def rows_of(centre: Hashable, edges: Iterable[tuple[Hashable, Hashable]], depth: int = 2) -> dict[Hashable, int]:
    """Each reachable node's row: 0 for the centre, -k for a dependant k hops up, +k for a dependency k hops down."""
    edge_list = list(edges)
    rows = {centre: 0}
    for direction in (-1, 1):
        frontier = [centre]
        for step in range(1, depth + 1):
            found = []
            for node in frontier:
                for source, target in edge_list:
                    if direction < 0:
                        nxt = source if target == node else None
                    else:
                        nxt = target if source == node else None
                    if nxt is not None and nxt not in rows:
                        rows[nxt] = direction * step
                        found.append(nxt)
            frontier = found
    return rows


def _edge(source, target, a: PlacedNode, b: PlacedNode) -> PlacedEdge:
    if a.y == b.y:
        rightwards = a.x < b.x
        y = a.y + NODE_HEIGHT / 2
        return PlacedEdge(
            source, target, a.x + (NODE_WIDTH if rightwards else 0), y, b.x + (0 if rightwards else NODE_WIDTH), y
        )
    down = a.y < b.y
    return PlacedEdge(
        source,
        target,
        a.x + NODE_WIDTH / 2,
        a.y + (NODE_HEIGHT if down else 0),
        b.x + NODE_WIDTH / 2,
        b.y + (0 if down else NODE_HEIGHT),
    )


def layout(
    centre: Hashable,
    edges: Iterable[tuple[Hashable, Hashable]],
    labels: Mapping[Hashable, str],
    depth: int = 2,
) -> Layout:
    """Place the centre's neighbourhood in rows and route every edge between placed nodes."""
    edge_list = list(dict.fromkeys(edges))
    rows = rows_of(centre, edge_list, depth)
    by_row: dict[int, list[Hashable]] = {}
    for node, row in rows.items():
        by_row.setdefault(row, []).append(node)
    widest = max(len(nodes) for nodes in by_row.values())
    width = 2 * MARGIN + widest * NODE_WIDTH + (widest - 1) * GAP_X
    top, bottom = min(by_row), max(by_row)
    placed: dict[Hashable, PlacedNode] = {}
    for row, nodes in sorted(by_row.items()):
        nodes.sort(key=lambda n: (str(labels.get(n, n)), str(n)))
        span = len(nodes) * NODE_WIDTH + (len(nodes) - 1) * GAP_X
        left = (width - span) / 2
        y = MARGIN + (row - top) * (NODE_HEIGHT + GAP_Y)
        for i, node in enumerate(nodes):
            placed[node] = PlacedNode(key=node, row=row, x=left + i * (NODE_WIDTH + GAP_X), y=y)
    height = 2 * MARGIN + (bottom - top + 1) * NODE_HEIGHT + (bottom - top) * GAP_Y
    drawn = tuple(
        _edge(source, target, placed[source], placed[target])
        for source, target in edge_list
        if source in placed and target in placed
    )
    return Layout(nodes=tuple(placed.values()), edges=drawn, width=width, height=height)
