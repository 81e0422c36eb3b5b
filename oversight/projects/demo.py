"""The demo hospital's two projects (called by `manage.py demo_load` after the settlements).

- 服务商引入 · 博远网络 (onboarding the network vendor): on plan, cost from entries only.
- HIS 升级 (the HIS vendor's system upgrade): behind schedule and over cost — red — with part of its actual cost
  attributed from an approved settlement statement line of the HIS vendor.

Both are planned on the hospital's working-day calendar, started (baseline 1) and reported at several status dates
through the real services, so their snapshots, lights and charts are computed, not written.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from oversight.catalog.models import BusinessCalendar
from oversight.core.zones import local_today
from oversight.projects import services
from oversight.projects.models import Project
from oversight.settlement.choices import StatementStatus
from oversight.settlement.models import StatementLine
from oversight.tenancy.choices import Role
from oversight.tenancy.models import User, Vendor

D = Decimal


def _first(organisation, role: str, vendor=None):
    qs = User.objects.filter(organisation=organisation, role=role, is_active=True)
    if vendor is not None:
        qs = qs.filter(vendor=vendor)
    return qs.order_by("pk").first()


def load_demo_projects(organisation) -> list[Project]:
    """Create the two demo projects once (a second call returns them)."""
    existing = list(Project.objects.filter(organisation=organisation).order_by("pk"))
    if existing:
        return existing
    vendors = {v.code: v for v in Vendor.objects.filter(organisation=organisation)}
    calendar = (
        BusinessCalendar.objects.filter(organisation=organisation).exclude(holiday_source="none").order_by("id").first()
    )
    supervisor = _first(organisation, Role.CLIENT_SUPERVISOR)
    if not {"net", "his"} <= set(vendors) or calendar is None or supervisor is None:
        return []
    today = local_today(organisation)
    # The plan lies within the current year (the calendar's holiday data ends with it).
    start = max(today - dt.timedelta(days=84), dt.date(today.year, 1, 5))
    return [
        _onboarding(organisation, supervisor, vendors["net"], calendar, start, today),
        _his_upgrade(organisation, supervisor, vendors["his"], calendar, start, today),
    ]


def _plan(supervisor, project, start: dt.date, rows) -> dict:
    """Work packages from (code, name, name_en, first day offset, last day offset, budget, method, units)."""
    made = {}
    for code, name, name_en, first, last, budget, method, units in rows:
        parent = made.get(code.rsplit(".", 1)[0]) if "." in code else None
        made[code] = services.work_package_create(
            actor=supervisor,
            project=project,
            code=code,
            name=name,
            name_en=name_en,
            parent=parent,
            planned_start=start + dt.timedelta(days=first),
            planned_finish=start + dt.timedelta(days=last),
            budget=D(budget),
            ev_method=method,
            units_total=D(units),
        )
    return made


def _onboarding(organisation, supervisor, vendor, calendar, start, today) -> Project:
    manager = _first(organisation, Role.VENDOR_MANAGER, vendor)
    project = services.project_create(
        actor=supervisor,
        name="服务商引入 · 博远网络",
        name_en="Vendor onboarding: Boyuan Networks",
        kind="vendor_onboarding",
        vendor=vendor,
        calendar=calendar,
        bac=D("180000.00"),
        budget_hours=D(1200),
        client_owner=supervisor,
        vendor_owner=manager,
        description="网络运维服务商入场：交接、知识转移、监控接入与试运行。",
    )
    made = _plan(
        supervisor,
        project,
        start,
        [
            ("1", "交接与知识转移", "Handover and knowledge transfer", 0, 27, "0", "percent", 0),
            ("1.1", "资产与配置清点", "Asset and configuration inventory", 0, 13, "40000", "units", 120),
            ("1.2", "知识转移", "Knowledge transfer", 14, 27, "50000", "percent", 0),
            ("2", "监控接入", "Monitoring onboarding", 28, 55, "50000", "50_50", 0),
            ("3", "试运行", "Trial operation", 56, 97, "40000", "milestones", 0),
        ],
    )
    services.milestone_create(
        actor=supervisor,
        project=project,
        name="试运行启动",
        name_en="Trial starts",
        planned_date=start + dt.timedelta(days=56),
        weight=1,
        work_package=made["3"],
    )
    services.milestone_create(
        actor=supervisor,
        project=project,
        name="正式接管",
        name_en="Takeover",
        planned_date=start + dt.timedelta(days=97),
        weight=3,
        work_package=made["3"],
    )
    project = services.project_transition(actor=supervisor, project=project, action="start")
    reports = [
        (14, [("1.1", True, True, None, 120), ("1.2", True, False, 10, None)], D("38000")),
        (28, [("1.2", True, True, 100, None), ("2", True, False, None, None)], D("50000")),
        (42, [("2", True, False, None, None)], D("21000")),
        (57, [("2", True, True, None, None)], D("26000")),
    ]
    return _report(project, manager, supervisor, made, start, today, reports)


def _his_upgrade(organisation, supervisor, vendor, calendar, start, today) -> Project:
    manager = _first(organisation, Role.VENDOR_MANAGER, vendor)
    project = services.project_create(
        actor=supervisor,
        name="HIS 升级",
        name_en="HIS upgrade",
        kind="system_migration",
        vendor=vendor,
        calendar=calendar,
        bac=D("420000.00"),
        budget_hours=D(3000),
        client_owner=supervisor,
        vendor_owner=manager,
        description="HIS 系统版本升级：环境准备、数据迁移、接口改造、上线切换。",
    )
    made = _plan(
        supervisor,
        project,
        start,
        [
            ("1", "环境准备", "Environment", 0, 20, "60000", "0_100", 0),
            ("2", "数据迁移", "Data migration", 14, 55, "160000", "units", 400),
            ("3", "接口改造", "Interfaces", 21, 69, "120000", "percent", 0),
            ("4", "上线切换", "Cut-over", 70, 97, "80000", "20_80", 0),
        ],
    )
    services.milestone_create(
        actor=supervisor,
        project=project,
        name="数据迁移完成",
        name_en="Data migrated",
        planned_date=start + dt.timedelta(days=55),
        weight=1,
    )
    project = services.project_transition(actor=supervisor, project=project, action="start")
    # Part of the cost comes from the HIS vendor's approved settlement: 30 % of its base-fee line.
    line = (
        StatementLine.objects.filter(
            statement__organisation=organisation,
            statement__vendor=vendor,
            statement__status=StatementStatus.APPROVED,
            amount__gt=0,
        )
        .order_by("statement__period__ends_on", "position")
        .first()
    )
    if line is not None and line.statement.period.ends_on <= today:
        services.settlement_link_create(actor=supervisor, project=project, line=line, share=D("0.30"))
    reports = [
        (14, [("1", True, False, None, None), ("2", True, False, None, 30)], D("52000")),
        (28, [("1", True, True, None, None), ("2", True, False, None, 90), ("3", True, False, 10, None)], D("70000")),
        (42, [("2", True, False, None, 150), ("3", True, False, 25, None)], D("64000")),
        (57, [("2", True, False, None, 210), ("3", True, False, 35, None)], D("61000")),
    ]
    return _report(project, manager, supervisor, made, start, today, reports)


def _report(project, manager, supervisor, made, start, today, reports) -> Project:
    """Cost entries and progress at each status date that has passed (the vendor's manager reports)."""
    for offset, lines, cost in reports:
        day = start + dt.timedelta(days=offset)
        if day >= today:
            break
        services.cost_entry_create(
            actor=supervisor,
            project=project,
            incurred_on=day,
            amount=cost,
            description="服务商进度款",
        )
        services.progress_record(
            actor=manager or supervisor,
            project=project,
            status_date=day,
            lines=[
                {
                    "work_package": made[code],
                    "started": started,
                    "finished": finished,
                    "percent_complete": None if percent is None else D(percent),
                    "units_done": None if units is None else D(units),
                }
                for code, started, finished, percent, units in lines
            ],
        )
    project.refresh_from_db()
    return project
