"""Resolution (解决): resolution rate, MTTR, first-time fix, reopen and repeat rates (pure Python, no Django)."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Literal

from oversight.kpi.codes import FIRST_TIME_FIX, MTTR, REOPEN_RATE, REPEAT_RATE, RESOLUTION_RATE
from oversight.kpi.facts import Period, RecordId, WorkOrderFacts, require_count
from oversight.kpi.results import CTX as _CTX
from oversight.kpi.results import ZERO as _ZERO
from oversight.kpi.results import IndicatorResult
from oversight.kpi.results import live as _live
from oversight.kpi.results import mean as _mean
from oversight.kpi.results import percent as _percent


def resolution_rate(work_orders: Iterable[WorkOrderFacts], period: Period) -> IndicatorResult:
    """Resolution rate (解决率) = resolved ÷ received, in percent.

    * denominator: not cancelled, ``received_at`` in the period;
    * numerator: those of them resolved now with ``resolved_at < period.end`` (a work order
      reopened and not resolved again is not resolved).
    """
    received: list[RecordId] = []
    resolved: list[RecordId] = []
    for wo in _live(work_orders):
        if not period.contains(wo.received_at):
            continue
        received.append(wo.id)
        if wo.resolved_at is not None and wo.resolved_at < period.end:
            resolved.append(wo.id)
    num, den = Decimal(len(resolved)), Decimal(len(received))
    return IndicatorResult(RESOLUTION_RATE, "percent", num, den, _percent(num, den), tuple(resolved), tuple(received))


def mttr(work_orders: Iterable[WorkOrderFacts], period: Period) -> IndicatorResult:
    """Mean time to resolve (平均解决时长, MTTR) = mean(resolved - received), in seconds.

    Over the work orders (not cancelled) whose current ``resolved_at`` lies in the period. Each
    one's duration is its ``resolution_seconds``, measured by the caller in business or calendar
    time as the SLA policy says; a resolved work order without it is an error (ValueError listing
    the ids), never a guess. numerator = sum of durations, denominator = number of work orders.
    """
    ids: list[RecordId] = []
    missing: list[RecordId] = []
    total = _ZERO
    for wo in _live(work_orders):
        if not period.contains(wo.resolved_at):
            continue
        if wo.resolution_seconds is None:
            missing.append(wo.id)
            continue
        ids.append(wo.id)
        total = _CTX.add(total, Decimal(wo.resolution_seconds))
    if missing:
        raise ValueError(f"resolution_seconds missing for resolved work orders {missing!r}")
    count = Decimal(len(ids))
    return IndicatorResult(MTTR, "seconds", total, count, _mean(total, count), tuple(ids), tuple(ids))


def first_time_fix_rate(
    work_orders: Iterable[WorkOrderFacts], period: Period, *, reopen_window_days: int = 7
) -> IndicatorResult:
    """First-time fix (一次解决率) = resolved without reassignment, escalation or reopen within N days ÷ resolved.

    * denominator: not cancelled, ``first_resolved_at`` in the period (each work order counts
      once, in the period of its first resolution);
    * numerator: those with ``reassigned_count == 0``, ``escalated`` False and no reopen at or
      before ``first_resolved_at + N days`` (N = ``reopen_window_days``, inclusive).
    * groups: ``reassigned``, ``escalated``, ``reopened`` (the failures by cause; one work order
      may appear under several).

    A reopen after the window does not spoil the first fix. Figures of the last N days of the
    period can still change until N days after its end.
    """
    require_count(reopen_window_days, "reopen_window_days")
    window = timedelta(days=reopen_window_days)
    resolved: list[RecordId] = []
    fixed: list[RecordId] = []
    causes: dict[str, list[RecordId]] = {"reassigned": [], "escalated": [], "reopened": []}
    for wo in _live(work_orders):
        first = wo.first_resolved_at
        if first is None or not period.contains(first):
            continue
        resolved.append(wo.id)
        limit = first + window
        reopened = any(at <= limit for at in wo.reopened_at)
        if wo.reassigned_count:
            causes["reassigned"].append(wo.id)
        if wo.escalated:
            causes["escalated"].append(wo.id)
        if reopened:
            causes["reopened"].append(wo.id)
        if not (wo.reassigned_count or wo.escalated or reopened):
            fixed.append(wo.id)
    num, den = Decimal(len(fixed)), Decimal(len(resolved))
    return IndicatorResult(
        FIRST_TIME_FIX,
        "percent",
        num,
        den,
        _percent(num, den),
        tuple(fixed),
        tuple(resolved),
        {k: tuple(v) for k, v in causes.items()},
    )


def reopen_rate(
    work_orders: Iterable[WorkOrderFacts], period: Period, *, within_days: int | None = None
) -> IndicatorResult:
    """Reopen rate (重开率) = resolved work orders reopened ÷ resolved work orders, in percent.

    * denominator: not cancelled, ``first_resolved_at`` in the period (each work order once, in
      the period of its first resolution, even if it is open again now);
    * numerator: those reopened at least once - any time, or only at or before
      ``first_resolved_at + within_days`` when ``within_days`` is given.
    """
    if within_days is not None:
        require_count(within_days, "within_days")
    resolved: list[RecordId] = []
    reopened: list[RecordId] = []
    for wo in _live(work_orders):
        first = wo.first_resolved_at
        if first is None or not period.contains(first):
            continue
        resolved.append(wo.id)
        if within_days is None:
            hit = bool(wo.reopened_at)
        else:
            limit = first + timedelta(days=within_days)
            hit = any(at <= limit for at in wo.reopened_at)
        if hit:
            reopened.append(wo.id)
    num, den = Decimal(len(reopened)), Decimal(len(resolved))
    return IndicatorResult(REOPEN_RATE, "percent", num, den, _percent(num, den), tuple(reopened), tuple(resolved))


RepeatField = Literal["requester", "ci", "category"]
DEFAULT_REPEAT_MATCH: tuple[tuple[RepeatField, ...], ...] = (("requester",), ("ci",), ("category",))
_REPEAT_GETTERS: Mapping[str, Callable[[WorkOrderFacts], object]] = {
    "requester": lambda wo: wo.requester_id,
    "ci": lambda wo: wo.ci,
    "category": lambda wo: wo.category,
}


def repeat_rate(
    work_orders: Iterable[WorkOrderFacts],
    period: Period,
    *,
    window_days: int = 30,
    match: Sequence[Sequence[RepeatField]] = DEFAULT_REPEAT_MATCH,
) -> IndicatorResult:
    """Repeat rate (重复报修率) = repeat work orders received in the period ÷ work orders received in it.

    A work order W is a *repeat* when another (not cancelled) work order P was received strictly
    earlier and at most ``window_days`` days before it (``W.received_at - window <=
    P.received_at < W.received_at``) and P matches W on at least one *match group*: every field
    of the group is equal and not empty (None or ""). The default groups follow MISSION.md
    literally - same requester, or same CI (asset), or same category; pass e.g.
    ``(("requester", "category"), ("ci",))`` for a stricter notion.

    Pass the work orders received up to ``window_days`` before the period too: they are looked
    back at, never counted. ``groups`` lists the repeats per match group (keyed "requester",
    "ci", "category", or "requester+category" for composite groups).
    """
    require_count(window_days, "window_days")
    groups = tuple(tuple(g) for g in match)
    if not groups or any(not g or any(f not in _REPEAT_GETTERS for f in g) for g in groups):
        raise ValueError(f"match must be non-empty groups of {sorted(_REPEAT_GETTERS)}, got {match!r}")
    window = timedelta(days=window_days)
    live = _live(work_orders)
    # For each match group: key -> sorted receive instants of the work orders with that key.
    index: list[dict[tuple[object, ...], list[datetime]]] = []
    for g in groups:
        by_key: dict[tuple[object, ...], list[datetime]] = {}
        for wo in live:
            key = tuple(_REPEAT_GETTERS[f](wo) for f in g)
            if any(part is None or part == "" for part in key):
                continue
            by_key.setdefault(key, []).append(wo.received_at)
        for times in by_key.values():
            times.sort()
        index.append(by_key)

    received: list[RecordId] = []
    repeats: list[RecordId] = []
    per_group: dict[str, list[RecordId]] = {"+".join(g): [] for g in groups}
    for wo in live:
        if not period.contains(wo.received_at):
            continue
        received.append(wo.id)
        hit = False
        for g, by_key in zip(groups, index, strict=True):
            key = tuple(_REPEAT_GETTERS[f](wo) for f in g)
            times = by_key.get(key)
            if not times:
                continue
            i = bisect_left(times, wo.received_at - window)
            if i < len(times) and times[i] < wo.received_at:
                per_group["+".join(g)].append(wo.id)
                hit = True
        if hit:
            repeats.append(wo.id)
    num, den = Decimal(len(repeats)), Decimal(len(received))
    return IndicatorResult(
        REPEAT_RATE,
        "percent",
        num,
        den,
        _percent(num, den),
        tuple(repeats),
        tuple(received),
        {k: tuple(v) for k, v in per_group.items()},
    )
