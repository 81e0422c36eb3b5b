"""The token bucket that limits how often one channel posts (pure).

A bucket holds up to ``capacity`` tokens and gains ``per_minute`` tokens a minute; each message takes one. When it
is empty the message waits for the next token (the sender defers it, and what piles up meanwhile goes out as one
digest). The state (tokens, time of the last refill) is stored on the channel row and changed under its lock.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BucketState:
    tokens: float
    at: float  # seconds since the epoch of the last refill


def refill(state: BucketState, now: float, *, capacity: int, per_minute: int) -> BucketState:
    """The bucket at ``now``: tokens added for the time elapsed, never above capacity."""
    elapsed = max(0.0, now - state.at)
    return BucketState(tokens=min(float(capacity), state.tokens + elapsed * per_minute / 60.0), at=now)


def take(state: BucketState, now: float, *, capacity: int, per_minute: int) -> tuple[bool, BucketState, float]:
    """Take one token: (taken, new state, seconds to wait for a token when none was taken)."""
    current = refill(state, now, capacity=capacity, per_minute=per_minute)
    if current.tokens >= 1.0:
        return True, BucketState(tokens=current.tokens - 1.0, at=now), 0.0
    if per_minute <= 0:
        return False, current, float("inf")
    wait = (1.0 - current.tokens) * 60.0 / per_minute
    return False, current, wait
