"""Demo problems of the demo hospital, made through the real services and dated with the clock.

`load_demo_problems(organisation)` is idempotent (an organisation that already has problems is skipped) and
links the demo's own recent incidents:

* 桌面运维 (``desk``): 病房打印机频繁卡纸 — recorded as a known error (5 whys, fishbone, workaround
  communicated to its open incidents), and 自助机读卡器无响应, new;
* 网络运维 (``net``): 门诊楼交换机间歇性丢包 — in root-cause analysis;
* HIS 应用支持 (``his``): HIS 挂号模块高峰期响应缓慢 — resolved with its permanent fix;
* a known error without a problem (VPN certificates) and one pending suggestion of recurring incidents.
"""

from __future__ import annotations

import datetime as dt

from oversight.core import clock
from oversight.core.errors import ApplicationError
from oversight.problems import services
from oversight.problems.choices import ClusterDimension, SuggestionStatus
from oversight.problems.models import KnownError, Problem, ProblemIncident, ProblemSuggestion
from oversight.tenancy.choices import Role
from oversight.tenancy.models import User, Vendor
from oversight.tickets.choices import WorkOrderKind
from oversight.tickets.models import WorkOrder


def _incidents(organisation, vendor, count: int) -> list[WorkOrder]:
    """The vendor's incidents received before now (the clock may be frozen earlier) and not linked yet, of the
    service of the latest one."""
    qs = WorkOrder.objects.filter(
        organisation=organisation,
        vendor=vendor,
        kind=WorkOrderKind.INCIDENT,
        problem_link__isnull=True,
        created_at__lte=clock.now(),
    ).order_by("-created_at", "-pk")
    latest = qs.first()
    return list(qs.filter(service_id=latest.service_id)[:count]) if latest else []


def _service(incidents):
    return incidents[0].service if incidents else None


def _step(days_ago: float):
    return clock.frozen_at(clock.now() - dt.timedelta(days=days_ago))


PRINTER = {
    "title": "病房打印机频繁卡纸",
    "description": "住院部多个病区的激光打印机每天多次卡纸，护士站打印医嘱和标签受影响。",
    "root_cause_category": "hardware",
    "root_cause": "同批次打印机定影组件固件缺陷，受潮纸张加剧卡纸。",
    "five_whys": [
        {"why": "为什么打印机卡纸？", "answer": "纸张在定影组件处卷曲。"},
        {"why": "为什么纸张卷曲？", "answer": "定影温度控制不稳定，且纸张受潮。"},
        {"why": "为什么温度控制不稳定？", "answer": "固件版本存在已知缺陷。"},
        {"why": "为什么固件没有升级？", "answer": "服务商没有固件升级计划。"},
        {"why": "为什么没有升级计划？", "answer": "合同未约定预防性维护内容。"},
    ],
    "fishbone": {
        "machine": ["定影组件固件缺陷"],
        "material": ["纸张受潮", "非原装纸张"],
        "method": ["无固件升级计划"],
        "environment": ["病区湿度高"],
    },
    "workaround": "卡纸后关闭电源 30 秒再开机，并使用干燥存放的原装纸张。",
    "workaround_effect": "partly",
}


def load_demo_problems(organisation) -> list[Problem]:
    """Problems in several states with linked incidents, known errors and a pending suggestion (once)."""
    existing = list(Problem.objects.filter(organisation=organisation).order_by("pk"))
    if existing:
        return existing
    supervisor = (
        User.objects.filter(organisation=organisation, role=Role.CLIENT_SUPERVISOR, is_active=True)
        .order_by("pk")
        .first()
    )
    if supervisor is None:
        return []
    vendors = {v.code: v for v in Vendor.objects.filter(organisation=organisation)}
    made = []
    desk, net, his = vendors.get("desk"), vendors.get("net"), vendors.get("his")
    if desk is not None:
        with _step(12):
            printer = services.problem_create(
                actor=supervisor,
                title=PRINTER["title"],
                description=PRINTER["description"],
                impact=2,
                urgency=2,
                owner=supervisor,
                vendor=desk,
                attribution_note="合同附件二 第 3.2 条 预防性维护",
                work_orders=(found := _incidents(organisation, desk, 4)),
                service=_service(found),
            )
        with _step(10):
            printer = services.problem_transition(actor=supervisor, problem=printer, action="analyse")
            analysis = {k: v for k, v in PRINTER.items() if k not in ("title", "description")}
            printer = services.problem_update_analysis(actor=supervisor, problem=printer, **analysis)
        with _step(8):
            printer = services.problem_transition(actor=supervisor, problem=printer, action="record_known_error")
        with _step(7):
            try:
                services.problem_communicate_workaround(
                    actor=supervisor, problem=printer, expected_version=printer.version
                )
            except ApplicationError:
                pass  # no linked incident is open any more
        made.append(printer)
        with _step(1):
            made.append(
                services.problem_create(
                    actor=supervisor,
                    title="自助机读卡器无响应",
                    description="门诊自助机读卡器偶发无响应，患者无法刷医保卡。",
                    vendor=desk,
                    work_orders=(found := _incidents(organisation, desk, 2)),
                    service=_service(found),
                )
            )
    if net is not None:
        with _step(6):
            switch = services.problem_create(
                actor=supervisor,
                title="门诊楼交换机间歇性丢包",
                description="门诊楼三层接入交换机每天上午高峰出现间歇性丢包，挂号和收费终端掉线。",
                impact=1,
                urgency=2,
                vendor=net,
                work_orders=(found := _incidents(organisation, net, 3)),
                service=_service(found),
            )
        with _step(5):
            switch = services.problem_transition(actor=supervisor, problem=switch, action="analyse")
            services.problem_update_analysis(
                actor=supervisor,
                problem=switch,
                five_whys=[
                    {"why": "为什么终端掉线？", "answer": "交换机端口出现大量 CRC 错误。"},
                    {"why": "为什么出现 CRC 错误？", "answer": "待查：疑似光模块老化。"},
                ],
                fishbone={"machine": ["光模块老化"], "environment": ["弱电间温度偏高"]},
            )
        made.append(switch)
    if his is not None:
        with _step(30):
            slow = services.problem_create(
                actor=supervisor,
                title="HIS 挂号模块高峰期响应缓慢",
                description="每天 8:00–9:30 挂号高峰时挂号界面响应超过 10 秒。",
                impact=1,
                urgency=1,
                vendor=his,
                work_orders=(found := _incidents(organisation, his, 3)),
                service=_service(found),
            )
        with _step(28):
            slow = services.problem_transition(actor=supervisor, problem=slow, action="analyse")
            slow = services.problem_update_analysis(
                actor=supervisor,
                problem=slow,
                root_cause_category="capacity",
                root_cause="号源查询缺少索引，高峰期数据库全表扫描。",
                workaround="高峰期增开一个挂号窗口并引导患者使用预约挂号。",
                workaround_effect="works",
                permanent_fix="为号源表增加联合索引并优化查询语句（已上线）。",
            )
        with _step(20):
            slow = services.problem_transition(actor=supervisor, problem=slow, action="resolve")
        made.append(slow)
    _known_error_without_problem(organisation, supervisor, net)
    _pending_suggestion(organisation)
    return made


def _known_error_without_problem(organisation, supervisor, vendor) -> None:
    if KnownError.objects.filter(organisation=organisation, problem__isnull=True).exists():
        return
    now = clock.now()
    KnownError.objects.create(
        organisation=organisation,
        title="VPN 客户端证书过期导致无法连接",
        symptom="院外办公人员 VPN 连接时提示证书无效，无法登录。",
        root_cause="客户端证书有效期一年，到期未续签。",
        workaround="由网络运维在管理平台为该用户重新签发证书。",
        solution="证书到期前 30 天自动提醒并续签。",
        vendor=vendor,
        created_by=supervisor,
        created_at=now,
        updated_at=now,
    )


def _pending_suggestion(organisation) -> None:
    """One open suggestion: three recent incidents of one service that no problem explains yet."""
    if ProblemSuggestion.objects.filter(organisation=organisation, status=SuggestionStatus.OPEN).exists():
        return
    linked = ProblemIncident.objects.values("work_order_id")
    open_services = Problem.objects.filter(organisation=organisation).values("service_id")
    recent = (
        WorkOrder.objects.filter(organisation=organisation, kind=WorkOrderKind.INCIDENT)
        .exclude(pk__in=linked)
        .exclude(service_id__in=open_services)
        .order_by("-created_at", "-pk")
        .select_related("service")[:200]
    )
    by_service: dict[int, list[WorkOrder]] = {}
    for wo in recent:
        by_service.setdefault(wo.service_id, []).append(wo)
    for service_id, rows in sorted(by_service.items()):
        if len(rows) >= 3:
            chosen = rows[:3]
            ProblemSuggestion.objects.create(
                organisation=organisation,
                dimension=ClusterDimension.SERVICE,
                key=f"service:{service_id}",
                service=chosen[0].service,
                work_order_ids=[wo.pk for wo in chosen],
                window_start=min(wo.created_at for wo in chosen),
                created_at=clock.now(),
            )
            return
