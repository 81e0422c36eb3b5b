"""The pure risk matrix (oversight.quant.matrix): the formulas on hand-computed cells, normalisation, level
bands at their boundaries, refusals of malformed matrices, and the half-up rounding of probability × impact
(0.35 × 3 = 1.05, 2.5 → 3), checked against exact fractions with hypothesis."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oversight.quant import matrix as m

FIVE_BANDS = (m.Band(Decimal(1), "low"), m.Band(Decimal(5), "medium"), m.Band(Decimal(10), "high"))


def _five(**kwargs):
    kwargs.setdefault("bands", FIVE_BANDS)
    return m.Matrix(probability_levels=5, impact_levels=5, **kwargs)


def test_product_sum_and_max_on_hand_cells():
    assert _five().score(3, 4) == Decimal("12.00")
    assert _five().score(5, 5) == Decimal(25)
    assert _five(formula=m.SUM, bands=(m.Band(Decimal(2), "low"),)).score(3, 4) == Decimal(7)
    assert _five(formula=m.MAX).score(2, 5) == Decimal(5)


def test_explicit_table_is_read_row_by_probability():
    table = [[1, 2, 3], [2, 4, 6], [3, 6, 11]]
    three = m.Matrix(3, 3, formula=m.TABLE, table=table, bands=(m.Band(Decimal(0), "low"),))
    assert three.score(3, 3) == Decimal(11)
    assert three.score(1, 3) == Decimal(3)
    assert three.score(3, 1) == Decimal(3)


def test_normalised_scores_put_the_worst_cell_at_ten():
    norm = _five(normalise=True, bands=(m.Band(Decimal(0), "low"), m.Band(Decimal(6), "high")))
    assert norm.score(5, 5) == Decimal("10.00")
    # 3 × 4 × 10 / 25 = 4.8; 1 × 1 × 10 / 25 = 0.4
    assert norm.score(3, 4) == Decimal("4.80")
    assert norm.score(1, 1) == Decimal("0.40")
    # 7 × 7 matrix: 1 × 3 × 10 / 49 = 0.6122… → 0.61; 2 × 5 × 10 / 49 = 2.0408… → 2.04
    seven = m.Matrix(7, 7, normalise=True, bands=(m.Band(Decimal(0), "low"),))
    assert seven.score(1, 3) == Decimal("0.61")
    assert seven.score(2, 5) == Decimal("2.04")


def test_normalisation_rounds_half_up():
    # 4 × 4 table with a worst cell of 8: the cell worth 1 scores 1.25 exactly, 0.125 → 0.13 on a worst of 80.
    table = [[1] * 4, [1] * 4, [1] * 4, [1, 1, 1, 80]]
    four = m.Matrix(4, 4, formula=m.TABLE, table=table, normalise=True, bands=(m.Band(Decimal(0), "low"),))
    assert four.score(1, 1) == Decimal("0.13")


def test_level_bands_at_their_boundaries():
    five = _five()
    assert five.level_of(Decimal("4.99")) == "low"
    assert five.level_of(5) == "medium"
    assert five.level_of(Decimal("9.99")) == "medium"
    assert five.level_of(10) == "high"
    assert five.level(1, 1) == "low"
    assert five.level(2, 5) == "high"
    assert five.level(1, 5) == "medium"


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"probability_levels": 2, "impact_levels": 5}, "size"),
        ({"probability_levels": 5, "impact_levels": 8}, "size"),
        ({"formula": "ratio"}, "formula"),
        ({"formula": m.TABLE, "table": [[1, 2, 3]]}, "table_shape"),
        ({"bands": ()}, "bands_missing"),
        ({"bands": (m.Band(Decimal(5), "a"), m.Band(Decimal(3), "b"))}, "bands_order"),
        ({"bands": (m.Band(Decimal(1), "a"), m.Band(Decimal(3), "a"))}, "bands_duplicate"),
        ({"bands": (m.Band(Decimal(2), "a"),)}, "bands_gap"),
    ],
)
def test_malformed_matrices_are_refused(kwargs, code):
    fields = {"probability_levels": 5, "impact_levels": 5, "bands": FIVE_BANDS} | kwargs
    with pytest.raises(m.MatrixError) as exc:
        m.Matrix(**fields)
    assert exc.value.code == code


def test_a_cell_outside_the_matrix_is_refused():
    with pytest.raises(m.MatrixError):
        _five().score(6, 1)
    with pytest.raises(m.MatrixError):
        _five().score(1, 0)


def test_probability_times_impact_rounds_half_up():
    assert m.exposure(0.35, 3) == Decimal("1.05")  # a binary float would give 1.0499999999999998
    assert m.exposure(Decimal("0.125"), 1) == Decimal("0.13")
    assert m.exposure(Decimal("0.5"), 5, places=0) == Decimal(3)  # 2.5 → 3, not the banker's 2
    assert m.exposure(Decimal("0.3"), Decimal("1500000.00")) == Decimal("450000.00")
    assert m.round_half_up(Decimal("2.5")) == Decimal(3)
    assert m.round_half_up(Decimal("-2.5")) == Decimal(-3)
    assert m.round_half_up(Decimal("1.045"), 2) == Decimal("1.05")


def test_level_from_share_rounds_half_up():
    assert m.level_from_share(Decimal("0.5"), 5) == 3  # 2.5 → 3
    assert m.level_from_share(Decimal("0.1"), 5) == 1  # 0.5 → 1
    assert m.level_from_share(0, 5) == 1
    assert m.level_from_share(1, 7) == 7


@pytest.mark.parametrize(("p", "i"), [(-0.1, 1), (1.01, 1), (0.5, -1)])
def test_exposure_refuses_impossible_inputs(p, i):
    with pytest.raises(m.MatrixError):
        m.exposure(p, i)


@given(
    st.integers(min_value=0, max_value=10_000),
    st.integers(min_value=0, max_value=10**9),
)
def test_exposure_matches_exact_half_up_of_fractions(p_ten_thousandths, impact_fen):
    p = Fraction(p_ten_thousandths, 10_000)
    impact = Fraction(impact_fen, 100)
    exact = p * impact * 100  # in fen
    floor = exact.numerator // exact.denominator
    expected_fen = floor + (1 if exact - floor >= Fraction(1, 2) else 0)
    got = m.exposure(Decimal(p_ten_thousandths) / 10_000, Decimal(impact_fen) / 100)
    assert got == Decimal(expected_fen) / 100


@given(
    st.integers(min_value=3, max_value=7),
    st.integers(min_value=3, max_value=7),
    st.sampled_from([m.PRODUCT, m.SUM, m.MAX]),
    st.booleans(),
)
def test_scores_grow_with_either_level_and_bands_are_monotone(n, k, formula, normalise):
    mat = m.Matrix(n, k, formula=formula, normalise=normalise, bands=(m.Band(Decimal(0), "a"), m.Band(Decimal(5), "b")))
    order = {"a": 0, "b": 1}
    for p, i in mat.cells():
        if p < n:
            assert mat.score(p + 1, i) >= mat.score(p, i)
            assert order[mat.level(p + 1, i)] >= order[mat.level(p, i)]
        if i < k:
            assert mat.score(p, i + 1) >= mat.score(p, i)
    if normalise:
        assert mat.score(n, k) == Decimal(10)


@given(st.lists(st.tuples(st.integers(1, 5), st.integers(1, 5)), max_size=60))
def test_cell_counts_add_up_to_the_positions(positions):
    counts = m.count_cells(positions, 5, 5)
    assert sum(map(sum, counts)) == len(positions)
    for p, i in set(positions):
        assert counts[p - 1][i - 1] == positions.count((p, i))
