"""The plain records the indicators are computed from (pure Python, no Django).

The ORM layer builds them from work orders, SLA clocks, ratings, complaints and outages; they
validate themselves when built, so inconsistent data fails where it is assembled, not in a
formula. All datetimes must be timezone-aware.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

__all__ = [
    "NOT_APPLICABLE",
    "ComplaintFacts",
    "Outage",
    "Period",
    "RatingFacts",
    "RecordId",
    "TargetOutcome",
    "WorkOrderFacts",
    "require_aware",
    "require_count",
    "require_seconds",
]

RecordId = Hashable


def require_aware(value: datetime | None, name: str, *, optional: bool = False) -> None:
    """Reject anything but an aware datetime (or None when optional)."""
    if value is None and optional:
        return
    if not isinstance(value, datetime):
        raise ValueError(f"{name} must be an aware datetime, got {value!r}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {value!r}")


def require_count(value: int, name: str) -> None:
    """Reject anything but a non-negative int (bool excluded)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be a non-negative int, got {value!r}")


def require_seconds(value: int | Decimal, name: str) -> Decimal:
    """A non-negative, finite number of seconds as Decimal (int or Decimal only: never float)."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise ValueError(f"{name} must be an int or Decimal number of seconds, got {value!r}")
    dec = Decimal(value)
    if not dec.is_finite() or dec < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return dec


@dataclass(frozen=True, slots=True)
class Period:
    """The half-open evaluation interval ``[start, end)`` (aware datetimes, start < end)."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        """Validate eagerly."""
        require_aware(self.start, "start")
        require_aware(self.end, "end")
        if not self.start < self.end:
            raise ValueError(f"period start {self.start} must be before its end {self.end}")

    def contains(self, instant: datetime | None) -> bool:
        """True iff ``start <= instant < end`` (None is never contained)."""
        return instant is not None and self.start <= instant < self.end


@dataclass(frozen=True, slots=True)
class TargetOutcome:
    """One SLA target (response 响应, on-site 到场 or resolution 解决) of a work order, as its clock reports it.

    * ``applicable``: the work order's SLA policy has this target (False: the target is ignored).
    * ``due_at``: the target's deadline as computed by the SLA clock (for a breached clock the
      instant the allowance ran out; for a clock met early the projected deadline; ``None`` while
      it cannot be known, e.g. paused or calendar data missing).
    * ``achieved_at``: when the target was achieved (first response, arrival, resolution), if it was.
    * ``met``: True met, False breached, None not decided yet (still running / paused / unknown).
    """

    applicable: bool = True
    due_at: datetime | None = None
    achieved_at: datetime | None = None
    met: bool | None = None

    def __post_init__(self) -> None:
        """Validate eagerly: a decided target has a deadline; a met one was achieved."""
        require_aware(self.due_at, "due_at", optional=True)
        require_aware(self.achieved_at, "achieved_at", optional=True)
        if self.met not in (True, False, None):
            raise ValueError(f"met must be True, False or None, got {self.met!r}")
        if self.applicable:
            if self.met is not None and self.due_at is None:
                raise ValueError("a decided (met or breached) target needs its due_at")
            if self.met is True and self.achieved_at is None:
                raise ValueError("a met target needs its achieved_at")


NOT_APPLICABLE = TargetOutcome(applicable=False)


@dataclass(frozen=True, slots=True)
class WorkOrderFacts:
    """What the indicators need to know about one work order (工单).

    * ``received_at``: when it was received (受理).
    * ``response`` / ``onsite`` / ``resolution``: the three SLA targets (:class:`TargetOutcome`).
    * ``resolved_at``: the instant of its *current* resolution when it is resolved or closed now;
      ``None`` while open (including reopened and not resolved again).
    * ``first_resolved_at``: the instant it was resolved for the first time (defaults to
      ``resolved_at`` when it was never reopened; required when it was reopened).
    * ``closed_at``: when it was closed, if it was.
    * ``reopened_at``: instants of its reopen events, oldest first (``reopened_count`` is their number).
    * ``reassigned_count``: times it moved from one assignee/team to another after the first assignment.
    * ``escalated``: it was handed to a higher support level (functional/hierarchical escalation).
    * ``cancelled``: cancelled work orders are excluded from every indicator.
    * ``resolution_seconds``: resolved - received, measured in business or calendar seconds as
      the SLA policy says (the caller measures; int or Decimal, never float).
    * ``requester_id``, ``ci`` (configuration item / asset tag), ``category``: repeat detection keys.
    """

    id: RecordId
    received_at: datetime
    response: TargetOutcome = NOT_APPLICABLE
    onsite: TargetOutcome = NOT_APPLICABLE
    resolution: TargetOutcome = NOT_APPLICABLE
    resolved_at: datetime | None = None
    first_resolved_at: datetime | None = None
    closed_at: datetime | None = None
    reopened_at: tuple[datetime, ...] = ()
    reassigned_count: int = 0
    escalated: bool = False
    cancelled: bool = False
    resolution_seconds: int | Decimal | None = None
    requester_id: RecordId | None = None
    ci: str | None = None
    category: str | None = None

    def __post_init__(self) -> None:
        """Validate eagerly so inconsistent facts fail where they are built."""
        require_aware(self.received_at, "received_at")
        for name in ("resolved_at", "first_resolved_at", "closed_at"):
            require_aware(getattr(self, name), name, optional=True)
        for name in ("response", "onsite", "resolution"):
            if not isinstance(getattr(self, name), TargetOutcome):
                raise ValueError(f"{name} must be a TargetOutcome")
        reopens = tuple(self.reopened_at)
        for at in reopens:
            require_aware(at, "reopened_at")
        if any(b < a for a, b in zip(reopens, reopens[1:], strict=False)):
            raise ValueError(f"work order {self.id!r}: reopened_at must be in time order")
        object.__setattr__(self, "reopened_at", reopens)
        require_count(self.reassigned_count, "reassigned_count")
        for name in ("escalated", "cancelled"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"{name} must be a bool")
        if self.resolution_seconds is not None:
            require_seconds(self.resolution_seconds, "resolution_seconds")

        first = self.first_resolved_at
        if first is None and self.resolved_at is not None:
            if reopens:
                raise ValueError(f"work order {self.id!r}: first_resolved_at is required when it was reopened")
            first = self.resolved_at
            object.__setattr__(self, "first_resolved_at", first)
        if reopens and first is None:
            raise ValueError(f"work order {self.id!r}: a reopened work order must have been resolved first")
        if first is not None and first < self.received_at:
            raise ValueError(f"work order {self.id!r}: resolved before it was received")
        if self.resolved_at is not None and first is not None and self.resolved_at < first:
            raise ValueError(f"work order {self.id!r}: resolved_at is before first_resolved_at")
        if reopens and reopens[0] < first:
            raise ValueError(f"work order {self.id!r}: reopened before its first resolution")
        if reopens and self.resolved_at is not None and self.resolved_at < reopens[-1]:
            raise ValueError(f"work order {self.id!r}: resolved_at must follow its last reopen")

    @property
    def reopened_count(self) -> int:
        """How many times it was reopened."""
        return len(self.reopened_at)


@dataclass(frozen=True, slots=True)
class RatingFacts:
    """One satisfaction rating (用户评价): 1-5 stars, optional 0-10 recommend answer, when it was given."""

    id: RecordId
    stars: int
    rated_at: datetime
    recommend: int | None = None
    work_order_id: RecordId | None = None

    def __post_init__(self) -> None:
        """Validate eagerly."""
        require_aware(self.rated_at, "rated_at")
        if isinstance(self.stars, bool) or not isinstance(self.stars, int) or not 1 <= self.stars <= 5:
            raise ValueError(f"stars must be an int from 1 to 5, got {self.stars!r}")
        if self.recommend is not None and (
            isinstance(self.recommend, bool) or not isinstance(self.recommend, int) or not 0 <= self.recommend <= 10
        ):
            raise ValueError(f"recommend must be None or an int from 0 to 10, got {self.recommend!r}")


@dataclass(frozen=True, slots=True)
class ComplaintFacts:
    """One complaint (投诉), counted in the period in which it was opened."""

    id: RecordId
    opened_at: datetime
    work_order_id: RecordId | None = None

    def __post_init__(self) -> None:
        """Validate eagerly."""
        require_aware(self.opened_at, "opened_at")


@dataclass(frozen=True, slots=True)
class Outage:
    """Downtime of a service within the agreed service hours (the caller measures it)."""

    id: RecordId
    downtime_seconds: int | Decimal

    def __post_init__(self) -> None:
        """Validate eagerly."""
        require_seconds(self.downtime_seconds, "downtime_seconds")
