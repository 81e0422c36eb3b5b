"""Pure computation of one SLA clock from its timeline (no Django).

Timeline
--------
The clock starts *running* at ``started_at``. ``transitions`` is the ordered list of state
changes ``(at, state)`` with state in ``"running"``, ``"paused"``, ``"stopped"``:

* ``running``: business time (on ``calendar``) counts towards the target;
* ``paused``: nothing counts (the business time spent paused is reported as ``paused_seconds``);
* ``stopped``: the target was achieved (first response, arrival, resolution...); nothing counts;
  a later ``running`` means the item was reopened and the clock resumes where it left off.

Transitions dated after ``now`` are ignored (not yet happened). Transitions dated before
``started_at`` take effect at ``started_at`` (e.g. a work order received already on hold).
Several transitions at the same instant are applied in order (only the last one matters).
Transitions must be sorted by time (ValueError otherwise).

Results
-------
All arithmetic is on exact integer microseconds (engine ``*_microseconds`` functions); the
float fields are those microseconds divided by 10**6.

* ``elapsed``: counted business time up to ``now``; ``paused``: business time spent paused.
* ``due_at``: the earliest instant at which the counted time reaches the target. If it was
  reached before ``now`` that past instant is reported in every state. Otherwise it is a
  projection: while running, as if the clock keeps running from ``now``; while stopped (met
  early), the instant the target would have been reached had the clock kept running from the end
  of its last counted segment; while paused it is ``None`` (it depends on when work resumes, the
  remaining time is kept).
* ``warning_at``: the same for ``warning_ratio * target`` (rounded half-even to a microsecond).
  A threshold of 0 is reached at ``started_at``.
* ``breached``: counted time strictly exceeds the target. ``breached_at`` is then the instant the
  allowance ran out (== ``due_at``); a clock stopped with elapsed exactly equal to the target is
  met. State precedence: breached > met (stopped) > paused > running.

* ``segments``: one per maximal stretch in one state, tiling ``[started_at, now)``; kinds are
  ``counted`` (running), ``paused`` and ``stopped``; the last one is ongoing at ``now`` and has
  ``end=None``; ``business_seconds`` is the business time inside it (up to ``now`` for the last).
* ``now`` before ``started_at``: state running, nothing counted, no segments, deadlines projected
  from ``started_at``.

Projections may need future calendar data: CalendarDataMissing propagates so the caller can ask
for the year's holidays instead of showing a guessed deadline.

Earlier calendars (effective-dated calendars, docs/adr/0015)
-------------------------------------------------------------
``earlier_calendars`` lists the calendar's earlier states as ``(replaced_at, spec)`` pairs, oldest
first: each spec was in force until its ``replaced_at`` (from the previous pair's ``replaced_at``, the
first from the beginning), and ``calendar`` is in force from the last ``replaced_at`` on (always, when
the list is empty). Every instant is measured with the calendar in force at that instant, so time
already counted keeps the calendar it was counted on and an edit applies from when it was made.
Counting and deadlines cross the boundaries exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Literal

from oversight.businesstime.engine import (
    CalendarSpec,
    add_business_microseconds,
    business_microseconds_between,
    datetime_to_us,
    us_to_datetime,
)

__all__ = [
    "PAUSED",
    "RUNNING",
    "STOPPED",
    "ClockInput",
    "ClockResult",
    "Segment",
    "compute_clock",
]

RUNNING = "running"
PAUSED = "paused"
STOPPED = "stopped"
_STATES = (RUNNING, PAUSED, STOPPED)
_KIND_OF_STATE = {RUNNING: "counted", PAUSED: "paused", STOPPED: "stopped"}

TransitionState = Literal["running", "paused", "stopped"]
SegmentKind = Literal["counted", "paused", "stopped"]
ClockState = Literal["running", "paused", "met", "breached"]


@dataclass(frozen=True)
class ClockInput:
    """Everything needed to compute one SLA clock (see the module docstring for semantics)."""

    started_at: datetime
    target_seconds: int
    warning_ratio: Decimal | float
    calendar: CalendarSpec
    transitions: tuple[tuple[datetime, str], ...] = ()
    earlier_calendars: tuple[tuple[datetime, CalendarSpec], ...] = ()

    def __post_init__(self) -> None:
        """Validate eagerly so bad timelines fail where they are built."""
        datetime_to_us(self.started_at)  # raises ValueError if naive
        if isinstance(self.target_seconds, bool) or not isinstance(self.target_seconds, int):
            raise ValueError(f"target_seconds must be an int, got {self.target_seconds!r}")
        if self.target_seconds < 0:
            raise ValueError("target_seconds must be >= 0")
        ratio = _ratio_decimal(self.warning_ratio)
        if not Decimal(0) <= ratio <= Decimal(1):
            raise ValueError(f"warning_ratio must be within [0, 1], got {self.warning_ratio!r}")
        if not isinstance(self.calendar, CalendarSpec):
            raise ValueError("calendar must be a CalendarSpec")
        transitions = tuple(tuple(t) for t in self.transitions)
        prev = None
        for item in transitions:
            if len(item) != 2:
                raise ValueError(f"transition {item!r} must be an (at, state) pair")
            at, state = item
            if state not in _STATES:
                raise ValueError(f"transition state {state!r} must be one of {_STATES}")
            us = datetime_to_us(at)
            if prev is not None and us < prev:
                raise ValueError("transitions must be ordered by time")
            prev = us
        object.__setattr__(self, "transitions", transitions)
        earlier = tuple(tuple(item) for item in self.earlier_calendars)
        prev = None
        for item in earlier:
            if len(item) != 2 or not isinstance(item[1], CalendarSpec):
                raise ValueError(f"earlier calendar {item!r} must be a (replaced_at, CalendarSpec) pair")
            us = datetime_to_us(item[0])
            if prev is not None and us < prev:
                raise ValueError("earlier calendars must be ordered by the time they were replaced")
            prev = us
        object.__setattr__(self, "earlier_calendars", earlier)


class _InForce:
    """Business time on the calendar in force at each instant: piece i is ``[bounds[i-1], bounds[i])`` on specs[i].

    With no earlier calendars it is exactly the engine's single-calendar arithmetic.
    """

    def __init__(self, current: CalendarSpec, earlier: tuple[tuple[datetime, CalendarSpec], ...]) -> None:
        self.bounds = [datetime_to_us(replaced_at) for replaced_at, _spec in earlier]
        self.specs = [spec for _replaced_at, spec in earlier] + [current]

    def _pieces(self, start_us: int, end_us: int):
        """(spec, piece start, piece end) covering ``[start_us, end_us)`` in order."""
        lo = start_us
        for i, spec in enumerate(self.specs):
            hi = self.bounds[i] if i < len(self.bounds) else end_us
            if hi <= lo:
                continue
            piece_end = min(hi, end_us)
            if piece_end > lo:
                yield spec, lo, piece_end
            lo = max(lo, piece_end)
            if lo >= end_us:
                return

    def between(self, start: datetime, end: datetime) -> int:
        """Business microseconds in ``[start, end)``."""
        if not self.bounds:
            return business_microseconds_between(self.specs[0], start, end)
        start_us, end_us = datetime_to_us(start), datetime_to_us(end)
        return sum(
            business_microseconds_between(spec, us_to_datetime(a), us_to_datetime(b))
            for spec, a, b in self._pieces(start_us, end_us)
        )

    def add(self, start: datetime, amount_us: int) -> datetime:
        """The earliest instant at which ``amount_us`` of business time after ``start`` have passed."""
        if not self.bounds:
            return add_business_microseconds(self.specs[0], start, amount_us)
        start_us = datetime_to_us(start)
        for i, spec in enumerate(self.specs):
            if i < len(self.bounds):
                if self.bounds[i] <= start_us:
                    continue
                piece_start = us_to_datetime(start_us)
                available = business_microseconds_between(spec, piece_start, us_to_datetime(self.bounds[i]))
                if available >= amount_us:
                    return add_business_microseconds(spec, piece_start, amount_us)
                amount_us -= available
                start_us = self.bounds[i]
            else:
                return add_business_microseconds(spec, us_to_datetime(start_us), amount_us)
        raise AssertionError("unreachable: the current calendar is in force forever")


@dataclass(frozen=True)
class Segment:
    """A stretch of the timeline in one state; end is None for the segment ongoing at now."""

    start: datetime
    end: datetime | None
    kind: SegmentKind
    business_seconds: float


@dataclass(frozen=True)
class ClockResult:
    """Computed state of a clock at `now` (see the module docstring for each field)."""

    state: ClockState
    elapsed_seconds: float
    paused_seconds: float
    due_at: datetime | None
    warning_at: datetime | None
    breached_at: datetime | None
    stopped_at: datetime | None
    remaining_seconds: float
    segments: tuple[Segment, ...]


def _ratio_decimal(ratio: Decimal | float) -> Decimal:
    """Ratio as a Decimal; floats via their shortest repr so 0.75 means exactly 3/4."""
    if isinstance(ratio, bool):
        raise ValueError("warning_ratio must be a number")
    if isinstance(ratio, Decimal):
        value = ratio
    elif isinstance(ratio, int | float):
        value = Decimal(repr(float(ratio)))
    else:
        raise ValueError(f"warning_ratio must be a Decimal or float, got {ratio!r}")
    if not value.is_finite():
        raise ValueError("warning_ratio must be finite")
    return value


def _timeline(
    start_us: int, now_us: int, transitions: tuple[tuple[datetime, str], ...]
) -> tuple[list[tuple[int, int, str]], int, str]:
    """Closed segments (start, end, state) before the current one, current start and state."""
    closed: list[tuple[int, int, str]] = []
    cur_start, cur_state = start_us, RUNNING
    for at, state in transitions:
        t = datetime_to_us(at)
        if t > now_us:
            break  # sorted: everything after is in the future too
        t = max(t, start_us)
        if state == cur_state:
            continue
        if t > cur_start:
            closed.append((cur_start, t, cur_state))
            cur_start = t
        cur_state = state
        # A zero-length excursion (e.g. paused and resumed at the same instant) must not split
        # the surrounding segment in two.
        if closed and closed[-1][2] == cur_state and closed[-1][1] == cur_start:
            cur_start = closed.pop()[0]
    return closed, cur_start, cur_state


def compute_clock(inp: ClockInput, now: datetime) -> ClockResult:
    """Compute the clock's state, counted time and deadlines at `now` (exact, deterministic)."""
    cal = _InForce(inp.calendar, inp.earlier_calendars)
    start_us = datetime_to_us(inp.started_at)
    now_us = datetime_to_us(now)
    target_us = inp.target_seconds * 1_000_000
    warning_us = round(_ratio_decimal(inp.warning_ratio) * target_us)

    if now_us < start_us:
        # Not started yet: nothing counted; deadlines projected from the start.
        due = cal.add(inp.started_at, target_us)
        warn = cal.add(inp.started_at, warning_us)
        return ClockResult(RUNNING, 0.0, 0.0, due, warn, None, None, target_us / 1e6, ())

    closed, cur_start, cur_state = _timeline(start_us, now_us, inp.transitions)
    # (start, end, state, business µs); the current segment is measured up to now.
    measured = [(s, e, st, cal.between(us_to_datetime(s), us_to_datetime(e))) for s, e, st in closed]
    cur_us = cal.between(us_to_datetime(cur_start), now)
    measured.append((cur_start, now_us, cur_state, cur_us))

    elapsed_us = sum(b for _, _, st, b in measured if st == RUNNING)
    paused_us = sum(b for _, _, st, b in measured if st == PAUSED)
    counted = [(s, e, b) for s, e, st, b in measured if st == RUNNING]

    def reach(threshold_us: int) -> datetime | None:
        """Earliest instant at which counted time reaches threshold_us (see module doc)."""
        if threshold_us == 0:
            return us_to_datetime(start_us)  # elapsed is 0 from the very start
        cum = 0
        for s, _e, b in counted:
            if cum + b >= threshold_us:
                return cal.add(us_to_datetime(s), threshold_us - cum)
            cum += b
        if cur_state == RUNNING:
            return cal.add(now, threshold_us - elapsed_us)
        if cur_state == STOPPED:
            resume_us = counted[-1][1] if counted else start_us
            return cal.add(us_to_datetime(resume_us), threshold_us - elapsed_us)
        return None  # paused and not reached: unknown until work resumes

    due_at = reach(target_us)
    warning_at = reach(warning_us)
    breached = elapsed_us > target_us
    breached_at = due_at if breached else None

    state: ClockState
    if breached:
        state = "breached"
    elif cur_state == STOPPED:
        state = "met"
    elif cur_state == PAUSED:
        state = "paused"
    else:
        state = "running"

    segments = tuple(
        Segment(
            start=us_to_datetime(s),
            end=None if i == len(measured) - 1 else us_to_datetime(e),
            kind=_KIND_OF_STATE[st],  # type: ignore[arg-type]
            business_seconds=b / 1e6,
        )
        for i, (s, e, st, b) in enumerate(measured)
    )
    return ClockResult(
        state=state,
        elapsed_seconds=elapsed_us / 1e6,
        paused_seconds=paused_us / 1e6,
        due_at=due_at,
        warning_at=warning_at,
        breached_at=breached_at,
        stopped_at=us_to_datetime(cur_start) if cur_state == STOPPED else None,
        remaining_seconds=(target_us - elapsed_us) / 1e6,
        segments=segments,
    )
