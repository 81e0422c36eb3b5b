"""Timeliness (响应/到场/解决及时率): SLA targets met ÷ targets due in the period (pure Python, no Django)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal

from oversight.kpi.codes import ONSITE_TIMELINESS, RESOLUTION_TIMELINESS, RESPONSE_TIMELINESS
from oversight.kpi.facts import Period, RecordId, TargetOutcome, WorkOrderFacts
from oversight.kpi.results import IndicatorResult
from oversight.kpi.results import live as _live
from oversight.kpi.results import percent as _percent


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
