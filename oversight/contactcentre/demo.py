"""The BPO demo (客服外包演示): a second client organisation, 悦家电器 (Yuejia Appliances), which outsources its
customer service to two BPO vendors, 声联客服 (``voxlink``: the voice hotline and web chat) and 云帆联络
(``cloudsail``: the after-sales line and e-mail).

`load_demo_contact_centre()` creates (once: an existing organisation is returned as it is) the organisation, its
users (password ``demo1234``, printed by ``manage.py demo_logins``), a 24×7 calendar and SLA policy, one
catalog service and one contract per vendor with its service-level terms, four queues, and 13 months of
30-minute interval data up to yesterday (seeded: the same data on every load).

The contracts: voxlink's version 1 measures the service level as answered within 20 s ÷ (answered + abandoned),
target 80 %; version 2, in force from the first day of the fourth month before today, excludes short abandons
(under 5 s) and raises the target to 85 % — so the older months keep the old definition. cloudsail's voice term
is 80/30 over offered contacts, its e-mail term 90 % answered within 4 hours.

The data: intervals from 08:00 to 22:00 (e-mail: around the clock), with a daily curve (morning and evening
peaks), a weekly one (Monday highest, Sunday lowest), an annual one (the November shopping festival, a quiet
Spring Festival week: China's statutory holidays from the platform's calendar data, with adjusted working days
counted as working days), and a few under-staffed days on each vendor where the service level collapses.
Every row is written with ``bulk_create`` (no per-row service; about 60 000 rows).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction

from oversight.businesstime.china import china_year_data
from oversight.businesstime.engine import CalendarDataMissing
from oversight.catalog import services as catalog_services
from oversight.catalog.choices import HolidaySource, SLAMetric
from oversight.catalog.models import Service, ServiceCategory
from oversight.contactcentre.models import IntervalFact, Queue
from oversight.contactcentre.services import queue_create, term_save
from oversight.contracts import services as contract_services
from oversight.contracts.validation import BandInput, Terms
from oversight.core import clock
from oversight.core.zones import zone_of
from oversight.tenancy.choices import Role
from oversight.tenancy.models import Organisation, User, Vendor

BPO_DEMO_ORGANISATION_CODE = "yuejia"
DEMO_PASSWORD = "demo1234"  # noqa: S105 - the published password of the local demo (demo_logins prints it)
SEED = 2026
MONTHS = 13
D = Decimal

VENDORS = [
    ("voxlink", "声联客服外包有限公司", "voxlink.example.com"),
    ("cloudsail", "云帆联络中心", "cloudsail.example.com"),
]
# username, display name, role, vendor code ("" = client side), language
USERS = [
    ("yj_admin", "周敏", Role.CLIENT_ADMIN, "", "zh-hans"),
    ("yj_supervisor", "Lena Wu", Role.CLIENT_SUPERVISOR, "", "en"),
    ("yj_exec", "陈国栋", Role.EXECUTIVE, "", "zh-hans"),
    ("voxlink_manager", "刘畅", Role.VENDOR_MANAGER, "voxlink", "zh-hans"),
    ("voxlink_agent", "王晓雨", Role.VENDOR_AGENT, "voxlink", "zh-hans"),
    ("cloudsail_manager", "Mark Zhang", Role.VENDOR_MANAGER, "cloudsail", "en"),
    ("cloudsail_agent", "李娜", Role.VENDOR_AGENT, "cloudsail", "zh-hans"),
]
# vendor, code, name, English name, channel, contacts on an average weekday, AHT (s), hours open
QUEUES = [
    ("voxlink", "VX-HOTLINE", "售前咨询热线", "Sales hotline", "voice", 2400, 290, (8, 22)),
    ("voxlink", "VX-CHAT", "在线客服", "Web chat", "chat", 1500, 420, (8, 22)),
    ("cloudsail", "CS-AFTERSALES", "售后服务热线", "After-sales line", "voice", 1800, 340, (8, 22)),
    ("cloudsail", "CS-EMAIL", "邮件客服", "E-mail desk", "email", 600, 600, (0, 24)),
]
WEEKDAY = (1.18, 1.05, 1.0, 0.98, 1.02, 0.82, 0.72)
MONTH = {1: 0.9, 2: 0.85, 3: 0.95, 4: 0.97, 5: 1.0, 6: 1.08, 7: 0.98, 8: 0.97, 9: 1.0, 10: 1.02, 11: 1.3, 12: 1.1}


def _curve(hour: float, channel: str) -> float:
    """The share of a day's contacts in the half-hour starting at ``hour`` (not normalised)."""
    if channel == "email":
        return 0.4 + math.exp(-((hour - 11) ** 2) / 18) + 0.6 * math.exp(-((hour - 20) ** 2) / 12)
    return (
        math.exp(-((hour - 10.5) ** 2) / 4.5)
        + 0.8 * math.exp(-((hour - 15) ** 2) / 5)
        + 0.55 * math.exp(-((hour - 20) ** 2) / 3)
    )


def _china(years) -> tuple[set, set]:
    holidays, adjusted = set(), set()
    for year in years:
        try:
            data = china_year_data(year)
        except CalendarDataMissing:
            continue
        holidays |= set(data.holidays)
        adjusted |= set(data.adjusted_working_days)
    return holidays, adjusted


def _people(organisation, vendors) -> dict[str, User]:
    password = make_password(DEMO_PASSWORD)  # hashed once
    users = {}
    for username, name, role, vendor_code, language in USERS:
        vendor = vendors.get(vendor_code)
        domain = VENDORS[[v[0] for v in VENDORS].index(vendor_code)][2] if vendor else "yuejia.example.com"
        users[username] = User.objects.create(
            username=username,
            password=password,
            display_name=name,
            email=f"{username}@{domain}",
            organisation=organisation,
            role=role,
            vendor=vendor,
            language=language,
            time_zone="Asia/Shanghai",
            is_staff=role == Role.CLIENT_ADMIN,
        )
    return users


def _services(organisation, vendors, admin) -> dict[str, Service]:
    calendar = catalog_services.calendar_create(
        actor=admin,
        organisation=organisation,
        name="全天候",
        time_zone="Asia/Shanghai",
        holiday_source=HolidaySource.NONE,
        weekly={d: [(0, 1440)] for d in range(7)},
    )
    policy = catalog_services.sla_policy_create(actor=admin, organisation=organisation, name="客服工单", code="cs")
    targets = [
        {"priority": p, "metric": m, "target_minutes": minutes, "calendar": calendar}
        for p, base in (("P1", 30), ("P2", 60), ("P3", 240), ("P4", 480))
        for m, minutes in ((SLAMetric.RESPONSE, base), (SLAMetric.ONSITE, base * 4), (SLAMetric.RESOLUTION, base * 8))
    ]
    catalog_services.sla_policy_version_create(actor=admin, policy=policy, targets=targets)
    category = ServiceCategory.objects.create(
        organisation=organisation, code="cs", name="客户服务", name_en="Customer service"
    )
    out = {}
    for code, _name, _domain in VENDORS:
        out[code] = Service.objects.create(
            organisation=organisation,
            code=f"cs-{code}",
            name="客户联络服务" if code == "voxlink" else "售后联络服务",
            name_en="Customer contact service" if code == "voxlink" else "After-sales contact service",
            category=category,
            vendor=vendors[code],
            sla_policy=policy,
        )
    return out


def _contracts(organisation, vendors, services, admin, today: dt.date) -> dict:
    zone = zone_of(organisation)
    start = (today.replace(day=1) - dt.timedelta(days=31 * MONTHS)).replace(day=1)
    signed = dt.datetime.combine(start - dt.timedelta(days=20), dt.time(10), tzinfo=zone)
    contracts = {}
    fees = {"voxlink": D("380000.00"), "cloudsail": D("260000.00")}
    for code, _name, _domain in VENDORS:
        terms = Terms(
            term_start=start,
            term_end=dt.date(today.year + 1, 12, 31),
            fixed_fee=fees[code],
            fee_period="monthly",
            at_risk_percent=D("10"),
            max_deduction=D("15"),
            services=(services[code],),
            bands=(BandInput(upper=D("90"), per_point=D("1")),),
        )
        with clock.frozen_at(signed):
            contract = contract_services.contract_create(
                actor=admin,
                vendor=vendors[code],
                number=f"YJ-BPO-{code.upper()}-{start.year}",
                title="客户联络中心外包服务合同" if code == "voxlink" else "售后联络中心外包服务合同",
                terms=terms,
            )
            version = contract.versions.get(number=1)
            if code == "voxlink":
                term_save(
                    actor=admin,
                    version=version,
                    variant="w_over_a_plus_b",
                    threshold_seconds=20,
                    target=D("0.8"),
                    short_abandon_seconds=5,
                    max_occupancy=D("0.85"),
                    shrinkage=D("0.3"),
                    abandonment_target=D("0.05"),
                    asa_target_seconds=30,
                    forecast_tolerance=D("0.1"),
                )
                term_save(
                    actor=admin,
                    version=version,
                    channel="chat",
                    variant="w_over_a",
                    threshold_seconds=60,
                    target=D("0.8"),
                    short_abandon_seconds=10,
                    max_occupancy=D("0.8"),
                    shrinkage=D("0.3"),
                )
            else:
                term_save(
                    actor=admin,
                    version=version,
                    variant="w_over_offered",
                    threshold_seconds=30,
                    target=D("0.8"),
                    short_abandon_seconds=5,
                    max_occupancy=D("0.85"),
                    shrinkage=D("0.32"),
                    abandonment_target=D("0.06"),
                    asa_target_seconds=40,
                    forecast_tolerance=D("0.1"),
                )
                term_save(
                    actor=admin,
                    version=version,
                    channel="email",
                    variant="w_over_offered",
                    threshold_seconds=4 * 3600,
                    target=D("0.9"),
                    short_abandon_seconds=0,
                    max_occupancy=D("0.9"),
                    shrinkage=D("0.3"),
                )
            contract = contract_services.contract_activate(actor=admin, contract=contract)
        contracts[code] = contract
    # voxlink's amendment: a stricter definition from the first day of the fourth month before this one.
    effective = (today.replace(day=1) - dt.timedelta(days=95)).replace(day=1)
    with clock.frozen_at(dt.datetime.combine(effective - dt.timedelta(days=10), dt.time(10), tzinfo=zone)):
        version = contract_services.contract_amend(
            actor=admin,
            contract=contracts["voxlink"],
            effective_from=effective,
            reason="补充协议一：服务水平不计 5 秒内短时放弃，目标提高到 85 %。",
            fixed_fee=D("395000.00"),
        )
        term_save(
            actor=admin,
            version=version,
            variant="w_over_a_plus_b_minus_s",
            threshold_seconds=20,
            target=D("0.85"),
            short_abandon_seconds=5,
            max_occupancy=D("0.85"),
            shrinkage=D("0.3"),
            abandonment_target=D("0.05"),
            asa_target_seconds=25,
            forecast_tolerance=D("0.1"),
        )
        term_save(
            actor=admin,
            version=version,
            channel="chat",
            variant="w_over_a",
            threshold_seconds=60,
            target=D("0.8"),
            short_abandon_seconds=10,
            max_occupancy=D("0.8"),
            shrinkage=D("0.3"),
        )
    return contracts


def _interval_rows(queue: Queue, spec, first: dt.date, last: dt.date, zone, rng, events, understaffed) -> list:
    _vendor, _code, _name, _en, channel, daily, aht, (opens, closes) = spec
    holidays, adjusted = events
    slots = [h / 2 for h in range(opens * 2, closes * 2)]
    weights = [_curve(h, channel) for h in slots]
    total_weight = sum(weights)
    rows = []
    day = first
    while day <= last:
        weekday = day.weekday()
        factor = WEEKDAY[weekday] * MONTH[day.month]
        if day in adjusted:
            factor = WEEKDAY[0] * MONTH[day.month]
        if day in holidays:
            factor *= 0.55
        if day.month == 11 and 9 <= day.day <= 12:
            factor *= 1.6  # the shopping festival's peak days
        expected_day = daily * factor * rng.uniform(0.93, 1.07)
        short = day in understaffed
        for hour, weight in zip(slots, weights, strict=True):
            mean = expected_day * weight / total_weight
            offered = max(0, int(rng.gauss(mean, math.sqrt(mean) + 0.5)))
            handle = aht * rng.uniform(0.9, 1.1)
            load = offered * handle / 1800  # Erlangs
            staffed = max(1.0, load / 0.82 * rng.uniform(0.95, 1.12))
            if short:
                staffed *= 0.68
            rho = load / staffed if staffed else 1.0
            abandon_share = min(0.45, 0.015 + max(0.0, rho - 0.85) * 0.9) if channel != "email" else 0.0
            abandoned = min(offered, int(round(offered * abandon_share * rng.uniform(0.8, 1.2))))
            answered = offered - abandoned
            level = max(0.2, min(0.97, 0.93 - max(0.0, rho - 0.78) * 2.4 + rng.uniform(-0.03, 0.03)))
            within = min(answered, int(round(answered * level)))
            asa = 4 + max(0.0, rho - 0.7) * 160 * rng.uniform(0.8, 1.2)
            if channel == "email":
                asa = 3600 * (0.5 + max(0.0, rho - 0.7) * 6)
            short_abandoned = int(round(abandoned * 0.3))
            start = dt.datetime.combine(day, dt.time(int(hour), int((hour % 1) * 60)), tzinfo=zone).astimezone(dt.UTC)
            rows.append(
                IntervalFact(
                    queue=queue,
                    interval_start=start,
                    offered=offered,
                    answered=answered,
                    answered_within_threshold=within,
                    threshold_seconds=20 if channel == "voice" else (60 if channel == "chat" else 14400),
                    abandoned=abandoned,
                    abandoned_within_threshold=min(abandoned, int(round(abandoned * 0.45))),
                    short_abandoned=short_abandoned,
                    flow_outs=int(offered * 0.01),
                    wait_seconds=D(round(answered * asa, 1)),
                    talk_seconds=D(round(answered * handle * 0.8, 1)),
                    hold_seconds=D(round(answered * handle * 0.05, 1)),
                    acw_seconds=D(round(answered * handle * 0.15, 1)),
                    staffed_agents=D(round(staffed, 2)),
                    scheduled_agents=D(round(staffed / (0.7 if short else 0.93), 2)),
                    paid_hours=D(round(staffed * 0.5 / 0.7, 2)),
                )
            )
        day += dt.timedelta(days=1)
    return rows


@transaction.atomic
def load_demo_contact_centre() -> Organisation:
    """Create the BPO demo organisation with its people, contracts, terms, queues and interval data (once)."""
    existing = Organisation.objects.filter(code=BPO_DEMO_ORGANISATION_CODE).first()
    if existing is not None:
        return existing
    organisation = Organisation.objects.create(
        name="悦家电器股份有限公司", code=BPO_DEMO_ORGANISATION_CODE, time_zone="Asia/Shanghai", work_order_prefix="YJ"
    )
    vendors = {
        code: Vendor.objects.create(organisation=organisation, name=name, code=code, contact_email=f"bpo@{domain}")
        for code, name, domain in VENDORS
    }
    users = _people(organisation, vendors)
    admin = users["yj_admin"]
    zone = zone_of(organisation)
    today = clock.now().astimezone(zone).date()
    services = _services(organisation, vendors, admin)
    contracts = _contracts(organisation, vendors, services, admin, today)
    rng = random.Random(SEED)
    last = today - dt.timedelta(days=1)
    first = (today.replace(day=1) - dt.timedelta(days=31 * (MONTHS - 1))).replace(day=1)
    events = _china(range(first.year, last.year + 1))
    for spec in QUEUES:
        vendor_code, code, name, name_en, channel = spec[:5]
        queue = queue_create(
            actor=admin,
            vendor=vendors[vendor_code],
            contract=contracts[vendor_code],
            code=code,
            name=name,
            name_en=name_en,
            channel=channel,
            interval_minutes=30,
        )
        days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
        understaffed = set(rng.sample([d for d in days if d.weekday() < 5], 4))
        rows = _interval_rows(queue, spec, first, last, zone, rng, events, understaffed)
        IntervalFact.objects.bulk_create(rows, batch_size=5000)
    return organisation
