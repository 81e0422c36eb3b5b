"""Demo liaisons, escalation matrices, escalations and the supervision hotline of the demo hospital, through the
real services.

`load_demo_liaisons(organisation)` runs after the work orders, complaints and the other governance demos. Each
vendor gets its project manager, quality manager and on-site lead from its staff roster (people with an account
are linked to it), the hospital its supervisor and IT director; each vendor gets its own matrix on the office
calendar with three levels for SLA breaches and for complaints. The latest complaints and breached work orders
are escalated through it (levels already due are sent at once, the resolved ones settled when they were resolved),
and the hotline page gets two service areas and two reports, one passed on as a work order.
Idempotent: an organisation that already has a hotline page is skipped.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from oversight.catalog.choices import HolidaySource
from oversight.catalog.models import BusinessCalendar, Service
from oversight.core import clock
from oversight.feedback.models import Complaint
from oversight.liaisons.choices import Delivery, LiaisonRole, Trigger
from oversight.liaisons.handlers import escalate_breach, escalate_complaint
from oversight.liaisons.models import Escalation, HotlinePage, HotlineReport
from oversight.liaisons.services import escalation_settle
from oversight.liaisons.services.hotline import (
    hotline_area_save,
    hotline_page_save,
    hotline_report_convert,
    hotline_report_submit,
)
from oversight.liaisons.services.liaisons import liaison_save, matrix_save, rule_save
from oversight.tenancy.choices import Role, StaffPosition
from oversight.tenancy.models import StaffMember, User, Vendor
from oversight.tickets.models import WorkOrder

#: Position in the staff roster -> liaison role.
POSITIONS = {
    StaffPosition.PROJECT_MANAGER: LiaisonRole.PROJECT_MANAGER,
    StaffPosition.QC_MANAGER: LiaisonRole.QC_MANAGER,
    StaffPosition.ONSITE_ENGINEER: LiaisonRole.ONSITE_LEAD,
}
#: (trigger, level, wait in business hours, roles, delivery) of every vendor's matrix.
LEVELS = [
    (Trigger.PRIORITY_BREACH, 1, "0", [LiaisonRole.PROJECT_MANAGER, LiaisonRole.ONSITE_LEAD], Delivery.IN_APP),
    (Trigger.PRIORITY_BREACH, 2, "4", [LiaisonRole.PROJECT_MANAGER, LiaisonRole.QC_MANAGER], Delivery.EMAIL),
    (Trigger.PRIORITY_BREACH, 3, "16", [LiaisonRole.CLIENT_SUPERVISOR, LiaisonRole.IT_DIRECTOR], Delivery.EMAIL),
    (Trigger.OPEN_COMPLAINT, 1, "2", [LiaisonRole.QC_MANAGER], Delivery.IN_APP),
    (Trigger.OPEN_COMPLAINT, 2, "8", [LiaisonRole.PROJECT_MANAGER, LiaisonRole.CLIENT_SUPERVISOR], Delivery.EMAIL),
    (Trigger.OPEN_COMPLAINT, 3, "24", [LiaisonRole.IT_DIRECTOR], Delivery.EMAIL),
]
ESCALATED_COMPLAINTS = 4
ESCALATED_BREACHES = 4


def _office_calendar(organisation) -> BusinessCalendar | None:
    calendars = BusinessCalendar.objects.filter(organisation=organisation).order_by("pk")
    return calendars.filter(holiday_source=HolidaySource.CHINA).first() or calendars.first()


def _liaisons(organisation, admin, calendar) -> int:
    made = 0
    for vendor in Vendor.objects.filter(organisation=organisation).order_by("code"):
        staff = StaffMember.objects.filter(vendor=vendor, is_active=True).select_related("user").order_by("pk")
        taken = set()
        roster = list(staff)
        for member in roster:
            role = POSITIONS.get(member.position)
            if role is None or role in taken:
                continue
            taken.add(role)
            deputies = [
                {"user": other.user, "name": "" if other.user else other.name}
                for other in roster
                if other.pk != member.pk and other.position == member.position
            ][:2]
            liaison_save(
                actor=admin,
                organisation=organisation,
                vendor=vendor,
                role=role,
                user=member.user,
                name="" if member.user else member.name,
                phone=vendor.contact_phone if role == LiaisonRole.PROJECT_MANAGER else "",
                calendar=calendar,
                on_hotline=role in (LiaisonRole.PROJECT_MANAGER, LiaisonRole.QC_MANAGER),
                deputies=deputies,
            )
            made += 1
    supervisors = list(User.objects.filter(organisation=organisation, role=Role.CLIENT_SUPERVISOR).order_by("pk"))
    if supervisors:
        liaison_save(
            actor=admin,
            organisation=organisation,
            vendor=None,
            role=LiaisonRole.CLIENT_SUPERVISOR,
            user=supervisors[0],
            phone="010-6555-0000",
            calendar=calendar,
            on_hotline=True,
            deputies=[{"user": s} for s in supervisors[1:3]],
        )
        made += 1
    liaison_save(
        actor=admin,
        organisation=organisation,
        vendor=None,
        role=LiaisonRole.IT_DIRECTOR,
        user=admin,
        phone="010-6555-0001",
        calendar=calendar,
    )
    return made + 1


def _matrices(organisation, admin, calendar) -> None:
    for vendor in Vendor.objects.filter(organisation=organisation).order_by("code"):
        matrix = matrix_save(actor=admin, organisation=organisation, vendor=vendor, calendar=calendar)
        for trigger, level, wait, roles, delivery in LEVELS:
            rule_save(
                actor=admin,
                matrix=matrix,
                trigger=trigger,
                level=level,
                wait_hours=Decimal(wait),
                roles=roles,
                delivery=delivery,
            )


def _history(organisation) -> None:
    """Escalate the latest complaints and breached work orders; settle those already resolved."""
    complaints = Complaint.objects.filter(organisation=organisation).order_by("-opened_at")[:ESCALATED_COMPLAINTS]
    for complaint in complaints:
        escalate_complaint(
            complaint_id=complaint.pk, work_order_id=complaint.work_order_id, actor_id=None, source="", event_id="demo"
        )
        if complaint.resolved_at is not None:
            escalation_settle(
                trigger=Trigger.OPEN_COMPLAINT,
                subject_type="feedback.complaint",
                subject_id=complaint.pk,
                at=complaint.resolved_at,
            )
    breached = WorkOrder.objects.filter(organisation=organisation, sla_breached=True).order_by("-created_at")
    for work_order in breached[:ESCALATED_BREACHES]:
        escalate_breach(work_order_id=work_order.pk, event_id="demo")
        if work_order.resolved_at is not None:
            escalation_settle(
                trigger=Trigger.PRIORITY_BREACH,
                subject_type="tickets.workorder",
                subject_id=work_order.pk,
                at=max(work_order.resolved_at, clock.now() - dt.timedelta(days=365)),
            )


def _hotline(organisation, admin) -> HotlinePage:
    page = hotline_page_save(
        actor=admin,
        organisation=organisation,
        title="信息服务监管热线",
        title_en="IT service supervision hotline",
        intro="对本院信息化外包服务有任何意见或问题，欢迎随时反映。可以匿名。",
        intro_en="Tell us about any problem with the hospital's outsourced IT services. You may stay anonymous.",
        phone="010-6555-0000",
        email="jianguan@cfph.example.org",
    )
    areas = {}
    for position, (code, name, name_en, text, text_en) in enumerate(
        (
            (
                "desk",
                "桌面终端与服务台",
                "Desktops and service desk",
                "电脑、打印机、账号问题。",
                "PCs, printers, accounts.",
            ),
            (
                "his",
                "医院信息系统",
                "Hospital information system",
                "HIS、电子病历、接口。",
                "HIS, records, interfaces.",
            ),
        )
    ):
        vendor = Vendor.objects.filter(organisation=organisation, code=code).first()
        areas[code] = hotline_area_save(
            actor=admin,
            page=page,
            name=name,
            name_en=name_en,
            text=text,
            text_en=text_en,
            vendor=vendor,
            position=position,
        )
    hotline_report_submit(page=page, description="门诊三楼自助机经常死机，已经好几天了。", area_id=areas["his"].pk)
    passed_on = hotline_report_submit(
        page=page, description="住院部5楼护士站打印机卡纸，报修后一直没人来。", contact="", area_id=areas["desk"].pk
    )
    service = Service.objects.filter(organisation=organisation, vendor=areas["desk"].vendor).order_by("pk").first()
    supervisor = User.objects.filter(organisation=organisation, role=Role.CLIENT_SUPERVISOR).order_by("pk").first()
    if service is not None and supervisor is not None:
        hotline_report_convert(actor=supervisor, report=passed_on, service=service, summary="护士站打印机卡纸")
    return page


def load_demo_liaisons(organisation) -> dict[str, int]:
    """Liaisons, matrices, escalations and the hotline of the demo organisation (skipped when it has a hotline)."""
    if HotlinePage.objects.filter(organisation=organisation).exists():
        return {}
    admin = User.objects.filter(organisation=organisation, role=Role.CLIENT_ADMIN).order_by("pk").first()
    calendar = _office_calendar(organisation)
    if admin is None or calendar is None:
        return {}
    liaisons = _liaisons(organisation, admin, calendar)
    _matrices(organisation, admin, calendar)
    _history(organisation)
    _hotline(organisation, admin)
    return {
        "liaisons": liaisons,
        "escalations": Escalation.objects.filter(organisation=organisation).count(),
        "reports": HotlineReport.objects.filter(organisation=organisation).count(),
    }
