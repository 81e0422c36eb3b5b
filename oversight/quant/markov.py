"""Discrete-time Markov chains of vendor states (pure numpy, no Django).

The states are numbered ``0 .. n-1``; a chain is a row-stochastic matrix ``P`` (``P[i, j]`` is the probability of
moving from state ``i`` to state ``j`` in one step, one step being one month for vendor states).

Estimation (:func:`estimate_transitions`)
    From observed state sequences (one per vendor, one state per month, ``None`` for a month without a state) the
    transitions ``i → j`` between consecutive known months are counted (``c[i, j]``; ``n_i = Σ_j c[i, j]``). Each row
    is the posterior mean under a Dirichlet prior centred on an expert prior matrix ``A`` with strength ``s``
    (additive smoothing)::

        P[i, j] = (c[i, j] + s · A[i, j]) / (n_i + s)

    **Fallback**: a row resting on fewer than ``min_observations`` transitions is the prior row ``A[i]`` unchanged,
    and the estimate says so (``prior_rows``). Rows of states declared absorbing are the unit row whatever was
    observed (a vendor that has exited does not come back; a later state of the same vendor is a new relationship).

Forecast (:func:`forecast`)
    The distribution after ``k`` steps from ``π`` is ``π · Pᵏ``.

Absorbing chains (:func:`absorbing_analysis`; Grinstead & Snell, *Introduction to Probability*, ch. 11.2)
    With the states ordered transient first, ``P = [[Q, R], [0, I]]``; the fundamental matrix ``N = (I − Q)⁻¹``
    holds the expected number of visits to each transient state, ``t = N · 1`` the expected number of steps before
    absorption, ``B = N · R`` the probability of ending in each absorbing state.

Reaching a set within k steps (:func:`probability_reached_within`)
    Make every state of the set absorbing (its row a unit row) and take ``π · P'ᵏ`` summed over the set: the
    probability that the chain has entered the set at least once in the first ``k`` steps.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

ROW_SUM_TOLERANCE = 1e-9


def check_stochastic(matrix: np.ndarray | Sequence[Sequence[float]], *, name: str = "matrix") -> np.ndarray:
    """Return ``matrix`` as a float array after checking it is square, non-negative and has rows summing to 1."""
    array = np.asarray(matrix, dtype=float)
    if array.ndim != 2 or array.shape[0] != array.shape[1] or array.shape[0] == 0:
        raise ValueError(f"The {name} must be a non-empty square table (it is {array.shape}).")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"The {name} holds a value that is not a number.")
    if np.any(array < 0):
        raise ValueError(f"The {name} holds a negative probability.")
    sums = array.sum(axis=1)
    bad = np.flatnonzero(np.abs(sums - 1.0) > 1e-6)
    if bad.size:
        raise ValueError(f"Row {int(bad[0])} of the {name} sums to {sums[bad[0]]:.6g}, not 1.")
    return array


def transition_counts(sequences: Iterable[Sequence[int | None]], n_states: int) -> np.ndarray:
    """Count the transitions ``i → j`` between consecutive known entries of each sequence (``None`` breaks a run)."""
    counts = np.zeros((n_states, n_states), dtype=np.int64)
    for sequence in sequences:
        previous: int | None = None
        for state in sequence:
            if state is not None and not 0 <= state < n_states:
                raise ValueError(f"State {state} is outside 0..{n_states - 1}.")
            if previous is not None and state is not None:
                counts[previous, state] += 1
            previous = state
    return counts


@dataclass(frozen=True)
class TransitionEstimate:
    """An estimated transition matrix with what each row rests on."""

    matrix: np.ndarray
    counts: np.ndarray
    prior_rows: tuple[bool, ...]
    """``True`` for a row that is the prior unchanged (too few observations, or an absorbing state)."""

    @property
    def row_observations(self) -> tuple[int, ...]:
        """Number of observed transitions out of each state."""
        return tuple(int(n) for n in self.counts.sum(axis=1))


def estimate_transitions(
    sequences: Iterable[Sequence[int | None]],
    prior: np.ndarray | Sequence[Sequence[float]],
    *,
    strength: float = 1.0,
    min_observations: int = 3,
    absorbing: Iterable[int] = (),
) -> TransitionEstimate:
    """Estimate ``P`` from state sequences, smoothed toward ``prior``, with the prior as fallback for thin rows."""
    prior_matrix = check_stochastic(prior, name="prior matrix")
    if strength < 0 or not np.isfinite(strength):
        raise ValueError("The prior strength must be zero or more.")
    if min_observations < 0:
        raise ValueError("The minimum number of observations must be zero or more.")
    n_states = prior_matrix.shape[0]
    absorbing_states = set(absorbing)
    for state in absorbing_states:
        if not 0 <= state < n_states:
            raise ValueError(f"Absorbing state {state} is outside 0..{n_states - 1}.")
    counts = transition_counts(sequences, n_states)
    observed = counts.sum(axis=1)
    matrix = np.empty_like(prior_matrix)
    prior_rows = []
    for i in range(n_states):
        if i in absorbing_states:
            matrix[i] = np.eye(n_states)[i]
            prior_rows.append(True)
        elif observed[i] < max(min_observations, 1 if strength == 0 else 0):
            matrix[i] = prior_matrix[i]
            prior_rows.append(True)
        else:
            matrix[i] = (counts[i] + strength * prior_matrix[i]) / (observed[i] + strength)
            prior_rows.append(False)
    return TransitionEstimate(matrix=matrix, counts=counts, prior_rows=tuple(prior_rows))


def _distribution(start: int | Sequence[float] | np.ndarray, n_states: int) -> np.ndarray:
    if isinstance(start, int | np.integer):
        if not 0 <= start < n_states:
            raise ValueError(f"State {start} is outside 0..{n_states - 1}.")
        return np.eye(n_states)[int(start)]
    distribution = np.asarray(start, dtype=float)
    if distribution.shape != (n_states,) or np.any(distribution < 0) or abs(distribution.sum() - 1) > 1e-6:
        raise ValueError("The starting distribution must have one non-negative probability per state, summing to 1.")
    return distribution


def forecast(matrix: np.ndarray, start: int | Sequence[float] | np.ndarray, steps: int) -> np.ndarray:
    """The distribution ``π · Pᵏ`` after ``steps`` steps from a state or a distribution ``π``."""
    chain = check_stochastic(matrix)
    if steps < 0:
        raise ValueError("The number of steps must be zero or more.")
    return _distribution(start, chain.shape[0]) @ np.linalg.matrix_power(chain, steps)


def absorbing_states(matrix: np.ndarray) -> tuple[int, ...]:
    """The states whose row is the unit row (``P[i, i] = 1``)."""
    chain = check_stochastic(matrix)
    return tuple(int(i) for i in np.flatnonzero(np.abs(np.diag(chain) - 1.0) <= ROW_SUM_TOLERANCE))


@dataclass(frozen=True)
class AbsorbingAnalysis:
    """Canonical form and fundamental-matrix results of an absorbing chain."""

    transient: tuple[int, ...]
    absorbing: tuple[int, ...]
    q: np.ndarray
    r: np.ndarray
    fundamental: np.ndarray
    """``N = (I − Q)⁻¹``, rows and columns in the order of ``transient``."""
    expected_steps: np.ndarray
    """``t = N · 1``: expected steps before absorption from each transient state."""
    absorption: np.ndarray
    """``B = N · R``: rows ``transient``, columns ``absorbing``."""

    def expected_steps_from(self, state: int) -> float:
        """Expected steps to absorption from ``state`` (0 from an absorbing state)."""
        if state in self.absorbing:
            return 0.0
        return float(self.expected_steps[self.transient.index(state)])


def absorbing_analysis(matrix: np.ndarray, absorbing: Iterable[int] | None = None) -> AbsorbingAnalysis:
    """Split ``P`` into ``Q``/``R`` and compute ``N``, ``t`` and ``B``.

    ``absorbing`` defaults to the states with a unit row; the states given are treated as absorbing whatever their
    row says. Raises ``ValueError`` when there is no absorbing state, or when some transient state cannot reach
    one (``I − Q`` is then singular and absorption is not certain).
    """
    chain = check_stochastic(matrix)
    n_states = chain.shape[0]
    absorbing_set = sorted(set(absorbing_states(chain) if absorbing is None else absorbing))
    if not absorbing_set:
        raise ValueError("The chain has no absorbing state.")
    if any(not 0 <= state < n_states for state in absorbing_set):
        raise ValueError("An absorbing state is outside the chain.")
    transient = [i for i in range(n_states) if i not in absorbing_set]
    q = chain[np.ix_(transient, transient)]
    r = chain[np.ix_(transient, absorbing_set)]
    if not set(transient) <= _states_reaching(chain, absorbing_set):
        raise ValueError("Some state can never reach an absorbing state, so absorption is not certain.")
    identity = np.eye(len(transient))
    fundamental = np.linalg.solve(identity - q, identity)
    return AbsorbingAnalysis(
        transient=tuple(transient),
        absorbing=tuple(absorbing_set),
        q=q,
        r=r,
        fundamental=fundamental,
        expected_steps=fundamental @ np.ones(len(transient)),
        absorption=fundamental @ r,
    )


def _states_reaching(chain: np.ndarray, targets: Iterable[int]) -> set[int]:
    """The states with a path of positive probability into ``targets`` (the targets included)."""
    reached = set(targets)
    changed = True
    while changed:
        changed = False
        for i in range(chain.shape[0]):
            if i not in reached and any(chain[i, j] > 0 for j in reached):
                reached.add(i)
                changed = True
    return reached


def with_absorbing(matrix: np.ndarray, states: Iterable[int]) -> np.ndarray:
    """A copy of ``P`` in which each of ``states`` is absorbing (its row the unit row)."""
    chain = check_stochastic(matrix).copy()
    for state in states:
        chain[state] = np.eye(chain.shape[0])[state]
    return chain


def probability_reached_within(
    matrix: np.ndarray, start: int | Sequence[float] | np.ndarray, targets: Iterable[int], steps: int
) -> float:
    """Probability that the chain enters one of ``targets`` at least once within ``steps`` steps."""
    target_list = sorted(set(targets))
    if not target_list:
        raise ValueError("Name at least one state to reach.")
    distribution = forecast(with_absorbing(matrix, target_list), start, steps)
    return float(min(1.0, distribution[target_list].sum()))


def expected_steps_to_reach(matrix: np.ndarray, start: int, targets: Iterable[int]) -> float | None:
    """Expected steps before first entering ``targets`` from ``start``; ``None`` when that may never happen.

    A state from which some path avoids ``targets`` forever (it can reach a state that never reaches them) has an
    infinite expectation; the others solve ``(I − Q) t = 1`` over themselves, as in :func:`absorbing_analysis`.
    """
    chain = check_stochastic(matrix)
    n_states = chain.shape[0]
    target_set = set(targets)
    if not target_set or any(not 0 <= state < n_states for state in target_set):
        raise ValueError("Name at least one state of the chain to reach.")
    if not 0 <= start < n_states:
        raise ValueError(f"State {start} is outside 0..{n_states - 1}.")
    if start in target_set:
        return 0.0
    others = [i for i in range(n_states) if i not in target_set]
    trapped = [i for i in others if i not in _states_reaching(chain, target_set)]
    doomed = _states_reaching(with_absorbing(chain, target_set), trapped) - target_set if trapped else set()
    if start in doomed:
        return None
    good = [i for i in others if i not in doomed]
    q = chain[np.ix_(good, good)]
    steps = np.linalg.solve(np.eye(len(good)) - q, np.ones(len(good)))
    return float(steps[good.index(start)])


def sample_path(matrix: np.ndarray, start: int, steps: int, rng: np.random.Generator) -> list[int]:
    """A random path of ``steps`` transitions from ``start`` (``steps + 1`` states), for simulation and tests."""
    chain = check_stochastic(matrix)
    cumulative = np.cumsum(chain, axis=1)
    draws = rng.random(steps)
    path = [int(start)]
    for draw in draws:
        row = cumulative[path[-1]]
        path.append(int(min(np.searchsorted(row, draw * row[-1], side="right"), chain.shape[0] - 1)))
    return path
