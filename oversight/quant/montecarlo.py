"""Monte Carlo over a risk register: the yearly loss of each risk and of the whole register (pure numpy).

Model of one risk (one year)
----------------------------
* **Frequency**: ``bernoulli`` — the risk happens at most once, with probability ``p`` (``0 ≤ p ≤ 1``);
  ``poisson`` — it can recur, ``N ~ Poisson(λ)`` events a year (``0 ≤ λ ≤ 50``).
* **Severity** of each event (money, ``≥ 0``):
  ``pert`` — beta-PERT with λ = 4 over ``(a, m, b)``: ``a + (b − a)·Beta(α, β)``, ``α = 1 + 4(m − a)/(b − a)``,
  ``β = 1 + 4(b − m)/(b − a)``; mean ``(a + 4m + b)/6``, variance ``(μ − a)(b − μ)/7``.
  ``triangular`` — ``(a, m, b)``; mean ``(a + m + b)/3``, variance ``(a² + b² + m² − ab − am − bm)/18``.
  ``lognormal`` — from a 90 % range ``(P5, P95)``: ``ln X ~ N(μ, σ²)``, ``μ = (ln P5 + ln P95)/2``,
  ``σ = (ln P95 − ln P5)/(2·z₀.₉₅)``, ``z₀.₉₅ = Φ⁻¹(0.95) ≈ 1.6449``; mean ``e^{μ+σ²/2}``,
  variance ``(e^{σ²} − 1)·e^{2μ+σ²}``.
* **Yearly loss** ``L = Σ_{k=1..N} Xₖ`` (``N`` ∈ {0, 1} for Bernoulli). Analytic mean ``E[L] = r·E[X]`` with
  ``r = p`` or ``λ`` — for Bernoulli-PERT this is MISSION.md's ``p·(a + 4m + b)/6``; variance
  ``p·E[X²] − p²·E[X]²`` (Bernoulli) or ``λ·E[X²]`` (compound Poisson).

Register
--------
``T = Σ Lᵢ``. With a correlation matrix the columns ``Lᵢ`` are re-ordered by **Iman–Conover** (1982): van der
Waerden scores ``Φ⁻¹(i/(n+1))`` randomly permuted per column, decorrelated by the Cholesky factor of their own
sample correlation and given the target correlation by a square root of the target matrix; each risk's losses
are then placed in the rank order of its column. Every risk keeps exactly its own simulated losses (its marginal
distribution); only which years they fall in changes, so the rank correlation of the losses approaches the target
(less where a risk has many loss-free years, since ties cannot be ordered).

Output (:class:`SimulationResult`)
----------------------------------
Mean, standard deviation and standard error of ``T``; percentiles P50, P80, P90, P95 (numpy's default linear
interpolation between order statistics); the **base** = the analytic expected loss ``Σ E[Lᵢ]`` (not sampled, so it
reproduces from the inputs alone and equals the expected-value register); **contingency** ``P80 − base``
(reserve above the expected loss that suffices in 4 years out of 5) and ``P95 − P50`` (the spread of a bad year
over a typical one); the loss-exceedance curve ``P(T > x)`` on 41 evenly spaced ``x`` from 0 to the largest
simulated total; the **tornado** — per risk its **tail contribution** ``E[Lᵢ | T ≥ P90]`` (what the risk costs on
average in the worst 10 % of years; these add up to the tail mean ``E[T | T ≥ P90]``) and its **variance share**
``Cov(Lᵢ, T)/Var(T)`` (these add up to 1); totals per group label; ``P(T > appetite)``; per risk the simulated
and analytic mean.

Reproducibility: ``seed`` → ``SeedSequence(seed).spawn(2)`` → two ``Generator(PCG64(child))``, one for the
losses and one for the Iman–Conover scores; the same inputs (in the same order), iterations and seed give
bit-identical numbers on the same numpy version.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from statistics import NormalDist

import numpy as np

from oversight.quant.moments import QuantInputError, correlated_total, validate_correlation

Z95 = NormalDist().inv_cdf(0.95)
MIN_ITERATIONS = 10_000
MAX_ITERATIONS = 200_000
MAX_RATE = 50.0
MAX_CELLS = 20_000_000  # iterations × risks, and also the most severities drawn (memory bound)
MAX_SEED = 2**63 - 1
PERCENTILES = (50, 80, 90, 95)
LEC_POINTS = 41
TAIL_PERCENTILE = 90


class Frequency(StrEnum):
    BERNOULLI = "bernoulli"
    POISSON = "poisson"


class Severity(StrEnum):
    PERT = "pert"
    TRIANGULAR = "triangular"
    LOGNORMAL = "lognormal"


@dataclass(frozen=True)
class RiskInput:
    """One risk. ``low``/``mode``/``high`` are ``a``/``m``/``b`` (``mode`` unused for lognormal, where ``low`` and
    ``high`` are P5 and P95). ``groups`` maps a dimension to this risk's label, e.g. ``{"vendor": "Acme"}``."""

    key: str
    frequency: Frequency | str
    rate: float
    severity: Severity | str
    low: float
    high: float
    mode: float | None = None
    groups: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RiskMoments:
    mean: float
    variance: float
    severity_mean: float


@dataclass(frozen=True)
class RiskOutcome:
    key: str
    analytic_mean: float
    simulated_mean: float
    tail_contribution: float
    variance_share: float


@dataclass(frozen=True)
class GroupTotal:
    dimension: str
    label: str
    mean: float
    p90: float


@dataclass(frozen=True)
class SimulationResult:
    iterations: int
    seed: int
    correlated: bool
    mean: float
    std: float
    standard_error: float
    analytic_mean: float
    analytic_std: float
    base: float
    percentiles: dict[int, float]
    contingency_p80_base: float
    contingency_p95_p50: float
    tail_mean: float
    appetite: float | None
    prob_exceed_appetite: float | None
    exceedance: list[tuple[float, float]]
    risks: list[RiskOutcome]
    groups: list[GroupTotal]

    def as_dict(self) -> dict:
        """Plain JSON-ready values (percentile keys as strings)."""
        data = asdict(self)
        data["percentiles"] = {str(k): v for k, v in self.percentiles.items()}
        data["exceedance"] = [list(point) for point in self.exceedance]
        return data


# --- validation -------------------------------------------------------------------------------------------------


def validate_risk(risk: RiskInput) -> None:
    """Raise :class:`QuantInputError` in plain language when ``risk`` cannot be simulated."""
    key = risk.key
    try:
        frequency = Frequency(risk.frequency)
    except ValueError:
        raise QuantInputError(
            "frequency_unknown",
            "{key}: the frequency must be 'at most once' or 'recurring'.",
            key=key,
            field="frequency",
        ) from None
    try:
        severity = Severity(risk.severity)
    except ValueError:
        raise QuantInputError(
            "severity_unknown",
            "{key}: the severity must be PERT, triangular or lognormal.",
            key=key,
            field="severity",
        ) from None
    values = {"rate": risk.rate, "low": risk.low, "high": risk.high}
    if severity != Severity.LOGNORMAL:
        values["mode"] = risk.mode
    for name, value in values.items():
        if value is None or not math.isfinite(float(value)):
            raise QuantInputError("missing_value", "{key}: a number is needed for every input.", key=key, field=name)
        if float(value) < 0:
            raise QuantInputError("negative", "{key}: the values cannot be negative.", key=key, field=name)
    rate, low, high = float(risk.rate), float(risk.low), float(risk.high)
    if frequency == Frequency.BERNOULLI and rate > 1:
        raise QuantInputError(
            "probability_range", "{key}: a probability must lie between 0 and 1.", key=key, field="rate"
        )
    if frequency == Frequency.POISSON and rate > MAX_RATE:
        raise QuantInputError(
            "rate_range",
            "{key}: at most {limit:g} events a year can be simulated.",
            key=key,
            field="rate",
            limit=MAX_RATE,
        )
    if low >= high:
        raise QuantInputError(
            "bounds_order", "{key}: the lower bound must be below the upper bound.", key=key, field="low"
        )
    if severity == Severity.LOGNORMAL:
        if low <= 0:
            raise QuantInputError(
                "lognormal_zero",
                "{key}: a lognormal range needs a lower bound (P5) above zero.",
                key=key,
                field="low",
            )
    elif not low <= float(risk.mode) <= high:
        raise QuantInputError(
            "mode_outside",
            "{key}: the most likely value must lie between the lower and upper bounds.",
            key=key,
            field="mode",
        )


def validate_run(risks: Sequence[RiskInput], iterations: int, seed: int, appetite: float | None) -> None:
    if not MIN_ITERATIONS <= iterations <= MAX_ITERATIONS:
        raise QuantInputError(
            "iterations_range",
            "The number of iterations must be between {low} and {high}.",
            field="iterations",
            low=MIN_ITERATIONS,
            high=MAX_ITERATIONS,
        )
    if not 0 <= seed <= MAX_SEED:
        raise QuantInputError("seed_range", "The seed must be a whole number from 0 to 2⁶³ − 1.", field="seed")
    if appetite is not None and (not math.isfinite(appetite) or appetite < 0):
        raise QuantInputError("appetite_negative", "The appetite must be an amount of 0 or more.", field="appetite")
    if not risks:
        raise QuantInputError("no_risks", "There is no quantified risk to simulate.")
    keys = [r.key for r in risks]
    if len(set(keys)) != len(keys):
        raise QuantInputError("duplicate_key", "Two risks carry the same key.")
    for risk in risks:
        validate_risk(risk)
    expected_draws = iterations * sum(float(r.rate) for r in risks)
    if iterations * len(risks) > MAX_CELLS or expected_draws > MAX_CELLS:
        raise QuantInputError(
            "too_large",
            "This register is too large for {iterations} iterations; use fewer iterations.",
            field="iterations",
            iterations=iterations,
        )


# --- analytic moments -------------------------------------------------------------------------------------------


def severity_moments(risk: RiskInput) -> tuple[float, float]:
    """``(E[X], Var[X])`` of one event's cost."""
    a, b = float(risk.low), float(risk.high)
    severity = Severity(risk.severity)
    if severity == Severity.PERT:
        m = float(risk.mode)
        mean = (a + 4 * m + b) / 6
        return mean, (mean - a) * (b - mean) / 7
    if severity == Severity.TRIANGULAR:
        m = float(risk.mode)
        return (a + m + b) / 3, (a * a + b * b + m * m - a * b - a * m - b * m) / 18
    mu, sigma = lognormal_parameters(a, b)
    return math.exp(mu + sigma**2 / 2), math.expm1(sigma**2) * math.exp(2 * mu + sigma**2)


def risk_moments(risk: RiskInput) -> RiskMoments:
    """Analytic mean and variance of one risk's yearly loss (see the module docstring)."""
    s_mean, s_var = severity_moments(risk)
    rate = float(risk.rate)
    second = s_var + s_mean**2
    if Frequency(risk.frequency) == Frequency.BERNOULLI:
        variance = rate * second - (rate * s_mean) ** 2
    else:
        variance = rate * second
    return RiskMoments(mean=rate * s_mean, variance=max(variance, 0.0), severity_mean=s_mean)


def lognormal_parameters(p5: float, p95: float) -> tuple[float, float]:
    """``(μ, σ)`` of ``ln X`` for a lognormal whose 5th and 95th percentiles are ``p5`` and ``p95``."""
    lo, hi = math.log(p5), math.log(p95)
    return (lo + hi) / 2, (hi - lo) / (2 * Z95)


# --- sampling ---------------------------------------------------------------------------------------------------


def sample_losses(risks: Sequence[RiskInput], iterations: int, rng: np.random.Generator) -> np.ndarray:
    """The ``iterations × len(risks)`` matrix of yearly losses, each risk independent."""
    n, k = iterations, len(risks)
    frequency = np.array([Frequency(r.frequency) == Frequency.POISSON for r in risks])
    rate = np.array([float(r.rate) for r in risks])
    counts = np.empty((n, k), dtype=np.int64)
    bern = ~frequency
    if bern.any():
        counts[:, bern] = rng.random((n, int(bern.sum()))) < rate[bern]
    if frequency.any():
        counts[:, frequency] = rng.poisson(rate[frequency], size=(n, int(frequency.sum())))
    cells = np.repeat(np.arange(n * k), counts.ravel())
    column = cells % k
    severities = np.empty(len(cells))
    kinds = np.array([Severity(r.severity).value for r in risks])
    low = np.array([float(r.low) for r in risks])
    high = np.array([float(r.high) for r in risks])
    mode = np.array([float(r.mode) if r.mode is not None else np.nan for r in risks])
    for kind in Severity:
        draw = kinds[column] == kind.value
        if not draw.any():
            continue
        cols = column[draw]
        a, b = low[cols], high[cols]
        if kind == Severity.PERT:
            m = mode[cols]
            alpha = 1 + 4 * (m - a) / (b - a)
            beta = 1 + 4 * (b - m) / (b - a)
            severities[draw] = a + (b - a) * rng.beta(alpha, beta)
        elif kind == Severity.TRIANGULAR:
            severities[draw] = rng.triangular(a, mode[cols], b)
        else:
            mu = (np.log(a) + np.log(b)) / 2
            sigma = (np.log(b) - np.log(a)) / (2 * Z95)
            severities[draw] = rng.lognormal(mu, sigma)
    return np.bincount(cells, weights=severities, minlength=n * k).reshape(n, k)


def iman_conover(losses: np.ndarray, correlation: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Re-order each column of ``losses`` so that their rank correlation approaches ``correlation``."""
    n, k = losses.shape
    scores = np.array([NormalDist().inv_cdf(i / (n + 1)) for i in range(1, n + 1)])
    permuted = rng.permuted(np.tile(scores[:, None], (1, k)), axis=0)
    own = np.corrcoef(permuted, rowvar=False)
    own_factor = np.linalg.cholesky(own)
    values, vectors = np.linalg.eigh(correlation)
    target_root = vectors * np.sqrt(np.clip(values, 0.0, None))
    target = permuted @ np.linalg.inv(own_factor).T @ target_root.T
    ranks = np.argsort(np.argsort(target, axis=0, kind="stable"), axis=0, kind="stable")
    return np.take_along_axis(np.sort(losses, axis=0), ranks, axis=0)


# --- the run ----------------------------------------------------------------------------------------------------


def simulate(
    risks: Sequence[RiskInput],
    *,
    iterations: int = MIN_ITERATIONS,
    seed: int,
    correlation: np.ndarray | None = None,
    appetite: float | None = None,
    progress: Callable[[float], None] | None = None,
) -> SimulationResult:
    """Simulate the register (see the module docstring). ``progress`` is called with a fraction in [0, 1]."""
    validate_run(risks, iterations, seed, appetite)
    if correlation is not None:
        correlation = np.asarray(correlation, dtype=float)
        validate_correlation(correlation, size=len(risks))
        if np.allclose(correlation, np.eye(len(risks))):
            correlation = None
    report = progress or (lambda fraction: None)
    loss_seed, score_seed = np.random.SeedSequence(seed).spawn(2)
    losses = sample_losses(risks, iterations, np.random.Generator(np.random.PCG64(loss_seed)))
    report(0.6)
    if correlation is not None:
        losses = iman_conover(losses, correlation, np.random.Generator(np.random.PCG64(score_seed)))
    report(0.8)
    result = summarise(risks, losses, seed=seed, correlation=correlation, appetite=appetite)
    report(1.0)
    return result


def summarise(
    risks: Sequence[RiskInput],
    losses: np.ndarray,
    *,
    seed: int,
    correlation: np.ndarray | None,
    appetite: float | None,
) -> SimulationResult:
    n = losses.shape[0]
    total = losses.sum(axis=1)
    moments = [risk_moments(r) for r in risks]
    analytic = correlated_total([m.mean for m in moments], [m.variance for m in moments], correlation)
    std = float(total.std(ddof=1))
    pct = dict(zip(PERCENTILES, (float(v) for v in np.percentile(total, PERCENTILES)), strict=True))
    base = analytic.mean
    tail = total >= np.percentile(total, TAIL_PERCENTILE)
    tail_columns = losses[tail].mean(axis=0)
    centred = total - total.mean()
    variance = float(centred @ centred)
    shares = (losses - losses.mean(axis=0)).T @ centred / variance if variance > 0 else np.zeros(len(risks))
    simulated = losses.mean(axis=0)
    outcomes = [
        RiskOutcome(
            key=r.key,
            analytic_mean=m.mean,
            simulated_mean=float(simulated[i]),
            tail_contribution=float(tail_columns[i]),
            variance_share=float(shares[i]),
        )
        for i, (r, m) in enumerate(zip(risks, moments, strict=True))
    ]
    top = float(total.max())
    grid = np.linspace(0.0, top, LEC_POINTS) if top > 0 else np.zeros(1)
    ordered = np.sort(total)
    exceed = (n - np.searchsorted(ordered, grid, side="right")) / n
    return SimulationResult(
        iterations=n,
        seed=seed,
        correlated=correlation is not None,
        mean=float(total.mean()),
        std=std,
        standard_error=std / math.sqrt(n),
        analytic_mean=analytic.mean,
        analytic_std=analytic.std,
        base=base,
        percentiles=pct,
        contingency_p80_base=pct[80] - base,
        contingency_p95_p50=pct[95] - pct[50],
        tail_mean=float(total[tail].mean()),
        appetite=appetite,
        prob_exceed_appetite=None if appetite is None else float((total > appetite).mean()),
        exceedance=[(float(x), float(p)) for x, p in zip(grid, exceed, strict=True)],
        risks=outcomes,
        groups=group_totals(risks, losses),
    )


def group_totals(risks: Sequence[RiskInput], losses: np.ndarray) -> list[GroupTotal]:
    """Mean and P90 of the summed losses of the risks sharing a label, per dimension, sorted by mean (largest first)."""
    members: dict[tuple[str, str], list[int]] = {}
    for i, risk in enumerate(risks):
        for dimension, label in risk.groups.items():
            members.setdefault((dimension, label), []).append(i)
    totals = []
    for (dimension, label), columns in members.items():
        group = losses[:, columns].sum(axis=1)
        totals.append(GroupTotal(dimension, label, float(group.mean()), float(np.percentile(group, 90))))
    return sorted(totals, key=lambda g: (g.dimension, -g.mean, g.label))
