"""Critical chain (Goldratt) buffer management with Decimals: buffer consumption from remaining durations, the
buffer burn rate and the zone of a fever chart.

The chain is planned with aggressive durations; the safety cut from each task is pooled in a project buffer at
the end (and feeding buffers where other chains join). Progress is reported as the remaining duration of the
chain; what the chain needs beyond its aggressive length is taken from the buffer:

    consumed = max(0, elapsed + remaining − chain length), share consumed = consumed ÷ buffer,
    share complete = (chain length − remaining) ÷ chain length (clamped to 0…1),
    burn rate = share consumed ÷ share complete.

The fever chart plots share consumed against share complete; two straight lines, each from a value at 0 %
complete to a value at 100 % complete, separate green from yellow and yellow from red (boundaries per project).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal(0)
ONE = Decimal(1)

ZONE_GREEN = "green"
ZONE_YELLOW = "yellow"
ZONE_RED = "red"


@dataclass(frozen=True)
class BufferStatus:
    """Where a chain stands: buffer used (days and share), chain complete (share) and the burn rate."""

    consumed: Decimal
    consumed_share: Decimal
    complete_share: Decimal
    burn_rate: Decimal | None


def buffer_status(*, chain_length: Decimal, buffer: Decimal, elapsed: Decimal, remaining: Decimal) -> BufferStatus:
    """Buffer consumption of a chain (all durations in the same unit, e.g. working days).

    ``burn_rate`` is ``None`` while no part of the chain is complete (nothing to divide by). A buffer consumed
    beyond its size gives a share above 1 (the chart shows it past the top); an early chain consumes nothing.
    """
    if chain_length <= 0:
        raise ValueError("the chain's length must be positive")
    if buffer <= 0:
        raise ValueError("the buffer must be positive")
    if elapsed < 0 or remaining < 0:
        raise ValueError("elapsed and remaining durations must not be negative")
    consumed = max(ZERO, elapsed + remaining - chain_length)
    consumed_share = consumed / buffer
    complete_share = min(ONE, max(ZERO, (chain_length - remaining) / chain_length))
    burn = consumed_share / complete_share if complete_share else None
    return BufferStatus(consumed, consumed_share, complete_share, burn)


def burn_rate(consumed_share: Decimal, complete_share: Decimal) -> Decimal | None:
    """Share of buffer consumed ÷ share of the chain complete (``None`` before any of the chain is complete)."""
    return consumed_share / complete_share if complete_share else None


@dataclass(frozen=True)
class FeverZones:
    """The two boundaries of a fever chart, as buffer shares at 0 % and at 100 % of the chain complete.

    The defaults draw yellow from 15 % → 75 % and red from 30 % → 90 % of the buffer, a common choice; every
    project may set its own.
    """

    yellow_start: Decimal = Decimal("0.15")
    yellow_end: Decimal = Decimal("0.75")
    red_start: Decimal = Decimal("0.30")
    red_end: Decimal = Decimal("0.90")

    def __post_init__(self) -> None:
        values = (self.yellow_start, self.yellow_end, self.red_start, self.red_end)
        if any(v < 0 for v in values):
            raise ValueError("fever-chart boundaries must not be negative")
        if self.yellow_start > self.red_start or self.yellow_end > self.red_end:
            raise ValueError("the yellow boundary must lie below the red one")

    def yellow_at(self, complete_share: Decimal) -> Decimal:
        """Buffer share where yellow begins at this share of the chain complete."""
        return self.yellow_start + (self.yellow_end - self.yellow_start) * complete_share

    def red_at(self, complete_share: Decimal) -> Decimal:
        """Buffer share where red begins at this share of the chain complete."""
        return self.red_start + (self.red_end - self.red_start) * complete_share


def fever_zone(consumed_share: Decimal, complete_share: Decimal, zones: FeverZones = FeverZones()) -> str:
    """Zone of a point of the fever chart: red on or above the red line, yellow on or above the yellow line."""
    if consumed_share >= zones.red_at(complete_share):
        return ZONE_RED
    if consumed_share >= zones.yellow_at(complete_share):
        return ZONE_YELLOW
    return ZONE_GREEN


# --------------------------------------------------------------------------------------------------------------
# Planning the chain from per-task durations (aggressive ≈ 50 % and safe ≈ 90 % estimates)
#
# The chain is the longest path of aggressive durations through the finish-to-start network (resources are not
# levelled: two chain tasks sharing a person are not serialised here). Every buffer is sized by the root square
# error method (Newbold 1998, "Project Management in the Fast Lane", ch. 5; Leach 2014, "Critical Chain Project
# Management", 3rd ed., §6): the safety cut from each task of the chain is pooled as
#
#     buffer = √ Σ (safe − aggressive)²
#
# For every point where a task off the chain is a predecessor of a chain task, a feeding chain is the longest
# aggressive path of off-chain tasks ending at that predecessor; its feeding buffer is the same formula over its
# tasks, and it is planned to finish a feeding buffer before the chain task it joins starts.
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Task:
    """A task of the network: its aggressive and safe durations (working days) and its predecessors' keys."""

    key: str
    aggressive: Decimal
    safe: Decimal
    predecessors: tuple[str, ...] = ()


@dataclass(frozen=True)
class FeedingChain:
    """A chain of off-chain tasks joining the critical chain before the chain task ``joins``."""

    tasks: tuple[str, ...]
    joins: str
    length: Decimal
    buffer: Decimal
    join_at: Decimal  # the chain task's planned start (working days from the plan's start)

    @property
    def planned_finish(self) -> Decimal:
        """Where the feeding chain is planned to end: one feeding buffer before the chain task it joins."""
        return self.join_at - self.buffer

    @property
    def planned_start(self) -> Decimal:
        return self.planned_finish - self.length


@dataclass(frozen=True)
class ChainPlan:
    """The critical chain (task keys in order), its aggressive length, the project buffer and the feeding chains."""

    chain: tuple[str, ...]
    length: Decimal
    buffer: Decimal
    feeding: tuple[FeedingChain, ...]
    early_start: dict[str, Decimal]


def rse_buffer(tasks) -> Decimal:
    """Root square error buffer √Σ(safe − aggressive)² of the given tasks (Decimal, 28 digits)."""
    return sum(((t.safe - t.aggressive) ** 2 for t in tasks), ZERO).sqrt()


def _check_tasks(tasks: dict[str, Task]) -> list[str]:
    """Validate the network and return its keys in a topological order (ties by key)."""
    for t in tasks.values():
        if t.aggressive <= 0:
            raise ValueError(f"task {t.key}: the aggressive duration must be positive")
        if t.safe < t.aggressive:
            raise ValueError(f"task {t.key}: the safe duration must not be below the aggressive one")
        unknown = [p for p in t.predecessors if p not in tasks]
        if unknown:
            raise ValueError(f"task {t.key}: unknown predecessor {unknown[0]}")
    order: list[str] = []
    done: set[str] = set()
    waiting = sorted(tasks)
    while waiting:
        ready = [k for k in waiting if all(p in done for p in tasks[k].predecessors)]
        if not ready:
            raise ValueError("the dependencies form a cycle")
        order.extend(ready)
        done.update(ready)
        waiting = [k for k in waiting if k not in done]
    return order


def _longest_back(end: str, tasks: dict[str, Task], finish: dict[str, Decimal], allowed) -> list[str]:
    """Walk back from ``end`` through allowed predecessors, always to the one finishing last (ties: lowest key)."""
    path = [end]
    while True:
        previous = [p for p in tasks[path[-1]].predecessors if allowed(p)]
        if not previous:
            return path[::-1]
        path.append(max(sorted(previous), key=lambda p: finish[p]))


def plan_chain(tasks) -> ChainPlan:
    """Schedule the network as early as possible on aggressive durations and find the chain, its project buffer
    and its feeding chains with their buffers (all in working days from the plan's start)."""
    by_key = {t.key: t for t in tasks}
    if not by_key:
        raise ValueError("a critical chain needs at least one task")
    order = _check_tasks(by_key)
    start: dict[str, Decimal] = {}
    finish: dict[str, Decimal] = {}
    for key in order:
        start[key] = max((finish[p] for p in by_key[key].predecessors), default=ZERO)
        finish[key] = start[key] + by_key[key].aggressive
    last = max(sorted(by_key), key=lambda k: finish[k])
    chain = _longest_back(last, by_key, finish, lambda p: True)
    on_chain = set(chain)
    feeding = []
    for joined in chain:
        for p in sorted(by_key[joined].predecessors):
            if p in on_chain:
                continue
            path = _longest_back(p, by_key, finish, lambda q: q not in on_chain)
            members = [by_key[k] for k in path]
            feeding.append(
                FeedingChain(
                    tasks=tuple(path),
                    joins=joined,
                    length=sum((t.aggressive for t in members), ZERO),
                    buffer=rse_buffer(members),
                    join_at=start[joined],
                )
            )
    return ChainPlan(
        chain=tuple(chain),
        length=finish[last],
        buffer=rse_buffer(by_key[k] for k in chain),
        feeding=tuple(feeding),
        early_start=start,
    )


def remaining_of(keys, remaining: dict[str, Decimal], tasks) -> Decimal:
    """Remaining duration of a chain: the sum of its tasks' remaining durations (a task not reported keeps its
    aggressive duration; the tasks of a chain follow each other)."""
    by_key = {t.key: t for t in tasks}
    return sum((remaining.get(k, by_key[k].aggressive) for k in keys), ZERO)


def chain_status(
    *, length: Decimal, buffer: Decimal, start: Decimal, now: Decimal, remaining: Decimal, finished_at=None
) -> BufferStatus:
    """Buffer status of a chain planned to start at ``start`` (working days from the plan's start) seen at ``now``:
    elapsed counts from its planned start (nothing before it), so a chain projected to end after its planned end
    eats its buffer. A finished chain (nothing remaining) stops its clock when it finished (``finished_at``), so
    its buffer use stays what it was then."""
    clock = finished_at if remaining == 0 and finished_at is not None else now
    return buffer_status(chain_length=length, buffer=buffer, elapsed=max(ZERO, clock - start), remaining=remaining)


def feeding_status(feeding: FeedingChain, *, now: Decimal, remaining: Decimal, finished_at=None) -> BufferStatus:
    """Buffer status of a feeding chain (see `chain_status`)."""
    return chain_status(
        length=feeding.length,
        buffer=feeding.buffer,
        start=feeding.planned_start,
        now=now,
        remaining=remaining,
        finished_at=finished_at,
    )
