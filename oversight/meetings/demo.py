"""The demo hospital's communication plan with the desk vendor (called by `manage.py demo_load` after the risks):
three series (weekly operations review, monthly service review, quarterly business review) on the hospital's
working-day calendar, past meetings held through the real services with an agenda filled from the demo's service
data, minutes, decisions and action items — most closed, some overdue and escalated through the escalation
matrix — signed minutes for all but the latest, and the coming meetings scheduled.
"""

from __future__ import annotations

import datetime as dt

from oversight.catalog.models import BusinessCalendar
from oversight.core import clock
from oversight.core.zones import local_today
from oversight.meetings import services
from oversight.meetings.choices import MeetingStatus
from oversight.meetings.models import CommunicationPlan, Meeting
from oversight.meetings.recurrence import local_start
from oversight.tenancy.choices import Role
from oversight.tenancy.models import User, Vendor

#: How far back the demo's series start (days).
HISTORY_DAYS = 84

ROWS = (
    ("信息中心主任", "服务水平与考核结果", "meeting", "monthly"),
    ("临床科室护士长", "报修处理进度与满意度", "written_report", "weekly"),
    ("服务商项目经理", "工单积压、SLA 违约与整改", "meeting", "weekly"),
    ("医院领导", "季度服务回顾与下季度计划", "meeting", "quarterly"),
    ("监管热线值班员", "投诉与升级情况", "instant_messaging", "as_needed"),
)
SERIES = (
    # kind, name, English name, rule, start minute, duration
    ("weekly_operations", "每周运维例会", "Weekly operations review", "FREQ=WEEKLY;BYDAY=MO", 9 * 60 + 30, 60),
    ("monthly_service", "月度服务评审会", "Monthly service review", "FREQ=MONTHLY;BYMONTHDAY=5", 14 * 60, 90),
    (
        "quarterly_business",
        "季度业务评审会",
        "Quarterly business review",
        "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15",
        10 * 60,
        120,
    ),
)
MINUTES = (
    "回顾上周工单积压与 SLA 违约，逐项确认整改措施；打印机故障集中在门诊楼三层，服务商将增加备件储备。",
    "通报满意度评价与投诉处理情况；低分评价均已回访，原因主要为到场时间过长。",
    "确认下周变更计划与停机窗口；双方同意在变更前一天通知临床科室。",
)
DECISIONS = (
    "门诊楼三层每层常备硒鼓两支，由服务商每周盘点。",
    "到场超时的工单由服务商项目经理每日跟进并在例会上说明。",
)
ACTIONS = (
    ("统计门诊楼打印机故障并提出更换建议", 5),
    ("对上月低分评价逐一回访并形成报告", 3),
    ("更新夜间值班表并报信息中心备案", 2),
)


def _first(organisation, role: str, vendor=None):
    qs = User.objects.filter(organisation=organisation, role=role, is_active=True)
    if vendor is not None:
        qs = qs.filter(vendor=vendor)
    return qs.order_by("pk").first()


def _local(day: dt.date, minute: int, calendar) -> dt.datetime:
    return local_start(day, minute, calendar.time_zone)


def load_demo_meetings(organisation) -> list[Meeting]:
    """Create the plan, its series and meetings once (a second call returns the meetings)."""
    existing = CommunicationPlan.objects.filter(organisation=organisation).first()
    if existing is not None:
        return list(Meeting.objects.filter(plan=existing).order_by("starts_at", "pk"))
    vendor = Vendor.objects.filter(organisation=organisation, code="desk").first()
    calendar = (
        BusinessCalendar.objects.filter(organisation=organisation).exclude(holiday_source="none").order_by("id").first()
    )
    supervisor = _first(organisation, Role.CLIENT_SUPERVISOR)
    manager = _first(organisation, Role.VENDOR_MANAGER, vendor) if vendor else None
    agent = _first(organisation, Role.VENDOR_AGENT, vendor) if vendor else None
    if vendor is None or calendar is None or supervisor is None or manager is None:
        return []
    today = local_today(organisation)
    first = max(today - dt.timedelta(days=HISTORY_DAYS), dt.date(today.year, 1, 5))
    # The calendar's holiday data ends with the current year: schedule no further.
    until = min(today + dt.timedelta(days=28), dt.date(today.year, 12, 31))
    with clock.frozen_at(_local(first, 8 * 60, calendar) - dt.timedelta(days=1)):
        plan = services.plan_create(
            actor=supervisor, vendor=vendor, calendar=calendar, name="桌面运维服务沟通计划", minutes_due_days=3
        )
        plan.name_en = "Desk service communication plan"
        plan.save(update_fields=["name_en"])
        for stakeholder, topic, channel, frequency in ROWS:
            services.plan_row_add(
                actor=supervisor,
                plan=plan,
                stakeholder=stakeholder,
                topic=topic,
                channel=channel,
                frequency=frequency,
                owner=manager if "服务商" in stakeholder else supervisor,
            )
        for kind, name, name_en, rule, minute, duration in SERIES:
            series = services.series_create(
                actor=supervisor,
                plan=plan,
                kind=kind,
                name=name,
                name_en=name_en,
                rule=rule,
                starts_on=first,
                start_minute=minute,
                duration_minutes=duration,
                location="行政楼 302 会议室",
                participants=[p for p in (supervisor, manager, agent) if p is not None],
            )
            services.series_schedule(actor=supervisor, series=series, until=until)
    now = clock.now()
    past = list(Meeting.objects.filter(plan=plan, starts_at__lt=now).order_by("starts_at", "pk"))
    for index, meeting in enumerate(past):
        _hold(meeting, index=index, latest=index == len(past) - 1, supervisor=supervisor, manager=manager, agent=agent)
    # The open actions past their due date are escalated through the escalation matrix (once each).
    services.action_overdue_escalate()
    coming = Meeting.objects.filter(plan=plan, starts_at__gte=now, status=MeetingStatus.PLANNED).order_by("starts_at")
    upcoming = coming.first()
    if upcoming is not None:
        services.meeting_prefill_agenda(actor=supervisor, meeting=upcoming)
    return list(Meeting.objects.filter(plan=plan).order_by("starts_at", "pk"))


def _hold(meeting: Meeting, *, index: int, latest: bool, supervisor, manager, agent) -> None:
    """Hold a past meeting through the services at its own time, with agenda, minutes, decisions and actions."""
    start = meeting.starts_at
    with clock.frozen_at(start - dt.timedelta(hours=1)):
        services.meeting_prefill_agenda(actor=supervisor, meeting=meeting)
        services.agenda_item_add(actor=supervisor, meeting=meeting, title="上次会议待办事项跟进")
    with clock.frozen_at(start + dt.timedelta(minutes=50)):
        meeting = services.meeting_transition(actor=supervisor, meeting=meeting, action="hold")
        participants = list(meeting.participants.all())
        services.attendance_record(
            actor=supervisor,
            meeting=meeting,
            attendance={
                p.pk: ("excused" if index % 4 == 3 and p.user_id == getattr(agent, "pk", None) else "present")
                for p in participants
            },
        )
        services.minutes_save(actor=supervisor, meeting=meeting, minutes=MINUTES[index % len(MINUTES)])
        services.decision_add(actor=supervisor, meeting=meeting, text=DECISIONS[index % len(DECISIONS)])
        title, days = ACTIONS[index % len(ACTIONS)]
        owner = (agent or manager) if index % 2 == 0 else supervisor
        item = services.action_item_create(actor=supervisor, meeting=meeting, title=title, owner=owner, due_days=days)
    if latest:
        return  # the latest meeting's minutes are still being written
    with clock.frozen_at(start + dt.timedelta(hours=3)):
        meeting = services.meeting_transition(actor=supervisor, meeting=meeting, action="draft")
    # Minutes signed a day later, every fourth late (past the 3 working days).
    sign_at = start + dt.timedelta(days=6 if index % 4 == 1 else 1)
    with clock.frozen_at(sign_at):
        services.meeting_sign(actor=manager, meeting=meeting, side="vendor")
        services.meeting_sign(actor=supervisor, meeting=meeting, side="client")
    # Most actions are done in time; every third one is still open (overdue once its due date has passed).
    if index % 3 != 2:
        closer = owner if owner.vendor_id in (None, meeting.vendor_id) else supervisor
        with clock.frozen_at(min(item.due_at - dt.timedelta(hours=20), clock.now())):
            services.action_item_transition(actor=closer, item=item, action="complete")
