"""KPI formulas of the indicator system (服务评价指标体系) over plain records (pure Python, no Django).

The ORM layer turns work orders, SLA clocks, ratings and complaints into the frozen records of
:mod:`oversight.scorecards.facts` (re-exported here: :class:`WorkOrderFacts`,
:class:`RatingFacts`, :class:`ComplaintFacts`, :class:`Outage`, :class:`Period`) and calls
one function per indicator. Every function returns an :class:`IndicatorResult` carrying the
numerator, the denominator, the value and the ids of the records behind both, so each figure of an
evaluation can be drilled down to the exact work orders / ratings that produced it.

Conventions (the same for every indicator; ``docs/formulas.md`` is the reader's version)
----------------------------------------------------------------------------------------
* **Period**: a half-open interval ``[start, end)`` of aware datetimes (:class:`Period`). An
  instant ``t`` is *in the period* iff ``start <= t < end``.
* **Cancelled work orders** (``cancelled=True``) are excluded from every indicator.
* **Rates are percentages** (0-100): ``value = 100 * numerator / denominator``.
* **Never divide by zero, never invent a value**: when the denominator is 0 the value is
  ``None`` (the scoring layer's missing-value policy decides what that means).
* **Exact arithmetic**: numerators, denominators and values are ``Decimal``; every division is
  done once, in a fixed context (28 significant digits, half-even), so a result is reproducible
  bit for bit. Nothing is rounded here: rounding belongs to the scoring/reporting layer.
* **Snapshot**: the facts describe the work orders as known when the evaluation runs; an
  evaluation recomputed later from the same facts gives the same numbers.

Ids (``RecordId``) are whatever the caller uses (database primary keys, numbers); they are
returned in the order of the input, each at most once.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_EVEN, Context, Decimal, DivisionByZero, InvalidOperation, Overflow
from typing import Literal

from oversight.scorecards.facts import (
    NOT_APPLICABLE,
    ComplaintFacts,
    Outage,
    Period,
    RatingFacts,
    RecordId,
    TargetOutcome,
    WorkOrderFacts,
    require_aware,
    require_count,
    require_seconds,
)

__all__ = [
    "AVAILABILITY",
    "BACKLOG_MAX_AGE",
    "BACKLOG_MEAN_AGE",
    "CATALOGUE",
    "CERTIFICATE_VALIDITY",
    "COMPLAINT_COUNT",
    "CSAT_MEAN",
    "CSAT_SATISFIED_SHARE",
    "DEFAULT_BACKLOG_BUCKETS",
    "DEFAULT_REPEAT_MATCH",
    "FIRST_TIME_FIX",
    "MTTR",
    "NOT_APPLICABLE",
    "NPS",
    "ONSITE_TIMELINESS",
    "REOPEN_RATE",
    "REPEAT_RATE",
    "RESOLUTION_RATE",
    "RESOLUTION_TIMELINESS",
    "RESPONSE_TIMELINESS",
    "STAFF_FILL_RATE",
    "AgeBucket",
    "BacklogAge",
    "ComplaintFacts",
    "IndicatorResult",
    "IndicatorSpec",
    "Outage",
    "Period",
    "RatingFacts",
    "TargetOutcome",
    "WorkOrderFacts",
    "availability",
    "backlog_age",
    "backlog_max_age",
    "backlog_mean_age",
    "complaint_count",
    "compute_all",
    "csat_mean",
    "csat_satisfied_share",
    "first_time_fix_rate",
    "mttr",
    "nps",
    "onsite_timeliness",
    "percent",
    "reopen_rate",
    "repeat_rate",
    "resolution_rate",
    "resolution_timeliness",
    "response_timeliness",
]

Unit = Literal["percent", "seconds", "stars", "count", "nps"]

# Indicator codes (stable: stored by the evaluation layer and used as keys of scoring schemes).
RESPONSE_TIMELINESS = "response_timeliness"
ONSITE_TIMELINESS = "onsite_timeliness"
RESOLUTION_TIMELINESS = "resolution_timeliness"
RESOLUTION_RATE = "resolution_rate"
MTTR = "mttr"
FIRST_TIME_FIX = "first_time_fix"
REOPEN_RATE = "reopen_rate"
REPEAT_RATE = "repeat_rate"
CSAT_MEAN = "csat_mean"
CSAT_SATISFIED_SHARE = "csat_satisfied_share"
NPS = "nps"
COMPLAINT_COUNT = "complaint_count"
BACKLOG_MEAN_AGE = "backlog_mean_age"
BACKLOG_MAX_AGE = "backlog_max_age"
AVAILABILITY = "availability"
# People dimension (人员): computed from the vendor's roster by oversight.scorecards.staffing.
STAFF_FILL_RATE = "staff_fill_rate"
CERTIFICATE_VALIDITY = "certificate_validity"

_CTX = Context(prec=28, rounding=ROUND_HALF_EVEN, traps=[InvalidOperation, DivisionByZero, Overflow])
_HUNDRED = Decimal(100)
_ZERO = Decimal(0)
_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class IndicatorSpec:
    """What an indicator measures: its unit and whether a higher value is better."""

    code: str
    unit: Unit
    higher_is_better: bool


CATALOGUE: Mapping[str, IndicatorSpec] = {
    spec.code: spec
    for spec in (
        IndicatorSpec(RESPONSE_TIMELINESS, "percent", True),
        IndicatorSpec(ONSITE_TIMELINESS, "percent", True),
        IndicatorSpec(RESOLUTION_TIMELINESS, "percent", True),
        IndicatorSpec(RESOLUTION_RATE, "percent", True),
        IndicatorSpec(MTTR, "seconds", False),
        IndicatorSpec(FIRST_TIME_FIX, "percent", True),
        IndicatorSpec(REOPEN_RATE, "percent", False),
        IndicatorSpec(REPEAT_RATE, "percent", False),
        IndicatorSpec(CSAT_MEAN, "stars", True),
        IndicatorSpec(CSAT_SATISFIED_SHARE, "percent", True),
        IndicatorSpec(NPS, "nps", True),
        IndicatorSpec(COMPLAINT_COUNT, "count", False),
        IndicatorSpec(BACKLOG_MEAN_AGE, "seconds", False),
        IndicatorSpec(BACKLOG_MAX_AGE, "seconds", False),
        IndicatorSpec(AVAILABILITY, "percent", True),
        IndicatorSpec(STAFF_FILL_RATE, "percent", True),
        IndicatorSpec(CERTIFICATE_VALIDITY, "percent", True),
    )
}


# --------------------------------------------------------------------------------------------
# validation helpers
# --------------------------------------------------------------------------------------------


def _td_seconds(delta: timedelta) -> Decimal:
    """A timedelta as an exact Decimal number of seconds (microsecond precision, no float)."""
    whole = delta.days * 86400 + delta.seconds
    return Decimal(whole) + Decimal(delta.microseconds).scaleb(-6)


def _percent(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    """100 * numerator / denominator in the fixed context; None when the denominator is 0."""
    if denominator == 0:
        return None
    return _CTX.divide(_CTX.multiply(numerator, _HUNDRED), denominator)


# Public name for the other pure modules of the indicator system (oversight.scorecards.staffing).
percent = _percent


def _mean(total: Decimal, count: Decimal) -> Decimal | None:
    """total / count in the fixed context; None when count is 0."""
    if count == 0:
        return None
    return _CTX.divide(total, count)


@dataclass(frozen=True)
class IndicatorResult:
    """One computed indicator with everything needed to explain and drill down into it.

    * ``numerator`` / ``denominator``: the two counts or sums behind the value (``denominator``
      is ``None`` for plain counts and maxima, which are not ratios).
    * ``value``: the figure in ``unit``; ``None`` when there is nothing to measure (denominator 0).
    * ``numerator_ids`` / ``denominator_ids``: the records behind each.
    * ``groups``: further drill-down lists by name (e.g. ``pending``, ``promoters``, ``detractors``).
    """

    code: str
    unit: Unit
    numerator: Decimal
    denominator: Decimal | None
    value: Decimal | None
    numerator_ids: tuple[RecordId, ...] = ()
    denominator_ids: tuple[RecordId, ...] = ()
    groups: Mapping[str, tuple[RecordId, ...]] = field(default_factory=dict)


# --------------------------------------------------------------------------------------------
# timeliness (响应/到场/解决及时率)
# --------------------------------------------------------------------------------------------


def _live(work_orders: Iterable[WorkOrderFacts]) -> list[WorkOrderFacts]:
    """The work orders that count at all (not cancelled), type-checked."""
    out = []
    for wo in work_orders:
        if not isinstance(wo, WorkOrderFacts):
            raise ValueError(f"expected WorkOrderFacts, got {type(wo).__name__}")
        if not wo.cancelled:
            out.append(wo)
    return out


def _timeliness(
    code: str, work_orders: Iterable[WorkOrderFacts], period: Period, pick: Callable[[WorkOrderFacts], TargetOutcome]
) -> IndicatorResult:
    """Met ÷ due in the period for one target; undecided targets are listed as pending."""
    met: list[RecordId] = []
    due: list[RecordId] = []
    pending: list[RecordId] = []
    for wo in _live(work_orders):
        target = pick(wo)
        if not target.applicable or not period.contains(target.due_at):
            continue
        if target.met is None:
            pending.append(wo.id)
            continue
        due.append(wo.id)
        if target.met:
            met.append(wo.id)
    num, den = Decimal(len(met)), Decimal(len(due))
    return IndicatorResult(
        code, "percent", num, den, _percent(num, den), tuple(met), tuple(due), {"pending": tuple(pending)}
    )


_TIMELINESS_DOC = """{title} = targets met ÷ targets due in the period, in percent.

    "Due in the period" (MISSION.md: "work orders whose {what} was due in the period"): the
    target is applicable and its deadline ``due_at`` lies in ``[period.start, period.end)``.
    ``due_at`` is the SLA clock's deadline: for a breached target the instant the allowance ran
    out, for a target met early the deadline it had. Every target therefore belongs to exactly one
    period - the one in which it fell due - whether it was met or not.

    * denominator: not cancelled, target applicable, ``due_at`` in the period, decided (``met`` is
      True or False);
    * numerator: those with ``met`` True (achieved within the target);
    * ``groups["pending"]``: due in the period but not decided yet (``met`` None: paused, running
      with a deadline still ahead when evaluated early, or calendar data missing) - excluded from
      both until decided.
    """


def response_timeliness(work_orders: Iterable[WorkOrderFacts], period: Period) -> IndicatorResult:
    return _timeliness(RESPONSE_TIMELINESS, work_orders, period, lambda wo: wo.response)


def onsite_timeliness(work_orders: Iterable[WorkOrderFacts], period: Period) -> IndicatorResult:
    return _timeliness(ONSITE_TIMELINESS, work_orders, period, lambda wo: wo.onsite)


def resolution_timeliness(work_orders: Iterable[WorkOrderFacts], period: Period) -> IndicatorResult:
    return _timeliness(RESOLUTION_TIMELINESS, work_orders, period, lambda wo: wo.resolution)


response_timeliness.__doc__ = _TIMELINESS_DOC.format(title="Response timeliness (响应及时率)", what="response")
onsite_timeliness.__doc__ = _TIMELINESS_DOC.format(title="On-site timeliness (到场及时率)", what="on-site arrival")
resolution_timeliness.__doc__ = _TIMELINESS_DOC.format(
    title="Resolution timeliness / SLA compliance (解决及时率, SLA 达成率)", what="resolution"
)


# --------------------------------------------------------------------------------------------
# resolution
# --------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------
# satisfaction (满意度)
# --------------------------------------------------------------------------------------------


def _ratings_in(ratings: Iterable[RatingFacts], period: Period) -> list[RatingFacts]:
    """Ratings given in the period, type-checked."""
    out = []
    for r in ratings:
        if not isinstance(r, RatingFacts):
            raise ValueError(f"expected RatingFacts, got {type(r).__name__}")
        if period.contains(r.rated_at):
            out.append(r)
    return out


def csat_mean(ratings: Iterable[RatingFacts], period: Period) -> IndicatorResult:
    """CSAT mean (满意度均分) = sum of stars ÷ number of ratings given in the period (unit: stars, 1-5)."""
    rated = _ratings_in(ratings, period)
    total = Decimal(sum(r.stars for r in rated))
    count = Decimal(len(rated))
    ids = tuple(r.id for r in rated)
    return IndicatorResult(CSAT_MEAN, "stars", total, count, _mean(total, count), ids, ids)


def csat_satisfied_share(ratings: Iterable[RatingFacts], period: Period) -> IndicatorResult:
    """CSAT share (满意率) = ratings of 4 or 5 stars ÷ ratings given in the period, in percent."""
    rated = _ratings_in(ratings, period)
    good = tuple(r.id for r in rated if r.stars >= 4)
    num, den = Decimal(len(good)), Decimal(len(rated))
    return IndicatorResult(
        CSAT_SATISFIED_SHARE, "percent", num, den, _percent(num, den), good, tuple(r.id for r in rated)
    )


def nps(ratings: Iterable[RatingFacts], period: Period) -> IndicatorResult:
    """Net promoter score (净推荐值, NPS) = % promoters (9-10) - % detractors (0-6), from -100 to 100.

    Over the ratings given in the period that answered the recommend question. numerator =
    promoters - detractors (a count, may be negative), denominator = respondents, value = 100 x
    numerator ÷ denominator (the same as the difference of the two percentages, with one division).
    groups: ``promoters``, ``passives`` (7-8), ``detractors``.
    """
    answered = [r for r in _ratings_in(ratings, period) if r.recommend is not None]
    promoters = tuple(r.id for r in answered if r.recommend >= 9)
    detractors = tuple(r.id for r in answered if r.recommend <= 6)
    passives = tuple(r.id for r in answered if 7 <= r.recommend <= 8)
    num = Decimal(len(promoters) - len(detractors))
    den = Decimal(len(answered))
    return IndicatorResult(
        NPS,
        "nps",
        num,
        den,
        _percent(num, den),
        promoters + detractors,
        tuple(r.id for r in answered),
        {"promoters": promoters, "passives": passives, "detractors": detractors},
    )


def complaint_count(complaints: Iterable[ComplaintFacts], period: Period) -> IndicatorResult:
    """Complaint count (投诉次数) = complaints opened in the period (a count: never None, 0 when none)."""
    ids = []
    for c in complaints:
        if not isinstance(c, ComplaintFacts):
            raise ValueError(f"expected ComplaintFacts, got {type(c).__name__}")
        if period.contains(c.opened_at):
            ids.append(c.id)
    n = Decimal(len(ids))
    return IndicatorResult(COMPLAINT_COUNT, "count", n, None, n, tuple(ids), ())


# --------------------------------------------------------------------------------------------
# backlog (积压工单) and availability (可用率)
# --------------------------------------------------------------------------------------------

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


def availability(agreed_seconds: int | Decimal, outages: Iterable[Outage]) -> IndicatorResult:
    """Availability (可用率) = (agreed time - downtime) ÷ agreed time, in percent.

    ``agreed_seconds`` is the agreed service time of the period (e.g. the service hours of the
    calendar) and each outage's ``downtime_seconds`` its downtime within that agreed time, both
    measured by the caller. numerator = agreed - total downtime, denominator = agreed; value None
    when nothing was agreed. Downtime above the agreed time is an error. groups: ``outages``.
    """
    agreed = require_seconds(agreed_seconds, "agreed_seconds")
    ids: list[RecordId] = []
    down = _ZERO
    for o in outages:
        if not isinstance(o, Outage):
            raise ValueError(f"expected Outage, got {type(o).__name__}")
        ids.append(o.id)
        down = _CTX.add(down, Decimal(o.downtime_seconds))
    if down > agreed:
        raise ValueError(f"downtime {down} s exceeds the agreed time {agreed} s")
    num = _CTX.subtract(agreed, down)
    return IndicatorResult(AVAILABILITY, "percent", num, agreed, _percent(num, agreed), (), (), {"outages": tuple(ids)})


# --------------------------------------------------------------------------------------------
# all at once
# --------------------------------------------------------------------------------------------


def compute_all(
    *,
    work_orders: Sequence[WorkOrderFacts],
    period: Period,
    ratings: Sequence[RatingFacts] = (),
    complaints: Sequence[ComplaintFacts] = (),
    reopen_window_days: int = 7,
    repeat_window_days: int = 30,
    repeat_match: Sequence[Sequence[RepeatField]] = DEFAULT_REPEAT_MATCH,
    backlog_at: datetime | None = None,
    only: Collection[str] | None = None,
) -> dict[str, IndicatorResult]:
    """Every indicator computed from work orders, ratings and complaints, keyed by code.

    Availability needs agreed time and outages and is computed separately (:func:`availability`).
    The backlog is measured at ``backlog_at`` (default: the end of the period). ``only`` limits the result to
    those codes (reports and dashboards skip the repeat rate, the costliest of all).
    """
    at = period.end if backlog_at is None else backlog_at
    computations = {
        RESPONSE_TIMELINESS: lambda: response_timeliness(work_orders, period),
        ONSITE_TIMELINESS: lambda: onsite_timeliness(work_orders, period),
        RESOLUTION_TIMELINESS: lambda: resolution_timeliness(work_orders, period),
        RESOLUTION_RATE: lambda: resolution_rate(work_orders, period),
        MTTR: lambda: mttr(work_orders, period),
        FIRST_TIME_FIX: lambda: first_time_fix_rate(work_orders, period, reopen_window_days=reopen_window_days),
        REOPEN_RATE: lambda: reopen_rate(work_orders, period),
        REPEAT_RATE: lambda: repeat_rate(work_orders, period, window_days=repeat_window_days, match=repeat_match),
        CSAT_MEAN: lambda: csat_mean(ratings, period),
        CSAT_SATISFIED_SHARE: lambda: csat_satisfied_share(ratings, period),
        NPS: lambda: nps(ratings, period),
        COMPLAINT_COUNT: lambda: complaint_count(complaints, period),
        BACKLOG_MEAN_AGE: lambda: backlog_mean_age(work_orders, at),
        BACKLOG_MAX_AGE: lambda: backlog_max_age(work_orders, at),
    }
    unknown = set(only or ()) - computations.keys()
    if unknown:
        raise ValueError(f"unknown indicator codes: {sorted(unknown)}")
    return {code: compute() for code, compute in computations.items() if only is None or code in only}
