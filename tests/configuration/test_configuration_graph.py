"""The layout of a CI's neighbourhood graph (configuration.graph), with plain values."""

from __future__ import annotations

from oversight.configuration.graph import GAP_X, GAP_Y, MARGIN, NODE_HEIGHT, NODE_WIDTH, layout, rows_of


def test_rows_put_dependants_above_and_dependencies_below():
    edges = [("svc", "app"), ("app", "srv"), ("app", "db"), ("srv", "rack"), ("rack", "power"), ("x", "svc")]
    assert rows_of("app", edges) == {"app": 0, "svc": -1, "x": -2, "srv": 1, "db": 1, "rack": 2}
    assert rows_of("app", edges, depth=1) == {"app": 0, "svc": -1, "srv": 1, "db": 1}


def test_a_cycle_is_drawn_once():
    edges = [("a", "b"), ("b", "a")]
    assert rows_of("a", edges) == {"a": 0, "b": -1}
    drawing = layout("a", edges, {"a": "A", "b": "B"})
    assert len(drawing.nodes) == 2
    assert len(drawing.edges) == 2


def test_positions_are_centred_rows_of_fixed_boxes():
    drawing = layout("app", [("svc", "app"), ("app", "db1"), ("app", "db2")], {"db1": "DB-1", "db2": "DB-2"})
    placed = {n.key: n for n in drawing.nodes}
    # Two boxes in the widest row: 2 × 150 + 20 + 2 × 10 margin.
    assert drawing.width == 2 * NODE_WIDTH + GAP_X + 2 * MARGIN == 340
    # Three rows: 3 × 44 + 2 × 56 + 2 × 10.
    assert drawing.height == 3 * NODE_HEIGHT + 2 * GAP_Y + 2 * MARGIN == 264
    assert (placed["svc"].x, placed["svc"].y) == (95, 10)
    assert (placed["app"].x, placed["app"].y) == (95, 110)
    assert (placed["db1"].x, placed["db1"].y) == (10, 210)
    assert (placed["db2"].x, placed["db2"].y) == (180, 210)
    # The edge app → db1 leaves the bottom of app and reaches the top of db1.
    edge = next(e for e in drawing.edges if e.target == "db1")
    assert (edge.x1, edge.y1, edge.x2, edge.y2) == (170, 154, 85, 210)


def test_a_lonely_ci_is_one_box():
    drawing = layout(7, [], {7: "alone"})
    assert [(n.key, n.row) for n in drawing.nodes] == [(7, 0)]
    assert drawing.edges == ()
    assert (drawing.width, drawing.height) == (170, 64)
