"""The demo's reference data: 市第一人民医院 (City First People's Hospital), its departments, three vendors,
calendars, SLA policies, about twenty services and about sixty people.

Calendars and SLA policies go through the catalog services (so they are validated and audited like
an administrator's edits); organisations, sites, vendors and people are created directly and the
whole load is recorded as one audit entry. Everything is dated relative to `clock.now()`: the
policies' first versions predate the generated work orders, the second version of the standard
policy falls in the middle of the period.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction

from oversight.audit.services import audit_record
from oversight.catalog import services as catalog_services
from oversight.catalog.choices import HolidaySource, Priority, SLAMetric
from oversight.catalog.models import (
    BusinessCalendar,
    Offering,
    PriorityRule,
    Service,
    ServiceCategory,
    SLAPolicy,
)
from oversight.core import clock
from oversight.core.errors import ApplicationError
from oversight.tenancy.choices import Role, SiteKind, StaffPosition, VendorTier
from oversight.tenancy.models import Certificate, Organisation, Site, StaffMember, Team, User, Vendor
from oversight.tickets.models import IntakePoint

DEMO_PASSWORD = "demo1234"  # noqa: S105 - a published password for a local demo, printed by demo_logins
DEMO_ORGANISATION_CODE = "city-first"
DEMO_DAYS = 183  # two quarters of history before now
OFFICE_HOURS = [(8 * 60, 12 * 60), (13 * 60 + 30, 17 * 60 + 30)]

# fmt: off
# code, name, kind, parent code
SITES = [
    ("main", "主院区", SiteKind.CAMPUS, None),
    ("opd-bldg", "门诊楼", SiteKind.BUILDING, "main"),
    ("ward-bldg", "住院楼", SiteKind.BUILDING, "main"),
    ("tech-bldg", "医技楼", SiteKind.BUILDING, "main"),
    ("admin-bldg", "行政楼", SiteKind.BUILDING, "main"),
    ("opd", "门诊部", SiteKind.DEPARTMENT, "opd-bldg"),
    ("er", "急诊科", SiteKind.DEPARTMENT, "opd-bldg"),
    ("cardio", "心内科", SiteKind.DEPARTMENT, "ward-bldg"),
    ("radiology", "放射科", SiteKind.DEPARTMENT, "tech-bldg"),
    ("lab", "检验科", SiteKind.DEPARTMENT, "tech-bldg"),
    ("pharmacy", "药剂科", SiteKind.DEPARTMENT, "opd-bldg"),
    ("finance", "财务处", SiteKind.DEPARTMENT, "admin-bldg"),
    ("it", "信息中心", SiteKind.DEPARTMENT, "admin-bldg"),
    ("inpatient", "住院部", SiteKind.DEPARTMENT, "ward-bldg"),
    ("ward-1", "住院部一病区（心内科）", SiteKind.DEPARTMENT, "inpatient"),
    ("ward-2", "住院部二病区（普外科）", SiteKind.DEPARTMENT, "inpatient"),
    ("ward-3", "住院部三病区（呼吸内科）", SiteKind.DEPARTMENT, "inpatient"),
    ("er-resus", "急诊抢救室", SiteKind.ROOM, "er"),
    ("ct-room", "CT室", SiteKind.ROOM, "radiology"),
    ("lab-biochem", "生化实验室", SiteKind.ROOM, "lab"),
    ("opd-cashier", "门诊收费处", SiteKind.ROOM, "opd"),
    ("opd-kiosk", "门诊二楼自助服务区", SiteKind.ROOM, "opd"),
    ("ward-1-station", "一病区护士站", SiteKind.ROOM, "ward-1"),
    ("server-room", "信息中心机房", SiteKind.ROOM, "it"),
]

# code, name, tier, e-mail domain, teams
VENDORS = [
    ("desk", "华信智维科技服务有限公司", VendorTier.STRATEGIC, "huaxin.example.com",
     ["服务台", "现场一组", "现场二组"]),
    ("net", "博远网络技术有限公司", VendorTier.CORE, "boyuan.example.com", ["网络运维组"]),
    ("his", "康联医疗软件有限公司", VendorTier.STRATEGIC, "kanglian.example.com", ["HIS应用组", "接口与数据组"]),
]

CATEGORIES = [
    ("desktop", "桌面终端", "End-user computing"),
    ("print", "打印与外设", "Printing and peripherals"),
    ("access", "账号与协作", "Accounts and collaboration"),
    ("network", "网络与通信", "Network and communications"),
    ("infra", "机房与基础设施", "Data centre and infrastructure"),
    ("clinical", "临床应用", "Clinical applications"),
    ("admin-apps", "运营管理应用", "Administrative applications"),
]

# code, category, vendor, name, name_en, critical, policy, offerings [(name, name_en, kind, onsite)]
INCIDENT, REQUEST = "incident", "service_request"
SERVICES = [
    ("pc", "desktop", "desk", "电脑故障", "PC fault", False, "std", [
        ("电脑无法开机", "PC does not start", INCIDENT, True),
        ("电脑运行缓慢或死机", "PC slow or frozen", INCIDENT, False),
        ("显示器故障", "Monitor fault", INCIDENT, True),
    ]),
    ("pc-install", "desktop", "desk", "电脑安装与搬迁", "PC installation and move", False, "std", [
        ("新电脑安装", "New PC set-up", REQUEST, True),
        ("电脑搬迁", "PC move", REQUEST, True),
    ]),
    ("software", "desktop", "desk", "软件安装与升级", "Software installation", False, "std", [
        ("安装办公软件", "Install office software", REQUEST, False),
        ("病毒查杀", "Virus removal", INCIDENT, False),
    ]),
    ("printer", "print", "desk", "打印机故障", "Printer fault", False, "std", [
        ("打印机卡纸", "Paper jam", INCIDENT, True),
        ("无法打印", "Cannot print", INCIDENT, False),
        ("更换硒鼓", "Replace toner", REQUEST, True),
    ]),
    ("label-printer", "print", "desk", "条码与腕带打印机", "Barcode and wristband printers", True, "std", [
        ("腕带打印机故障", "Wristband printer fault", INCIDENT, True),
        ("条码打印不清晰", "Barcode labels unreadable", INCIDENT, True),
    ]),
    ("peripheral", "print", "desk", "扫码枪与读卡器", "Scanners and card readers", False, "std", [
        ("扫码枪无响应", "Barcode scanner not responding", INCIDENT, True),
        ("医保读卡器故障", "Insurance card reader fault", INCIDENT, True),
    ]),
    ("account", "access", "desk", "账号与密码", "Accounts and passwords", False, "std", [
        ("密码重置", "Password reset", REQUEST, False),
        ("新员工开通账号", "New staff account", REQUEST, False),
    ]),
    ("email", "access", "desk", "电子邮件", "E-mail", False, "std", [
        ("邮件无法收发", "Cannot send or receive mail", INCIDENT, False),
    ]),
    ("meeting", "access", "desk", "会议室与视频会议", "Meeting rooms and video conferencing", False, "std", [
        ("视频会议保障", "Video conference support", REQUEST, True),
        ("投影仪故障", "Projector fault", INCIDENT, True),
    ]),
    ("lan", "network", "net", "有线网络", "Wired network", True, "critical", [
        ("网络中断", "Network outage", INCIDENT, True),
        ("新增网络点位", "New network port", REQUEST, True),
    ]),
    ("wifi", "network", "net", "无线网络", "Wi-Fi", False, "std", [
        ("无线信号弱", "Weak Wi-Fi signal", INCIDENT, False),
        ("移动护理终端无法联网", "Mobile nursing terminal offline", INCIDENT, True),
    ]),
    ("vpn", "network", "net", "VPN与远程访问", "VPN and remote access", False, "std", [
        ("开通VPN", "VPN access request", REQUEST, False),
        ("VPN无法连接", "VPN cannot connect", INCIDENT, False),
    ]),
    ("telephony", "network", "net", "电话与呼叫系统", "Telephony and nurse call", False, "std", [
        ("电话无拨号音", "No dial tone", INCIDENT, True),
        ("呼叫器故障", "Nurse call fault", INCIDENT, True),
    ]),
    ("datacenter", "infra", "net", "机房与服务器", "Data centre and servers", True, "critical", [
        ("服务器告警", "Server alarm", INCIDENT, False),
        ("机房环境告警", "Server room environment alarm", INCIDENT, True),
    ]),
    ("his", "clinical", "his", "HIS医院信息系统", "Hospital information system (HIS)", True, "critical", [
        ("HIS无法登录", "Cannot log in to HIS", INCIDENT, False),
        ("医嘱录入报错", "Order entry error", INCIDENT, False),
        ("HIS权限调整", "HIS permission change", REQUEST, False),
    ]),
    ("emr", "clinical", "his", "电子病历", "Electronic medical record", True, "critical", [
        ("病历无法保存", "Record cannot be saved", INCIDENT, False),
        ("病历模板修改", "Record template change", REQUEST, False),
    ]),
    ("lis", "clinical", "his", "检验信息系统", "Laboratory information system (LIS)", True, "critical", [
        ("检验结果未回传", "Lab results not returned", INCIDENT, False),
        ("仪器接口中断", "Analyser interface down", INCIDENT, True),
    ]),
    ("pacs", "clinical", "his", "影像归档与通信系统", "Imaging (PACS)", True, "critical", [
        ("影像无法调阅", "Images cannot be opened", INCIDENT, False),
        ("检查单未传到设备", "Worklist not reaching the modality", INCIDENT, True),
    ]),
    ("billing", "admin-apps", "his", "收费与医保结算", "Billing and insurance settlement", True, "critical", [
        ("医保结算失败", "Insurance settlement fails", INCIDENT, False),
        ("发票打印异常", "Receipt printing error", INCIDENT, False),
    ]),
    ("pharmacy-sys", "admin-apps", "his", "药房管理系统", "Pharmacy system", False, "std", [
        ("药品字典维护", "Drug dictionary update", REQUEST, False),
        ("发药机接口异常", "Dispensing machine interface error", INCIDENT, False),
    ]),
]

# Standard office-hours policy, business minutes per priority: (response, on-site, resolution).
STANDARD_V1 = {"P1": (15, 60, 240), "P2": (30, 120, 480), "P3": (60, 240, 1440), "P4": (240, 960, 2400)}
STANDARD_V2 = {"P1": (15, 60, 240), "P2": (30, 120, 360), "P3": (60, 240, 1440), "P4": (240, 960, 2400)}
# Critical policy: P1/P2 round the clock, P3/P4 in office hours.
CRITICAL_V1 = {"P1": (10, 30, 120), "P2": (15, 60, 240), "P3": (30, 240, 960), "P4": (120, 480, 1920)}

# username, display name, role, side ("client" or a vendor code), language, position, team indexes, skills
STAFF = [
    ("admin", "王建国", Role.CLIENT_ADMIN, "client", "zh-hans", "", [], ""),
    ("admin2", "刘芳", Role.CLIENT_ADMIN, "client", "zh-hans", "", [], ""),
    ("supervisor", "陈静", Role.CLIENT_SUPERVISOR, "client", "zh-hans", "", [], ""),
    ("supervisor2", "赵磊", Role.CLIENT_SUPERVISOR, "client", "zh-hans", "", [], ""),
    ("supervisor_en", "Emma Clarke", Role.CLIENT_SUPERVISOR, "client", "en", "", [], ""),
    ("executive", "孙副院长", Role.EXECUTIVE, "client", "zh-hans", "", [], ""),
    ("auditor", "周审计", Role.AUDITOR, "client", "zh-hans", "", [], ""),
    ("desk_manager", "李明", Role.VENDOR_MANAGER, "desk", "zh-hans", StaffPosition.PROJECT_MANAGER, [0],
     "ITIL,项目管理"),
    ("desk_qc", "吴倩", Role.VENDOR_MANAGER, "desk", "zh-hans", StaffPosition.QC_MANAGER, [0], "质量管理,ITIL"),
    ("desk_agent1", "张伟", Role.VENDOR_AGENT, "desk", "zh-hans", StaffPosition.SERVICE_DESK, [0], "服务台,远程协助"),
    ("desk_agent2", "杨丽", Role.VENDOR_AGENT, "desk", "zh-hans", StaffPosition.SERVICE_DESK, [0], "服务台,账号管理"),
    ("desk_agent3", "黄强", Role.VENDOR_AGENT, "desk", "zh-hans", StaffPosition.ONSITE_ENGINEER, [1],
     "桌面运维,打印机"),
    ("desk_agent4", "徐军", Role.VENDOR_AGENT, "desk", "zh-hans", StaffPosition.ONSITE_ENGINEER, [1],
     "桌面运维,条码设备"),
    ("desk_agent5", "马超", Role.VENDOR_AGENT, "desk", "zh-hans", StaffPosition.ONSITE_ENGINEER, [2],
     "桌面运维,会议保障"),
    ("desk_agent6", "朱红", Role.VENDOR_AGENT, "desk", "zh-hans", StaffPosition.ONSITE_ENGINEER, [2],
     "桌面运维,外设"),
    ("desk_agent_en", "Daniel Moore", Role.VENDOR_AGENT, "desk", "en", StaffPosition.SERVICE_DESK, [0],
     "Service desk,Remote support"),
    ("net_manager", "郭涛", Role.VENDOR_MANAGER, "net", "zh-hans", StaffPosition.PROJECT_MANAGER, [0],
     "网络架构,项目管理"),
    ("net_agent1", "何斌", Role.VENDOR_AGENT, "net", "zh-hans", StaffPosition.ONSITE_ENGINEER, [0], "交换机,无线"),
    ("net_agent2", "林峰", Role.VENDOR_AGENT, "net", "zh-hans", StaffPosition.ONSITE_ENGINEER, [0], "综合布线,电话"),
    ("net_agent3", "罗佳", Role.VENDOR_AGENT, "net", "zh-hans", StaffPosition.SPECIALIST, [0], "服务器,存储"),
    ("net_agent4", "高翔", Role.VENDOR_AGENT, "net", "zh-hans", StaffPosition.SPECIALIST, [0], "安全,VPN"),
    ("his_manager", "郑晓", Role.VENDOR_MANAGER, "his", "zh-hans", StaffPosition.PROJECT_MANAGER, [0],
     "HIS实施,项目管理"),
    ("his_agent1", "梁宇", Role.VENDOR_AGENT, "his", "zh-hans", StaffPosition.SPECIALIST, [0], "HIS,医保接口"),
    ("his_agent2", "宋佳", Role.VENDOR_AGENT, "his", "zh-hans", StaffPosition.SPECIALIST, [0], "电子病历,HIS"),
    ("his_agent3", "谢飞", Role.VENDOR_AGENT, "his", "zh-hans", StaffPosition.SPECIALIST, [1], "LIS,仪器接口"),
    ("his_agent4", "韩雪", Role.VENDOR_AGENT, "his", "zh-hans", StaffPosition.ONSITE_ENGINEER, [1], "PACS,数据库"),
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅"
GIVEN = ["丽", "敏", "静", "婷", "娟", "燕", "霞", "萍", "红", "玲", "洁", "欣", "慧", "琳", "雪", "瑶", "悦", "颖"]
# Requesters: (username prefix, how many, department codes in turn, job)
REQUESTERS = [
    ("nurse", 20, ["ward-1", "ward-2", "ward-3", "er", "opd", "cardio", "radiology", "lab"], "护士"),
    ("clerk", 10, ["opd", "finance", "pharmacy", "inpatient", "it", "lab"], "科员"),
    ("doctor", 5, ["cardio", "er", "radiology", "opd", "ward-2"], "医生"),
]

# label, service code, offering index, site code, asset tag
INTAKE_POINTS = [
    ("门诊二楼自助机 A", "pc", 1, "opd-kiosk", "KIOSK-OPD2-A"),
    ("急诊抢救室腕带打印机", "label-printer", 0, "er-resus", "PRN-ER-007"),
    ("CT室检查工作站", "pacs", 1, "ct-room", "WS-CT-01"),
    ("一病区护士站打印机", "printer", 0, "ward-1-station", "PRN-W1-002"),
    ("门诊收费处医保读卡器", "peripheral", 1, "opd-cashier", "CRD-OPD-011"),
    ("生化实验室仪器接口", "lis", 1, "lab-biochem", "LAB-AU5800-1"),
]

# fmt: on

# position -> certificates (name, validity in years; None = does not expire)
CERTIFICATES = {
    StaffPosition.PROJECT_MANAGER: [("PMP 项目管理专业人士", 3), ("ITIL 4 Foundation", 3)],
    StaffPosition.QC_MANAGER: [("ISO/IEC 20000 内审员", 3)],
    StaffPosition.SERVICE_DESK: [("ITIL 4 Foundation", 3)],
    StaffPosition.ONSITE_ENGINEER: [("低压电工作业证", 6), ("桌面运维工程师认证", 2)],
    StaffPosition.SPECIALIST: [("华为 HCIP-Datacom", 3), ("信息系统项目管理师（软考）", None)],
}


@dataclass
class Scenario:
    """What the demo scenario created, by natural key."""

    organisation: Organisation
    vendors: dict[str, Vendor] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    services: dict[str, Service] = field(default_factory=dict)
    calendars: dict[str, BusinessCalendar] = field(default_factory=dict)
    policies: dict[str, SLAPolicy] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _targets(table: dict[str, tuple[int, int, int]], calendars: dict[str, BusinessCalendar]) -> list[dict]:
    out = []
    for priority, minutes in table.items():
        for metric, value in zip((SLAMetric.RESPONSE, SLAMetric.ONSITE, SLAMetric.RESOLUTION), minutes):
            calendar = calendars[priority]
            out.append({"priority": priority, "metric": metric, "target_minutes": value, "calendar": calendar})
    return out


def _build_people(scenario: Scenario, sites: dict[str, Site], teams: dict[str, list[Team]], now: dt.datetime) -> None:
    org = scenario.organisation
    password = make_password(DEMO_PASSWORD)  # hashed once: 60 hashes would dominate the load time
    staff_rows = []
    for index, (username, name, role, side, language, position, team_idx, skills) in enumerate(STAFF):
        vendor = scenario.vendors.get(side)
        domain = VENDORS[[v[0] for v in VENDORS].index(side)][3] if vendor else "cfph.example.org"
        user = User(
            username=username,
            password=password,
            display_name=name,
            email=f"{username}@{domain}",
            phone=f"138{index:08d}",
            organisation=org,
            role=role,
            vendor=vendor,
            department=sites["it"] if side == "client" else None,
            language=language,
            time_zone="Asia/Shanghai",
            is_staff=role == Role.CLIENT_ADMIN,
        )
        user.save()
        for i in team_idx:
            user.teams.add(teams[side][i])
        scenario.users[username] = user
        if vendor is not None:
            staff_rows.append((user, vendor, name, position, skills, index))
    for prefix, count, departments, job in REQUESTERS:
        for i in range(1, count + 1):
            username = f"{prefix}{i}"
            seq = len(scenario.users)
            name = SURNAMES[seq % len(SURNAMES)] + GIVEN[(seq * 7) % len(GIVEN)]
            user = User(
                username=username,
                password=password,
                display_name=f"{name}（{job}）",
                email=f"{username}@cfph.example.org",
                phone=f"139{seq:08d}",
                organisation=org,
                role=Role.REQUESTER,
                department=sites[departments[(i - 1) % len(departments)]],
                # Head nurses see their whole ward's work orders.
                sees_department_work_orders=prefix == "nurse" and i <= 3,
                language="zh-hans",
                time_zone="Asia/Shanghai",
            )
            user.save()
            scenario.users[username] = user
    today = now.date()
    for user, vendor, name, position, skills, index in staff_rows:
        member = StaffMember.objects.create(
            vendor=vendor,
            user=user,
            name=name,
            position=position,
            skills=skills,
            started_on=today - dt.timedelta(days=200 + 97 * index),
        )
        for n, (cert_name, years) in enumerate(CERTIFICATES.get(position, [])):
            # A few certificates expire within the next month, one has just expired.
            if years is None:
                expires = None
            elif (index + n) % 7 == 3:
                expires = today + dt.timedelta(days=12 + index)
            elif (index + n) % 11 == 5:
                expires = today - dt.timedelta(days=9)
            else:
                expires = today + dt.timedelta(days=150 + 41 * index)
            Certificate.objects.create(
                staff_member=member,
                name=cert_name,
                number=f"C{vendor.code.upper()}{index:03d}{n}",
                issued_on=(expires or today) - dt.timedelta(days=365 * (years or 4)),
                expires_on=expires,
            )


def _load_china_years(scenario: Scenario, calendar: BusinessCalendar, actor, years: list[int]) -> None:
    for year in years:
        try:
            catalog_services.calendar_load_china_year(actor=actor, calendar=calendar, year=year)
        except ApplicationError as exc:
            scenario.warnings.append(str(exc.message))


@transaction.atomic
def build_scenario(*, now: dt.datetime | None = None) -> Scenario:
    """Create the demo hospital with its vendors, catalog, calendars, policies, people and QR codes."""
    now = now or clock.now()
    history_start = now - dt.timedelta(days=DEMO_DAYS)
    setup_at = history_start - dt.timedelta(days=30)
    revision_at = now - dt.timedelta(days=95)

    org = Organisation.objects.create(
        name="市第一人民医院", code=DEMO_ORGANISATION_CODE, time_zone="Asia/Shanghai", work_order_prefix="WO"
    )
    scenario = Scenario(organisation=org)

    sites: dict[str, Site] = {}
    for code, name, kind, parent in SITES:
        sites[code] = Site.objects.create(organisation=org, code=code, name=name, kind=kind, parent=sites.get(parent))

    teams: dict[str, list[Team]] = {}
    for code, name, tier, domain, team_names in VENDORS:
        vendor = Vendor.objects.create(
            organisation=org,
            code=code,
            name=name,
            tier=tier,
            contact_email=f"service@{domain}",
            contact_phone=f"400-800-{len(scenario.vendors) + 1:04d}",
        )
        scenario.vendors[code] = vendor
        teams[code] = [Team.objects.create(vendor=vendor, name=team_name) for team_name in team_names]

    _build_people(scenario, sites, teams, now)
    admin = scenario.users["admin"]

    # Reference data is dated as the administrator set it up, before the first work order.
    with clock.frozen_at(setup_at):
        office = catalog_services.calendar_create(
            actor=admin,
            organisation=org,
            name="工作日 08:00–12:00、13:30–17:30（中国节假日）",
            time_zone="Asia/Shanghai",
            holiday_source=HolidaySource.CHINA,
            weekly={d: OFFICE_HOURS for d in range(5)},
        )
        round_the_clock = catalog_services.calendar_create(
            actor=admin,
            organisation=org,
            name="7×24 全天候",
            time_zone="Asia/Shanghai",
            holiday_source=HolidaySource.NONE,
            weekly={d: [(0, 1440)] for d in range(7)},
        )
        years = sorted({setup_at.year, history_start.year, now.year})
        _load_china_years(scenario, office, admin, years)
        scenario.calendars = {"office": office, "24x7": round_the_clock}

        PriorityRule.objects.bulk_create(
            PriorityRule(organisation=org, impact=impact, urgency=urgency, priority=priority)
            for (impact, urgency), priority in catalog_services.DEFAULT_PRIORITY_MATRIX.items()
        )
        standard = catalog_services.sla_policy_create(
            actor=admin, organisation=org, name="标准服务级别（工作时间）", code="standard"
        )
        catalog_services.sla_policy_version_create(
            actor=admin,
            policy=standard,
            targets=_targets(STANDARD_V1, {p: office for p in Priority.values}),
            warning_percent=75,
            change_note="首版：按工作时间计算的响应、到场和解决时限。",
        )
        critical = catalog_services.sla_policy_create(
            actor=admin, organisation=org, name="关键业务（P1/P2 7×24）", code="critical"
        )
        calendars_by_priority = {"P1": round_the_clock, "P2": round_the_clock, "P3": office, "P4": office}
        catalog_services.sla_policy_version_create(
            actor=admin,
            policy=critical,
            targets=_targets(CRITICAL_V1, calendars_by_priority),
            warning_percent=75,
            change_note="首版：关键业务 P1/P2 全天候计时，P3/P4 按工作时间。",
        )
        scenario.policies = {"std": standard, "critical": critical}

    with clock.frozen_at(revision_at):
        catalog_services.sla_policy_version_create(
            actor=admin,
            policy=standard,
            targets=_targets(STANDARD_V2, {p: office for p in Priority.values}),
            warning_percent=80,
            change_note="第二版：P2 解决时限由 8 小时缩短为 6 小时，预警阈值调整为 80%。",
        )

    categories = {
        code: ServiceCategory.objects.create(organisation=org, code=code, name=name, name_en=name_en)
        for code, name, name_en in CATEGORIES
    }
    for code, category, vendor, name, name_en, critical_flag, policy, offerings in SERVICES:
        service = Service.objects.create(
            organisation=org,
            code=code,
            category=categories[category],
            vendor=scenario.vendors[vendor],
            sla_policy=scenario.policies[policy],
            name=name,
            name_en=name_en,
            description=f"{name}的报修与服务请求。",
            is_critical=critical_flag,
        )
        scenario.services[code] = service
        Offering.objects.bulk_create(
            Offering(service=service, name=o_name, name_en=o_name_en, kind=kind, requires_onsite=onsite)
            for o_name, o_name_en, kind, onsite in offerings
        )

    for label, service_code, offering_index, site_code, asset_tag in INTAKE_POINTS:
        service = scenario.services[service_code]
        IntakePoint.objects.create(
            organisation=org,
            token=secrets.token_urlsafe(16),
            label=label,
            service=service,
            offering=list(service.offerings.order_by("pk"))[offering_index],
            site=sites[site_code],
            asset_tag=asset_tag,
        )

    audit_record(
        actor=None,
        action="demo.scenario.loaded",
        obj=org,
        after={
            "sites": len(sites),
            "vendors": len(scenario.vendors),
            "users": len(scenario.users),
            "services": len(scenario.services),
            "intake_points": len(INTAKE_POINTS),
        },
    )
    return scenario
