"""Benchmark Erlang C staffing for a year of 30-minute intervals: the vectorised requirement of
``oversight.ccmath.erlang`` against a straightforward implementation in the same run.

Usage: .venv/bin/python bench/bench_staffing.py [--queues Q] [--seed S] [--loop-intervals N]

Cases: a year of 30-minute intervals (17,520) per queue, seeded: a daily and weekly profile with noise, 0–600
contacts offered per interval, AHT 150–420 s, 80 % answered within 20 s, maximum occupancy 85 %, shrinkage 30 %.

The straightforward implementation is what one writes first: per interval, N = 1, 2, … and at each N Erlang B by
the recursion from B₀ = 1 again, then C, SL and the occupancy test, until both hold. It runs on the first N
intervals of each queue (default: all of them); the ratio is its time per interval over the vectorised code's
time per interval. Both must give the same N on every interval compared (the exit status is 1 otherwise).
Times are CPU time of this process (time.process_time), so other processes' load counts against neither.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from oversight.ccmath import erlang  # noqa: E402

INTERVALS = 365 * 48
TARGET, THRESHOLD, MAX_OCC, SHRINKAGE = 0.8, 20.0, 0.85, 0.3


def year_of_intervals(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Offered per 30-minute interval and AHT for a year: daily and weekly shape, noise."""
    half_hours = np.arange(INTERVALS) % 48
    days = np.arange(INTERVALS) // 48
    daily = np.clip(np.sin((half_hours - 14) / 34 * math.pi), 0, None) ** 1.5
    weekly = np.where(days % 7 >= 5, 0.45, 1.0)
    level = rng.uniform(200, 500)
    offered = rng.poisson(level * daily * weekly + 1)
    aht = rng.uniform(150, 420) * (1 + 0.1 * rng.standard_normal(INTERVALS))
    return offered.astype(float), np.clip(aht, 60, None)


def loop_requirement(rate: float, aht: float, threshold=THRESHOLD, target=TARGET, max_occ=MAX_OCC) -> int:
    """Per interval (``rate`` contacts per second): increment N, Erlang B by recursion from scratch, C, SL and
    occupancy, until both hold."""
    a = rate * aht
    if a == 0:
        return 0
    n = 1
    while True:
        b = 1.0
        for k in range(1, n + 1):
            b = a * b / (k + a * b)
        if n > a:
            c = n * b / (n - a * (1 - b))
            sl = 1 - c * math.exp(-(n - a) * threshold / aht)
            if sl >= target and a / n <= max_occ:
                return n
        n += 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queues", type=int, default=2)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--loop-intervals", type=int, default=INTERVALS)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    total_vec = total_loop = 0.0
    compared = mismatches = 0
    for q in range(args.queues):
        offered, aht = year_of_intervals(rng)
        started = time.process_time()
        req = erlang.erlang_c_requirement(offered / 1800.0, aht, THRESHOLD, TARGET, MAX_OCC, SHRINKAGE)
        vec = time.process_time() - started
        total_vec += vec
        n = min(args.loop_intervals, INTERVALS)
        started = time.process_time()
        loop = [loop_requirement(o / 1800.0, h) for o, h in zip(offered[:n], aht[:n], strict=True)]
        lp = time.process_time() - started
        total_loop += lp
        diff = int(np.sum(np.asarray(loop) != req.agents[:n]))
        mismatches += diff
        compared += n
        print(
            f"queue {q + 1}: {INTERVALS:,} intervals, peak N {int(req.agents.max())}, "
            f"Σ rounded {int(req.agents.sum()):,} vs Σ fractional {req.fractional.sum():,.1f} agent-intervals; "
            f"vectorised {vec:.3f} s for the year; loop {lp:.3f} s for {n:,} intervals; same N: {n - diff:,}/{n:,}"
        )
    per_vec = total_vec / (args.queues * INTERVALS)
    per_loop = total_loop / compared
    print(
        f"vectorised {per_vec * 1e6:.2f} µs/interval, loop {per_loop * 1e6:.2f} µs/interval, "
        f"ratio {per_loop / per_vec:.1f}× faster; mismatches {mismatches}"
    )
    return 1 if mismatches else 0


if __name__ == "__main__":
    raise SystemExit(main())
