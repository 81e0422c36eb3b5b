"""Second-moment totals of correlated risks, and the checks on a correlation matrix that Monte Carlo shares.

For risks with means ``μᵢ``, standard deviations ``σᵢ`` and pairwise correlations ``ρᵢⱼ`` the total ``T = Σ Xᵢ``
has, whatever the distributions,

* mean ``E[T] = Σ μᵢ``,
* variance ``Var[T] = Σ σᵢ² + 2 Σ_{i<j} ρᵢⱼ σᵢ σⱼ`` (in matrix form ``σᵀ R σ``).

MISSION.md's reference: means 10, 15, 20, variances 4, 9, 16, correlations 0.5 (1–2), 0.3 (1–3), 0.4 (2–3)
→ mean 45, variance 4 + 9 + 16 + 2·(0.5·2·3 + 0.3·2·4 + 0.4·3·4) = 49.4.

A correlation matrix is accepted when it is square, symmetric, has ones on its diagonal, entries in [−1, 1]
and is positive semi-definite (smallest eigenvalue ≥ −1e-9): pairwise correlations that no joint distribution
can have (say 0.9, 0.9 and −0.9 among three risks) are refused with :class:`QuantInputError`, in plain words.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

EIGEN_TOLERANCE = 1e-9


class QuantInputError(ValueError):
    """Inputs that cannot be computed, said in plain language.

    ``code`` is stable (the app translates by it), ``params`` fill the message, ``key`` names the risk at fault
    (or ``None``), ``field`` the input at fault (``"rate"``, ``"low"``, ``"mode"``, ``"high"``, ``"correlation"``,
    ``"iterations"``, ``"seed"``, ``"appetite"`` …).
    """

    def __init__(self, code: str, message: str, *, key: str | None = None, field: str | None = None, **params):
        self.code = code
        self.key = key
        self.field = field
        self.params = params
        super().__init__(message.format(key=key, **params))


@dataclass(frozen=True)
class MomentTotal:
    mean: float
    variance: float

    @property
    def std(self) -> float:
        return math.sqrt(self.variance)


def correlation_from_pairs(keys: Sequence[str], pairs: Mapping[tuple[str, str], float] | None) -> np.ndarray:
    """The full correlation matrix over ``keys`` from pairwise values (unnamed pairs are 0), validated."""
    n = len(keys)
    index = {key: i for i, key in enumerate(keys)}
    if len(index) != n:
        raise QuantInputError("duplicate_key", "Two risks carry the same key {dup}.", dup=_first_duplicate(keys))
    matrix = np.eye(n)
    for (first, second), value in (pairs or {}).items():
        for key in (first, second):
            if key not in index:
                raise QuantInputError(
                    "correlation_unknown_risk",
                    "A correlation names {key}, which is not among the risks simulated.",
                    key=key,
                    field="correlation",
                )
        if first == second:
            raise QuantInputError(
                "correlation_self", "A risk cannot be correlated with itself ({key}).", key=first, field="correlation"
            )
        value = float(value)
        _check_coefficient(value, first, second)
        i, j = index[first], index[second]
        if matrix[i, j] != 0 and matrix[i, j] != value:
            raise QuantInputError(
                "correlation_conflict",
                "The correlation between {key} and {other} is given twice with different values.",
                key=first,
                other=second,
                field="correlation",
            )
        matrix[i, j] = matrix[j, i] = value
    validate_correlation(matrix)
    return matrix


def validate_correlation(matrix: np.ndarray, size: int | None = None) -> None:
    """Raise :class:`QuantInputError` unless ``matrix`` is a valid correlation matrix (see the module docstring)
    with ``size`` rows and columns (any size when ``None``)."""
    matrix = np.asarray(matrix, dtype=float)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1] or (size is not None and len(matrix) != size):
        raise QuantInputError(
            "correlation_shape",
            "The correlation table must be square, one row and one column per risk.",
            field="correlation",
        )
    if not np.all(np.isfinite(matrix)):
        raise QuantInputError("correlation_not_number", "Every correlation must be a number.", field="correlation")
    if not np.allclose(np.diag(matrix), 1.0):
        raise QuantInputError(
            "correlation_diagonal", "Each risk's correlation with itself must be 1.", field="correlation"
        )
    if not np.allclose(matrix, matrix.T):
        raise QuantInputError(
            "correlation_asymmetric",
            "The correlation between two risks must be the same both ways round.",
            field="correlation",
        )
    if np.any(np.abs(matrix) > 1.0):
        raise QuantInputError("correlation_range", "Every correlation must lie between −1 and 1.", field="correlation")
    smallest = float(np.linalg.eigvalsh(matrix).min()) if len(matrix) else 0.0
    if smallest < -EIGEN_TOLERANCE:
        raise QuantInputError(
            "correlation_inconsistent",
            "These correlations contradict each other: no set of risks can be related this way "
            "(the table is not positive semi-definite). Lower the strongest ones or check their signs.",
            field="correlation",
            smallest_eigenvalue=smallest,
        )


def correlated_total(
    means: Sequence[float], variances: Sequence[float], correlation: np.ndarray | None = None
) -> MomentTotal:
    """Mean ``Σ μᵢ`` and variance ``σᵀ R σ`` of the sum of correlated risks (``R`` = identity when omitted)."""
    mu = np.asarray(means, dtype=float)
    var = np.asarray(variances, dtype=float)
    if mu.shape != var.shape or mu.ndim != 1:
        raise QuantInputError("moments_shape", "Give one mean and one variance per risk.")
    if not (np.all(np.isfinite(mu)) and np.all(np.isfinite(var))):
        raise QuantInputError("moments_not_number", "Every mean and variance must be a number.")
    if np.any(var < 0):
        raise QuantInputError("variance_negative", "A variance cannot be negative.", field="variance")
    sigma = np.sqrt(var)
    if correlation is None:
        return MomentTotal(mean=float(mu.sum()), variance=float(var.sum()))
    corr = np.asarray(correlation, dtype=float)
    validate_correlation(corr, size=len(mu))
    return MomentTotal(mean=float(mu.sum()), variance=float(sigma @ corr @ sigma))


def _check_coefficient(value: float, first: str, second: str) -> None:
    if not math.isfinite(value) or abs(value) > 1:
        raise QuantInputError(
            "correlation_range",
            "The correlation between {key} and {other} must lie between −1 and 1.",
            key=first,
            other=second,
            field="correlation",
        )


def _first_duplicate(keys: Sequence[str]) -> str:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            return key
        seen.add(key)
    return ""
