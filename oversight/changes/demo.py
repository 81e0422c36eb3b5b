"""Demo changes of the demo hospital, made through the real services.

`load_demo_changes(organisation)` is idempotent (an organisation that already has changes is left alone) and
dates everything relative to now:

* a catalogue of three standard changes (toner, password reset of a ward PC, switch port);
* approval steps: normal changes go to 技术评审 (any one of two) then the CAB (majority once everyone voted,
  8 business hours, a substitute for the chair); emergency changes to the ECAB (any one);
* changes in every state: new, assessed (votes under way), authorised by the steps, scheduled, implementing,
  in review, closed after a review, rejected and authorised at a CAB meeting, cancelled, and one recorded as
  implemented without authorisation;
* a weekly maintenance window of the network vendor (Sunday 00:00–06:00) and a hard blackout added after a
  change was scheduled into it, so the change calendar shows a blackout conflict.
"""

from __future__ import annotations

import datetime as dt

from oversight.catalog.models import BusinessCalendar, Service
from oversight.changes import services
from oversight.changes.choices import ChangeType, ReviewOutcome
from oversight.changes.models import Change, ChangeTemplate
from oversight.core import clock
from oversight.core.zones import zone_of
from oversight.tenancy.models import User, Vendor

TEMPLATES = (
    ("更换打印机硒鼓", "desk", "关机，更换硒鼓，打印测试页", "装回原硒鼓", "打印测试页", 5),
    ("病区电脑重置本地密码", "desk", "远程登录，按流程重置并告知护士长", "恢复原密码策略", "护士长登录验证", 0),
    ("交换机端口启用/禁用", "net", "按工单在核心交换机上启用或禁用端口并记录", "恢复原端口配置", "端口连通性测试", 2),
)


def _people(organisation) -> dict[str, User]:
    names = ("admin", "supervisor", "supervisor2", "supervisor_en", "desk_manager", "desk_agent1", "net_manager")
    found = {u.username: u for u in User.objects.filter(organisation=organisation, username__in=names)}
    found.update({u.username: u for u in User.objects.filter(organisation=organisation, username="his_manager")})
    return found


def _local(organisation, days: int, hour: int) -> dt.datetime:
    """``hour``:00 local time, ``days`` from today in the organisation's zone."""
    zone = zone_of(organisation)
    today = clock.now().astimezone(zone).date() + dt.timedelta(days=days)
    return dt.datetime(today.year, today.month, today.day, hour, tzinfo=zone)


def _go(change, actor, *actions, note=""):
    for action in actions:
        change = services.change_transition(actor=actor, change=change, action=action, note=note)
    return change


def load_demo_changes(organisation) -> list[Change]:
    """Templates, approval steps, windows and changes in every state (see the module docstring)."""
    existing = list(Change.objects.filter(organisation=organisation))
    if existing:
        return existing
    people = _people(organisation)
    vendors = {v.code: v for v in Vendor.objects.filter(organisation=organisation)}
    if not {"admin", "supervisor", "supervisor2", "desk_manager", "net_manager"} <= set(people) or not {
        "desk",
        "net",
        "his",
    } <= set(vendors):
        return []
    admin, sup, sup2 = people["admin"], people["supervisor"], people["supervisor2"]
    service = {code: Service.objects.filter(vendor=vendors[code]).order_by("id").first() for code in vendors}
    calendar = (
        BusinessCalendar.objects.filter(organisation=organisation).exclude(holiday_source="none").order_by("id").first()
    )
    templates = {}
    for name, vendor, plan, backout, test, outage in TEMPLATES:
        templates[name] = ChangeTemplate.objects.filter(organisation=organisation, name=name).first() or (
            services.change_template_create(
                actor=sup,
                name=name,
                implementation_plan=plan,
                backout_plan=backout,
                test_plan=test,
                vendor=vendors[vendor],
                service=service[vendor],
                expected_outage_minutes=outage,
            )
        )
    services.approval_policy_set(
        actor=admin,
        change_type=ChangeType.NORMAL,
        steps=[
            {"name": "技术评审", "rule": "any", "members": [(sup2, None), (admin, None)]},
            {
                "name": "变更咨询委员会（CAB）",
                "rule": "majority",
                "deadline_hours": 8 if calendar else None,
                "calendar": calendar,
                "members": [(sup, people.get("supervisor_en")), (sup2, None), (admin, None)],
            },
        ],
    )
    services.approval_policy_set(
        actor=admin,
        change_type=ChangeType.EMERGENCY,
        steps=[{"name": "紧急变更委员会（ECAB）", "rule": "any", "members": [(sup, None), (admin, None)]}],
    )
    services.window_create(
        actor=sup,
        name="网络周日维护窗口",
        kind="maintenance",
        start=_local(organisation, -6, 0),
        end=_local(organisation, -6, 6),
        rrule="FREQ=WEEKLY;BYDAY=SU",
        vendors=[vendors["net"]],
    )
    desk_agent = people.get("desk_agent1") or people["desk_manager"]
    net, his = people["net_manager"], people.get("his_manager") or admin

    def normal(title, vendor, actor, **kwargs):
        kwargs.setdefault("services", [service[vendor]])
        return services.change_create(
            actor=actor,
            title=title,
            implementer=vendors[vendor],
            implementation_plan=kwargs.pop("plan", "按实施方案分步操作，每步记录结果"),
            backout_plan=kwargs.pop("backout", "按回退方案恢复原配置"),
            test_plan=kwargs.pop("test", "业务科室验证关键功能"),
            **kwargs,
        )

    def authorised(change):
        change = _go(change, sup, "assess")
        steps = list(change.steps.order_by("position"))
        services.approval_vote(actor=sup2, request=steps[0].requests.get(approver=sup2), approve=True)
        for voter in (sup, sup2, admin):
            services.approval_vote(actor=voter, request=steps[1].requests.get(approver=voter), approve=True)
        change.refresh_from_db()
        return change

    made = []
    made.append(normal("门诊楼三层交换机更换", "net", net, description="交换机老化，丢包率上升"))
    assessed = _go(normal("HIS 数据库补丁升级", "his", his, expected_outage_minutes=60), sup, "assess")
    first_step = assessed.steps.get(position=1)
    services.approval_vote(actor=sup2, request=first_step.requests.get(approver=sup2), approve=True)
    services.approval_vote(actor=sup, request=assessed.steps.get(position=2).requests.get(approver=sup), approve=True)
    made.append(assessed)
    made.append(authorised(normal("病区无线 AP 固件升级", "net", net, expected_outage_minutes=20)))
    # Scheduled into next week's window, then a blackout is declared over it: a conflict on the calendar.
    upgrade = authorised(normal("电子病历系统版本升级", "his", his, expected_outage_minutes=120))
    upgrade = services.change_update(
        actor=sup, change=upgrade, planned_start=_local(organisation, 8, 22), planned_end=_local(organisation, 8, 23)
    )
    upgrade = _go(upgrade, his, "schedule")
    blackout = services.window_create(
        actor=sup,
        name="等级评审期间封网",
        kind="blackout",
        hard=True,
        start=_local(organisation, 7, 0),
        end=_local(organisation, 10, 0),
        description="医院等级评审，期间禁止变更",
    )
    services.change_recheck_calendar(change=upgrade, window_id=blackout.pk)  # (the handler does it after commit)
    made.append(upgrade)
    toner = services.change_create(
        actor=desk_agent,
        type=ChangeType.STANDARD,
        template=templates["更换打印机硒鼓"],
        title="门诊二楼打印机更换硒鼓",
        implementer=vendors["desk"],
        planned_start=_local(organisation, 2, 13),
        planned_end=_local(organisation, 2, 14),
    )
    made.append(_go(toner, people["desk_manager"], "schedule"))
    port = services.change_create(
        actor=net,
        type=ChangeType.STANDARD,
        template=templates["交换机端口启用/禁用"],
        title="放射科新增检查室端口启用",
        implementer=vendors["net"],
        planned_start=_local(organisation, -1, 2),
        planned_end=_local(organisation, -1, 3),
    )
    made.append(_go(port, net, "schedule", "start"))
    emergency = services.change_create(
        actor=his,
        type=ChangeType.EMERGENCY,
        title="医保接口证书紧急更换",
        implementer=vendors["his"],
        implementation_plan="更换即将过期的接口证书并重启接口服务",
        backout_plan="恢复旧证书",
        services=[service["his"]],
        planned_start=_local(organisation, -2, 20),
        planned_end=_local(organisation, -2, 21),
    )
    services.approval_vote(actor=sup, request=emergency.steps.get().requests.get(approver=sup), approve=True)
    emergency.refresh_from_db()
    made.append(_go(emergency, his, "schedule", "start", "complete"))
    closed = authorised(normal("机房 UPS 电池组更换", "net", net, expected_outage_minutes=0))
    closed = services.change_update(
        actor=sup, change=closed, planned_start=_local(organisation, -5, 1), planned_end=_local(organisation, -5, 4)
    )
    closed = _go(closed, net, "schedule", "start", "complete")
    closed = services.change_review(
        actor=sup, change=closed, outcome=ReviewOutcome.WITH_ISSUES, notes="更换后一组电池告警，厂家次日更换"
    )
    made.append(_go(closed, sup, "close"))
    made.append(_go(normal("旧版自助机下线", "desk", desk_agent), sup, "cancel", note="与信息科新采购计划合并"))
    made.append(
        _go(
            normal("护士站电脑批量更换系统镜像", "desk", desk_agent),
            sup,
            "record_unauthorised",
            note="服务商未经审批于周末批量重装，两台电脑医嘱打印异常",
        )
    )
    # A CAB meeting: the agenda is every change awaiting authorisation; one rejected, one authorised.
    to_reject = _go(normal("核心防火墙策略全面调整", "net", net, expected_outage_minutes=240), sup, "assess")
    meeting = services.cab_meeting_create(actor=sup, title="每周 CAB 例会", starts_at=_local(organisation, 0, 15))
    for item in meeting.items.select_related("change"):
        if item.change_id == to_reject.pk:
            services.cab_decide(actor=sup, item=item, decision="reject", note="影响面过大，请拆分为多个变更")
        elif item.change_id == made[0].pk:
            services.cab_decide(actor=sup, item=item, decision="defer", note="先完成评估")
    made.append(to_reject)
    return made
