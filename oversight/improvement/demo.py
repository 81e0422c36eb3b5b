"""The demo hospital's improvement register (called last by `manage.py demo_load`, after every source it links).

Items at every state, raised from the demo's own breaches, complaints, evaluation periods, spot checks and problems
(or by hand when a small demo has none), through the real services with the clock moved back. Two items carry a
measured effect computed from the demo history: the busiest vendor's resolution rate and resolution timeliness over
the 60 days before and after an implementation day 60 days ago. Their targets are picked from that history so that the
register shows both outcomes: one target met (closed with its benefit), one not (still in review).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_FLOOR, Decimal

from django.db.models import Count

from oversight.configuration.models import SpotCheck
from oversight.core import clock
from oversight.core.zones import local_today, zone_of
from oversight.feedback.models import Complaint
from oversight.improvement import measurement, services
from oversight.improvement.models import ImprovementItem
from oversight.problems.models import Problem
from oversight.scorecards.models import EvaluationPeriod
from oversight.tenancy.choices import Role
from oversight.tenancy.models import User, Vendor
from oversight.tickets.choices import ClockState
from oversight.tickets.models import WorkOrder

D = Decimal
WINDOW_DAYS = 60
#: The path to each state (from new), and who takes each step.
PATHS = {
    "new": [],
    "accepted": ["accept"],
    "assessed": ["accept", "assess"],
    "approved": ["accept", "assess", "approve"],
    "implementing": ["accept", "assess", "approve", "start"],
    "on_hold": ["accept", "assess", "approve", "start", "hold"],
    "review": ["accept", "assess", "approve", "start", "complete"],
    "rejected": ["accept", "reject"],
}


def _first(organisation, role: str, vendor=None):
    qs = User.objects.filter(organisation=organisation, role=role, is_active=True)
    if vendor is not None:
        qs = qs.filter(vendor=vendor)
    return qs.order_by("pk").first()


def _noon(day: dt.date, organisation) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=zone_of(organisation))


def _source(kind: str, organisation, vendor) -> tuple[str, int | None]:
    """The first demo object of a kind for the vendor, or a manual item when the demo has none."""
    if kind == "breach":
        found = (
            WorkOrder.objects.filter(organisation=organisation, vendor=vendor, clocks__state=ClockState.BREACHED)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
    else:
        model = {
            "complaint": Complaint,
            "low_score": EvaluationPeriod,
            "audit": SpotCheck,
            "problem": Problem,
        }[kind]
        found = (
            model.objects.filter(organisation=organisation, vendor=vendor)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
    return (kind, found) if found is not None else ("manual", None)


def load_demo_improvements(organisation) -> list[ImprovementItem]:
    """Create the demo register once (a second call returns it)."""
    existing = list(ImprovementItem.objects.filter(organisation=organisation).order_by("pk"))
    if existing:
        return existing
    supervisor = _first(organisation, Role.CLIENT_SUPERVISOR)
    admin = _first(organisation, Role.CLIENT_ADMIN)
    vendor = (
        Vendor.objects.filter(organisation=organisation).annotate(n=Count("work_orders")).order_by("-n", "pk").first()
    )
    if supervisor is None or admin is None or vendor is None:
        return []
    manager = _first(organisation, Role.VENDOR_MANAGER, vendor) or supervisor
    today = local_today(organisation)
    implemented = today - dt.timedelta(days=WINDOW_DAYS)
    raised = implemented - dt.timedelta(days=30)
    made = [
        _measured(organisation, supervisor, admin, manager, vendor, raised, implemented, met=True),
        _measured(organisation, supervisor, admin, manager, vendor, raised, implemented, met=False),
    ]
    plan = [
        ("new", "survey", "季度满意度调查：夜班报修等待时间长", "Night-shift repairs wait too long"),
        ("accepted", "complaint", "投诉回访闭环", "Close the loop on complaints"),
        ("assessed", "problem", "打印机驱动统一版本", "One printer driver version"),
        ("approved", "audit", "资产台账季度核对", "Quarterly asset register check"),
        ("implementing", "breach", "高峰时段增加一线坐席", "More first-line staff at peak hours"),
        ("on_hold", "low_score", "现场工程师技能认证", "On-site engineer certification"),
        ("review", "manual", "知识库补充常见故障", "Knowledge articles for common faults"),
        ("rejected", "manual", "更换全部台式机", "Replace every desktop"),
    ]
    for state, kind, title, title_en in plan:
        source_kind, source_id = (
            _source(kind, organisation, vendor) if kind not in ("survey", "manual") else (kind, None)
        )
        with clock.frozen_at(_noon(raised, organisation)):
            item = services.item_create(
                actor=supervisor,
                title=title,
                title_en=title_en,
                description=f"{title}。",
                justification="提升用户满意度，减少重复报修。",
                size="m",
                priority="high" if state in ("implementing", "on_hold") else "medium",
                owner=manager if state in ("implementing", "on_hold", "review") else supervisor,
                approver=admin,
                vendor=vendor,
                target_date=today + dt.timedelta(days=45),
                source_kind=source_kind,
                source_id=source_id,
                source_note="2026 年第三季度满意度调查" if kind == "survey" else "",
            )
        made.append(_walk(item, PATHS[state], organisation, supervisor, admin, manager, raised, implemented))
    return made


def _walk(item, steps, organisation, supervisor, admin, manager, raised, implemented):
    """Move an item along ``steps``: the approver approves and rejects, the owner implements."""
    notes = {"hold": "等待备件到货", "reject": "成本过高，收益不明"}
    for offset, step in enumerate(steps, start=1):
        actor = (
            admin
            if step in ("approve", "reject")
            else (manager if step in ("start", "hold", "complete") and item.owner_id == manager.pk else supervisor)
        )
        day = implemented if step == "complete" else raised + dt.timedelta(days=offset)
        with clock.frozen_at(_noon(day, organisation)):
            item = services.item_transition(
                actor=actor,
                item=item,
                action=step,
                note=notes.get(step, ""),
                implemented_on=implemented if step == "complete" else None,
            )
    return item


def _measured(organisation, supervisor, admin, manager, vendor, raised, implemented, *, met: bool):
    """An item with an effect measured over the demo history; its target makes it met (closed) or not (review)."""
    code = "resolution_rate" if met else "resolution_timeliness"
    source = measurement.computed_source(code)
    before = measurement.measure_window(
        source=source,
        organisation=organisation,
        vendor_id=vendor.pk,
        contract=None,
        first=implemented - dt.timedelta(days=WINDOW_DAYS),
        last=implemented - dt.timedelta(days=1),
    ).value
    after = measurement.measure_window(
        source=source,
        organisation=organisation,
        vendor_id=vendor.pk,
        contract=None,
        first=implemented,
        last=implemented + dt.timedelta(days=WINDOW_DAYS - 1),
    ).value
    # Met: the value reached after the implementation, rounded down; not met: five points above it.
    reached = (after or D(0)).quantize(D("0.01"), rounding=ROUND_FLOOR)
    target = reached if met else reached + D(5)
    title, title_en = (
        ("服务台回访提升满意度", "Call-backs raise satisfaction") if met else ("缩短解决时长", "Faster resolution")
    )
    with clock.frozen_at(_noon(raised, organisation)):
        item = services.item_create(
            actor=supervisor,
            title=title,
            title_en=title_en,
            description="每张工单解决后由服务台回访确认。" if met else "二线工程师驻场，缩短解决时长。",
            justification="满意度与解决及时率连续两月低于目标。",
            size="l" if met else "m",
            priority="high",
            owner=manager,
            approver=admin,
            vendor=vendor,
            indicator=code,
            baseline=(before or D(0)).quantize(D("0.01")),
            target=target,
            target_date=implemented,
        )
    item = _walk(item, PATHS["review"], organisation, supervisor, admin, manager, raised, implemented)
    services.effect_measure(actor=supervisor, item=item, days=WINDOW_DAYS)
    if met:
        item = services.benefit_record(
            actor=supervisor,
            item=item,
            benefits="回访后投诉减少，用户满意度回升。",
            benefit_amount=D("12000.00"),
        )
        item = services.item_transition(actor=supervisor, item=item, action="close")
    return item
