"""Backlog (积压工单): the age of the work orders open at one instant (pure Python, no Django)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from oversight.kpi.codes import BACKLOG_MAX_AGE, BACKLOG_MEAN_AGE
from oversight.kpi.facts import RecordId, WorkOrderFacts, require_aware
from oversight.kpi.results import CTX as _CTX
from oversight.kpi.results import ZERO as _ZERO
from oversight.kpi.results import IndicatorResult
from oversight.kpi.results import live as _live
from oversight.kpi.results import mean as _mean
from oversight.kpi.results import td_seconds as _td_seconds

_DAY = timedelta(days=1)

DEFAULT_BACKLOG_BUCKETS: tuple[timedelta, ...] = (_DAY, 3 * _DAY, 7 * _DAY, 30 * _DAY)


@dataclass(frozen=True, slots=True)
class AgeBucket:
    """Open work orders whose age lies in ``[lower_seconds, upper_seconds)`` (upper None = no bound)."""

    lower_seconds: Decimal
    upper_seconds: Decimal | None
    ids: tuple[RecordId, ...]

    @property
    def count(self) -> int:
        """Number of work orders in the bucket."""
        return len(self.ids)


@dataclass(frozen=True, slots=True)
class BacklogAge:
    """The age distribution of the backlog at one instant (ages in calendar seconds)."""

    at: datetime
    ids: tuple[RecordId, ...]
    total_seconds: Decimal
    mean_seconds: Decimal | None
    max_seconds: Decimal | None
    oldest_ids: tuple[RecordId, ...]
    buckets: tuple[AgeBucket, ...]

    @property
    def count(self) -> int:
        """Number of open work orders."""
        return len(self.ids)


def backlog_age(
    work_orders: Iterable[WorkOrderFacts], at: datetime, *, buckets: Sequence[timedelta] = DEFAULT_BACKLOG_BUCKETS
) -> BacklogAge:
    """Backlog age (积压工单时长): ages of the work orders open at instant ``at``.

    Open at ``at``: not cancelled, ``received_at <= at`` and not resolved by then
    (``resolved_at`` None or after ``at``). Age = ``at - received_at`` in calendar seconds
    (exact, microsecond precision). Reports the mean and the maximum (None when nothing is open),
    the oldest work order(s) and a count per age bucket; ``buckets`` are the upper bounds of the
    buckets (strictly increasing, each bucket ``[lower, upper)``; a last bucket without bound
    collects the rest). The default bounds are 1, 3, 7 and 30 days.
    """
    require_aware(at, "at")
    bounds = tuple(buckets)
    if any(not isinstance(b, timedelta) or b <= timedelta(0) for b in bounds) or any(
        b2 <= b1 for b1, b2 in zip(bounds, bounds[1:], strict=False)
    ):
        raise ValueError("buckets must be strictly increasing positive timedeltas")
    bound_secs = [_td_seconds(b) for b in bounds]
    ages: list[tuple[RecordId, Decimal]] = []
    for wo in _live(work_orders):
        if wo.received_at > at or (wo.resolved_at is not None and wo.resolved_at <= at):
            continue
        ages.append((wo.id, _td_seconds(at - wo.received_at)))
    total = _ZERO
    for _, age in ages:
        total = _CTX.add(total, age)
    count = Decimal(len(ages))
    oldest = max((a for _, a in ages), default=None)
    lowers = [_ZERO, *bound_secs]
    uppers: list[Decimal | None] = [*bound_secs, None]
    out_buckets = []
    for lo, hi in zip(lowers, uppers, strict=True):
        out_buckets.append(AgeBucket(lo, hi, tuple(i for i, a in ages if a >= lo and (hi is None or a < hi))))
    return BacklogAge(
        at=at,
        ids=tuple(i for i, _ in ages),
        total_seconds=total,
        mean_seconds=_mean(total, count),
        max_seconds=oldest,
        oldest_ids=tuple(i for i, a in ages if a == oldest),
        buckets=tuple(out_buckets),
    )


def backlog_mean_age(work_orders: Iterable[WorkOrderFacts], at: datetime) -> IndicatorResult:
    """Mean backlog age at ``at`` in seconds: numerator = sum of ages, denominator = open work orders."""
    b = backlog_age(work_orders, at)
    return IndicatorResult(BACKLOG_MEAN_AGE, "seconds", b.total_seconds, Decimal(b.count), b.mean_seconds, b.ids, b.ids)


def backlog_max_age(work_orders: Iterable[WorkOrderFacts], at: datetime) -> IndicatorResult:
    """Age of the oldest open work order at ``at`` in seconds (None when nothing is open; not a ratio)."""
    b = backlog_age(work_orders, at)
    return IndicatorResult(
        BACKLOG_MAX_AGE,
        "seconds",
        b.max_seconds if b.max_seconds is not None else _ZERO,
        None,
        b.max_seconds,
        b.oldest_ids,
        b.ids,
    )
