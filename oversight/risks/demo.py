"""The demo hospital's risk register (市第一人民医院), made through the real services and dated with the clock.

`load_demo_risks(organisation)` is idempotent (an organisation that already has risks is skipped) and makes:

* the default 5 × 5 matrix;
* 32 risks across the seven categories and the three demo vendors (desk: 华信智维, net: 博远网络, his: 康联医疗)
  and the hospital's own, each rated inherent / current / target / residual where it has been assessed, in every
  status (identified, assessed, treating, monitoring, closed);
* 12 mitigations, some serving several risks, in every status; exactly one open mitigation is past its due date;
* a review of every open risk; exactly one open risk's review is overdue.

The trigger part of the demo finds the risk its red indicator opens by `KRI_RISK_TITLE`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from oversight.catalog.models import Service
from oversight.core import clock
from oversight.core.zones import local_today
from oversight.risks import services
from oversight.risks.models import Risk
from oversight.tenancy.models import User, Vendor

#: The risk whose key risk indicator (no service delivered for three working days) the trigger demo breaches.
KRI_RISK_TITLE = "关键供应商连续停止服务"
#: The risk whose review the demo leaves overdue, and the mitigation it leaves past its due date.
OVERDUE_REVIEW_TITLE = "医保结算接口政策变更未及时适配"
OVERDUE_MITIGATION_TITLE = "核心交换机双机热备改造"

# (title, English title, category, vendor code, service code, owner, treatment,
#  cause, event, consequence, contingency plan (one action a line),
#  ratings {kind: (probability level, impact level)}, status, current probability and money impact or None)
RISKS = [
    (
        KRI_RISK_TITLE,
        "A key vendor stops delivering service",
        "vendor",
        "desk",
        "pc",
        "supervisor",
        "mitigate",
        "服务商人员流失、资金链紧张或与医院发生争议",
        "桌面运维服务商连续3个工作日未完成任何工单",
        "全院终端故障无人处理，临床科室停工待修",
        "启动备用服务商应急驻场\n信息科抽调人员接管一线服务台\n约谈服务商项目经理并发出书面整改通知",
        {"inherent": (3, 5), "current": (2, 5), "target": (1, 4), "residual": (1, 4)},
        "treating",
        ("0.15", "800000"),
    ),
    (
        "核心交换机单点故障",
        "Core switch single point of failure",
        "technical",
        "net",
        "lan",
        "supervisor2",
        "mitigate",
        "门诊楼核心交换机无冗余且已运行8年",
        "核心交换机硬件故障",
        "门诊挂号、收费、医生站全部中断",
        "切换至临时旁路交换机\n启用手工挂号收费流程\n通知门诊部及医务科",
        {"inherent": (3, 5), "current": (3, 5), "target": (1, 5), "residual": (1, 5)},
        "treating",
        ("0.20", "1200000"),
    ),
    (
        "HIS 升级后性能下降",
        "HIS slows down after the upgrade",
        "technical",
        "his",
        "his",
        "supervisor",
        "mitigate",
        "新版本未在生产规模数据上压测",
        "门诊高峰期 HIS 响应时间超过5秒",
        "候诊时间延长，患者投诉增加",
        "回退到上一版本\n限制非临床查询并发",
        {"inherent": (4, 4), "current": (3, 4), "target": (2, 3), "residual": (2, 3)},
        "treating",
        ("0.30", "300000"),
    ),
    (
        "患者数据经外包人员泄露",
        "Patient data leaked through vendor staff",
        "data_security",
        "his",
        "emr",
        "admin",
        "mitigate",
        "服务商工程师拥有生产库高权限账号且未做操作审计",
        "患者隐私数据被导出或外传",
        "违反《个人信息保护法》，面临监管处罚和声誉损失",
        "立即冻结相关账号\n保全日志并报告网信与卫健部门\n通知受影响患者",
        {"inherent": (3, 5), "current": (2, 5), "target": (1, 5), "residual": (1, 5)},
        "treating",
        ("0.10", "2000000"),
    ),
    (
        "勒索病毒感染终端",
        "Ransomware on end-user devices",
        "data_security",
        "desk",
        "pc",
        "supervisor2",
        "mitigate",
        "部分终端补丁滞后、U盘随意使用",
        "勒索病毒在院内网络扩散",
        "临床终端大面积不可用，数据被加密",
        "隔离受感染网段\n从离线备份恢复\n启用纸质应急流程",
        {"inherent": (3, 5), "current": (2, 4), "target": (1, 4), "residual": (2, 4)},
        "monitoring",
        None,
    ),
    (
        "服务商报价大幅上涨",
        "Vendor raises its prices sharply",
        "financial",
        "his",
        None,
        "admin2",
        "transfer",
        "续约时服务商具有较强议价地位",
        "续约报价上涨超过20%",
        "信息化运维预算超支",
        "启动竞争性谈判\n评估替代供应商",
        {"inherent": (3, 3), "current": (3, 3), "target": (2, 3), "residual": (2, 2)},
        "assessed",
        ("0.40", "500000"),
    ),
    (
        "外包费用结算差错",
        "Errors in the outsourcing fee settlement",
        "financial",
        "desk",
        None,
        "admin2",
        "mitigate",
        "结算依赖手工统计工作量",
        "多付或少付服务费",
        "资金损失或合同争议",
        "暂停付款并复核\n与服务商对账",
        {"inherent": (3, 2), "current": (2, 2), "target": (1, 2), "residual": (1, 2)},
        "monitoring",
        ("0.25", "60000"),
    ),
    (
        "合同条款缺少SLA违约责任",
        "The contract lacks SLA penalties",
        "compliance",
        "net",
        None,
        "admin",
        "avoid",
        "合同模板未约定服务水平违约扣款",
        "服务长期不达标却无法追责",
        "服务质量持续下降",
        "启动合同补充协议谈判",
        {"inherent": (4, 3), "current": (2, 3), "target": (1, 3), "residual": (1, 3)},
        "monitoring",
        None,
    ),
    (
        "等保测评不达标",
        "Failing the security classification audit",
        "compliance",
        None,
        None,
        "admin",
        "mitigate",
        "安全设备配置与日志留存不满足三级等保要求",
        "年度等保测评未通过",
        "被主管部门通报并限期整改",
        "成立整改专班\n聘请第三方测评机构预评估",
        {"inherent": (3, 4), "current": (3, 4), "target": (1, 4), "residual": (2, 3)},
        "treating",
        None,
    ),
    (
        OVERDUE_REVIEW_TITLE,
        "Insurance interface not adapted to a policy change",
        "compliance",
        "his",
        "billing",
        "supervisor",
        "mitigate",
        "医保政策频繁调整，接口改造依赖服务商排期",
        "新政策生效日接口未完成改造",
        "医保结算失败，患者无法刷卡结算",
        "启用医保局应急结算通道\n安排人工窗口加班",
        {"inherent": (4, 4), "current": (3, 4), "target": (2, 3), "residual": (2, 3)},
        "treating",
        ("0.30", "400000"),
    ),
    (
        "关键岗位工程师离职",
        "Key engineers leave the vendor",
        "vendor",
        "his",
        "his",
        "supervisor",
        "mitigate",
        "服务商核心工程师薪酬低于市场水平",
        "负责HIS的主要工程师离职",
        "问题处理效率下降，知识流失",
        "要求服务商两周内补充同等资质人员\n启用知识库与交接文档",
        {"inherent": (3, 4), "current": (3, 3), "target": (2, 3), "residual": (2, 3)},
        "treating",
        None,
    ),
    (
        "驻场人员资质证书过期",
        "On-site staff certificates expire",
        "vendor",
        "net",
        None,
        "supervisor2",
        "mitigate",
        "服务商未跟踪人员证书有效期",
        "驻场工程师持过期证书上岗",
        "不符合合同与行业监管要求",
        "要求服务商更换持证人员",
        {"inherent": (3, 2), "current": (2, 2), "target": (1, 2), "residual": (1, 2)},
        "monitoring",
        None,
    ),
    (
        "服务商夜间人手不足",
        "The vendor is short-staffed at night",
        "operational",
        "desk",
        "printer",
        "supervisor",
        "mitigate",
        "夜班只安排一名工程师",
        "夜间故障响应超时",
        "病区夜间打印与终端故障无法及时处理",
        "安排二线工程师电话支持\n信息科值班人员协助",
        {"inherent": (4, 3), "current": (3, 3), "target": (2, 2), "residual": (2, 2)},
        "treating",
        None,
    ),
    (
        "机房空调故障",
        "Data centre cooling failure",
        "operational",
        "net",
        "datacenter",
        "supervisor2",
        "mitigate",
        "主机房精密空调老化，无冗余",
        "机房温度超过35℃",
        "服务器宕机，核心业务中断",
        "开启备用空调\n关闭非关键服务器降温\n联系厂商紧急维修",
        {"inherent": (3, 5), "current": (2, 5), "target": (1, 5), "residual": (1, 4)},
        "treating",
        ("0.10", "900000"),
    ),
    (
        "PACS 存储容量耗尽",
        "PACS storage runs out",
        "technical",
        "his",
        "pacs",
        "supervisor",
        "mitigate",
        "影像数据年增长40%，扩容未纳入预算",
        "PACS 存储使用率达到100%",
        "新检查影像无法归档",
        "临时迁移历史影像到近线存储",
        {"inherent": (4, 4), "current": (2, 4), "target": (1, 3), "residual": (1, 3)},
        "monitoring",
        None,
    ),
    (
        "检验仪器接口频繁中断",
        "Analyser interfaces keep dropping",
        "technical",
        "his",
        "lis",
        "supervisor",
        "mitigate",
        "接口程序缺乏断线重连机制",
        "检验结果未回传至医生站",
        "临床医生延误获取检验结果",
        "检验科电话通知危急值\n人工录入检验结果",
        {"inherent": (4, 3), "current": (3, 3), "target": (1, 3), "residual": (2, 2)},
        "treating",
        None,
    ),
    (
        "无线网络覆盖不足",
        "Patchy Wi-Fi coverage",
        "technical",
        "net",
        "wifi",
        "supervisor2",
        "accept",
        "新病区装修后未补充无线AP",
        "移动护理终端频繁掉线",
        "护士床旁扫码执行医嘱受影响",
        "",
        {"inherent": (3, 2), "current": (3, 2), "target": (3, 2), "residual": (3, 2)},
        "monitoring",
        None,
    ),
    (
        "互联网医院服务商退出市场",
        "The online hospital vendor leaves the market",
        "market",
        None,
        None,
        "admin2",
        "transfer",
        "互联网医疗平台行业整合加速",
        "平台服务商停止运营",
        "线上问诊与复诊续方业务中断",
        "切换至备选平台\n公告患者改为线下就诊",
        {"inherent": (2, 4), "current": (2, 4), "target": (1, 4), "residual": (1, 3)},
        "assessed",
        None,
    ),
    (
        "运维人力市场价格上涨",
        "Market rates for support staff rise",
        "market",
        None,
        None,
        "admin2",
        "accept",
        "本地IT人才竞争加剧",
        "服务商要求按人力成本调价",
        "外包总成本上升",
        "",
        {"inherent": (4, 2), "current": (4, 2), "target": (4, 2), "residual": (4, 2)},
        "monitoring",
        None,
    ),
    (
        "供应商被并购导致服务变更",
        "A vendor is acquired and changes its service",
        "market",
        "net",
        None,
        "admin",
        "transfer",
        "网络服务商被上市公司收购",
        "服务团队与服务条款调整",
        "服务连续性下降",
        "要求新主体书面承诺原合同条款",
        {"inherent": (2, 3), "current": (2, 3), "target": (1, 3), "residual": (1, 2)},
        "assessed",
        None,
    ),
    (
        "服务台工单积压",
        "Service desk backlog",
        "operational",
        "desk",
        "account",
        "supervisor",
        "mitigate",
        "季度末账号申请集中",
        "待处理工单超过200张",
        "员工无法及时开通系统权限",
        "临时增派服务台人员\n开放自助密码重置",
        {"inherent": (3, 3), "current": (2, 2), "target": (2, 2), "residual": (1, 2)},
        "monitoring",
        None,
    ),
    (
        "电子病历无法保存",
        "Medical records cannot be saved",
        "technical",
        "his",
        "emr",
        "supervisor",
        "mitigate",
        "数据库表空间监控缺失",
        "电子病历保存失败",
        "病历书写中断，影响医疗质量考核",
        "启用纸质病历\n紧急扩充表空间",
        {"inherent": (2, 5), "current": (2, 4), "target": (1, 4), "residual": (1, 4)},
        "monitoring",
        None,
    ),
    (
        "备份未定期恢复演练",
        "Backups never tested by a restore",
        "data_security",
        "net",
        "datacenter",
        "supervisor2",
        "mitigate",
        "备份作业只检查成功状态",
        "灾难时备份无法恢复",
        "数据永久丢失",
        "启用异地备份\n联系数据恢复服务商",
        {"inherent": (3, 5), "current": (3, 4), "target": (1, 4), "residual": (2, 4)},
        "treating",
        None,
    ),
    (
        "VPN 账号共享使用",
        "Shared VPN accounts",
        "data_security",
        "net",
        "vpn",
        "supervisor2",
        "avoid",
        "服务商多名工程师共用一个VPN账号",
        "无法追溯远程操作人员",
        "安全事件无法定责",
        "立即停用共享账号",
        {"inherent": (4, 3), "current": (1, 3), "target": (1, 3), "residual": (1, 3)},
        "monitoring",
        None,
    ),
    (
        "外包服务预算被削减",
        "The outsourcing budget is cut",
        "financial",
        None,
        None,
        "admin",
        "accept",
        "医院整体预算压缩",
        "下年度信息化运维预算削减15%",
        "需要缩减服务范围",
        "",
        {"inherent": (3, 3), "current": (3, 3), "target": (3, 3), "residual": (3, 3)},
        "assessed",
        ("0.50", "450000"),
    ),
    (
        "服务商破产",
        "A vendor goes bankrupt",
        "financial",
        "desk",
        None,
        "admin2",
        "transfer",
        "服务商连续两年亏损",
        "服务商进入破产程序",
        "服务中断且预付款无法收回",
        "启动备用服务商\n申报债权",
        {"inherent": (2, 5), "current": (1, 5), "target": (1, 4), "residual": (1, 4)},
        "monitoring",
        ("0.05", "1500000"),
    ),
    (
        "电话系统故障",
        "Telephone system failure",
        "operational",
        "net",
        "telephony",
        "supervisor2",
        "mitigate",
        "程控交换机备件短缺",
        "院内电话与护士呼叫系统中断",
        "急救呼叫延误",
        "启用对讲机\n通知各病区使用手机联络",
        {"inherent": (2, 5), "current": (2, 4), "target": (1, 4), "residual": (1, 4)},
        "treating",
        None,
    ),
    (
        "视频会议保障不到位",
        "Video conferences poorly supported",
        "operational",
        "desk",
        "meeting",
        "supervisor",
        "",
        "会议保障人员不足",
        "重要远程会诊或会议中断",
        "影响医院对外形象",
        "",
        {},
        "identified",
        None,
    ),
    (
        "医疗设备联网安全隐患",
        "Connected medical devices are insecure",
        "data_security",
        None,
        None,
        "admin",
        "",
        "医疗设备操作系统老旧无法打补丁",
        "设备被作为攻击跳板",
        "院内网络安全事件",
        "",
        {},
        "identified",
        None,
    ),
    (
        "服务商绩效数据造假",
        "A vendor falsifies its performance data",
        "compliance",
        "desk",
        None,
        "auditor",
        "",
        "考核数据由服务商自行填报",
        "工单关闭时间被篡改",
        "考核结果失真",
        "",
        {},
        "identified",
        None,
    ),
    (
        "旧版收费系统下线",
        "The old billing system is retired",
        "technical",
        "his",
        "billing",
        "supervisor",
        "avoid",
        "旧系统已停止维护",
        "旧系统故障无人支持",
        "历史收费数据无法查询",
        "",
        {"inherent": (3, 3), "current": (1, 1), "target": (1, 1), "residual": (1, 1)},
        "closed",
        None,
    ),
    (
        "打印机耗材供应中断",
        "Printer supplies run out",
        "operational",
        "desk",
        "printer",
        "supervisor",
        "mitigate",
        "耗材由单一渠道供货",
        "硒鼓与标签纸断货",
        "病区无法打印腕带与标签",
        "启用备用耗材库存\n临时采购",
        {"inherent": (3, 3), "current": (2, 2), "target": (1, 2), "residual": (1, 2)},
        "monitoring",
        None,
    ),
]

# (title, owner, due in days from today (negative: past), status, cost, risk titles it serves)
MITIGATIONS = [
    (
        "建立备用服务商库并签订应急协议",
        "admin2",
        45,
        "in_progress",
        "50000",
        [KRI_RISK_TITLE, "服务商破产", "互联网医院服务商退出市场"],
    ),
    (OVERDUE_MITIGATION_TITLE, "supervisor2", -12, "in_progress", "680000", ["核心交换机单点故障"]),
    (
        "生产库账号权限收敛与操作审计",
        "admin",
        20,
        "in_progress",
        "120000",
        ["患者数据经外包人员泄露", "VPN 账号共享使用"],
    ),
    ("终端补丁集中管控与U盘管控", "supervisor2", -30, "done", "80000", ["勒索病毒感染终端", "医疗设备联网安全隐患"]),
    ("HIS 生产规模压力测试", "supervisor", 15, "planned", "60000", ["HIS 升级后性能下降"]),
    ("合同补充SLA违约扣款条款", "admin", -60, "done", None, ["合同条款缺少SLA违约责任", "服务商绩效数据造假"]),
    ("夜班增加一名驻场工程师", "supervisor", 10, "in_progress", "96000", ["服务商夜间人手不足", "服务台工单积压"]),
    ("精密空调冗余改造", "supervisor2", 60, "planned", "350000", ["机房空调故障"]),
    ("PACS 近线存储扩容", "supervisor", -20, "done", "420000", ["PACS 存储容量耗尽"]),
    ("接口断线自动重连与告警", "supervisor", 30, "in_progress", "30000", ["检验仪器接口频繁中断"]),
    ("季度备份恢复演练", "supervisor2", 25, "planned", None, ["备份未定期恢复演练", "电子病历无法保存"]),
    ("医保政策变更快速响应机制", "supervisor", 40, "in_progress", "40000", [OVERDUE_REVIEW_TITLE]),
]


def _user(organisation, username: str) -> User:
    found = User.objects.filter(organisation=organisation, username=username).first()
    return found or User.objects.get(organisation=organisation, username="admin")


def _at(days_ago: float):
    return clock.frozen_at(clock.now() - dt.timedelta(days=days_ago))


def _make_risk(organisation, spec, index: int, vendors: dict, services_by_code: dict) -> Risk:
    (title, title_en, category, vendor_code, service_code, owner, treatment, cause, event, consequence, plan,
     ratings, status, money) = spec  # fmt: skip
    actor = _user(organisation, "supervisor" if owner != "admin" else "admin")
    owner_user = _user(organisation, owner)
    approver = _user(organisation, "admin") if treatment == "accept" else None
    today = local_today(organisation)
    with _at(150 - index * 3):
        risk = services.risk_create(
            actor=actor,
            title=title,
            title_en=title_en,
            category=category,
            owner=owner_user,
            vendor=vendors.get(vendor_code),
            service=services_by_code.get(service_code),
            cause=cause,
            event=event,
            consequence=consequence,
            contingency_plan=plan,
            treatment=treatment,
            treatment_note="",
            acceptance_approver=approver,
            acceptance_expires_on=today + dt.timedelta(days=180) if approver else None,
        )
    if not ratings:
        return risk
    with _at(140 - index * 3):
        for kind in ("inherent", "target", "residual"):
            p, i = ratings[kind]
            services.risk_rating_record(
                risk=risk, kind=kind, probability_level=p, impact_level=i, reason="初始评估", actor=actor
            )
        risk = services.risk_transition(actor=actor, risk=risk, action="assess")
    with _at(60 - index):
        p, i = ratings["current"]
        extra = {"probability": Decimal(money[0]), "impact": Decimal(money[1])} if money else {}
        services.risk_rating_record(
            risk=risk, kind="current", probability_level=p, impact_level=i, reason="季度复评", actor=actor, **extra
        )
    if status in ("treating", "monitoring", "closed") and treatment:
        if status in ("treating", "monitoring"):
            risk = services.risk_transition(
                actor=actor, risk=risk, action="treat" if status == "treating" else "monitor"
            )
        else:
            risk = services.risk_transition(actor=actor, risk=risk, action="close", note="旧系统已下线，风险消除")
    return risk


def _make_mitigation(organisation, spec, risks_by_title: dict):
    title, owner, due_in, status, cost, risk_titles = spec
    actor = _user(organisation, "supervisor")
    today = local_today(organisation)
    with _at(90):
        mitigation = services.mitigation_create(
            actor=actor,
            title=title,
            owner=_user(organisation, owner),
            due_date=today + dt.timedelta(days=due_in),
            cost=Decimal(cost) if cost else None,
            risks=[risks_by_title[t] for t in risk_titles],
        )
    steps = {"in_progress": ["start"], "done": ["start", "complete"], "planned": []}[status]
    for step in steps:
        mitigation = services.mitigation_transition(actor=actor, mitigation=mitigation, action=step)
    return mitigation


def load_demo_risks(organisation) -> list[Risk]:
    """The demo register (see the module docstring); returns its risks, oldest first."""
    existing = Risk.objects.filter(organisation=organisation)
    if existing.exists():
        return list(existing.order_by("pk"))
    services.risk_matrix_ensure(organisation=organisation, actor=_user(organisation, "admin"))
    vendors = {v.code: v for v in Vendor.objects.filter(organisation=organisation)}
    services_by_code = {s.code: s for s in Service.objects.filter(organisation=organisation)}
    made = [_make_risk(organisation, spec, index, vendors, services_by_code) for index, spec in enumerate(RISKS)]
    by_title = {r.title: r for r in made}
    for spec in MITIGATIONS:
        _make_mitigation(organisation, spec, by_title)
    reviewer = _user(organisation, "supervisor")
    today = local_today(organisation)
    for risk in made:
        risk.refresh_from_db()
        if risk.is_open:
            services.risk_review_record(
                actor=reviewer,
                risk=risk,
                still_valid=True,
                changes="",
                reviewed_at=clock.now() - dt.timedelta(days=7),
            )
    # The one overdue review: its date passed a week ago without a review.
    overdue = by_title[OVERDUE_REVIEW_TITLE]
    overdue.refresh_from_db()
    services.risk_update(actor=reviewer, risk=overdue, next_review_date=today - dt.timedelta(days=7))
    return list(Risk.objects.filter(organisation=organisation).order_by("pk"))
