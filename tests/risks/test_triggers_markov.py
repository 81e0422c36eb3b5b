"""The Markov chains of vendor states: published textbook values, hand-computed cases and hypothesis properties."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oversight.quant import markov

# Grinstead & Snell, Introduction to Probability, Example 11.13 (drunkard's walk on 0..4, absorbing at 0 and 4).
DRUNKARD = np.array(
    [
        [1.0, 0.0, 0.0, 0.0, 0.0],
        [0.5, 0.0, 0.5, 0.0, 0.0],
        [0.0, 0.5, 0.0, 0.5, 0.0],
        [0.0, 0.0, 0.5, 0.0, 0.5],
        [0.0, 0.0, 0.0, 0.0, 1.0],
    ]
)
# Grinstead & Snell, Example 11.1 (Land of Oz: rain, nice, snow) and its two-step matrix printed in Example 11.2.
LAND_OF_OZ = np.array([[0.5, 0.25, 0.25], [0.5, 0.0, 0.5], [0.25, 0.25, 0.5]])
LAND_OF_OZ_P2_PUBLISHED = np.array([[0.438, 0.188, 0.375], [0.375, 0.250, 0.375], [0.375, 0.188, 0.438]])


def test_drunkards_walk_fundamental_matrix_steps_and_absorption_match_the_textbook():
    result = markov.absorbing_analysis(DRUNKARD)
    assert result.absorbing == (0, 4)
    assert result.transient == (1, 2, 3)
    np.testing.assert_allclose(result.fundamental, [[1.5, 1, 0.5], [1, 2, 1], [0.5, 1, 1.5]])
    np.testing.assert_allclose(result.expected_steps, [3, 4, 3])
    np.testing.assert_allclose(result.absorption, [[0.75, 0.25], [0.5, 0.5], [0.25, 0.75]])
    assert result.expected_steps_from(2) == pytest.approx(4)
    assert result.expected_steps_from(0) == 0


def test_land_of_oz_two_step_forecast_matches_the_printed_matrix():
    for state in range(3):
        np.testing.assert_allclose(markov.forecast(LAND_OF_OZ, state, 2), LAND_OF_OZ_P2_PUBLISHED[state], atol=5e-4)
    # The textbook's limit (Example 11.2 / 11.20): every row tends to (.4, .2, .4).
    np.testing.assert_allclose(markov.forecast(LAND_OF_OZ, [1 / 3, 1 / 3, 1 / 3], 60), [0.4, 0.2, 0.4], atol=1e-9)
    np.testing.assert_allclose(markov.forecast(LAND_OF_OZ, 1, 0), [0, 1, 0])


def test_probability_reached_within_k_steps_by_hand():
    # From 2 the walk reaches an end in 2 steps with probability 1/2 (2→1→0 or 2→3→4), never in 1 step.
    assert markov.probability_reached_within(DRUNKARD, 2, {0, 4}, 1) == pytest.approx(0)
    assert markov.probability_reached_within(DRUNKARD, 2, {0, 4}, 2) == pytest.approx(0.5)
    assert markov.probability_reached_within(DRUNKARD, 2, {0, 4}, 4) == pytest.approx(0.75)
    # Land of Oz, from nice: snow on day 1 with 1/2; else rain, then snow with 1/4: 1/2 + 1/2·1/4 = 5/8 within 2.
    assert markov.probability_reached_within(LAND_OF_OZ, 1, {2}, 2) == pytest.approx(5 / 8)
    # Reaching a state that is left again still counts: from rain, nice within 1 step is 1/4.
    assert markov.probability_reached_within(LAND_OF_OZ, 0, {1}, 1) == pytest.approx(0.25)


def test_expected_steps_to_reach_a_set_agrees_with_absorption_and_refuses_a_trap():
    assert markov.expected_steps_to_reach(DRUNKARD, 2, {0, 4}) == pytest.approx(4)
    assert markov.expected_steps_to_reach(DRUNKARD, 1, {0, 4}) == pytest.approx(3)
    assert markov.expected_steps_to_reach(DRUNKARD, 0, {0}) == 0
    # From 2 the walk may be absorbed at 4 and never reach 0: no finite expectation.
    assert markov.expected_steps_to_reach(DRUNKARD, 2, {0}) is None
    # Land of Oz, reach snow: t_R = 1 + t_R/2 + t_N/4, t_N = 1 + t_R/2 → t_R = 10/3, t_N = 8/3.
    assert markov.expected_steps_to_reach(LAND_OF_OZ, 0, {2}) == pytest.approx(10 / 3)
    assert markov.expected_steps_to_reach(LAND_OF_OZ, 1, {2}) == pytest.approx(8 / 3)


def test_absorbing_analysis_refuses_a_chain_where_absorption_is_not_certain():
    with pytest.raises(ValueError, match="no absorbing"):
        markov.absorbing_analysis(LAND_OF_OZ)
    trapped = np.array([[0.5, 0.5, 0.0], [0.5, 0.5, 0.0], [0.0, 0.0, 1.0]])
    with pytest.raises(ValueError, match="never reach"):
        markov.absorbing_analysis(trapped)


def test_estimate_smooths_toward_the_prior_and_falls_back_on_thin_rows():
    prior = np.array([[0.8, 0.1, 0.1], [0.3, 0.5, 0.2], [0.0, 0.0, 1.0]])
    sequences = [[0, 0, 0, 1, 0], [0, 0, None, 1, 1]]
    # Transitions: 0→0 ×3, 0→1 ×1, 1→0 ×1 (the None breaks 0→1), 1→1 ×1.
    estimate = markov.estimate_transitions(sequences, prior, strength=2, min_observations=3, absorbing=[2])
    np.testing.assert_array_equal(estimate.counts, [[3, 1, 0], [1, 1, 0], [0, 0, 0]])
    assert estimate.row_observations == (4, 2, 0)
    assert estimate.prior_rows == (False, True, True)
    # Row 0: (c + 2·prior) / (4 + 2) = (3 + 1.6, 1 + 0.2, 0 + 0.2) / 6.
    np.testing.assert_allclose(estimate.matrix[0], [4.6 / 6, 1.2 / 6, 0.2 / 6])
    np.testing.assert_allclose(estimate.matrix[1], prior[1])
    np.testing.assert_allclose(estimate.matrix[2], [0, 0, 1])


def test_estimate_with_no_prior_weight_is_the_maximum_likelihood_matrix():
    prior = np.full((2, 2), 0.5)
    estimate = markov.estimate_transitions([[0, 1, 1, 1, 0, 0]], prior, strength=0, min_observations=1)
    np.testing.assert_allclose(estimate.matrix, [[0.5, 0.5], [1 / 3, 2 / 3]])


@pytest.mark.parametrize(
    ("prior", "message"),
    [
        ([[0.5, 0.6], [0.5, 0.5]], "sums to"),
        ([[1.5, -0.5], [0.5, 0.5]], "negative"),
        ([[1.0, 0.0]], "square"),
        ([[np.nan, 1.0], [0.5, 0.5]], "not a number"),
    ],
)
def test_bad_prior_matrices_are_refused_in_words(prior, message):
    with pytest.raises(ValueError, match=message):
        markov.estimate_transitions([[0, 1]], prior)


def test_bad_states_and_starts_are_refused():
    prior = np.eye(2)
    with pytest.raises(ValueError, match="outside"):
        markov.estimate_transitions([[0, 2]], prior)
    with pytest.raises(ValueError, match="distribution"):
        markov.forecast(prior, [0.5, 0.6], 1)
    with pytest.raises(ValueError, match="steps"):
        markov.forecast(prior, 0, -1)


@st.composite
def stochastic_matrices(draw, largest=6, lightest=0.01):
    n = draw(st.integers(min_value=2, max_value=largest))
    weight = st.floats(lightest, 10)
    weights = draw(st.lists(st.lists(weight, min_size=n, max_size=n), min_size=n, max_size=n))
    array = np.array(weights)
    return array / array.sum(axis=1, keepdims=True)


@settings(max_examples=60, deadline=None)
@given(
    prior=stochastic_matrices(),
    data=st.data(),
    strength=st.floats(min_value=0, max_value=20),
    min_observations=st.integers(min_value=0, max_value=5),
)
def test_estimated_rows_always_sum_to_one(prior, data, strength, min_observations):
    n = prior.shape[0]
    sequences = data.draw(
        st.lists(st.lists(st.one_of(st.none(), st.integers(0, n - 1)), max_size=30), max_size=6), label="sequences"
    )
    estimate = markov.estimate_transitions(sequences, prior, strength=strength, min_observations=min_observations)
    np.testing.assert_allclose(estimate.matrix.sum(axis=1), np.ones(n))
    assert np.all(estimate.matrix >= 0)
    assert sum(estimate.row_observations) == int(estimate.counts.sum())


@settings(max_examples=40, deadline=None)
@given(matrix=stochastic_matrices(), steps=st.integers(min_value=0, max_value=24), start=st.data())
def test_forecasts_are_distributions_and_reaching_grows_with_the_horizon(matrix, steps, start):
    n = matrix.shape[0]
    state = start.draw(st.integers(0, n - 1), label="start")
    distribution = markov.forecast(matrix, state, steps)
    assert distribution.sum() == pytest.approx(1)
    target = {n - 1}
    within = [markov.probability_reached_within(matrix, state, target, k) for k in (steps, steps + 1)]
    assert 0 <= within[0] <= within[1] + 1e-12 <= 1 + 1e-9


@settings(max_examples=25, deadline=None)
@given(
    matrix=stochastic_matrices(largest=4, lightest=0.1),
    seed=st.integers(0, 2**32 - 1),
)
def test_estimates_converge_to_the_true_matrix_on_long_simulated_sequences(matrix, seed):
    rng = np.random.default_rng(seed)
    paths = [markov.sample_path(matrix, start, 20_000, rng) for start in range(matrix.shape[0])]
    prior = np.full(matrix.shape, 1 / matrix.shape[0])
    estimate = markov.estimate_transitions(paths, prior, strength=1, min_observations=10)
    observed = np.array(estimate.row_observations, dtype=float)[:, None]
    # Every entry is at least 0.1/30 of its row, so each state recurs hundreds of times in 80,000 steps; each
    # estimate is a frequency with standard error √(p(1−p)/n) plus the prior's pull of at most 1/(n + 1).
    assert observed.min() > 200
    tolerance = 6 * np.sqrt(matrix * (1 - matrix) / observed) + 1 / (observed + 1) + 1e-9
    assert np.all(np.abs(estimate.matrix - matrix) <= tolerance)
    assert np.abs(estimate.matrix - matrix).max() < 0.1


def test_sampled_paths_follow_unit_rows_exactly():
    rng = np.random.default_rng(7)
    assert markov.sample_path(DRUNKARD, 0, 5, rng) == [0] * 6
    path = markov.sample_path(DRUNKARD, 2, 200, rng)
    assert path[-1] in (0, 4)
    assert all(abs(a - b) == 1 or a == b in (0, 4) for a, b in zip(path, path[1:], strict=False))
