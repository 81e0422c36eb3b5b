"""The permission matrix's knowledge of the report delivery: report schedules and their deliveries.

Rules (issue 3 §7, the report delivery's stated design): the client side of the organisation reads every report
schedule and delivery; a vendor manager reads its own vendor's, read-only (which of its reports go to whom);
vendor agents, requesters and other organisations none (the pages answer 403 to roles that may never read them,
404 for an object out of sight). Only client administrators and supervisors create, change, switch off or on and
send now.
"""

from __future__ import annotations

from oversight.core import clock
from oversight.reports import services
from oversight.reports.models import DeliveryRecipient, ReportDelivery, ReportSchedule
from oversight.reports.periods import period_containing, previous_period
from oversight.tenancy.choices import Role
from tests.permissions.permissions_support import CLIENT_SIDE, Matrix, Payload, describe_app, side

READERS = CLIENT_SIDE | {Role.VENDOR_MANAGER}
MANAGERS = frozenset({Role.CLIENT_ADMIN, Role.CLIENT_SUPERVISOR})

# Instance key -> (vendor attribute of the world, calendar key, actor role, recipient roles)
SCHEDULES = {
    "A.V1": ("vendor", "A", "client_supervisor", ("client_supervisor", "vendor_manager")),
    "A.V2": ("other_vendor", "A", "client_admin", ("executive", "other_vendor_manager")),
    "X": ("foreign_vendor", "X", "foreign_admin", ("foreign_admin",)),
}


def build(matrix: Matrix) -> None:
    world = matrix.world
    schedules, deliveries = {}, {}
    for key, (vendor_attr, calendar_key, actor, recipients) in SCHEDULES.items():
        vendor = getattr(world, vendor_attr)
        schedule = services.schedule_create(
            actor=matrix.users[actor],
            organisation=vendor.organisation,
            vendor=vendor,
            kind="monthly",
            working_day=3,
            calendar=matrix.objects["calendar"][calendar_key],
            recipients=[matrix.users[r] for r in recipients],
        )
        schedules[key] = schedule
        # A delivery of two months back, recorded without sending (the sending itself is tested elsewhere).
        today = clock.now().date()
        period = previous_period(
            previous_period(period_containing("monthly", today, vendor.organisation), vendor.organisation),
            vendor.organisation,
        )
        delivery = services.delivery_claim(schedule=schedule, period=period)
        for role in recipients:
            user = matrix.users[role]
            DeliveryRecipient.objects.create(
                delivery=delivery, user=user, email=user.email, outcome="sent", at=delivery.started_at
            )
        ReportDelivery.objects.filter(pk=delivery.pk).update(status="sent", finished_at=delivery.started_at)
        delivery.refresh_from_db()
        deliveries[key] = delivery
    matrix.objects["report_schedule"] = schedules
    matrix.objects["report_delivery"] = deliveries


def sees_schedule(matrix: Matrix, role: str, schedule) -> bool:
    user = matrix.user(role)
    if user is None or user.organisation_id != schedule.organisation_id:
        return False
    who = side(user)
    return who == "client" or (user.role == Role.VENDOR_MANAGER and schedule.vendor_id == user.vendor_id)


def _schedule_form(matrix: Matrix) -> dict:
    world = matrix.world
    return {
        "vendor": world.vendor.pk,
        "kind": "monthly",
        "working_day": 4,
        "calendar": matrix.objects["calendar"]["A"].pk,
        "recipients": [matrix.users["client_supervisor"].pk],
    }


def _form(target, matrix: Matrix) -> Payload:
    return Payload(_schedule_form(matrix))


def _json(target, matrix: Matrix) -> Payload:
    return Payload(_schedule_form(matrix), json=True)


def _json_update(target, matrix: Matrix) -> Payload:
    data = _schedule_form(matrix)
    del data["vendor"]
    return Payload(data, json=True)


def _empty_json(target, matrix: Matrix) -> Payload:
    return Payload({}, json=True)


def _empty_form(target, matrix: Matrix) -> Payload:
    return Payload({})


describe_app(
    "reports",
    models={"report_schedule": ReportSchedule, "report_delivery": ReportDelivery},
    build=build,
    rules={
        "report_schedule": sees_schedule,
        "report_delivery": lambda matrix, role, delivery: sees_schedule(matrix, role, delivery.schedule),
    },
    tables=(ReportSchedule, ReportDelivery, DeliveryRecipient),
    pk_models={
        "reports:schedule_detail": "report_schedule",
        "reports:schedule_edit": "report_schedule",
        "reports:schedule_deactivate": "report_schedule",
        "reports:schedule_activate": "report_schedule",
        "reports:schedule_send": "report_schedule",
    },
    gates={
        "reports:schedules": READERS,
        "reports:schedule_detail": READERS,
        "reports:schedule_create": MANAGERS,
        "reports:schedule_edit": MANAGERS,
        "reports:schedule_deactivate": MANAGERS,
        "reports:schedule_activate": MANAGERS,
        "reports:schedule_send": MANAGERS,
        "api:report-schedule-deactivate": MANAGERS,
        "api:report-schedule-activate": MANAGERS,
        "api:report-schedule-send": MANAGERS,
    },
    payloads={
        ("reports:schedule_create", "post"): _form,
        ("reports:schedule_edit", "post"): _form,
        ("reports:schedule_deactivate", "post"): _empty_form,
        ("reports:schedule_activate", "post"): _empty_form,
        ("reports:schedule_send", "post"): _empty_form,
        ("api:report-schedule-list", "post"): _json,
        ("api:report-schedule-detail", "put"): _json_update,
        ("api:report-schedule-deactivate", "post"): _empty_json,
        ("api:report-schedule-activate", "post"): _empty_json,
        ("api:report-schedule-send", "post"): _empty_json,
    },
)
