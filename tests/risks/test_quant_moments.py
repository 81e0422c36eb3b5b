"""Second-moment totals of correlated risks (oversight.quant.moments), against MISSION.md and hand computation."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from oversight.quant.moments import QuantInputError, correlated_total, correlation_from_pairs, validate_correlation


def test_mission_reference_mean_45_variance_49_4():
    corr = correlation_from_pairs(["a", "b", "c"], {("a", "b"): 0.5, ("a", "c"): 0.3, ("b", "c"): 0.4})
    total = correlated_total([10, 15, 20], [4, 9, 16], corr)
    assert total.mean == pytest.approx(45)
    assert total.variance == pytest.approx(49.4)
    assert total.std == pytest.approx(math.sqrt(49.4))


def test_without_correlation_the_variances_add_up():
    total = correlated_total([1, 2], [3, 5])
    assert (total.mean, total.variance) == (3, 8)


def test_perfect_correlation_adds_the_standard_deviations():
    corr = correlation_from_pairs(["a", "b"], {("b", "a"): 1.0})
    total = correlated_total([0, 0], [9, 16], corr)
    assert total.variance == pytest.approx((3 + 4) ** 2)


@given(st.lists(st.tuples(st.floats(-100, 100), st.floats(0, 100)), min_size=1, max_size=6), st.floats(-0.2, 1))
def test_equicorrelated_total_matches_the_pairwise_sum(rows, rho):
    # an equicorrelation matrix with rho in [-1/(n-1), 1] is positive semi-definite
    n = len(rows)
    rho = max(rho, -1 / (n - 1)) if n > 1 else rho
    corr = np.full((n, n), rho)
    np.fill_diagonal(corr, 1.0)
    means, variances = zip(*rows, strict=True)
    total = correlated_total(means, variances, corr)
    sigma = [math.sqrt(v) for v in variances]
    expected = sum(variances) + 2 * sum(rho * sigma[i] * sigma[j] for i in range(n) for j in range(i + 1, n))
    assert total.mean == pytest.approx(sum(means), abs=1e-9)
    assert total.variance == pytest.approx(expected, rel=1e-9, abs=1e-6)


def test_contradictory_correlations_are_refused_in_plain_words():
    with pytest.raises(QuantInputError) as caught:
        correlation_from_pairs(["a", "b", "c"], {("a", "b"): 0.9, ("a", "c"): 0.9, ("b", "c"): -0.9})
    assert caught.value.code == "correlation_inconsistent"
    assert "contradict" in str(caught.value)


@pytest.mark.parametrize(
    ("pairs", "code"),
    [
        ({("a", "b"): 1.5}, "correlation_range"),
        ({("a", "a"): 0.5}, "correlation_self"),
        ({("a", "z"): 0.5}, "correlation_unknown_risk"),
        ({("a", "b"): 0.5, ("b", "a"): 0.2}, "correlation_conflict"),
    ],
)
def test_bad_pairs_are_refused(pairs, code):
    with pytest.raises(QuantInputError) as caught:
        correlation_from_pairs(["a", "b"], pairs)
    assert caught.value.code == code


def test_bad_matrices_are_refused():
    with pytest.raises(QuantInputError, match="same both ways"):
        validate_correlation(np.array([[1, 0.2], [0.3, 1]]))
    with pytest.raises(QuantInputError, match="itself must be 1"):
        validate_correlation(np.array([[2, 0], [0, 1]]))
    with pytest.raises(QuantInputError) as caught:
        correlated_total([1, 2], [-1, 2])
    assert caught.value.code == "variance_negative"


def test_a_table_of_the_wrong_size_is_refused():
    with pytest.raises(QuantInputError) as caught:
        correlated_total([1, 2, 3], [1, 1, 1], np.eye(2))
    assert caught.value.code == "correlation_shape"
