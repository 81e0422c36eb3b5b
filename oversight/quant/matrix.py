"""Risk matrices: an N×M grid of probability levels × impact levels (3–7 each), a score per cell, a level per
score, and the exposure of a decimal probability times a money impact.

A cell's score comes from one of the common formulas or from an explicit table:

- ``product``: p × i (the classic 5×5 gives 1 … 25);
- ``sum``: p + i (2 … N + M);
- ``max``: max(p, i);
- ``table``: the value written in the matrix for that cell (rows are probability levels 1 … N, columns impact
  levels 1 … M), e.g. a matrix whose upper-left corner is weighted by hand.

With ``normalise`` the score is put on a 0–10 scale: ``10 × raw ÷ (largest raw score of the matrix)``, so the
worst cell always scores 10 (SimpleRisk's "classic" scoring does the same for 5×5: p × i × 10 ÷ 25).

Every result is a ``Decimal`` rounded half-up (``ROUND_HALF_UP``: 2.5 becomes 3 and 1.045 becomes 1.05, never
the banker's 2 or a binary float's 1.04): scores to :data:`SCORE_PLACES` places, exposures (probability ×
impact) to :data:`MONEY_PLACES`. Floats given as inputs are read through their shortest decimal text
(``0.35`` is ``Decimal("0.35")``, not 0.34999…).

A level is found by score bands: each band has the lowest score it starts from; a score belongs to the last
band whose start it reaches (the first band starts at the lowest score of the matrix or below).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

MIN_LEVELS = 3
MAX_LEVELS = 7
#: Decimal places of a cell's score (after normalisation).
SCORE_PLACES = 2
#: Decimal places of an exposure (probability × money impact): fen.
MONEY_PLACES = 2
#: Decimal places of a probability.
PROBABILITY_PLACES = 4

PRODUCT = "product"
SUM = "sum"
MAX = "max"
TABLE = "table"
FORMULAS = (PRODUCT, SUM, MAX, TABLE)

TEN = Decimal(10)


class MatrixError(ValueError):
    """A matrix, a band list or an input that cannot be used; ``code`` says which rule it breaks."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def to_decimal(value) -> Decimal:
    """A Decimal of ``value``; floats through their shortest text so 0.35 stays 0.35."""
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, float):
        result = Decimal(repr(value))
    else:
        try:
            result = Decimal(str(value).strip())
        except (InvalidOperation, ValueError) as exc:
            raise MatrixError("not_a_number", f"not a number: {value!r}") from exc
    if not result.is_finite():
        raise MatrixError("not_a_number", f"not a finite number: {value!r}")
    return result


def round_half_up(value, places: int = 0) -> Decimal:
    """``value`` rounded half away from zero to ``places`` decimal places (2.5 → 3, 0.125 → 0.13 at 2)."""
    return to_decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def exposure(probability, impact, places: int = MONEY_PLACES) -> Decimal:
    """Probability × impact, rounded half-up to ``places`` (0.35 × 3 = 1.05; 0.125 × 1 = 0.13).

    The probability is a share between 0 and 1; the impact a non-negative amount."""
    p = to_decimal(probability)
    i = to_decimal(impact)
    if p < 0 or p > 1:
        raise MatrixError("probability_range", "a probability lies between 0 and 1")
    if i < 0:
        raise MatrixError("impact_negative", "an impact cannot be negative")
    return round_half_up(p * i, places)


def level_from_share(share, levels: int) -> int:
    """The level (1 … ``levels``) of a share between 0 and 1 on an evenly divided scale, rounded half-up:
    ``share × levels`` rounded up from .5, at least 1 (0.5 on 5 levels is 2.5 → 3)."""
    s = to_decimal(share)
    if s < 0 or s > 1:
        raise MatrixError("probability_range", "a share lies between 0 and 1")
    return max(1, int(round_half_up(s * levels, 0)))


@dataclass(frozen=True)
class Band:
    """A level band: scores from ``start`` (inclusive) up to the next band's start belong to level ``key``."""

    start: Decimal
    key: str


@dataclass(frozen=True)
class Matrix:
    """A probability × impact matrix: its size, score formula (or table), normalisation and level bands."""

    probability_levels: int
    impact_levels: int
    formula: str = PRODUCT
    table: tuple[tuple[Decimal, ...], ...] = ()
    normalise: bool = False
    bands: tuple[Band, ...] = ()

    def __post_init__(self) -> None:
        for n in (self.probability_levels, self.impact_levels):
            if not isinstance(n, int) or not MIN_LEVELS <= n <= MAX_LEVELS:
                raise MatrixError("size", f"a matrix has {MIN_LEVELS} to {MAX_LEVELS} levels on each side")
        if self.formula not in FORMULAS:
            raise MatrixError("formula", f"unknown formula {self.formula!r}")
        if self.formula == TABLE:
            table = tuple(tuple(to_decimal(v) for v in row) for row in self.table)
            if len(table) != self.probability_levels or any(len(row) != self.impact_levels for row in table):
                raise MatrixError("table_shape", "the score table needs one value per cell")
            if any(v < 0 for row in table for v in row):
                raise MatrixError("table_negative", "a cell's score cannot be negative")
            if max(v for row in table for v in row) <= 0:
                raise MatrixError("table_zero", "at least one cell needs a score above zero")
            object.__setattr__(self, "table", table)
        bands = tuple(Band(to_decimal(b.start), str(b.key)) for b in self.bands)
        starts = [b.start for b in bands]
        if not bands:
            raise MatrixError("bands_missing", "a matrix needs at least one level band")
        if any(later <= earlier for earlier, later in zip(starts, starts[1:], strict=False)):
            raise MatrixError("bands_order", "each band must start above the one before it")
        if len({b.key for b in bands}) != len(bands):
            raise MatrixError("bands_duplicate", "each band needs its own level")
        if starts[0] > self.min_score():
            raise MatrixError("bands_gap", "the first band must start at or below the lowest score")
        object.__setattr__(self, "bands", bands)

    def _check_cell(self, probability: int, impact: int) -> None:
        if not (isinstance(probability, int) and 1 <= probability <= self.probability_levels):
            raise MatrixError("probability_level", f"probability level must be 1 … {self.probability_levels}")
        if not (isinstance(impact, int) and 1 <= impact <= self.impact_levels):
            raise MatrixError("impact_level", f"impact level must be 1 … {self.impact_levels}")

    def raw_score(self, probability: int, impact: int) -> Decimal:
        """The cell's score by the formula, before normalisation."""
        self._check_cell(probability, impact)
        if self.formula == PRODUCT:
            return Decimal(probability * impact)
        if self.formula == SUM:
            return Decimal(probability + impact)
        if self.formula == MAX:
            return Decimal(max(probability, impact))
        return self.table[probability - 1][impact - 1]

    def max_raw(self) -> Decimal:
        """The largest raw score of the matrix."""
        return max(self.raw_score(p, i) for p, i in self.cells())

    def score(self, probability: int, impact: int) -> Decimal:
        """The cell's score: raw, or on 0–10 when normalised; rounded half-up to SCORE_PLACES."""
        raw = self.raw_score(probability, impact)
        if self.normalise:
            raw = raw * TEN / self.max_raw()
        return round_half_up(raw, SCORE_PLACES)

    def min_score(self) -> Decimal:
        """The lowest score of any cell."""
        return min(self.score(p, i) for p, i in self.cells())

    def level_of(self, score) -> str:
        """The key of the band the score falls in."""
        s = to_decimal(score)
        found = self.bands[0].key
        for band in self.bands:
            if s >= band.start:
                found = band.key
        return found

    def level(self, probability: int, impact: int) -> str:
        """The level key of a cell."""
        return self.level_of(self.score(probability, impact))

    def cells(self) -> list[tuple[int, int]]:
        """Every (probability, impact) pair, probability 1 … N then impact 1 … M."""
        return [(p, i) for p in range(1, self.probability_levels + 1) for i in range(1, self.impact_levels + 1)]

    def grid(self) -> dict[tuple[int, int], tuple[Decimal, str]]:
        """(probability, impact) -> (score, level key) for every cell."""
        return {(p, i): (self.score(p, i), self.level(p, i)) for p, i in self.cells()}


def count_cells(positions: Sequence[tuple[int, int]], probability_levels: int, impact_levels: int) -> list[list[int]]:
    """How many positions fall in each cell: rows probability 1 … N, columns impact 1 … M (a heat map's counts)."""
    counts = [[0] * impact_levels for _ in range(probability_levels)]
    for p, i in positions:
        if 1 <= p <= probability_levels and 1 <= i <= impact_levels:
            counts[p - 1][i - 1] += 1
    return counts
