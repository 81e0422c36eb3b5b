"""The heat map of a matrix version (server-rendered SVG): one square per cell coloured by its level band, the
number of risks in each cell, and an arrow per risk from its inherent to its residual position.

`heat_map(...)` lays it out from plain data (a version's grid, the positions of the ratings chosen); the
template draws it. Rows run from the highest probability level (top) down, columns from the lowest impact."""

from __future__ import annotations

from dataclasses import dataclass, field

from oversight.quant.matrix import count_cells
from oversight.risks import matrices

CELL = 60  # user units of one cell; the SVG scales to the page's width
LEFT = 112  # room for the probability labels
BOTTOM = 40  # room for the impact labels
TOP = 8


@dataclass
class Cell:
    probability: int
    impact: int
    x: int
    y: int
    colour: str
    level: str
    score: object
    count: int
    text_x: int = 0
    text_y: int = 0


@dataclass
class Arrow:
    number: str
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass
class HeatMap:
    width: int
    height: int
    cell: int
    cells: list[Cell]
    arrows: list[Arrow]
    probability_axis: list[dict]
    impact_axis: list[dict]
    total: int
    counts: list[list[int]] = field(default_factory=list)


def _centre(probability: int, impact: int, levels: int) -> tuple[float, float]:
    return LEFT + (impact - 0.5) * CELL, TOP + (levels - probability + 0.5) * CELL


def heat_map(version, positions: dict[int, tuple[int, int]], arrows: list[tuple[str, tuple, tuple]]) -> HeatMap:
    """Lay out the heat map: ``positions`` maps a risk id to its (probability, impact) cell in the chosen
    rating kind; ``arrows`` are (risk number, inherent cell, residual cell) of risks rated both ways on this
    version (an arrow whose two ends are the same cell is left out)."""
    n, m = version.probability_levels, version.impact_levels
    counts = count_cells(list(positions.values()), n, m)
    cells = []
    for row in matrices.grid(version):
        for c in row:
            x = LEFT + (c["impact"] - 1) * CELL
            y = TOP + (n - c["probability"]) * CELL
            cells.append(
                Cell(
                    probability=c["probability"],
                    impact=c["impact"],
                    x=x,
                    y=y,
                    colour=c["colour"],
                    level=c["level"],
                    score=c["score"],
                    count=counts[c["probability"] - 1][c["impact"] - 1],
                    text_x=x + CELL // 2,
                    text_y=y + CELL // 2 + 7,
                )
            )
    drawn = []
    for index, (number, start, end) in enumerate(sorted(arrows)):
        if tuple(start) == tuple(end):
            continue
        # A small offset per arrow, so arrows between the same cells do not hide one another.
        shift = ((index % 5) - 2) * 4
        x1, y1 = _centre(*start, n)
        x2, y2 = _centre(*end, n)
        drawn.append(Arrow(number=number, x1=x1 + shift, y1=y1 + shift, x2=x2 + shift, y2=y2 + shift))
    probability_axis = [
        {
            "level": p,
            "label": matrices.probability_label(version, p),
            "x": LEFT - 6,
            "y": TOP + (n - p + 0.5) * CELL + 4,
        }
        for p in range(1, n + 1)
    ]
    impact_axis = [
        {"level": i, "label": matrices.impact_label(version, i), "x": LEFT + (i - 0.5) * CELL, "y": TOP + n * CELL + 16}
        for i in range(1, m + 1)
    ]
    return HeatMap(
        width=LEFT + m * CELL + 8,
        height=TOP + n * CELL + BOTTOM,
        cell=CELL,
        cells=cells,
        arrows=drawn,
        probability_axis=probability_axis,
        impact_axis=impact_axis,
        total=len(positions),
        counts=counts,
    )
