"""Seeded random work orders with consistent timelines and exact SLA clocks, built in bulk.

The process, per work order: arrival (weekday and hour-of-day seasonality, fewer on holidays and at
night), channel, service and offering, impact × urgency giving the priority mix, then a timeline in
business time on the SLA policy's calendars — dispatch (派单), acceptance, on-site arrival, pauses
waiting for the requester or a third party, resolution, sometimes a reassignment, a reopen or a
cancellation, then the requester's confirmation or the automatic close. Durations are lognormal
fractions of the targets, so a few per cent of the work orders breach. Events after `now` have not
happened yet: the work orders received in the last hours and days are still open, in every status.

Nothing goes through the per-transition services (far too slow for a million rows): rows are built
in memory and bulk-inserted per batch, but the SLA clocks come from the real code path
(`tickets.sla.compute_work_order_clocks` and `summarise`, i.e. the pure clock engine), numbers come
from the organisation's WorkOrderCounter so later real creates continue the sequence, and each run
writes one audit entry. The same seed gives the same work orders.
"""

from __future__ import annotations

import datetime as dt
import math
import multiprocessing
import random
import time
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import accumulate

from django.conf import settings
from django.db import connections, router, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from oversight.audit.services import audit_record
from oversight.businesstime.engine import (
    CalendarDataMissing,
    CalendarSpec,
    add_business_microseconds,
    business_microseconds_between,
)
from oversight.catalog.calendars import calendar_spec
from oversight.catalog.choices import HolidaySource, Priority, SLAMetric
from oversight.catalog.models import Offering, PriorityRule, Service, SLAPolicyVersion, SLATarget
from oversight.catalog.services import DEFAULT_PRIORITY_MATRIX
from oversight.core import clock
from oversight.core.errors import ApplicationError
from oversight.core.zones import zone_of
from oversight.demo.bulk import EventRow, allocate_ids, insert
from oversight.tenancy.choices import Role, StaffPosition
from oversight.tenancy.models import Organisation, StaffMember, User
from oversight.tickets.choices import Action, Channel, EventKind, Status
from oversight.tickets.models import Comment, IntakePoint, SLAClock, WorkOrder, WorkOrderCounter, WorkOrderEvent
from oversight.tickets.sla import compute_work_order_clocks, summarise

MINUTE = 60 * 1_000_000
HOUR = 60 * MINUTE
DAY = 24 * HOUR
DEFAULT_BATCH = 2000

# Relative volume per service code (the demo's codes); other organisations' services weigh 1.
SERVICE_WEIGHTS = {
    "pc": 14, "printer": 12, "account": 8, "software": 5, "pc-install": 3, "label-printer": 4, "peripheral": 4,
    "email": 2, "meeting": 2, "lan": 3, "wifi": 5, "vpn": 2, "telephony": 3, "datacenter": 1, "his": 10,
    "emr": 6, "lis": 3, "pacs": 3, "billing": 4, "pharmacy-sys": 2,
}  # fmt: skip
# Priority mix (P1..P4) for critical and ordinary services: about 2 / 10 / 55 / 33 % overall.
PRIORITY_MIX = {True: (0.04, 0.15, 0.52, 0.29), False: (0.0092, 0.073, 0.566, 0.3518)}
CHANNELS = (
    (Channel.PORTAL, 0.45),
    (Channel.PHONE, 0.28),
    (Channel.QR, 0.12),
    (Channel.EMAIL, 0.08),
    (Channel.API, 0.07),
)
# Arrivals per local hour on working days and on days off.
HOURS_WORKING = (0.15, 0.1, 0.08, 0.08, 0.1, 0.15, 0.35, 0.9, 2.6, 3.0, 2.8, 2.1, 0.9, 1.3, 2.4, 2.6, 2.2, 1.5,
                 0.8, 0.6, 0.5, 0.45, 0.35, 0.25)  # fmt: skip
HOURS_OFF = (0.2, 0.12, 0.1, 0.1, 0.1, 0.15, 0.25, 0.45, 0.8, 1.0, 1.0, 0.9, 0.7, 0.7, 0.8, 0.8, 0.75, 0.6,
             0.5, 0.45, 0.4, 0.35, 0.3, 0.25)  # fmt: skip
WEEKDAY_FACTOR = (1.25, 1.1, 1.05, 1.05, 1.0, 0.3, 0.25)
HOLIDAY_FACTOR = 0.25

# Median response as a share of the target: low priorities wait longer in the queue.
RESPONSE_MEDIAN = {Priority.P1: 0.2, Priority.P2: 0.22, Priority.P3: 0.27, Priority.P4: 0.35}
P_DISPATCH = 0.85  # the rest are taken straight from the queue by an agent
P_REASSIGN = 0.06
P_PAUSE = 0.13
P_REOPEN = 0.02
P_CANCEL = 0.011
P_CONFIRM = 0.62
P_COMMENT = 0.28

LOCATION_DETAILS = ("护士站", "医生办公室", "治疗室", "2楼201室", "3楼走廊", "分诊台", "主任办公室", "库房", "收费窗口",
                    "候诊区", "示教室", "值班室")  # fmt: skip
TITLE_SUFFIXES = ("", "", "", "，请尽快处理", "，影响患者就诊", "，科室急用", "（再次报修）", "，多台设备同样问题")
RESOLUTIONS = (
    "已重启设备并检查配置，恢复正常。",
    "更换故障配件后测试正常。",
    "已远程协助处理，用户确认可以使用。",
    "重新安装驱动程序后恢复。",
    "调整网络配置后恢复连接。",
    "已修复数据并通知相关科室。",
    "清理缓存并升级客户端版本后恢复。",
    "按流程完成配置变更并验证。",
)
REOPEN_NOTES = ("问题再次出现。", "仍然无法正常使用。", "只恢复了一部分，请再看看。")
CANCEL_NOTES = ("已自行解决，撤销报修。", "重复提交。", "误报，设备正常。")
PAUSE_NOTES = {
    Status.PENDING_REQUESTER: ("等待科室约定上门时间。", "等待用户提供截图。", "用户不在科室，待联系。"),
    Status.PENDING_THIRD_PARTY: ("已报原厂，等待备件到货。", "等待医保中心接口恢复。", "等待运营商处理线路故障。"),
}
REQUESTER_COMMENTS = (
    "请尽快处理，科室急用。",
    "今天下午之前能修好吗？",
    "已经重启过了，还是不行。",
    "设备就在护士站，随时可以来。",
)
AGENT_COMMENTS = ("已电话联系用户，马上到场。", "请先重启一次再试试。", "问题已定位，正在处理。", "已安排工程师跟进。")
INTERNAL_COMMENTS = ("需要更换硬盘，已申请备件。", "同类问题本周第三次，建议做问题管理。", "客户情绪较急，优先处理。",
                     "已升级给二线工程师。")  # fmt: skip


@dataclass
class GenerationResult:
    """What a generator run produced and how long it took."""

    count: int
    seed: int
    seconds: float
    events: int = 0
    clocks: int = 0
    comments: int = 0
    breached: int = 0
    first_number: str = ""
    last_number: str = ""
    by_status: Counter = field(default_factory=Counter)
    by_priority: Counter = field(default_factory=Counter)


@dataclass
class _Staff:
    """A vendor's people as the process needs them."""

    managers: list[User]
    desk: list[User]  # take phone calls and work remotely
    field: list[User]  # go on site
    agents: list[User]
    team_of: dict[int, object]


class _Context:
    """Everything about one organisation the process draws from, loaded once."""

    def __init__(self, organisation: Organisation) -> None:
        self.organisation = organisation
        services = list(
            Service.objects.filter(organisation=organisation, is_active=True)
            .select_related("vendor", "sla_policy")
            .order_by("code")
        )
        if not services:
            raise ApplicationError(_("The organisation has no active services to generate work orders for."))
        offerings = defaultdict(list)
        for offering in Offering.objects.filter(service__in=services, is_active=True).order_by("service_id", "pk"):
            offerings[offering.service_id].append(offering)
        self.services = services
        self.offerings = offerings
        self.service_cum = list(accumulate(SERVICE_WEIGHTS.get(s.code, 1) for s in services))

        policy_ids = {s.sla_policy_id for s in services} | {
            o.sla_policy_id for items in offerings.values() for o in items if o.sla_policy_id
        }
        versions = list(
            SLAPolicyVersion.objects.filter(policy_id__in=policy_ids).select_related("policy").order_by("number")
        )
        self.versions: dict[int, list[SLAPolicyVersion]] = defaultdict(list)
        for version in versions:
            self.versions[version.policy_id].append(version)
        missing = policy_ids - set(self.versions)
        if missing:
            raise ApplicationError(_("Some SLA policies have no version yet; publish one first."))
        self.targets: dict[tuple[int, str], dict[str, SLATarget]] = defaultdict(dict)
        for target in SLATarget.objects.filter(version__in=versions).select_related("calendar"):
            self.targets[(target.version_id, target.priority)][target.metric] = target
        self.specs: dict[int, CalendarSpec] = {}
        for by_metric in self.targets.values():
            for target in by_metric.values():
                if target.calendar_id not in self.specs:
                    self.specs[target.calendar_id] = calendar_spec(target.calendar)

        users = list(
            User.objects.filter(organisation=organisation, is_active=True).prefetch_related("teams").order_by("pk")
        )
        self.requesters = [u for u in users if u.role == Role.REQUESTER]
        if not self.requesters:
            raise ApplicationError(_("The organisation has no requesters to generate work orders for."))
        self.operators = [u for u in users if u.role in (Role.CLIENT_ADMIN, Role.CLIENT_SUPERVISOR)]
        positions = dict(
            StaffMember.objects.filter(vendor__organisation=organisation, user__isnull=False).values_list(
                "user_id", "position"
            )
        )
        self.staff: dict[int, _Staff] = {}
        for vendor_id in {s.vendor_id for s in services}:
            managers = [u for u in users if u.vendor_id == vendor_id and u.role == Role.VENDOR_MANAGER]
            agents = [u for u in users if u.vendor_id == vendor_id and u.role == Role.VENDOR_AGENT] or managers
            if not agents:
                raise ApplicationError(_("Every vendor with services needs at least one agent or manager."))
            field_staff = [u for u in agents if positions.get(u.pk) == StaffPosition.ONSITE_ENGINEER] or agents
            desk = (
                [u for u in agents if positions.get(u.pk) == StaffPosition.SERVICE_DESK]
                or [u for u in agents if u not in field_staff]
                or agents
            )
            team_of = {}
            for user in managers + agents:
                teams = sorted(user.teams.all(), key=lambda t: t.pk)
                team_of[user.pk] = teams[0] if teams else None
            self.staff[vendor_id] = _Staff(managers or agents, desk, field_staff, agents, team_of)
        self.intake_points = list(
            IntakePoint.objects.filter(organisation=organisation, is_active=True)
            .select_related("service", "offering", "site")
            .order_by("pk")
        )
        channels = [(c, w) for c, w in CHANNELS if c != Channel.QR or self.intake_points]
        self.channels = [c for c, _w in channels]
        self.channel_cum = list(accumulate(w for _c, w in channels))
        # Seasonality follows the office calendar with public holidays when there is one.
        china = [t.calendar for by in self.targets.values() for t in by.values()
                 if t.calendar.holiday_source == HolidaySource.CHINA]  # fmt: skip
        self.season_spec = calendar_spec(china[0]) if china else None
        # The impact × urgency cells that give each priority in the organisation's matrix; a priority the
        # matrix never gives is replaced by the nearest lower one that it does.
        matrix = dict(DEFAULT_PRIORITY_MATRIX)
        for rule in PriorityRule.objects.filter(organisation=organisation):
            matrix[(rule.impact, rule.urgency)] = rule.priority
        cells = {p: [cell for cell, given in sorted(matrix.items()) if given == p] for p in Priority.values}
        self.matrix, self.cells = matrix, {}
        for index, priority in enumerate(Priority.values):
            candidates = [cells[p] for p in Priority.values[index:] + Priority.values[:index][::-1] if cells[p]]
            self.cells[priority] = candidates[0]
        self.round_the_clock = CalendarSpec(tz="UTC", weekly=(((0, 1440),),) * 7)

    def version_at(self, policy_id: int, at: dt.datetime) -> SLAPolicyVersion:
        """The policy version in force when a work order was received (the first one before any)."""
        chosen = self.versions[policy_id][0]
        for version in self.versions[policy_id]:
            if version.created_at <= at:
                chosen = version
        return chosen


def _arrival_instants(ctx: _Context, rng: random.Random, count: int, start: dt.datetime, end: dt.datetime) -> list[int]:
    """`count` sorted arrival instants (µs since the epoch) in [start, end), with seasonality."""
    tz = zone_of(ctx.organisation)
    start_us, end_us = _us(start), _us(end)
    local = start.astimezone(tz).date()
    cells: list[tuple[int, int]] = []
    weights: list[float] = []
    while True:
        working = local.weekday() < 5
        if ctx.season_spec is not None:
            try:
                working = bool(ctx.season_spec.intervals_for(local))
            except CalendarDataMissing:
                pass
        holiday = local.weekday() < 5 and not working
        factor = HOLIDAY_FACTOR if holiday else WEEKDAY_FACTOR[local.weekday()] if working else 0.3
        if working and local.weekday() >= 5:
            factor = 0.9  # an adjusted working day (调休) is almost an ordinary one
        profile = HOURS_WORKING if working else HOURS_OFF
        for hour in range(24):
            lo = _us(dt.datetime(local.year, local.month, local.day, hour, tzinfo=tz))
            hi = lo + HOUR
            lo, hi = max(lo, start_us), min(hi, end_us)
            if hi > lo:
                cells.append((lo, hi - lo))
                weights.append(factor * profile[hour] * (hi - lo) / HOUR)
        if _us(dt.datetime(local.year, local.month, local.day, tzinfo=tz)) + DAY >= end_us + 2 * HOUR:
            break
        local += dt.timedelta(days=1)
    cum = list(accumulate(weights))
    total = cum[-1]
    picks = []
    for _n in range(count):
        lo, length = cells[bisect_right(cum, rng.random() * total)]
        picks.append(lo + int(rng.random() * length))
    picks.sort()
    return picks


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _us(at: dt.datetime) -> int:
    return (at - _EPOCH) // dt.timedelta(microseconds=1)


def _dt(us: int) -> dt.datetime:
    return _EPOCH + dt.timedelta(microseconds=us)


def _lognormal(rng: random.Random, median: float, sigma: float) -> float:
    return median * math.exp(rng.gauss(0.0, sigma))


class _Builder:
    """Turns one drawn work order into rows: the work order, its events, comments and clocks."""

    def __init__(self, ctx: _Context, now: dt.datetime) -> None:
        self.ctx = ctx
        self.now = now
        self.auto_close = dt.timedelta(days=settings.OVERSIGHT_AUTO_CLOSE_DAYS)

    def _add(self, spec: CalendarSpec, at: dt.datetime, amount_us: float) -> dt.datetime:
        amount = max(int(amount_us), MINUTE)
        try:
            return add_business_microseconds(spec, at, amount)
        except CalendarDataMissing:
            return at + dt.timedelta(microseconds=amount)  # the clocks will say the calendar data is missing

    def _between(self, spec: CalendarSpec, start: dt.datetime, end: dt.datetime) -> int:
        try:
            return business_microseconds_between(spec, start, end)
        except CalendarDataMissing:
            return _us(end) - _us(start)

    def build(self, rng: random.Random, created_us: int, number: str):
        """Draw one work order received at `created_us`; return (work order, events, comments)."""
        ctx = self.ctx
        created = _dt(created_us)
        channel = ctx.channels[bisect_right(ctx.channel_cum, rng.random() * ctx.channel_cum[-1])]
        requester = ctx.requesters[int(rng.random() ** 1.4 * len(ctx.requesters))]
        site = requester.department
        asset_tag = ""
        if channel == Channel.QR:
            point = ctx.intake_points[int(rng.random() * len(ctx.intake_points))]
            service, offering, site, asset_tag = point.service, point.offering, point.site or site, point.asset_tag
            title = f"{point.label}：{offering.name if offering else service.name}"
        else:
            service = ctx.services[bisect_right(ctx.service_cum, rng.random() * ctx.service_cum[-1])]
            choices = ctx.offerings.get(service.pk) or [None]
            offering = choices[int(rng.random() * len(choices))]
            subject = offering.name if offering else service.name
            title = f"{site.name if site else ''}{subject}{TITLE_SUFFIXES[int(rng.random() * len(TITLE_SUFFIXES))]}"
        staff = ctx.staff[service.vendor_id]
        mix = PRIORITY_MIX[service.is_critical]
        x, priority = rng.random(), Priority.P4
        for p, acc in zip(Priority.values, accumulate(mix)):
            if x < acc:
                priority = p
                break
        impact, urgency = rng.choice(ctx.cells[priority])
        priority = ctx.matrix[(impact, urgency)]
        policy_id = offering.sla_policy_id if offering and offering.sla_policy_id else service.sla_policy_id
        version = ctx.version_at(policy_id, created)
        targets = ctx.targets.get((version.pk, priority), {})
        if channel == Channel.PHONE:
            created_by = staff.desk[int(rng.random() * len(staff.desk))]
        else:
            created_by = requester
        onsite = bool(offering and offering.requires_onsite)
        # A QR code already names the place; elsewhere the requester adds the room or desk.
        location_detail = LOCATION_DETAILS[int(rng.random() * len(LOCATION_DETAILS))] if site and not asset_tag else ""
        place = " ".join(part for part in (site.name if site else "", location_detail) if part) or "-"
        work_order = WorkOrder(
            organisation_id=ctx.organisation.pk,
            number=number,
            kind=offering.kind if offering else "incident",
            title=title[:200],
            description=f"{requester.display_name or requester.username}报修：{title}。地点：{place}",
            service=service,
            offering=offering,
            vendor_id=service.vendor_id,
            site=site,
            location_detail=location_detail,
            asset_tag=asset_tag or (f"HX-{int(rng.random() * 90000) + 10000}" if onsite else ""),
            requester=requester,
            created_by=created_by,
            channel=channel,
            contact_phone=requester.phone,
            impact=impact,
            urgency=urgency,
            priority=priority,
            status=Status.NEW,
            sla_policy_version=version,
            created_at=created,
        )

        def spec_of(metric: str) -> CalendarSpec:
            target = targets.get(metric)
            return ctx.specs[target.calendar_id] if target else ctx.round_the_clock

        def target_us(metric: str, default_minutes: int) -> int:
            target = targets.get(metric)
            return (target.target_minutes if target else default_minutes) * MINUTE

        plan: list[tuple] = [(created, created_by, EventKind.CREATED, "", "", Status.NEW,
                              {"channel": channel, "priority": priority, "vendor": service.vendor_id})]  # fmt: skip

        def step(at, actor, kind, action, from_status, to_status, data=None):
            plan.append((at, actor, kind, action, from_status, to_status, data or {}))

        spec_r, spec_o, spec_s = spec_of(SLAMetric.RESPONSE), spec_of(SLAMetric.ONSITE), spec_of(SLAMetric.RESOLUTION)
        pool = staff.field if onsite else staff.desk
        agent = pool[int(rng.random() * len(pool))]
        response_us = target_us(SLAMetric.RESPONSE, 60) * _lognormal(rng, RESPONSE_MEDIAN[priority], 0.55)
        accept_at = self._add(spec_r, created, response_us)
        cancel_stage = int(rng.random() * 3) if rng.random() < P_CANCEL else None
        status = Status.NEW
        if rng.random() < P_DISPATCH:
            if channel in (Channel.EMAIL, Channel.API):
                # Mail and integrations land in the triage queue, read in working hours.
                dispatch_at = self._add(spec_r, created, response_us * (0.3 + 0.5 * rng.random()))
            else:
                # Routing rules and the duty dispatcher work round the clock; acceptance waits for working hours.
                dispatch_at = created + dt.timedelta(minutes=_lognormal(rng, 6, 0.8))
            if dispatch_at >= accept_at:
                dispatch_at = created + (accept_at - created) * (0.2 + 0.6 * rng.random())
            if cancel_stage == 0:
                return self._finish_cancel(rng, work_order, plan, created, dispatch_at, requester, Status.NEW)
            dispatcher = staff.managers[int(rng.random() * len(staff.managers))] if rng.random() < 0.6 else agent
            step(dispatch_at, dispatcher, EventKind.ASSIGNED, Action.DISPATCH, Status.NEW, Status.DISPATCHED,
                 self._assignment(agent, staff))  # fmt: skip
            status = Status.DISPATCHED
            if cancel_stage == 1:
                return self._finish_cancel(rng, work_order, plan, dispatch_at, accept_at, requester, status)
        elif cancel_stage in (0, 1):
            return self._finish_cancel(rng, work_order, plan, created, accept_at, requester, status)
        step(accept_at, agent, EventKind.STATUS_CHANGED, Action.ACCEPT, status, Status.ACCEPTED)
        t = accept_at
        if cancel_stage == 2:
            operator = ctx.operators[int(rng.random() * len(ctx.operators))] if ctx.operators else None
            if operator is not None:
                cancel_at = self._add(spec_s, t, _lognormal(rng, 40, 0.8) * MINUTE)
                step(cancel_at, operator, EventKind.STATUS_CHANGED, Action.CANCEL, Status.ACCEPTED, Status.CANCELLED,
                     {"note": CANCEL_NOTES[int(rng.random() * len(CANCEL_NOTES))]})  # fmt: skip
                return work_order, plan, self._comments(rng, work_order, plan, agent)
        if rng.random() < P_REASSIGN and len(pool) > 1:
            t = self._add(spec_s, t, _lognormal(rng, 20, 0.8) * MINUTE)
            agent = rng.choice([u for u in pool if u.pk != agent.pk])
            manager = staff.managers[int(rng.random() * len(staff.managers))]
            step(t, manager, EventKind.ASSIGNED, "", "", "", self._assignment(agent, staff, note="转派给现场工程师"))
        working = Status.ACCEPTED
        if onsite:
            arrive_at = self._add(spec_o, created, target_us(SLAMetric.ONSITE, 240) * _lognormal(rng, 0.35, 0.5))
            if arrive_at <= t:
                arrive_at = self._add(spec_o, t, _lognormal(rng, 12, 0.6) * MINUTE)
            step(arrive_at, agent, EventKind.STATUS_CHANGED, Action.ARRIVE, Status.ACCEPTED, Status.ON_SITE)
            t, working = arrive_at, Status.ON_SITE
        goal = target_us(SLAMetric.RESOLUTION, 960) * _lognormal(rng, 0.33, 0.55)
        left = max(goal - self._between(spec_s, created, t), _lognormal(rng, 15, 0.7) * MINUTE)
        if rng.random() < P_PAUSE:
            waiting = Status.PENDING_REQUESTER if rng.random() < 0.6 else Status.PENDING_THIRD_PARTY
            share = 0.2 + 0.5 * rng.random()
            pause_at = self._add(spec_s, t, left * share)
            action = Action.PAUSE_REQUESTER if waiting == Status.PENDING_REQUESTER else Action.PAUSE_THIRD_PARTY
            notes = PAUSE_NOTES[waiting]
            step(pause_at, agent, EventKind.STATUS_CHANGED, action, working, waiting,
                 {"note": notes[int(rng.random() * len(notes))]})  # fmt: skip
            hours = _lognormal(rng, 16, 1.0) if waiting == Status.PENDING_REQUESTER else _lognormal(rng, 40, 0.8)
            resume_at = pause_at + dt.timedelta(hours=hours)
            step(resume_at, agent, EventKind.STATUS_CHANGED, Action.RESUME, waiting, working)
            t, left = resume_at, left * (1 - share)
        resolve_at = self._add(spec_s, t, left)
        step(resolve_at, agent, EventKind.STATUS_CHANGED, Action.RESOLVE, working, Status.RESOLVED,
             {"resolution": RESOLUTIONS[int(rng.random() * len(RESOLUTIONS))]})  # fmt: skip
        if rng.random() < P_REOPEN:
            reopen_at = resolve_at + min(dt.timedelta(hours=_lognormal(rng, 16, 0.9)), self.auto_close * 0.9)
            step(reopen_at, requester, EventKind.STATUS_CHANGED, Action.REOPEN, Status.RESOLVED, Status.ACCEPTED,
                 {"note": REOPEN_NOTES[int(rng.random() * len(REOPEN_NOTES))]})  # fmt: skip
            resolve_at = self._add(spec_s, reopen_at, goal * _lognormal(rng, 0.15, 0.6))
            step(resolve_at, agent, EventKind.STATUS_CHANGED, Action.RESOLVE, Status.ACCEPTED, Status.RESOLVED,
                 {"resolution": RESOLUTIONS[int(rng.random() * len(RESOLUTIONS))]})  # fmt: skip
        confirm_after = dt.timedelta(hours=_lognormal(rng, 4, 1.0))
        if rng.random() < P_CONFIRM and confirm_after < self.auto_close:
            step(resolve_at + confirm_after, requester, EventKind.STATUS_CHANGED, Action.CONFIRM, Status.RESOLVED,
                 Status.CLOSED)  # fmt: skip
        else:
            close_at = resolve_at + self.auto_close + dt.timedelta(seconds=int(rng.random() * 3600))
            step(close_at, None, EventKind.STATUS_CHANGED, Action.AUTO_CLOSE, Status.RESOLVED, Status.CLOSED)
        return work_order, plan, self._comments(rng, work_order, plan, agent)

    def _finish_cancel(self, rng, work_order, plan, after, before, requester, status):
        """The requester withdraws the work order before anyone took it."""
        span = max(_us(before) - _us(after), MINUTE)
        cancel_at = _dt(_us(after) + int(span * rng.random()) + 1)
        plan.append((cancel_at, requester, EventKind.STATUS_CHANGED, Action.CANCEL, status, Status.CANCELLED,
                     {"note": CANCEL_NOTES[int(rng.random() * len(CANCEL_NOTES))]}))  # fmt: skip
        return work_order, plan, []

    @staticmethod
    def _assignment(agent: User, staff: _Staff, note: str = "") -> dict:
        team = staff.team_of.get(agent.pk)
        return {
            "assignee": agent.pk,
            "assignee_name": str(agent),
            "team": team.pk if team else None,
            "team_name": str(team) if team else "",
            "note": note,
        }

    def _comments(self, rng, work_order, plan, agent) -> list[tuple]:
        """A few public and internal comments while the work order is being worked on (before resolution or now)."""
        if rng.random() >= P_COMMENT:
            return []
        finished = next((p[0] for p in plan if p[3] in (Action.RESOLVE, Action.CANCEL)), plan[-1][0])
        start, end = _us(plan[0][0]), min(_us(finished), _us(self.now))
        accepted = next((p[0] for p in plan if p[3] == Action.ACCEPT), None)
        out = []
        for _n in range(1 + int(rng.random() * 2.2)):
            x = rng.random()
            if x < 0.4 or accepted is None:
                author, pool, internal, lo = work_order.requester, REQUESTER_COMMENTS, False, start
            else:
                author, lo = agent, _us(accepted)
                internal = x > 0.75
                pool = INTERNAL_COMMENTS if internal else AGENT_COMMENTS
            if end <= lo:
                continue
            at = _dt(lo + int((end - lo) * rng.random()))
            out.append((at, author, pool[int(rng.random() * len(pool))], internal))
        return out


def _replay(work_order: WorkOrder, events: list[WorkOrderEvent]) -> None:
    """Set the work order's denormalised columns from its (already truncated) timeline."""
    for event in events:
        action = event.action
        if event.kind == EventKind.ASSIGNED:
            assignee = event.data["assignee"]
            if work_order.assignee_id and work_order.assignee_id != assignee:
                work_order.reassignment_count += 1
            work_order.assignee_id = assignee
            work_order.team_id = event.data["team"]
        elif action == Action.ACCEPT:
            if work_order.assignee_id is None:
                work_order.assignee_id = event.actor_id
            if work_order.first_response_at is None:
                work_order.first_response_at = event.at
        elif action == Action.ARRIVE and work_order.arrived_at is None:
            work_order.arrived_at = event.at
        elif action == Action.RESOLVE:
            work_order.resolved_at = event.at
            work_order.resolution = event.data["resolution"]
        elif action in (Action.CONFIRM, Action.AUTO_CLOSE):
            work_order.closed_at = event.at
            work_order.confirmed_by_requester = action == Action.CONFIRM and event.actor_id == work_order.requester_id
        elif action == Action.CANCEL:
            work_order.closed_at = event.at
        elif action == Action.REOPEN:
            work_order.reopen_count += 1
            work_order.resolved_at = None
        if event.to_status:
            work_order.status = event.to_status
    work_order.updated_at = events[-1].at
    work_order.version = len(events)


@transaction.atomic
def _reserve_numbers(organisation: Organisation, instants: list[int]) -> list[str]:
    """Hand out numbers from the organisation's counter (per year of reception, in order of reception)."""
    per_year = Counter(_dt(us).year for us in instants)
    base = {}
    for year, n in sorted(per_year.items()):
        counter, _created = WorkOrderCounter.objects.select_for_update(of=("self",)).get_or_create(
            organisation=organisation, year=year
        )
        base[year] = counter.last
        WorkOrderCounter.objects.filter(pk=counter.pk).update(last=F("last") + n)
    prefix = organisation.work_order_prefix
    numbers = []
    for us in instants:
        year = _dt(us).year
        base[year] += 1
        numbers.append(f"{prefix}{year}{base[year]:07d}")
    return numbers


@dataclass
class _Job:
    """What one batch needs besides the shared context."""

    offset: int
    instants: list[int]
    numbers: list[str]


_shared: dict = {}  # context of the running generation, inherited by forked workers


def _generate_batch(job: _Job) -> GenerationResult:
    """Build and insert one batch of work orders in one transaction; return its tallies."""
    builder, seed, now = _shared["builder"], _shared["seed"], _shared["now"]
    ctx = builder.ctx
    result = GenerationResult(count=len(job.instants), seed=seed, seconds=0.0)
    rng = random.Random()
    with transaction.atomic():
        ids = allocate_ids(WorkOrder, len(job.instants))
        work_orders, events_all, clocks_all, comments_all, comment_data = [], [], [], [], []
        for k, (created_us, number) in enumerate(zip(job.instants, job.numbers)):
            # One stream per work order: the data does not depend on batch sizes or worker counts.
            rng.seed(seed * 1_000_000_007 + job.offset + k)
            work_order, plan, comments = builder.build(rng, created_us, number)
            if ids is not None:
                work_order.pk = ids[k]
            steps = [p for p in plan if p[0] <= now]
            for at, author, body, internal in comments:
                comments_all.append(
                    Comment(work_order=work_order, author=author, body=body, is_internal=internal, created_at=at)
                )
                data = {"comment": None, "excerpt": body[:200]}
                comment_data.append(data)
                steps.append((at, author, EventKind.COMMENTED, "", "", "", data, internal))
            steps.sort(key=lambda s: s[0])
            events = [
                EventRow(
                    work_order,
                    seq,
                    s[0],
                    s[1].pk if s[1] else None,
                    s[2],
                    s[3],
                    s[4],
                    s[5],
                    s[6],
                    s[7] if len(s) > 7 else False,
                )  # fmt: skip
                for seq, s in enumerate(steps, start=1)
            ]
            _replay(work_order, events)
            targets = ctx.targets.get((work_order.sla_policy_version_id, work_order.priority), {})
            clocks = compute_work_order_clocks(work_order, events, now, targets=targets)
            summary = summarise(clocks)
            for name, value in summary.items():
                setattr(work_order, name, value)
            work_orders.append(work_order)
            events_all.extend(events)
            clocks_all.extend(clocks)
            result.by_status[work_order.status] += 1
            result.by_priority[work_order.priority] += 1
            result.breached += summary["sla_breached"]
        insert(WorkOrder, work_orders)
        comment_ids = allocate_ids(Comment, len(comments_all))
        if comment_ids is None:
            insert(Comment, comments_all)  # bulk_create sets the primary keys
        else:
            for comment, pk in zip(comments_all, comment_ids):
                comment.pk = pk
            insert(Comment, comments_all)
        for comment, data in zip(comments_all, comment_data):
            data["comment"] = comment.pk
        if ids is None:  # bulk_create gave the work orders their keys only now
            for event in events_all:
                event.work_order_id = event.work_order.pk
            for row in clocks_all:
                row.work_order_id = row.work_order.pk
        insert(WorkOrderEvent, events_all)
        insert(SLAClock, clocks_all)
    result.events, result.clocks, result.comments = len(events_all), len(clocks_all), len(comments_all)
    return result


def _worker_start() -> None:
    """A forked worker opens its own database connections, never the parent's."""
    connections.close_all()


def generate_work_orders(
    *,
    organisation: Organisation,
    count: int,
    seed: int = 1,
    now: dt.datetime | None = None,
    days: int = 183,
    batch_size: int = DEFAULT_BATCH,
    workers: int = 1,
    progress: Callable[[int, int, float], None] | None = None,
) -> GenerationResult:
    """Add `count` work orders received over the `days` before `now` to an organisation, reproducibly by `seed`.

    `workers` > 1 builds and inserts batches in parallel processes (PostgreSQL only: SQLite has one writer;
    and only outside a transaction). Each batch is one transaction; numbers are reserved up front.
    """
    if count < 0 or days < 1 or batch_size < 1 or workers < 1:
        raise ApplicationError(_("Count must not be negative; days, batch size and workers must be positive."))
    now = now or clock.now()
    started = time.perf_counter()
    ctx = _Context(organisation)
    instants = _arrival_instants(ctx, random.Random(f"{seed}:arrivals"), count, now - dt.timedelta(days=days), now)
    numbers = _reserve_numbers(organisation, instants)
    jobs = [
        _Job(offset, instants[offset : offset + batch_size], numbers[offset : offset + batch_size])
        for offset in range(0, count, batch_size)
    ]
    result = GenerationResult(count=count, seed=seed, seconds=0.0)
    if numbers:
        result.first_number, result.last_number = numbers[0], numbers[-1]
    _shared.update(builder=_Builder(ctx, now), seed=seed, now=now)
    connection = connections[router.db_for_write(WorkOrder)]
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        # Parallel workers write through their own connections: they need PostgreSQL, and they could not
        # see rows of a transaction still open here (nor may its connection be closed under it).
        workers = 1
    pool = None
    try:
        if workers == 1 or len(jobs) < 2:
            batches = map(_generate_batch, jobs)
        else:
            connections.close_all()
            pool = multiprocessing.get_context("fork").Pool(min(workers, len(jobs)), initializer=_worker_start)
            batches = pool.imap_unordered(_generate_batch, jobs)
        done = 0
        for batch in batches:
            done += batch.count
            result.events += batch.events
            result.clocks += batch.clocks
            result.comments += batch.comments
            result.breached += batch.breached
            result.by_status.update(batch.by_status)
            result.by_priority.update(batch.by_priority)
            if progress is not None:
                progress(done, count, time.perf_counter() - started)
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
        _shared.clear()
    result.seconds = time.perf_counter() - started
    audit_record(
        actor=None,
        action="demo.work_orders.generated",
        obj=organisation,
        after={
            "count": count,
            "seed": seed,
            "days": days,
            "now": now,
            "first_number": result.first_number,
            "last_number": result.last_number,
            "events": result.events,
            "clocks": result.clocks,
            "comments": result.comments,
            "workers": workers,
            "seconds": round(result.seconds, 1),
        },
    )
    return result
