"""Benchmark oversight.quant.montecarlo.simulate against a plain numpy loop over the iterations.

Usage: .venv/bin/python bench/bench_risk_simulation.py [--risks K] [--iterations N] [--rounds R] [--seed S]
       (defaults: 200 risks, 10,000 iterations, 3 rounds; about 10 seconds)

Register: K random risks (seeded): a fifth recurring (Poisson λ up to 3), the rest at most once a year
(Bernoulli p up to 0.6); severities in turn PERT, triangular and lognormal (90 % range), bounds from 1,000 to
500,000. Issue 10's goal: 10,000 iterations over 200 risks in under 2 s.

Timed (CPU time of this process, ``time.process_time``, best of R rounds, garbage collector paused inside each
timed section as ``timeit`` does):

* **vectorised**: ``simulate`` without correlation, everything it returns included (percentiles, exceedance
  curve, tornado, groups);
* **vectorised + Iman-Conover**: the same with every pair correlated 0.3;
* **loop**: the same model written as most first versions are, one iteration at a time (numpy draws for the
  K risks of that year, then the total), followed by the same percentiles — the peer in the same run.

Cross-check: both means must lie within 4 standard errors of the analytic mean (exit status 1 otherwise).
"""

from __future__ import annotations

import argparse
import gc
import math
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from oversight.quant.montecarlo import (  # noqa: E402 - path set up above
    Z95,
    RiskInput,
    simulate,
)

GOAL_SECONDS = 2.0


def build_register(k: int, seed: int) -> list[RiskInput]:
    rng = np.random.default_rng(seed)
    risks = []
    for i in range(k):
        low = float(rng.uniform(1_000, 50_000))
        high = float(low * rng.uniform(2, 10))
        mode = float(rng.uniform(low, high))
        recurring = i % 5 == 0
        rate = float(rng.uniform(0, 3) if recurring else rng.uniform(0, 0.6))
        severity = ("pert", "triangular", "lognormal")[i % 3]
        risks.append(
            RiskInput(
                key=f"R{i:03d}",
                frequency="poisson" if recurring else "bernoulli",
                rate=rate,
                severity=severity,
                low=low,
                high=high,
                mode=None if severity == "lognormal" else mode,
                groups={"vendor": f"V{i % 7}", "category": f"C{i % 5}"},
            )
        )
    return risks


def loop_simulation(risks: list[RiskInput], iterations: int, seed: int) -> np.ndarray:
    """One year at a time: draw the K frequencies, then each event's severity, add up."""
    rng = np.random.Generator(np.random.PCG64(seed))
    poisson = np.array([r.frequency == "poisson" for r in risks])
    rate = np.array([r.rate for r in risks])
    low = np.array([r.low for r in risks])
    high = np.array([r.high for r in risks])
    mode = np.array([r.mode if r.mode is not None else np.nan for r in risks])
    kinds = [r.severity for r in risks]
    totals = np.empty(iterations)
    for it in range(iterations):
        counts = np.where(poisson, rng.poisson(rate), rng.random(len(risks)) < rate)
        total = 0.0
        for j in np.flatnonzero(counts):
            a, b, m, c = low[j], high[j], mode[j], int(counts[j])
            if kinds[j] == "pert":
                draws = a + (b - a) * rng.beta(1 + 4 * (m - a) / (b - a), 1 + 4 * (b - m) / (b - a), c)
            elif kinds[j] == "triangular":
                draws = rng.triangular(a, m, b, c)
            else:
                mu = (math.log(a) + math.log(b)) / 2
                draws = rng.lognormal(mu, (math.log(b) - math.log(a)) / (2 * Z95), c)
            total += draws.sum()
        totals[it] = total
    np.percentile(totals, (50, 80, 90, 95))
    return totals


def timed(function, rounds: int):
    best, value = math.inf, None
    for _ in range(rounds):
        gc.collect()
        gc.disable()
        try:
            start = time.process_time()
            value = function()
            best = min(best, time.process_time() - start)
        finally:
            gc.enable()
    return best, value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--risks", type=int, default=200)
    parser.add_argument("--iterations", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20261207)
    args = parser.parse_args()
    risks = build_register(args.risks, args.seed)
    correlation = np.full((args.risks, args.risks), 0.3)
    np.fill_diagonal(correlation, 1.0)

    print(f"python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}")
    print(f"{args.risks} risks, {args.iterations:,} iterations, best of {args.rounds} rounds (CPU seconds)")
    fast, result = timed(lambda: simulate(risks, iterations=args.iterations, seed=args.seed), args.rounds)
    corr_time, corr_result = timed(
        lambda: simulate(risks, iterations=args.iterations, seed=args.seed, correlation=correlation), args.rounds
    )
    slow, totals = timed(lambda: loop_simulation(risks, args.iterations, args.seed), 1)

    print(f"vectorised                : {fast:8.3f} s")
    print(f"vectorised + Iman-Conover : {corr_time:8.3f} s")
    print(f"plain numpy loop          : {slow:8.3f} s (1 round)")
    print(f"loop / vectorised         : {slow / fast:8.1f} x")
    print(f"goal < {GOAL_SECONDS} s             : {'met' if fast < GOAL_SECONDS else 'MISSED'}")

    loop_mean = float(totals.mean())
    loop_se = float(totals.std(ddof=1)) / math.sqrt(len(totals))
    print(
        f"analytic mean {result.analytic_mean:,.0f}; vectorised {result.mean:,.0f} ± {result.standard_error:,.0f};"
        f" loop {loop_mean:,.0f} ± {loop_se:,.0f}; correlated {corr_result.mean:,.0f}"
    )
    bad = [
        name
        for name, mean, se in (("vectorised", result.mean, result.standard_error), ("loop", loop_mean, loop_se))
        if abs(mean - result.analytic_mean) > 4 * se
    ]
    if bad:
        print("MISMATCH: " + ", ".join(bad) + " more than 4 standard errors from the analytic mean")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
