"""Demo key risk indicators of the demo hospital, evaluated on its history, through the real services.

`load_demo_triggers(organisation)` runs after the register's demo risks. It defines the MISSION triggers for the
vendors (no service for 3 working days for the strategic ones, SLA commitments missed two months running, cost
deviation over 10 %, SLA compliance from the indicator registry, staffing shortfall) and a certificate-expiry
cluster at the network vendor, whose scenario is written here: three of its engineers' electrician certificates
fall due within one fortnight next month. That KRI is red, so its evaluation raises a risk event on the register's
risk "驻场人员资质证书过期" (created here when the register's demo did not), raises its current probability and
opens its contingency plan. The vendor-state forecasts need no data of their own: they are computed from the demo
history when the page is read (rows with too few months fall back to the prior, and the page says so).
Idempotent: an organisation that already has KRIs is skipped.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from oversight.catalog.models import BusinessCalendar
from oversight.core.zones import local_today
from oversight.kpi.codes import RESOLUTION_TIMELINESS
from oversight.risks import services
from oversight.risks.choices import RatingKind
from oversight.risks.choices_triggers import KriRule, KriWindow
from oversight.risks.models import KeyRiskIndicator, Risk
from oversight.risks.triggers import kri_save, kris_evaluate
from oversight.tenancy.choices import Role, VendorTier
from oversight.tenancy.models import Certificate, StaffMember, User, Vendor

CERTIFICATE_RISK = "驻场人员资质证书过期"
CERTIFICATE_VENDOR = "net"
#: The scenario: days from today on which three electrician certificates of the network vendor expire.
CLUSTER_DAYS = (18, 24, 29)


def _actor(organisation) -> User | None:
    return User.objects.filter(organisation=organisation, role=Role.CLIENT_ADMIN, is_active=True).order_by("pk").first()


def _certificate_risk(organisation, vendor, actor) -> Risk:
    """The register's risk on lapsing certificates, or the same risk recorded now when its demo did not."""
    found = Risk.objects.filter(organisation=organisation, title=CERTIFICATE_RISK).first()
    if found is not None:
        return found
    risk = services.risk_create(
        actor=actor,
        title=CERTIFICATE_RISK,
        title_en="On-site staff certificates expire",
        category="vendor",
        owner=actor,
        vendor=vendor,
        cause="服务商未跟踪人员证书有效期",
        event="驻场工程师持过期证书上岗",
        consequence="不符合合同与行业监管要求",
        contingency_plan="要求服务商更换持证人员\n暂停无证人员的高压作业",
        treatment="mitigate",
    )
    services.risk_rating_record(
        risk=risk, kind=RatingKind.CURRENT, probability_level=2, impact_level=2, reason="季度复评", actor=actor
    )
    return risk


def _certificate_cluster_scenario(vendor, today: dt.date) -> None:
    """Three of the vendor's active staff hold an electrician certificate expiring within one fortnight."""
    staff = list(StaffMember.objects.filter(vendor=vendor, is_active=True).order_by("pk")[: len(CLUSTER_DAYS)])
    for member, days in zip(staff, CLUSTER_DAYS, strict=False):
        Certificate.objects.get_or_create(
            staff_member=member,
            name="低压电工作业证",
            defaults={
                "number": f"T{vendor.code.upper()}{member.pk:05d}",
                "issued_on": today + dt.timedelta(days=days) - dt.timedelta(days=6 * 365),
                "expires_on": today + dt.timedelta(days=days),
            },
        )


def _months_back(today: dt.date, months: int) -> dt.date:
    first = today.replace(day=1)
    for _ in range(months):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return first


def load_demo_triggers(organisation) -> list[KeyRiskIndicator]:
    """Define the demo KRIs, set the certificate scenario and evaluate them all (see the module docstring)."""
    if KeyRiskIndicator.objects.filter(organisation=organisation).exists():
        return []
    actor = _actor(organisation)
    vendors = {v.code: v for v in Vendor.objects.filter(organisation=organisation)}
    if actor is None or not vendors:
        return []
    today = local_today(organisation)
    half_year = _months_back(today, 6)
    calendar = (
        BusinessCalendar.objects.filter(organisation=organisation, holiday_source="china").order_by("pk").first()
        or BusinessCalendar.objects.filter(organisation=organisation).order_by("pk").first()
    )
    made = []

    def kri(name: str, vendor, **values) -> None:
        values.setdefault("starts_on", half_year)
        made.append(kri_save(actor=actor, organisation=organisation, name=name, vendor=vendor, **values))

    for vendor in sorted(vendors.values(), key=lambda v: v.code):
        if vendor.tier == VendorTier.STRATEGIC and calendar is not None:
            kri(
                f"{vendor.name}：连续 3 个工作日未解决任何工单",
                vendor,
                rule=KriRule.NO_SERVICE,
                higher_is_worse=False,
                amber_threshold=Decimal(1),
                red_threshold=Decimal(1),
                window=KriWindow.BUSINESS_DAYS,
                window_days=1,
                calendar=calendar,
                persistence=3,
                starts_on=today - dt.timedelta(days=60),
            )
        kri(
            f"{vendor.name}：连续两个月未达成 SLA 承诺",
            vendor,
            rule=KriRule.COMMITMENTS_MISSED,
            amber_threshold=Decimal(0),
            red_threshold=Decimal(0),
            persistence=2,
        )
        kri(
            f"{vendor.name}：费用偏差超过 10%",
            vendor,
            rule=KriRule.COST_DEVIATION,
            amber_threshold=Decimal(5),
            red_threshold=Decimal(10),
        )
        kri(
            f"{vendor.name}：解决及时率",
            vendor,
            source=RESOLUTION_TIMELINESS,
            higher_is_worse=False,
            amber_threshold=Decimal(95),
            red_threshold=Decimal(90),
            persistence=2,
        )
        kri(
            f"{vendor.name}：驻场人员缺口",
            vendor,
            rule=KriRule.STAFFING_SHORTFALL,
            amber_threshold=Decimal(0),
            red_threshold=Decimal(10),
        )
    network = vendors.get(CERTIFICATE_VENDOR)
    if network is not None:
        _certificate_cluster_scenario(network, today)
        risk = _certificate_risk(organisation, network, actor)
        kri(
            f"{network.name}：人员证书集中到期",
            network,
            rule=KriRule.CERTIFICATE_CLUSTER,
            amber_threshold=Decimal(1),
            red_threshold=Decimal(2),
            rule_days=30,
            links=[(risk, 1)],
        )
    kris_evaluate(organisation=organisation)
    return made
