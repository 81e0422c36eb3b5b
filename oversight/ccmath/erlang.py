"""Erlang C and Erlang A staffing (话务员需求计算), vectorised with numpy over many intervals at once.

Erlang C (M/M/N, callers wait forever), exactly as MISSION.md states it::

    A = λ·AHT;  B₀ = 1,  Bₙ = A·Bₙ₋₁ / (n + A·Bₙ₋₁)        (Erlang B by recursion)
    C = N·B / (N − A·(1 − B))                              (probability of waiting)
    SL(T) = 1 − C·e^(−(N − A)·T/AHT);  ASA = C·AHT/(N − A);  occupancy = A/N
    scheduled = ⌈N / (1 − shrinkage)⌉

Required agents for an interval: the smallest integer N > A with SL(T) ≥ target and A/N ≤ max occupancy (the
"rounded" requirement). The **fractional** requirement interpolates linearly on the SL curve between N − 1 and N:
``N − 1 + (target − SL(N−1)) / (SL(N) − SL(N−1))`` (SL(N−1) = 0 when N − 1 ≤ A, an unstable queue), and is never
below A / max occupancy. Summing fractional requirements over queues or intervals does not overstate staffing the
way summing rounded ones does; ``⌈fractional⌉`` equals the rounded requirement.

Erlang A (M/M/N+M, Palm's model: callers abandon after an exponential patience with rate θ) is computed from the
birth–death chain's stationary distribution (states k = 0, 1, …; birth λ; death min(k, N)·μ + max(k − N, 0)·θ),
summed in log space and truncated where the tail is below 1e-16. An arrival that finds j ≥ 0 callers waiting
ahead is answered when j + 1 "moves" have happened (a service completion, rate N·μ, or an abandonment of someone
ahead, rate i·θ with i ahead) before its own patience runs out. With ν_i = N·μ + (i + 1)·θ:

* P(answered | j) = Π_{i=0..j} (N·μ + i·θ)/ν_i = N·μ / (N·μ + (j + 1)·θ)            (the product telescopes)
* E[wait · 1{answered} | j] = P(answered | j) · Σ_{i=0..j} 1/ν_i
* P(answered within T | j) = P(answered | j) · P(M(T) ≥ j + 1), where M is a pure-birth process with rates
  ν_0, ν_1, … — a linear birth process with immigration, so M(T) is negative-binomial with r = (N·μ + θ)/θ
  and success probability e^(−θT).

Service level for Erlang A is the share of **offered** contacts answered within T (an abandon counts against);
ASA is the mean wait of the **answered** contacts. As θ → 0 every figure tends to Erlang C's (tested).
The patience rate is estimated from interval data as θ̂ = abandoned ÷ total wait seconds, i.e. the abandonment
rate divided by the mean wait of the offered contacts (P(abandon) = θ·E[wait] holds exactly in M/M/N+M).

pyworkforce names the service-level target time ``asa``; its argument is T here, not an average speed of answer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special, stats

__all__ = [
    "ErlangA",
    "ErlangC",
    "Requirement",
    "erlang_a",
    "erlang_a_requirement",
    "erlang_b",
    "erlang_c",
    "erlang_c_load",
    "erlang_c_requirement",
    "estimate_patience",
    "intervals_rate",
    "scheduled_agents",
    "service_level_curve",
]

# Above this many agents the staffing search gives up (a queue this large is a data error, not a plan).
MAX_AGENTS = 5000


@dataclass(frozen=True)
class ErlangC:
    """Erlang C figures for one or many intervals (numpy arrays or floats)."""

    traffic: np.ndarray
    agents: np.ndarray
    p_wait: np.ndarray
    service_level: np.ndarray
    asa_seconds: np.ndarray
    occupancy: np.ndarray


@dataclass(frozen=True)
class ErlangA:
    """Erlang A figures for one or many intervals."""

    traffic: np.ndarray
    agents: np.ndarray
    p_wait: np.ndarray
    p_abandon: np.ndarray
    service_level: np.ndarray
    asa_seconds: np.ndarray
    mean_wait_seconds: np.ndarray
    occupancy: np.ndarray


@dataclass(frozen=True)
class Requirement:
    """Required agents per interval: the rounded requirement (an integer), the fractional one beside it, the
    service level reached with the rounded number, and the scheduled headcount after shrinkage."""

    traffic: np.ndarray
    agents: np.ndarray
    fractional: np.ndarray
    service_level: np.ndarray
    scheduled: np.ndarray
    scheduled_fractional: np.ndarray


def _arr(value) -> np.ndarray:
    return np.asarray(value, dtype=float)


def _check_common(traffic, aht, threshold):
    if np.any(traffic < 0) or not np.all(np.isfinite(traffic)):
        raise ValueError("traffic (offered load) must be a finite number ≥ 0")
    if np.any(aht <= 0):
        raise ValueError("the average handle time must be > 0 seconds")
    if np.any(threshold < 0):
        raise ValueError("the service-level threshold must be ≥ 0 seconds")


def erlang_b(traffic, agents) -> np.ndarray:
    """Erlang B blocking probability by the recursion B₀ = 1, Bₙ = A·Bₙ₋₁/(n + A·Bₙ₋₁)."""
    a = _arr(traffic)
    n_arr = np.asarray(agents, dtype=int)
    a, n_arr = np.broadcast_arrays(a, n_arr)
    b = np.ones(a.shape)
    for n in range(1, int(n_arr.max(initial=0)) + 1):
        step = n <= n_arr
        b = np.where(step, a * b / (n + a * b), b)
    return b


def _c_from_b(traffic, agents, b):
    with np.errstate(divide="ignore", invalid="ignore"):
        c = agents * b / (agents - traffic * (1 - b))
    return np.where(agents > traffic, c, 1.0)


def _sl_c(traffic, agents, c, aht, threshold):
    with np.errstate(over="ignore", invalid="ignore"):
        sl = 1 - c * np.exp(-(agents - traffic) * threshold / aht)
    return np.where(agents > traffic, sl, 0.0)


def erlang_c(arrivals, aht, agents, threshold) -> ErlangC:
    """Erlang C for many intervals: ``arrivals`` contacts per second (A = arrivals × AHT), ``aht`` and
    ``threshold`` in seconds, ``agents`` N (arrays broadcast together).

    Where N ≤ A the queue is unstable: P(wait) = 1, SL = 0, ASA = ∞, occupancy 1."""
    rate, aht, n, t = (_arr(v) for v in (arrivals, aht, agents, threshold))
    traffic = rate * aht
    _check_common(traffic, aht, t)
    b = erlang_b(traffic, n)
    c = _c_from_b(traffic, n, b)
    sl = _sl_c(traffic, n, c, aht, t)
    with np.errstate(divide="ignore", invalid="ignore"):
        asa = np.where(n > traffic, c * aht / (n - traffic), np.inf)
        occupancy = np.where(n > traffic, traffic / np.where(n > 0, n, 1), 1.0)
    occupancy = np.where(traffic == 0, 0.0, occupancy)
    c = np.where(traffic == 0, 0.0, c)
    sl = np.where(traffic == 0, 1.0, sl)
    asa = np.where(traffic == 0, 0.0, asa)
    return ErlangC(traffic, n, c, sl, asa, occupancy)


def scheduled_agents(agents, shrinkage):
    """Scheduled headcount ⌈N / (1 − shrinkage)⌉ (integers) for rounded requirements N."""
    s = _arr(shrinkage)
    if np.any((s < 0) | (s >= 1)):
        raise ValueError("shrinkage must be in [0, 1)")
    # A tiny tolerance keeps 14 / 0.7 = 20.000000000000004 at 20.
    return np.ceil(_arr(agents) / (1 - s) - 1e-9).astype(int)


def _validate_targets(target, max_occupancy):
    if np.any((target <= 0) | (target >= 1)):
        raise ValueError("the service-level target must be strictly between 0 and 1")
    if np.any((max_occupancy <= 0) | (max_occupancy > 1)):
        raise ValueError("the maximum occupancy must be in (0, 1]")


def _search(traffic, target, max_occ, evaluate):
    """The staffing search shared by Erlang C and A: for n = 1, 2, … ``evaluate(n, todo)`` gives the service
    level, the occupancy and the carried load at n for every interval; an interval is done at the first n that
    meets the target and the occupancy cap. Returns (rounded, fractional, service level at the rounded)."""
    shape = traffic.shape
    required = np.zeros(shape, dtype=int)
    fractional = np.zeros(shape)
    sl_at = np.ones(shape)
    sl_prev = np.zeros(shape)
    done = traffic == 0
    n = 0
    while not done.all():
        n += 1
        if n > MAX_AGENTS:
            raise ValueError(f"more than {MAX_AGENTS} agents would be needed in an interval")
        sl, occupancy, carried = evaluate(n, ~done)
        ok = (~done) & (sl >= target) & (occupancy <= max_occ + 1e-12)
        if ok.any():
            required[ok] = n
            sl_at[ok] = sl[ok]
            # Linear interpolation on the SL curve between n − 1 and n; where the occupancy cap binds instead,
            # the floor is the carried load ÷ the cap.
            with np.errstate(divide="ignore", invalid="ignore"):
                frac_sl = (n - 1) + (target - sl_prev) / (sl - sl_prev)
            frac_sl = np.where(sl_prev >= target, n - 1, frac_sl)
            floor = np.clip(carried / max_occ, n - 1, n)
            fractional[ok] = np.maximum(np.clip(frac_sl, n - 1, n), floor)[ok]
            done |= ok
        sl_prev = sl
    return required, fractional, sl_at


def _prepare(*values):
    arrays = np.broadcast_arrays(*(_arr(v) for v in values))
    return arrays[0].shape, [np.atleast_1d(x).astype(float) for x in arrays]


def erlang_c_requirement(arrivals, aht, threshold, target, max_occupancy=1.0, shrinkage=0.0) -> Requirement:
    """Required agents by Erlang C for every interval at once (arrays broadcast together).

    ``arrivals`` is contacts per second (offered in the interval ÷ interval seconds), ``aht`` and ``threshold``
    in seconds. One pass over n = 1, 2, … carries Erlang B for every interval by the recursion; each interval's
    requirement is the first n meeting both the service-level target and the occupancy cap."""
    given_shape, (rate, aht, t, target, max_occ, shrink) = _prepare(
        arrivals, aht, threshold, target, max_occupancy, shrinkage
    )
    traffic = rate * aht
    _check_common(traffic, aht, t)
    _validate_targets(target, max_occ)
    state = {"b": np.ones(traffic.shape)}

    def evaluate(n, _todo):
        state["b"] = traffic * state["b"] / (n + traffic * state["b"])
        c = _c_from_b(traffic, n, state["b"])
        return _sl_c(traffic, n, c, aht, t), traffic / n, traffic

    required, fractional, sl_at = _search(traffic, target, max_occ, evaluate)
    figures = [traffic, required, fractional, sl_at, scheduled_agents(required, shrink), fractional / (1 - shrink)]
    return Requirement(*(f.reshape(given_shape) for f in figures))


def service_level_curve(arrivals, aht, threshold, agents_from, agents_to) -> list[dict]:
    """Erlang C for one interval at every N from ``agents_from`` to ``agents_to`` (inclusive): the curve of
    service level (and P(wait), ASA, occupancy) against agents that a staffing page draws."""
    if agents_to < agents_from or agents_from < 1:
        raise ValueError("agents_from must be ≥ 1 and ≤ agents_to")
    ns = np.arange(agents_from, agents_to + 1)
    r = erlang_c(np.full(ns.shape, float(arrivals)), float(aht), ns, float(threshold))
    return [
        {
            "agents": int(ns[i]),
            "p_wait": float(r.p_wait[i]),
            "service_level": float(r.service_level[i]),
            "asa_seconds": float(r.asa_seconds[i]),
            "occupancy": float(r.occupancy[i]),
        }
        for i in range(len(ns))
    ]


# ---------------------------------------------------------------------------------------------------- Erlang A


def estimate_patience(abandoned, total_wait_seconds):
    """θ̂ = abandoned ÷ total wait (per second): abandonment rate over the mean wait of offered contacts.

    Returns 0 where nobody abandoned; raises if contacts abandoned without any recorded wait."""
    ab, wait = _arr(abandoned), _arr(total_wait_seconds)
    if np.any(ab < 0) or np.any(wait < 0):
        raise ValueError("abandoned contacts and wait must be ≥ 0")
    if np.any((ab > 0) & (wait <= 0)):
        raise ValueError("contacts abandoned but no wait was recorded: patience cannot be estimated")
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(ab > 0, ab / np.where(wait > 0, wait, 1), 0.0)


def _erlang_a_one_n(rate, mu, theta, n, t):
    """Erlang A for vectors (rate, mu, theta, t) at agents n (vector of ints ≥ 0); theta > 0."""
    a = rate / mu
    nmu = n * mu
    # Length of the waiting tail to carry: past the point where λ/(Nμ + jθ) < 1, plus a wide margin.
    j_peak = np.maximum(0.0, (rate - nmu) / theta)
    j_max = int(np.ceil(np.max(j_peak + 12 * np.sqrt(rate / theta + 1) + 60)))
    if j_max > 200_000:
        raise ValueError("patience too long for Erlang A here (θ ≈ 0): use Erlang C")
    j = np.arange(0, j_max)[None, :]  # number waiting ahead of an arrival who finds N + j in the system
    # log π_k for k < N (Poisson-like terms) and log π_{N+j} for j ≥ 0, unnormalised.
    n_max = int(np.max(n))
    k = np.arange(0, max(n_max, 1))[None, :]
    log_a = np.log(np.where(a > 0, a, 1e-300))[:, None]
    log_low = k * log_a - special.gammaln(k + 1)
    log_low = np.where(k < n[:, None], log_low, -np.inf)
    log_pi_n = (n * np.log(np.where(a > 0, a, 1e-300)) - special.gammaln(n + 1))[:, None]
    # Ratio from state N + j − 1 to N + j (j ≥ 1): λ / (Nμ + jθ).
    step = np.log(rate[:, None]) - np.log(nmu[:, None] + j[:, 1:] * theta[:, None])
    log_tail = log_pi_n + np.concatenate([np.zeros((len(rate), 1)), np.cumsum(step, axis=1)], axis=1)
    log_norm = np.logaddexp(special.logsumexp(log_low, axis=1), special.logsumexp(log_tail, axis=1))
    tail = np.exp(log_tail - log_norm[:, None])  # π_{N+j}
    p_wait = tail.sum(axis=1)
    lq = (tail[:, 1:] * j[:, 1:]).sum(axis=1)  # waiting callers: state N + j has j waiting
    p_abandon = theta * lq / rate
    # The arrival finding N + j joins with j ahead of it.
    denom = nmu[:, None] + (j + 1) * theta[:, None]
    p_answer_j = np.where(nmu[:, None] > 0, nmu[:, None] / denom, 0.0)
    cum_inv = np.cumsum(1.0 / denom, axis=1)
    r = (nmu + theta) / theta
    p = np.exp(-theta * t)
    within_j = stats.nbinom.sf(j, r[:, None], p[:, None])  # P(M(T) ≥ j + 1)
    within_j = np.where(t[:, None] > 0, within_j, 0.0)
    p_no_wait = 1 - p_wait
    answered_within = p_no_wait + (tail * p_answer_j * within_j).sum(axis=1)
    p_answered = p_no_wait + (tail * p_answer_j).sum(axis=1)
    wait_answered = (tail * p_answer_j * cum_inv).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        asa = np.where(p_answered > 0, wait_answered / p_answered, np.inf)
        occupancy = np.where(n > 0, a * (1 - p_abandon) / np.where(n > 0, n, 1), 1.0)
    return p_wait, p_abandon, answered_within, asa, lq / rate, occupancy


def erlang_a(arrivals, aht, agents, threshold, patience_rate) -> ErlangA:
    """Erlang A (M/M/N+M) for many intervals: ``arrivals`` contacts per second, ``aht`` and ``threshold`` in
    seconds, ``patience_rate`` θ per second (0 gives Erlang C exactly)."""
    rate, aht, n, t, theta = np.broadcast_arrays(*(_arr(v) for v in (arrivals, aht, agents, threshold, patience_rate)))
    given_shape = rate.shape
    rate, aht, t, theta = (np.atleast_1d(x).astype(float) for x in (rate, aht, t, theta))
    n = np.atleast_1d(n).astype(int)
    traffic = rate * aht
    _check_common(traffic, aht, t)
    if np.any(theta < 0):
        raise ValueError("the patience rate must be ≥ 0")
    if np.any(n < 0):
        raise ValueError("agents must be ≥ 0")
    shape = traffic.shape
    out = {name: np.zeros(shape) for name in ("pw", "pa", "sl", "asa", "w", "occ")}
    out["sl"][:] = 1.0
    idle = traffic == 0
    erl = (~idle) & (theta == 0)
    if erl.any():
        c = erlang_c(rate[erl], aht[erl], n[erl], t[erl])
        out["pw"][erl], out["sl"][erl], out["asa"][erl], out["occ"][erl] = (
            c.p_wait,
            c.service_level,
            c.asa_seconds,
            c.occupancy,
        )
        out["w"][erl] = c.asa_seconds
    pal = (~idle) & (theta > 0)
    if pal.any():
        mu = 1.0 / aht[pal]
        res = _erlang_a_one_n(rate[pal], mu, theta[pal], n[pal], t[pal])
        for key, value in zip(("pw", "pa", "sl", "asa", "w", "occ"), res, strict=True):
            out[key][pal] = value
    figures = [traffic, n, *(out[k] for k in ("pw", "pa", "sl", "asa", "w", "occ"))]
    return ErlangA(*(f.reshape(given_shape) for f in figures))


def erlang_a_requirement(
    arrivals, aht, threshold, target, patience_rate, max_occupancy=1.0, shrinkage=0.0
) -> Requirement:
    """Required agents by Erlang A: the smallest N with SL(T) ≥ target and occupancy ≤ the cap, searched
    upward from N = 1 for every interval still unmet; the fractional requirement interpolates as for Erlang C."""
    given_shape, (rate, aht, t, target, theta, max_occ, shrink) = _prepare(
        arrivals, aht, threshold, target, patience_rate, max_occupancy, shrinkage
    )
    traffic = rate * aht
    _check_common(traffic, aht, t)
    _validate_targets(target, max_occ)

    def evaluate(n, todo):
        idx = np.nonzero(todo)[0]
        res = erlang_a(rate[idx], aht[idx], np.full(len(idx), n), t[idx], theta[idx])
        sl, occupancy, carried = np.zeros(traffic.shape), np.ones(traffic.shape), np.zeros(traffic.shape)
        sl[idx] = np.atleast_1d(res.service_level)
        occupancy[idx] = np.atleast_1d(res.occupancy)
        carried[idx] = np.atleast_1d(res.traffic * (1 - res.p_abandon))
        return sl, occupancy, carried

    required, fractional, sl_at = _search(traffic, target, max_occ, evaluate)
    figures = [traffic, required, fractional, sl_at, scheduled_agents(required, shrink), fractional / (1 - shrink)]
    return Requirement(*(f.reshape(given_shape) for f in figures))


def erlang_c_load(traffic, aht, agents, threshold) -> ErlangC:
    """Erlang C from the offered load A in Erlangs (A = λ·AHT) instead of the arrival rate."""
    return erlang_c(_arr(traffic) / _arr(aht), aht, agents, threshold)


def intervals_rate(offered, interval_minutes) -> np.ndarray:
    """Contacts per second from contacts offered per interval."""
    if interval_minutes <= 0:
        raise ValueError("interval length must be > 0 minutes")
    return _arr(offered) / (interval_minutes * 60.0)
