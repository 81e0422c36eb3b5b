"""Demo evaluations: for each demo vendor's contract, the hospital template scheme, the two quarters before the
current one signed by both sides and locked, and the current quarter open as a draft - all through the services.
One exception, so that every journey of the README can be tried at once: the desk vendor's latest complete
quarter was published two days ago and stays open for dispute (not signed), so its vendor manager can dispute
an indicator right away without the supervisor publishing first.

`load_demo_evaluations(organisation, actor)` is idempotent (a contract that has a scheme keeps it; a quarter
that exists is left alone) and dates everything relative to today in the organisation's time zone. Each step
is taken at a past instant (the clock is frozen), like a supervisor working through the weeks after the
quarter: computed three days after the quarter ended, manual values entered with evidence, published; the
vendor manager of the desk vendor disputes one breached work order of the latest signed quarter (accepted:
the work order is excluded and the score recomputed), the network vendor's manager disputes a manual value
(rejected with a reason); then the client signs, the vendor countersigns and the client locks.

Load it after the work orders, ratings and complaints: the figures are computed from whatever is stored.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from oversight.contracts.demo import load_demo_contracts
from oversight.contracts.models import Contract
from oversight.contracts.selectors import contract_version_for_period, fee_period_bounds
from oversight.core import clock
from oversight.core.zones import zone_of
from oversight.scorecards import services
from oversight.scorecards.choices import PeriodKind
from oversight.scorecards.models import EvaluationPeriod, IndicatorResult, IndicatorScheme
from oversight.tenancy.choices import Role
from oversight.tenancy.models import User
from oversight.tickets.models import WorkOrder

D = Decimal
HOUR = dt.timedelta(hours=1)

# Manual values per vendor code: dress/badge events, spares %, documentation %, missed inspections - for the
# older and the newer signed quarter and the open one. (Staff fill rate and certificate validity are computed
# from the demo roster.)
MANUAL_VALUES = {
    "desk": [("2", "90", "100", "0"), ("1", "95", "95", "1"), ("0", "100", "100", "0")],
    "net": [("0", "100", "85", "1"), ("1", "95", "90", "0"), ("0", "100", "95", "0")],
    "his": [("0", "85", "80", "0"), ("0", "90", "90", "0"), ("1", "95", "95", "0")],
}
DEFAULT_VALUES = [("1", "90", "90", "0")] * 3
# The vendor whose latest complete quarter stays published and open for dispute (README: desk_manager disputes).
OPEN_FOR_DISPUTE = "desk"
MANUAL_CODES = ("dress_badge", "spares_tools", "documentation", "missed_inspections")
NOTES = {
    "dress_badge": "现场抽查记录：未佩戴工牌情况已拍照留存。",
    "spares_tools": "按备件与工具清单逐项盘点。",
    "documentation": "抽查巡检记录、变更记录与资产台账。",
    "missed_inspections": "对照本季度巡检计划与巡检签到表核对。",
}


def _first(organisation, role: str, vendor=None) -> User | None:
    qs = User.objects.filter(organisation=organisation, role=role, is_active=True)
    if vendor is not None:
        qs = qs.filter(vendor=vendor)
    return qs.order_by("pk").first()


def _evidence(code: str, label: str) -> list[SimpleUploadedFile]:
    text = f"{label}\n{NOTES[code]}\n（演示数据）\n"
    return [SimpleUploadedFile(f"{code}-{label}.txt", text.encode("utf-8"), "text/plain")]


def _enter_manual(period, supervisor, values) -> None:
    for code, value in zip(MANUAL_CODES, values, strict=True):
        if not period.scheme.indicators.filter(code=code, source="manual").exists():
            continue
        services.manual_entry_create(
            period=period,
            actor=supervisor,
            indicator_code=code,
            value=D(value),
            note=NOTES[code],
            files=_evidence(code, period.label),
        )


def _breached_work_order(period) -> WorkOrder | None:
    """A work order counted as late in the period's response timeliness (the one the demo vendor disputes)."""
    result = IndicatorResult.objects.filter(period=period, source="response_timeliness").first()
    if result is None:
        return None
    late = [pk for pk in result.denominator_ids if pk not in set(result.numerator_ids)]
    return WorkOrder.objects.filter(pk__in=late[:1]).first()


def _signed_quarter(
    contract, first: dt.date, *, step_at, supervisor, manager, values, dispute: str, sign: bool = True
) -> None:
    """Open, fill in, publish, (dispute,) sign, countersign and lock one past quarter (sign False: stop once
    published and disputed, with the dispute window still open)."""
    with clock.frozen_at(step_at(0)):
        period, _created = services.period_open(
            contract=contract, kind=PeriodKind.QUARTERLY, day=first, actor=supervisor
        )
        _enter_manual(period, supervisor, values)
    with clock.frozen_at(step_at(2)):
        period = services.period_publish(period=period, actor=supervisor)
    if dispute == "accept" and manager is not None:
        work_order = _breached_work_order(period)
        if work_order is not None:
            with clock.frozen_at(step_at(20)):
                claim = services.dispute_open(
                    period=period,
                    actor=manager,
                    indicator_code="response_timeliness",
                    work_order=work_order,
                    reason="该工单报修人留错电话，工程师多次回拨未接通，已在工单备注中记录，申请不计入响应超时。",
                    files=[
                        SimpleUploadedFile(
                            "通话记录.txt", "10:02 回拨未接通\n10:15 回拨未接通\n".encode(), "text/plain"
                        )
                    ],
                )
            with clock.frozen_at(step_at(40)):
                services.dispute_accept(
                    dispute=claim,
                    actor=supervisor,
                    reason="核实通话记录属实，同意该工单不计入响应及时率。",
                )
    elif dispute == "reject" and manager is not None:
        with clock.frozen_at(step_at(20)):
            claim = services.dispute_open(
                period=period,
                actor=manager,
                indicator_code="documentation",
                reason="部分巡检记录已在季度末补录，申请文档完整性按 100 % 计。",
            )
        with clock.frozen_at(step_at(40)):
            services.dispute_reject(
                dispute=claim,
                actor=supervisor,
                reason="补录记录晚于抽查日期，按抽查当日结果计分。",
            )
    if not sign:
        return
    with clock.frozen_at(step_at(60)):
        period = services.period_sign(period=EvaluationPeriod.objects.get(pk=period.pk), actor=supervisor)
    if manager is not None:
        with clock.frozen_at(step_at(80)):
            period = services.period_sign(period=period, actor=manager)
        with clock.frozen_at(step_at(100)):
            services.period_lock(period=period, actor=supervisor)


def load_demo_evaluations(organisation, actor=None) -> list[EvaluationPeriod]:
    """Create (once) the demo schemes and evaluations of every demo contract; return their periods."""
    actor = actor or _first(organisation, Role.CLIENT_ADMIN)
    supervisor = _first(organisation, Role.CLIENT_SUPERVISOR) or actor
    zone = zone_of(organisation)
    now = clock.now()
    today = now.astimezone(zone).date()
    current, _end = fee_period_bounds(PeriodKind.QUARTERLY, today)
    newer, _ = fee_period_bounds(PeriodKind.QUARTERLY, current - dt.timedelta(days=1))
    older, _ = fee_period_bounds(PeriodKind.QUARTERLY, newer - dt.timedelta(days=1))
    contract_ids = [c.pk for c in load_demo_contracts(organisation)]
    periods = []
    for contract in Contract.objects.filter(pk__in=contract_ids).select_related("vendor").order_by("pk"):
        if not IndicatorScheme.objects.filter(contract=contract).exists():
            created_at = dt.datetime.combine(older - dt.timedelta(days=10), dt.time(10), tzinfo=zone)
            with clock.frozen_at(min(created_at, now - 200 * HOUR)):
                services.scheme_from_template(contract, actor)
        manager = _first(organisation, Role.VENDOR_MANAGER, vendor=contract.vendor)
        values = MANUAL_VALUES.get(contract.vendor.code, DEFAULT_VALUES)
        dispute = {"desk": "accept", "net": "reject"}
        for index, first in enumerate((older, newer)):
            if EvaluationPeriod.objects.filter(contract=contract, kind=PeriodKind.QUARTERLY, starts_on=first).exists():
                continue
            last = fee_period_bounds(PeriodKind.QUARTERLY, first)[1]
            if contract_version_for_period(contract, first, last) is None:
                continue
            ended = dt.datetime.combine(last, dt.time(10), tzinfo=zone) + dt.timedelta(days=3)
            base = min(ended, now - 120 * HOUR)
            open_for_dispute = contract.vendor.code == OPEN_FOR_DISPUTE and first == newer
            if open_for_dispute:
                base = now - 50 * HOUR  # published 48 hours ago: the dispute window is still open

            def step_at(hours, base=base):
                return base + hours * HOUR

            _signed_quarter(
                contract,
                first,
                step_at=step_at,
                supervisor=supervisor,
                manager=manager,
                values=values[index],
                dispute=dispute.get(contract.vendor.code, "") if first == newer else "",
                sign=not open_for_dispute,
            )
        if not EvaluationPeriod.objects.filter(
            contract=contract, kind=PeriodKind.QUARTERLY, starts_on=current
        ).exists():
            last = fee_period_bounds(PeriodKind.QUARTERLY, current)[1]
            if contract_version_for_period(contract, current, last) is not None:
                with clock.frozen_at(now - HOUR):
                    period, _created = services.period_open(
                        contract=contract, kind=PeriodKind.QUARTERLY, day=current, actor=supervisor
                    )
                    _enter_manual(period, supervisor, values[2])
        periods += list(
            EvaluationPeriod.objects.filter(contract=contract, starts_on__in=(older, newer, current)).order_by(
                "starts_on", "revision"
            )
        )
    return periods
