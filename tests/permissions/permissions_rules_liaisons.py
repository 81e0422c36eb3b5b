"""The permission matrix's knowledge of the liaisons app: liaisons, escalation matrices and their levels,
escalation episodes, the hotline's service areas and reports.

Rules (issue 11 "Liaisons, escalation matrix, hotline"): the client side of the organisation reads everything of
it; a vendor's staff read their own vendor's liaisons, matrix and escalations and the client side's liaisons and
matrix (rows without a vendor), never another vendor's (404); requesters are refused (403). Client administrators
and supervisors manage matrices and the hotline; a vendor's manager may also add and change their own vendor's
liaisons. The hotline's reports and service areas are the client's. Another organisation's objects are 404.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from oversight.core import clock
from oversight.liaisons.models import (
    Escalation,
    EscalationMatrix,
    EscalationRule,
    HotlineArea,
    HotlinePage,
    HotlineReport,
    Liaison,
    LiaisonDeputy,
)
from oversight.tenancy.choices import Role
from tests.permissions.permissions_support import CLIENT_SIDE, VENDOR_SIDE, Matrix, Payload, describe_app, secret, side

OPERATORS = frozenset({Role.CLIENT_ADMIN, Role.CLIENT_SUPERVISOR})
STAFF = CLIENT_SIDE | VENDOR_SIDE
LIAISON_EDITORS = OPERATORS | {Role.VENDOR_MANAGER}
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def build(matrix: Matrix) -> None:
    """For our organisation (A): a client-side liaison, one per vendor, the organisation's matrix and vendor 1's,
    escalations of each vendor and one of the client side, the hotline page with an area and a report; and the same
    kind of objects in the other organisation (X)."""
    world = matrix.world
    now = clock.now()
    scopes = {
        "AC": (world.org, None),
        "A1": (world.org, world.vendor),
        "A2": (world.org, world.other_vendor),
        "X": (world.other_org, world.foreign_vendor),
    }
    liaisons, matrices, rules, escalations = {}, {}, {}, {}
    calendars = {world.org.pk: world.calendar, world.other_org.pk: world.other_org.calendars.first()}
    for key, (org, vendor) in scopes.items():
        liaison = Liaison.objects.create(
            organisation=org,
            vendor=vendor,
            role="project_manager" if vendor else "client_supervisor",
            name=secret(key, "Liaison"),
            phone="+86 10 5555 0100",
            created_at=now,
            updated_at=now,
        )
        LiaisonDeputy.objects.create(liaison=liaison, position=1, name=secret(key, "Deputy"))
        liaisons[key] = liaison
        escalations[key] = Escalation.objects.create(
            organisation=org,
            vendor=vendor,
            trigger="overdue_action" if vendor else "red_kri",
            subject_type="meetings.actionitem",
            subject_id=900 + len(escalations),
            title=secret(key, "Escalation"),
            started_at=START,
            created_at=now,
        )
        if key != "A2":
            esc_matrix = EscalationMatrix.objects.create(
                organisation=org, vendor=vendor, calendar=calendars[org.pk], created_at=now, updated_at=now
            )
            matrices[key] = esc_matrix
            rules[key] = EscalationRule.objects.create(
                matrix=esc_matrix,
                trigger="overdue_action",
                level=1,
                wait_hours=Decimal("8"),
                roles=["project_manager"],
            )
    pages, areas, reports = {}, {}, {}
    for key, org, vendor in (("A", world.org, world.vendor), ("X", world.other_org, world.foreign_vendor)):
        page = HotlinePage.objects.create(organisation=org, title=f"Hotline {key}", created_at=now, updated_at=now)
        pages[key] = page
        areas[key] = HotlineArea.objects.create(page=page, name=secret(key, "Area"), vendor=vendor)
        reports[key] = HotlineReport.objects.create(
            organisation=org, area=areas[key], description=secret(key, "Report"), received_at=now
        )
    matrix.objects["liaison"] = liaisons
    matrix.objects["escalation_matrix"] = matrices
    matrix.objects["escalation_rule"] = rules
    matrix.objects["escalation"] = escalations
    matrix.objects["hotline_area"] = areas
    matrix.objects["hotline_report"] = reports


def _client_or_own_vendor(matrix: Matrix, role: str, obj) -> bool:
    """The client side sees its organisation's; a vendor's staff their own vendor's and the client side's."""
    user = matrix.user(role)
    if user is None or obj.organisation_id != user.organisation_id:
        return False
    if side(user) == "client":
        return True
    return side(user) == "vendor" and obj.vendor_id in (None, user.vendor_id)


def _client_or_own_vendor_only(matrix: Matrix, role: str, obj) -> bool:
    """Escalations: the client side sees all; a vendor's staff only their own vendor's (not the client side's)."""
    user = matrix.user(role)
    if user is None or obj.organisation_id != user.organisation_id:
        return False
    return side(user) == "client" or (side(user) == "vendor" and obj.vendor_id == user.vendor_id)


def _rule_seen(matrix: Matrix, role: str, obj) -> bool:
    """A level is seen where its matrix is, except that the gate shows vendors only their own vendor's levels."""
    user = matrix.user(role)
    parent = obj.matrix
    if user is None or parent.organisation_id != user.organisation_id:
        return False
    return side(user) == "client" or (side(user) == "vendor" and parent.vendor_id == user.vendor_id)


def _client_only(matrix: Matrix, role: str, obj) -> bool:
    user = matrix.user(role)
    org_id = obj.page.organisation_id if isinstance(obj, HotlineArea) else obj.organisation_id
    return user is not None and side(user) == "client" and org_id == user.organisation_id


def words(matrix: Matrix, role: str) -> dict[str, str]:
    out = {}
    for key, obj in matrix.objects["liaison"].items():
        if not _client_or_own_vendor(matrix, role, obj):
            out[secret(key, "Liaison")] = f"liaison {key}"
            out[secret(key, "Deputy")] = f"deputy of liaison {key}"
    for key, obj in matrix.objects["escalation"].items():
        if not _client_or_own_vendor_only(matrix, role, obj):
            out[secret(key, "Escalation")] = f"escalation {key}"
    for key, obj in matrix.objects["hotline_report"].items():
        if not _client_only(matrix, role, obj):
            out[secret(key, "Report")] = f"hotline report {key}"
            out[secret(key, "Area")] = f"hotline area {key}"
    return out


def _liaison_form(target, matrix: Matrix) -> Payload:
    user_vendor = matrix.world.vendor.pk
    return Payload({"vendor": user_vendor, "role": "qc_manager", "name": "PmxNewLiaison", "position": "0"})


def _liaison_json(target, matrix: Matrix) -> Payload:
    return Payload({"vendor": matrix.world.vendor.pk, "role": "qc_manager", "name": "PmxApiLiaison"}, json=True)


def _rule_form(target, matrix: Matrix) -> Payload:
    return Payload(
        {
            "trigger": "open_complaint",
            "level": "1",
            "wait_hours": "2",
            "roles": ["project_manager"],
            "delivery": "in_app",
        }
    )


def _rule_json(target, matrix: Matrix) -> Payload:
    own = matrix.objects["escalation_matrix"]
    first = next(iter(own.values()))
    return Payload(
        {
            "matrix": first.pk,
            "trigger": "open_complaint",
            "level": 3,
            "wait_hours": "40",
            "roles": ["project_manager"],
            "delivery": "in_app",
        },
        json=True,
    )


def _area_form(target, matrix: Matrix) -> Payload:
    return Payload({"name": "PmxNewArea", "position": "0"})


def _page_form(target, matrix: Matrix) -> Payload:
    return Payload({"title": "PmxHotline", "is_active": "on"})


describe_app(
    "liaisons",
    models={
        "liaison": Liaison,
        "escalation_matrix": EscalationMatrix,
        "escalation_rule": EscalationRule,
        "escalation": Escalation,
        "hotline_area": HotlineArea,
        "hotline_report": HotlineReport,
    },
    build=build,
    rules={
        "liaison": _client_or_own_vendor,
        "escalation_matrix": _client_or_own_vendor,
        "escalation_rule": _rule_seen,
        "escalation": _client_or_own_vendor_only,
        "hotline_area": _client_only,
        "hotline_report": _client_only,
    },
    words=words,
    tables=(
        Liaison,
        LiaisonDeputy,
        EscalationMatrix,
        EscalationRule,
        Escalation,
        HotlinePage,
        HotlineArea,
        HotlineReport,
    ),
    pk_models={
        "liaisons:liaison-detail": "liaison",
        "liaisons:liaison-edit": "liaison",
        "liaisons:liaison-delete": "liaison",
        "liaisons:matrix-detail": "escalation_matrix",
        "liaisons:rule-create": "escalation_matrix",
        "liaisons:rule-edit": "escalation_rule",
        "liaisons:rule-delete": "escalation_rule",
        "liaisons:escalation-detail": "escalation",
        "liaisons:hotline-area-edit": "hotline_area",
        "liaisons:hotline-report-detail": "hotline_report",
        "liaisons:hotline-report-convert": "hotline_report",
        "liaisons:hotline-report-dismiss": "hotline_report",
    },
    gates={
        "liaisons:liaison-list": STAFF,
        "liaisons:liaison-detail": STAFF,
        "liaisons:liaison-create": LIAISON_EDITORS,
        "liaisons:liaison-edit": LIAISON_EDITORS,
        "liaisons:liaison-delete": LIAISON_EDITORS,
        "liaisons:matrix-list": STAFF,
        "liaisons:matrix-detail": STAFF,
        "liaisons:matrix-create": OPERATORS,
        "liaisons:rule-create": OPERATORS,
        "liaisons:rule-edit": OPERATORS,
        "liaisons:rule-delete": OPERATORS,
        "liaisons:escalation-list": STAFF,
        "liaisons:escalation-detail": STAFF,
        "liaisons:hotline-settings": CLIENT_SIDE,
        "liaisons:hotline-area-create": OPERATORS,
        "liaisons:hotline-area-edit": OPERATORS,
        "liaisons:hotline-qr": CLIENT_SIDE,
        "liaisons:hotline-poster": CLIENT_SIDE,
        "liaisons:hotline-report-list": CLIENT_SIDE,
        "liaisons:hotline-report-detail": CLIENT_SIDE,
        "liaisons:hotline-report-convert": OPERATORS,
        "liaisons:hotline-report-dismiss": OPERATORS,
        "api:liaison-list": STAFF,
        "api:liaison-detail": STAFF,
        "api:escalation-matrix-list": STAFF,
        "api:escalation-matrix-detail": STAFF,
        "api:escalation-rule-list": STAFF,
        "api:escalation-rule-detail": STAFF,
        "api:escalation-list": STAFF,
        "api:escalation-detail": STAFF,
        "api:hotline-report-list": CLIENT_SIDE,
        "api:hotline-report-detail": CLIENT_SIDE,
        "api:hotline-report-convert": CLIENT_SIDE,
        "api:hotline-report-dismiss": CLIENT_SIDE,
    },
    excluded={
        "liaisons:hotline-public": "the public supervision hotline page (no sign-in by design) whose <token> is the "
        "page's address: tests/liaisons/test_hotline_public.py",
        "liaisons:hotline-thanks": "the public page's thank-you page (no sign-in, no data): "
        "tests/liaisons/test_hotline_public.py",
    },
    payloads={
        ("liaisons:liaison-create", "post"): _liaison_form,
        ("liaisons:liaison-edit", "post"): _liaison_form,
        ("liaisons:liaison-delete", "post"): lambda target, matrix: Payload({}),
        ("liaisons:matrix-create", "post"): lambda target, matrix: Payload({"calendar": matrix.world.calendar.pk}),
        ("liaisons:rule-create", "post"): _rule_form,
        ("liaisons:rule-edit", "post"): _rule_form,
        ("liaisons:rule-delete", "post"): lambda target, matrix: Payload({}),
        ("liaisons:hotline-settings", "post"): _page_form,
        ("liaisons:hotline-area-create", "post"): _area_form,
        ("liaisons:hotline-area-edit", "post"): _area_form,
        ("liaisons:hotline-report-convert", "post"): lambda target, matrix: Payload(
            {"service": matrix.world.service.pk, "summary": "PmxConverted"}
        ),
        ("liaisons:hotline-report-dismiss", "post"): lambda target, matrix: Payload({"note": "PmxDuplicate"}),
        ("api:liaison-list", "post"): _liaison_json,
        ("api:liaison-detail", "put"): _liaison_json,
        ("api:liaison-detail", "delete"): lambda target, matrix: Payload({}, json=True),
        ("api:escalation-matrix-list", "post"): lambda target, matrix: Payload(
            {"calendar": matrix.world.calendar.pk}, json=True
        ),
        ("api:escalation-matrix-detail", "put"): lambda target, matrix: Payload(
            {"calendar": matrix.world.calendar.pk}, json=True
        ),
        ("api:escalation-rule-list", "post"): _rule_json,
        ("api:escalation-rule-detail", "put"): _rule_json,
        ("api:escalation-rule-detail", "delete"): lambda target, matrix: Payload({}, json=True),
        ("api:hotline-report-convert", "post"): lambda target, matrix: Payload(
            {"service": matrix.world.service.pk}, json=True
        ),
        ("api:hotline-report-dismiss", "post"): lambda target, matrix: Payload({"note": "PmxDuplicate"}, json=True),
    },
)
