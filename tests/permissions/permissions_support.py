"""Building blocks of the permission matrix: the data, the roles, an oracle of who may see what, the URL walk.

The oracle states the product's visibility rules (MISSION.md "Visibility", issue 2 §2) in plain Python
over the raw fields of the objects built here. It never calls a selector, a permission helper or a view:
the matrix compares what the code does with what the rules say.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from oversight.audit.models import AuditEntry
from oversight.catalog.models import BusinessCalendar, Offering, Service, ServiceCategory, SLAPolicy
from oversight.notifications.models import Notification
from oversight.notifications.services import notification_create
from oversight.tenancy.choices import Role
from oversight.tenancy.models import Organisation, Site, Team, User, Vendor
from oversight.tickets import services
from oversight.tickets.models import (
    Attachment,
    Comment,
    IdempotencyKey,
    IntakePoint,
    SLAClock,
    WorkOrder,
    WorkOrderEvent,
)
from tests.factories import OfferingFactory, SiteFactory, TeamFactory, UserFactory, policy_with_targets

# ---------------------------------------------------------------------------------------------- roles

# Every role of the matrix: the `world` users, two made here (a requester with the department grant and
# the other organisation's vendor agent) and "anonymous" (nobody signed in).
SIGNED_IN_ROLES = (
    "client_admin",
    "client_supervisor",
    "executive",
    "auditor",
    "vendor_manager",
    "vendor_agent",
    "vendor_agent_2",
    "requester",
    "requester_2",
    "dept_requester",
    "other_vendor_manager",
    "other_vendor_agent",
    "other_requester",
    "foreign_admin",
    "foreign_requester",
    "foreign_vendor_agent",
)
ALL_ROLES = ("anonymous", *SIGNED_IN_ROLES)

# The rules, by role value (written out here on purpose, not imported from tenancy.choices).
CLIENT_SIDE = frozenset({Role.CLIENT_ADMIN, Role.CLIENT_SUPERVISOR, Role.EXECUTIVE, Role.AUDITOR})
VENDOR_SIDE = frozenset({Role.VENDOR_MANAGER, Role.VENDOR_AGENT})
READ_ONLY = frozenset({Role.EXECUTIVE, Role.AUDITOR})
AUDIT_READERS = frozenset({Role.AUDITOR, Role.CLIENT_ADMIN})
CREATORS = frozenset(set(Role.values) - READ_ONLY)

# Which of the six work orders each role sees (A = our organisation, vendor 1; B = our organisation,
# vendor 2; X = the other organisation). A1/B1/X1 are dispatched and accepted, with comments and
# attachments; A2/B2/X2 are new. A1 is the requester's, A2 requester_2's (same department); the
# department grant shows both to dept_requester but neither to the other.
VISIBLE_WORK_ORDERS: dict[str, frozenset[str]] = {
    "anonymous": frozenset(),
    "client_admin": frozenset({"A1", "A2", "B1", "B2"}),
    "client_supervisor": frozenset({"A1", "A2", "B1", "B2"}),
    "executive": frozenset({"A1", "A2", "B1", "B2"}),
    "auditor": frozenset({"A1", "A2", "B1", "B2"}),
    "vendor_manager": frozenset({"A1", "A2"}),
    "vendor_agent": frozenset({"A1", "A2"}),
    "vendor_agent_2": frozenset({"A1", "A2"}),
    "requester": frozenset({"A1"}),
    "requester_2": frozenset({"A2"}),
    "dept_requester": frozenset({"A1", "A2"}),
    "other_vendor_manager": frozenset({"B1", "B2"}),
    "other_vendor_agent": frozenset({"B1", "B2"}),
    "other_requester": frozenset({"B1", "B2"}),
    "foreign_admin": frozenset({"X1", "X2"}),
    "foreign_requester": frozenset({"X1", "X2"}),
    "foreign_vendor_agent": frozenset({"X1", "X2"}),
}

# Pages and endpoints only some roles may open at all (everyone else: 403, whatever the object).
PAGE_GATES: dict[str, frozenset[str]] = {
    "tickets:board": CLIENT_SIDE | {Role.VENDOR_MANAGER},
    "tickets:board_export": CLIENT_SIDE | {Role.VENDOR_MANAGER},
    "tickets:workbench": VENDOR_SIDE,
    "tickets:intake_points": frozenset({Role.CLIENT_ADMIN}),
    "tickets:intake_qr": frozenset({Role.CLIENT_ADMIN}),
    "tickets:create": CREATORS,
    "tickets:intake": CREATORS,
    "audit:list": AUDIT_READERS,
    "audit:export": AUDIT_READERS,
    "api:audit-entry-list": AUDIT_READERS,
    "api:audit-entry-detail": AUDIT_READERS,
}
# A successful GET that is not a 200.
GET_OK_STATUS = {"home": 302}
# Writes that change only the signed-in user's own state: read-only roles may make them too.
PERSONAL_WRITES = {
    "api:notification-read",
    "api:notification-read-all",
    "notifications:mark_read",
    "notification_settings",
    "preferences",
    "preferences_language",
    "password_change",
}

# ---------------------------------------------------------------------------------------------- data

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def secret(key: str, what: str) -> str:
    """A short unique word for one object's text, so a leak can be found by plain search."""
    return f"Pmx{key}{what}"


@dataclass
class Matrix:
    """Everything the matrix needs: users per role, named objects per model, what each object reveals."""

    world: object
    users: dict[str, User]
    work_orders: dict[str, WorkOrder]
    # model key -> instance key -> object
    objects: dict[str, dict[str, object]]
    # work-order key -> words that must stay hidden from whoever cannot see it
    wo_words: dict[str, set[str]] = field(default_factory=dict)
    # work-order key -> words that only staff (not requesters) may read, even on a visible work order
    internal_words: dict[str, set[str]] = field(default_factory=dict)

    def user(self, role: str) -> User | None:
        return None if role == "anonymous" else self.users[role]


def _upload(name: str, content: bytes, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def build_matrix(world) -> Matrix:
    """Add to the `world`: three ownership classes of work orders with comments, attachments, events, clocks
    and notifications, plus the reference data of a second vendor and of the other organisation."""
    users = dict(world.users)
    org, other_org = world.org, world.other_org
    users["dept_requester"] = UserFactory(
        username="nurse_dept",
        organisation=org,
        role=Role.REQUESTER,
        department=world.dept,
        sees_department_work_orders=True,
    )
    users["foreign_vendor_agent"] = UserFactory(
        username="agent_x", organisation=other_org, role=Role.VENDOR_AGENT, vendor=world.foreign_vendor
    )
    # Unique names everywhere, so that a name in a response proves which object leaked.
    renames = [
        (world.service, "PmxDeskService"),
        (world.other_service, "PmxNetService"),
        (world.foreign_service, "PmxFarService"),
        (world.service.category, "PmxDeskCategory"),
        (world.other_service.category, "PmxNetCategory"),
        (world.foreign_service.category, "PmxFarCategory"),
        (world.calendar, "PmxOwnCalendar"),
        (world.foreign_service.sla_policy.versions.first().targets.first().calendar, "PmxFarCalendar"),
        (world.policy, "PmxDeskPolicy"),
        (world.foreign_service.sla_policy, "PmxFarPolicy"),
        (world.onsite_offering, "PmxDeskOffering"),
        (world.team, "PmxDeskTeam"),
    ]
    for obj, name in renames:
        obj.name = name
        obj.save(update_fields=["name"])
    # Vendor 2 gets its own SLA policy, so "a vendor sees the policies of its own services" can be told apart.
    net_policy = policy_with_targets(org, world.calendar, code="pmxnet")
    net_policy.name = "PmxNetPolicy"
    net_policy.save(update_fields=["name"])
    world.other_service.sla_policy = net_policy
    world.other_service.save(update_fields=["sla_policy"])
    other_team = TeamFactory(vendor=world.other_vendor, name="PmxNetTeam")
    foreign_team = TeamFactory(vendor=world.foreign_vendor, name="PmxFarTeam")
    users["other_vendor_agent"].teams.add(other_team)
    users["foreign_vendor_agent"].teams.add(foreign_team)
    other_offering = OfferingFactory(service=world.other_service, name="PmxNetOffering")
    foreign_offering = OfferingFactory(service=world.foreign_service, name="PmxFarOffering")
    foreign_site = SiteFactory(organisation=other_org, name="PmxFarWard", code="pmxfar")

    # Work orders. A1 starts at vendor 2 and is transferred to vendor 1 by the client, so its timeline
    # names vendor 2: vendor 1's people must read "another vendor" there, never vendor 2's name.
    classes = {
        "A": (users["requester"], world.other_service, users["vendor_manager"], users["vendor_agent"], world.team),
        "B": (
            users["other_requester"],
            world.other_service,
            users["other_vendor_manager"],
            users["other_vendor_agent"],
            other_team,
        ),
        "X": (
            users["foreign_requester"],
            world.foreign_service,
            users["foreign_admin"],
            users["foreign_vendor_agent"],
            foreign_team,
        ),
    }
    second_requester = {"A": users["requester_2"], "B": users["other_requester"], "X": users["foreign_requester"]}
    work_orders: dict[str, WorkOrder] = {}
    wo_words: dict[str, set[str]] = {}
    internal_words: dict[str, set[str]] = {}
    attachments: dict[str, Attachment] = {}
    for cls, (requester, service, dispatcher, agent, team) in classes.items():
        key = f"{cls}1"
        wo = services.work_order_create(
            actor=requester,
            service=service,
            title=secret(key, "Title"),
            description=secret(key, "Desc"),
            location_detail=secret(key, "Room"),
        )
        if cls == "A":
            wo = services.work_order_transfer(
                actor=users["client_supervisor"], work_order=wo, service=world.service, reason=secret(key, "Why")
            )
        wo = services.work_order_assign(actor=dispatcher, work_order=wo, assignee=agent, team=team)
        wo = services.work_order_transition(actor=agent, work_order=wo, action="accept")
        services.comment_create(actor=requester, work_order=wo, body=secret(key, "PublicNote"))
        services.comment_create(actor=agent, work_order=wo, body=secret(key, "InternalNote"), is_internal=True)
        attachments[f"{key}.public"] = services.attachment_create(
            actor=requester, work_order=wo, upload=_upload(f"pmx{key.lower()}public.png", PNG, "image/png")
        )
        attachments[f"{key}.internal"] = services.attachment_create(
            actor=agent,
            work_order=wo,
            upload=_upload(f"pmx{key.lower()}internal.txt", secret(key, "FileSecret").encode() + b"\n", "text/plain"),
            is_internal=True,
        )
        wo.refresh_from_db()
        work_orders[key] = wo
        wo_words[key] = {
            wo.number,
            secret(key, "Title"),
            secret(key, "Desc"),
            secret(key, "Room"),
            secret(key, "PublicNote"),
            secret(key, "InternalNote"),
            f"pmx{key.lower()}public.png",
            f"pmx{key.lower()}internal.txt",
            secret(key, "FileSecret"),
        }
        if cls == "A":
            wo_words[key].add(secret(key, "Why"))
        internal_words[key] = {secret(key, "InternalNote"), f"pmx{key.lower()}internal.txt", secret(key, "FileSecret")}
        key2 = f"{cls}2"
        wo2 = services.work_order_create(
            actor=second_requester[cls],
            service=world.service if cls == "A" else service,
            title=secret(key2, "Title"),
            description=secret(key2, "Desc"),
        )
        work_orders[key2] = wo2
        wo_words[key2] = {wo2.number, secret(key2, "Title"), secret(key2, "Desc")}
        internal_words[key2] = set()

    # Notifications (made directly: on_commit hooks never run inside the test transaction).
    notifications = {}
    for role, key in (
        ("requester", "A1"),
        ("vendor_manager", "A1"),
        ("vendor_agent", "A1"),
        ("client_supervisor", "B1"),
        ("executive", "A2"),
        ("auditor", "A1"),
        ("other_vendor_manager", "B1"),
        ("other_requester", "B2"),
        ("foreign_admin", "X1"),
        ("foreign_vendor_agent", "X2"),
    ):
        wo = work_orders[key]
        notification, _created = notification_create(
            recipient=users[role],
            kind="sla_warning",
            dedupe_key=f"pmx:{role}:{key}",
            subject=f"{wo.number} {secret(role, 'Subject')}",
            body=secret(role, "Body"),
            work_order=wo,
        )
        notifications[role] = notification

    intake_points = {
        "A.V1": services.intake_point_create(
            actor=None, organisation=org, label="PmxOwnQr", service=world.service, site=world.dept
        ),
        "A.V2": services.intake_point_create(
            actor=None, organisation=org, label="PmxNetQr", service=world.other_service, site=world.other_dept
        ),
        "X": services.intake_point_create(
            actor=None, organisation=other_org, label="PmxFarQr", service=world.foreign_service
        ),
    }
    audit_entries = {
        "A": AuditEntry.objects.filter(action="tickets.workorder.created", object_id=str(work_orders["A1"].pk)).get(),
        "X": AuditEntry.objects.filter(action="tickets.workorder.created", object_id=str(work_orders["X1"].pk)).get(),
    }
    far_calendar = world.foreign_service.sla_policy.versions.first().targets.first().calendar
    objects = {
        "work_order": dict(work_orders),
        "attachment": attachments,
        "notification": notifications,
        "service": {"A.V1": world.service, "A.V2": world.other_service, "X": world.foreign_service},
        "offering": {"A.V1": world.onsite_offering, "A.V2": other_offering, "X": foreign_offering},
        "category": {
            "A.V1": world.service.category,
            "A.V2": world.other_service.category,
            "X": world.foreign_service.category,
        },
        "calendar": {"A": world.calendar, "X": far_calendar},
        "sla_policy": {"A.V1": world.policy, "A.V2": net_policy, "X": world.foreign_service.sla_policy},
        "organisation": {"A": org, "X": other_org},
        "site": {"A": world.dept, "A.other": world.other_dept, "X": foreign_site},
        "vendor": {"A.V1": world.vendor, "A.V2": world.other_vendor, "X": world.foreign_vendor},
        "team": {"A.V1": world.team, "A.V2": other_team, "X": foreign_team},
        "user": {
            "agent_a": users["vendor_agent"],
            "agent_b": users["other_vendor_agent"],
            "nurse_a": users["requester"],
            "admin_a": users["client_admin"],
            "admin_x": users["foreign_admin"],
            "agent_x": users["foreign_vendor_agent"],
        },
        "audit_entry": audit_entries,
        "intake_point": intake_points,
    }
    for user in users.values():
        user.refresh_from_db()
    matrix = Matrix(
        world=world,
        users=users,
        work_orders=work_orders,
        objects=objects,
        wo_words=wo_words,
        internal_words=internal_words,
    )
    for description in EXTENSIONS:
        if description.build is not None:
            description.build(matrix)
    return matrix


# ---------------------------------------------------------------------------------------------- oracle


def side(user: User | None) -> str | None:
    """'client', 'vendor' or 'requester' (None when nobody is signed in)."""
    if user is None:
        return None
    if user.role in CLIENT_SIDE:
        return "client"
    if user.role in VENDOR_SIDE:
        return "vendor"
    return "requester"


def _org_id(obj) -> int | None:
    if isinstance(obj, Organisation):
        return obj.pk
    if isinstance(obj, Offering):
        return obj.service.organisation_id
    if isinstance(obj, Team):
        return obj.vendor.organisation_id
    return obj.organisation_id


def _vendor_id(obj) -> int | None:
    if isinstance(obj, Vendor):
        return obj.pk
    if isinstance(obj, Offering):
        return obj.service.vendor_id
    return obj.vendor_id


def sees(matrix: Matrix, role: str, model: str, obj) -> bool:
    """Whether the rules let `role` see `obj` (of model key `model`)."""
    user = matrix.user(role)
    if user is None:
        return False
    who = side(user)
    for description in EXTENSIONS:
        if model in description.rules:
            return description.rules[model](matrix, role, obj)
    if model == "work_order":
        key = next((k for k, wo in matrix.work_orders.items() if wo.pk == obj.pk), None)
        assert key is not None, f"work order {obj.pk} is not one of the matrix's"
        return key in VISIBLE_WORK_ORDERS[role]
    if model == "attachment":
        return sees(matrix, role, "work_order", obj.work_order) and (who != "requester" or not obj.is_internal)
    if model == "comment":
        return sees(matrix, role, "work_order", obj.work_order) and (who != "requester" or not obj.is_internal)
    if model == "event":
        return sees(matrix, role, "work_order", obj.work_order) and (who != "requester" or not obj.is_internal)
    if model == "clock":
        return sees(matrix, role, "work_order", obj.work_order)
    if model == "notification":
        return obj.recipient_id == user.pk
    if model == "audit_entry":
        return user.role in AUDIT_READERS and obj.organisation_id == user.organisation_id
    if model == "intake_point":
        return obj.organisation_id == user.organisation_id
    if _org_id(obj) != user.organisation_id:
        return False
    if model in ("organisation", "site", "category"):
        return True
    if model in ("service", "offering"):
        active = obj.is_active and (model == "service" or obj.service.is_active)
        return (
            who == "client"
            or (who == "vendor" and _vendor_id(obj) == user.vendor_id)
            or (who == "requester" and active)
        )
    if model == "calendar":
        return who in ("client", "vendor")
    if model == "sla_policy":
        if who == "client":
            return True
        return who == "vendor" and obj.services.filter(vendor_id=user.vendor_id).exists()
    if model in ("vendor", "team"):
        return who == "client" or (who == "vendor" and _vendor_id(obj) == user.vendor_id)
    if model == "user":
        if who == "client":
            return True
        if who == "vendor":  # own vendor's staff only; requesters reach a vendor through a work order (issue 8)
            return obj.vendor_id == user.vendor_id
        return obj.pk == user.pk
    raise AssertionError(f"the oracle has no rule for {model}")


# Every row of these models must be accounted for by the oracle when a list is counted.
MODEL_CLASSES: dict[str, type] = {
    "work_order": WorkOrder,
    "attachment": Attachment,
    "notification": Notification,
    "service": Service,
    "offering": Offering,
    "category": ServiceCategory,
    "calendar": BusinessCalendar,
    "sla_policy": SLAPolicy,
    "organisation": Organisation,
    "site": Site,
    "vendor": Vendor,
    "team": Team,
    "user": User,
    "audit_entry": AuditEntry,
    "intake_point": IntakePoint,
    "comment": Comment,
    "event": WorkOrderEvent,
    "clock": SLAClock,
}
MODEL_KEYS = {cls: key for key, cls in MODEL_CLASSES.items()}


def expected_ids(matrix: Matrix, role: str, model: str, queryset=None) -> set[int]:
    """Ids of every row of a model (or of `queryset`) that the rules let `role` see."""
    rows = queryset if queryset is not None else MODEL_CLASSES[model].objects.all()
    return {obj.pk for obj in rows if sees(matrix, role, model, obj)}


# ---------------------------------------------------------------------------------------------- words


def _names(obj) -> set[str]:
    names = set()
    for attr in ("name", "name_en", "label", "username", "display_name"):
        value = getattr(obj, attr, "")
        if value:
            names.add(value)
    return names


def forbidden_words(matrix: Matrix, role: str) -> dict[str, str]:
    """Words that must appear in no response to `role`, each with what it gives away."""
    user = matrix.user(role)
    visible = VISIBLE_WORK_ORDERS[role]
    words: dict[str, str] = {}
    for key, wo_words in matrix.wo_words.items():
        if key not in visible:
            for word in wo_words:
                words[word] = f"work order {key}"
        elif side(user) == "requester":
            for word in matrix.internal_words[key]:
                words[word] = f"internal content of {key}"
    for notification_role in matrix.objects["notification"]:
        if notification_role != role:
            words[secret(notification_role, "Subject")] = f"{notification_role}'s notification"
            words[secret(notification_role, "Body")] = f"{notification_role}'s notification"
    # Names of reference objects the role may not see, unless a work order it sees shows them
    # (a requester reads the vendor and the agent of their own work order).
    shown: set[str] = set()
    for key in visible:
        wo = matrix.work_orders[key]
        related_objects = (wo.vendor, wo.service, wo.site, wo.offering, wo.team, wo.requester, wo.assignee)
        # The policy the work order is measured against is shown with it, even after a transfer.
        for related in (*related_objects, wo.sla_policy_version.policy):
            if related is not None:
                shown |= _names(related)
        for comment in Comment.objects.filter(work_order=wo).select_related("author"):
            if sees(matrix, role, "comment", comment):
                shown |= _names(comment.author)
        for event in WorkOrderEvent.objects.filter(work_order=wo).select_related("actor"):
            if event.actor is not None and sees(matrix, role, "event", event):
                shown |= _names(event.actor)
    if user is not None:
        shown |= _names(user)
    # Another organisation is fully separate: none of its names. A vendor knows nothing of another vendor:
    # not its name, teams, services, offerings, policies or people. Client-side users may know the vendors.
    vendor_side = side(user) == "vendor"
    for model in (
        "organisation",
        "vendor",
        "team",
        "service",
        "offering",
        "category",
        "calendar",
        "sla_policy",
        "site",
    ):
        for obj in MODEL_CLASSES[model].objects.all():
            foreign = user is None or _org_id(obj) != user.organisation_id
            hidden = foreign or (vendor_side and model not in ("organisation", "category", "calendar", "site"))
            if hidden and not sees(matrix, role, model, obj):
                for name in _names(obj) - shown:
                    words[name] = f"{model} {obj.pk}"
    for obj in IntakePoint.objects.all():
        if user is None or obj.organisation_id != user.organisation_id:
            words[obj.label] = f"intake point {obj.pk}"
            words[obj.token] = f"intake point {obj.pk}'s token"
    for obj in User.objects.all():
        # The client's staff act on what its vendors see (who handles a complaint, published a period, receives a
        # report): their names may appear there. The people directory with contacts may not (tests/tenancy).
        acts_for_client = vendor_side and obj.organisation_id == user.organisation_id and obj.role in CLIENT_SIDE
        if not sees(matrix, role, "user", obj) and not acts_for_client:
            for name in _names(obj) - shown:
                words[name] = f"user {obj.pk}"
    for description in EXTENSIONS:
        if description.words is not None:
            words.update(description.words(matrix, role))
    return words


class LeakFinder:
    """Finds forbidden words (as whole words) in response bodies."""

    def __init__(self, words: dict[str, str]):
        self.words = words
        alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        self.regex = re.compile(rf"(?<![A-Za-z0-9_])(?:{alternatives})(?![A-Za-z0-9_])") if words else None

    def find(self, text: str, *, allowed: str = "") -> list[str]:
        """Forbidden words in `text`, except those the request itself carried (`allowed`: URL, query, body)."""
        if self.regex is None:
            return []
        found = sorted({m.group(0) for m in self.regex.finditer(text)})
        return [f"{w} ({self.words[w]})" for w in found if w not in allowed]


# ---------------------------------------------------------------------------------------------- responses


def body_bytes(response) -> bytes:
    """The whole body, streamed or not (read once, then cached on the response)."""
    cached = getattr(response, "_pmx_body", None)
    if cached is None:
        cached = b"".join(response.streaming_content) if response.streaming else response.content
        response._pmx_body = cached
    return cached


def xlsx_rows(content: bytes) -> list[list]:
    """Every row of every sheet of an XLSX file, as lists of cell values."""
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    rows = []
    for sheet in book.worksheets:
        rows.extend([list(row) for row in sheet.iter_rows(values_only=True)])
    return rows


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def body_text(response) -> str:
    """The body as text; spreadsheets are unpacked to their cell values."""
    content = body_bytes(response)
    if "spreadsheetml" in response.get("Content-Type", ""):
        return "\n".join("\t".join("" if v is None else str(v) for v in row) for row in xlsx_rows(content))
    return content.decode("utf-8", errors="replace")


# ---------------------------------------------------------------------------------------------- the URL walk

# Patterns the matrix does not walk, each with the reason. Everything else must be fillable.
EXCLUDED_NAMESPACES = {
    "admin": "Django admin: its own access and scoping tests (tests/admin/test_admin_access.py, test_admin_scoping.py)",
}
EXCLUDED_NAMES = {
    "api-schema": "OpenAPI schema: describes endpoints, holds no data (validated by tests/api/test_api_schema.py)",
    "api-docs": "Swagger UI page for the schema: static, no data",
    "set_language": "Django's i18n view: sets a cookie, no data",
    "login": "the sign-in page itself (public by nature)",
    "logout": "sign-out (POST): ends one's own session, no data",
    "password_reset": "public by nature (a signed-out user asks for a link); tests/tenancy/test_tenancy_passwords.py",
    "password_reset_done": "public page saying a link may be on its way, no data",
}
# URL keywords that name an object, and the model each refers to (pk depends on the view: see pk_model).
OBJECT_KWARGS = ("pk", "work_order_id", "number", "token")
# Keywords that are not objects, with every value the matrix tries.
ACTION_VALUES = (
    "dispatch",
    "accept",
    "arrive",
    "pause_requester",
    "pause_third_party",
    "resume",
    "resolve",
    "confirm",
    "reopen",
    "cancel",
    "auto_close",
)
# Apps whose objects, visibility rules and write payloads the matrix knows (issue 2's platform). An endpoint
# of any other app fails test_permissions_urls until its app is described here: models in MODEL_CLASSES,
# instances in build_matrix(), rules in sees(), bodies in write_payload(), gates in PAGE_GATES.
# ("api_urls" is the API's catch-all 404 view.)
DESCRIBED_APPS = {"core", "tenancy", "catalog", "tickets", "notifications", "audit", "api_urls"}
# Keyword values that name nothing a user may ask for (the system's own transition): 404 for everyone.
NOT_USER_ACTIONS = frozenset({"auto_close"})
# The API endpoint whose work-order reference is also tried as a number (the lookup is shared by all).
NUMBER_ENDPOINT = "api:work-order-detail"
# Work orders used for every value of a second keyword (e.g. each transition); the others get the first value.
PRIMARY_WORK_ORDERS = ("A1", "B1", "X1")
# HTML views whose <pk> (or <number>, when it is not a work order's) is not told by a DRF serializer, and views
# whose <token> names an object.
HTML_PK_MODELS = {"tickets:attachment": "attachment", "tickets:intake_qr": "intake_point"}
TOKEN_MODELS = {"tickets:intake": "intake_point"}
# Keywords that name a transition, with every value the matrix tries.
KEYWORD_VALUES: dict[tuple[str, str], tuple[str, ...]] = {
    ("tickets:act", "action"): ACTION_VALUES,
    ("api:work-order-transition", "transition"): ACTION_VALUES,
}


@dataclass(frozen=True)
class Endpoint:
    """One URL pattern of the project."""

    name: str
    namespace: str
    route: str
    callback: Callable
    kwargs: tuple[str, ...]
    groups: tuple[tuple[str, str], ...]  # (kwarg, regex body) for regex patterns

    @property
    def api(self) -> bool:
        return self.name.startswith("api:")

    @property
    def methods(self) -> frozenset[str]:
        """The HTTP methods the view answers (besides HEAD and OPTIONS)."""
        actions = getattr(self.callback, "actions", None)
        if actions is not None:
            return frozenset(m for m in actions if m not in ("head", "options"))
        view_class = getattr(self.callback, "view_class", None)
        if view_class is not None:
            return frozenset(m for m in ("get", "post", "put", "patch", "delete") if hasattr(view_class, m))
        return frozenset({"get"})

    @property
    def model(self) -> str | None:
        """The model key of the object the URL names (None for lists and pages without an object)."""
        if "number" in self.kwargs and self.name in HTML_PK_MODELS:
            return HTML_PK_MODELS[self.name]  # another model named by its number (a change)
        if "work_order_id" in self.kwargs or "number" in self.kwargs:
            return "work_order"
        if "token" in self.kwargs:
            return TOKEN_MODELS.get(self.name)
        if "pk" in self.kwargs:
            viewset = getattr(self.callback, "cls", None)
            if viewset is not None:
                model = getattr(viewset, "schema_model", None) or viewset.serializer_class.Meta.model
                return MODEL_KEYS.get(model)
            return HTML_PK_MODELS.get(self.name)
        return None

    @property
    def is_api_list(self) -> bool:
        actions = getattr(self.callback, "actions", None) or {}
        return actions.get("get") == "list"

    @property
    def list_model(self) -> str | None:
        """The model key an API list endpoint returns rows of."""
        viewset = getattr(self.callback, "cls", None)
        if viewset is None or not self.is_api_list:
            return None
        meta = getattr(viewset.serializer_class, "Meta", None)
        model = getattr(viewset, "schema_model", None) or getattr(meta, "model", None)
        return MODEL_KEYS.get(model)

    def value_choices(self, kwarg: str) -> list[str] | None:
        """Every value the matrix tries for a non-object keyword (None: it does not know this keyword)."""
        if (self.name, kwarg) in KEYWORD_VALUES:
            return list(KEYWORD_VALUES[(self.name, kwarg)])
        if kwarg == "unmatched":
            return ["no-such-endpoint/"]
        body = dict(self.groups).get(kwarg, "")
        if re.fullmatch(r"[a-z0-9_]+(\|[a-z0-9_]+)*", body):
            return body.split("|")
        return None

    @property
    def app(self) -> str:
        """The app whose view answers this pattern (oversight.<app>...), e.g. "tickets"."""
        view = getattr(self.callback, "cls", None) or getattr(self.callback, "view_class", None) or self.callback
        parts = view.__module__.split(".")
        return parts[1] if parts[0] == "oversight" and len(parts) > 1 else view.__module__

    def problems(self) -> list[str]:
        """Why the matrix cannot fill this pattern (empty when it can)."""
        if not self.name or self.name.endswith(":"):
            return [f"{self.route}: unnamed URL pattern (the matrix reverses patterns by name)"]
        if self.app not in DESCRIBED_APPS:
            return [f"{self.name}: app '{self.app}' has no objects, rules and payloads in the matrix yet"]
        out = []
        for kwarg in self.kwargs:
            if kwarg in OBJECT_KWARGS:
                if self.model is None:
                    out.append(f"{self.name}: cannot tell which model <{kwarg}> refers to")
            elif self.value_choices(kwarg) is None:
                out.append(f"{self.name}: unknown URL keyword <{kwarg}>")
        with_instances = {"work_order", "attachment", "intake_point"} | {
            key for description in EXTENSIONS for key in description.models
        }
        if self.model and self.model not in with_instances and not self.api:
            out.append(f"{self.name}: HTML page with an object the matrix has no instances for")
        return out


def _pattern_kwargs(pattern) -> tuple[list[str], list[tuple[str, str]]]:
    regex = pattern.pattern.regex
    names = list(regex.groupindex)
    groups = re.findall(r"\(\?P<(\w+)>([^()]*)\)", str(pattern.pattern))
    return names, groups


def iter_endpoints() -> Iterator[Endpoint]:
    """Every URL pattern of the project, with its namespaced name (exclusions included)."""

    def walk(patterns, prefix, namespace, kwargs, groups):
        for pattern in patterns:
            names, own_groups = _pattern_kwargs(pattern)
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                ns = namespace
                if pattern.namespace:
                    ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                yield from walk(pattern.url_patterns, route, ns, kwargs + names, groups + own_groups)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}:{pattern.name}" if namespace and pattern.name else (pattern.name or "")
                yield Endpoint(
                    name=name,
                    namespace=namespace,
                    route=route,
                    callback=pattern.callback,
                    kwargs=tuple(kwargs + names),
                    groups=tuple(groups + own_groups),
                )

    yield from walk(get_resolver().url_patterns, "", "", [], [])


def is_excluded(endpoint: Endpoint) -> bool:
    top = endpoint.namespace.split(":", 1)[0]
    return top in EXCLUDED_NAMESPACES or endpoint.name in EXCLUDED_NAMES


def matrix_endpoints() -> list[Endpoint]:
    """The patterns the matrix walks: all of them but the commented exclusions."""
    return [e for e in iter_endpoints() if not is_excluded(e)]


def fillable_endpoints() -> list[Endpoint]:
    """The walked patterns the matrix can fill; the others fail test_permissions_urls with the reason."""
    return [e for e in matrix_endpoints() if not e.problems()]


# ---------------------------------------------------------------------------------------------- URL filling

PROBE_PK = 987654321


@dataclass(frozen=True)
class Target:
    """One concrete URL: an endpoint filled with one object (or with a probe that names nothing)."""

    endpoint: Endpoint
    url: str
    instance: str  # instance key, "probe" (an object that does not exist) or "" (no object)
    obj: object = None
    extra: tuple[tuple[str, str], ...] = ()

    @property
    def label(self) -> str:
        return f"{self.endpoint.name} [{self.instance or '-'}] {self.url}"


def _ref_values(endpoint: Endpoint, kwarg: str, obj, matrix: Matrix) -> list[tuple[str, str]]:
    """(variant, value) pairs naming `obj` in this keyword; obj None means the probe."""
    if kwarg == "token":
        return [("", obj.token if obj is not None else "pmx-no-such-token")]
    if kwarg == "number":
        return [("", obj.number if obj is not None else f"{matrix.world.org.work_order_prefix}20999999999")]
    if endpoint.model == "work_order":  # the API takes a work order's id or its number
        if obj is None:
            return [("id", str(PROBE_PK)), ("number", f"{matrix.world.org.work_order_prefix}20999999999")]
        return [("id", str(obj.pk)), ("number", obj.number)]
    return [("", str(obj.pk) if obj is not None else str(PROBE_PK))]


def targets(endpoint: Endpoint, matrix: Matrix, *, numbers: bool = True) -> list[Target]:
    """Every concrete URL of an endpoint: each instance of its model plus a probe, each value of its keywords."""
    value_lists = []
    for kwarg in endpoint.kwargs:
        if kwarg not in OBJECT_KWARGS:
            value_lists.append([(kwarg, v) for v in endpoint.value_choices(kwarg)])
    combos: list[list[tuple[str, str]]] = [[]]
    for values in value_lists:
        combos = [c + [v] for c in combos for v in values]
    object_kwarg = next((k for k in endpoint.kwargs if k in OBJECT_KWARGS), None)
    out = []
    for index, combo in enumerate(combos):
        if object_kwarg is None:
            out.append(Target(endpoint, reverse(endpoint.name, kwargs=dict(combo)), "", None, tuple(combo)))
            continue
        instances = [("probe", None), *matrix.objects[endpoint.model].items()]
        if index and endpoint.model == "work_order":
            instances = [(key, obj) for key, obj in instances if key == "probe" or key in PRIMARY_WORK_ORDERS]
        for key, obj in instances:
            for variant, value in _ref_values(endpoint, object_kwarg, obj, matrix):
                # The API's "id or number" lookup is one function: the detail tries both on the primary orders.
                if variant == "number" and (
                    not numbers or key not in ("probe", *PRIMARY_WORK_ORDERS) or endpoint.name != NUMBER_ENDPOINT
                ):
                    continue
                kwargs = dict(combo) | {object_kwarg: value}
                label = f"{key}#{variant}" if variant == "number" else key
                out.append(Target(endpoint, reverse(endpoint.name, kwargs=kwargs), label, obj, tuple(combo)))
    return out


# ---------------------------------------------------------------------------------------------- requests


@dataclass
class Payload:
    """What a write sends: JSON for the API, a (multipart) form for pages."""

    data: dict | None = None
    json: bool = False


def send(client, method: str, url: str, payload: Payload | None = None, **headers):
    """Make one request with the Django test client."""
    payload = payload or Payload()
    if method == "get":
        return client.get(url, payload.data or {}, **headers)
    handler = getattr(client, method)
    if payload.json:
        return handler(url, data=json.dumps(payload.data or {}), content_type="application/json", **headers)
    if method == "post":
        return handler(url, data=payload.data or {}, **headers)
    return handler(url, data="", content_type="application/x-www-form-urlencoded", **headers)


def png_upload(name: str = "pmx-upload.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def write_payload(target: Target, method: str, matrix: Matrix) -> Payload | None:
    """A valid body for a write, so that the request reaches the permission check (None: not known)."""
    name = target.endpoint.name
    wo = target.obj if target.endpoint.model == "work_order" else None
    version = wo.version if wo is not None else 1
    agent = matrix.users["vendor_agent_2"]
    if wo is not None:  # staff of the work order's own vendor other than its assignee, so that the form is valid
        staff = [u for u in matrix.users.values() if u.vendor_id == wo.vendor_id and u.pk != wo.assignee_id]
        agent = staff[0] if staff else wo.assignee
    service = matrix.world.service
    if method not in target.endpoint.methods:  # refused whatever the body (405)
        return Payload({}, json=target.endpoint.api)
    for description in EXTENSIONS:
        if (name, method) in description.payloads:
            return description.payloads[(name, method)](target, matrix)
    api = {
        ("api:work-order-list", "post"): {"service": service.pk, "title": "PmxCreated"},
        ("api:work-order-detail", "patch"): {"title": "PmxPatched"},
        ("api:work-order-assign", "post"): {"assignee": agent.pk, "note": "PmxAssign"},
        ("api:work-order-priority", "post"): {"impact": 1, "urgency": 1, "reason": "PmxPriority"},
        ("api:work-order-transfer", "post"): {"service": matrix.world.other_service.pk, "reason": "PmxTransfer"},
        ("api:work-order-transition", "post"): {"note": "PmxNote", "resolution": "PmxResolution"},
        ("api:work-order-comment-list", "post"): {"body": "PmxInjectedComment"},
        ("api:notification-read", "post"): {},
        ("api:notification-read-all", "post"): {},
    }
    if (name, method) in api:
        return Payload(api[(name, method)], json=True)
    if (name, method) == ("api:work-order-attachment-list", "post"):
        return Payload({"file": png_upload()})
    create_form = {
        "idempotency_key": uuid.uuid4().hex,
        "service": service.pk,
        "title": "PmxCreatedOnPage",
        "description": "PmxCreatedOnPage",
        "impact": 2,
        "urgency": 2,
    }
    pages = {
        ("tickets:create", "post"): create_form,
        ("tickets:intake", "post"): create_form,
        ("tickets:act", "post"): {"expected_version": version, "note": "PmxNote", "resolution": "PmxResolution"},
        ("tickets:assign", "post"): {"expected_version": version, "assignee": agent.pk, "note": "PmxAssign"},
        ("tickets:transfer", "post"): {
            "expected_version": version,
            "service": matrix.world.other_service.pk,
            "reason": "PmxTransfer",
        },
        ("tickets:priority", "post"): {"expected_version": version, "impact": 1, "urgency": 1, "reason": "PmxWhy"},
        ("tickets:edit", "post"): {"expected_version": version, "title": "PmxEdited", "description": ""},
        ("tickets:comment", "post"): {"body": "PmxInjectedComment"},
        ("tickets:attach", "post"): {"files": png_upload()},
        ("notifications:mark_read", "post"): {"id": ""},
        ("notification_settings", "post"): {"email": ["work_order"]},
        ("preferences", "post"): {"language": "en", "time_zone": "UTC"},
        ("preferences_language", "post"): {"language": "en"},
        # A wrong current password: the form refuses, nothing changes (the matrix's users keep theirs).
        ("password_change", "post"): {
            "old_password": "PmxWrong",
            "new_password1": "Pmx-New-1",
            "new_password2": "Pmx-New-1",
        },
        ("password_change", "put"): {
            "old_password": "PmxWrong",
            "new_password1": "Pmx-New-1",
            "new_password2": "Pmx-New-1",
        },
    }
    if (name, method) in pages:
        data = dict(pages[(name, method)])
        if name == "tickets:transfer" and wo is not None and wo.service_id == matrix.world.other_service.pk:
            data["service"] = service.pk
        return Payload(data)
    return None


@functools.cache  # the tables are known once the extensions are loaded (at import); asked twice per write
def _count_sql() -> str:
    """One portable query counting every table a forbidden write could add to (cheap enough per request).

    Table names come from the models' metadata, never from input.
    """
    tables = [AuditEntry, WorkOrderEvent, Comment, Attachment, IdempotencyKey, Notification]
    tables += [model for description in EXTENSIONS for model in description.tables]
    parts = [f"(SELECT COUNT(*) FROM {model._meta.db_table})" for model in tables]  # noqa: S608
    read = f"(SELECT COUNT(*) FROM {Notification._meta.db_table} WHERE read_at IS NOT NULL)"  # noqa: S608
    return "SELECT " + ", ".join([*parts, read])


@functools.cache
def _state_parts() -> tuple[str, ...]:
    """Names of db_state()'s parts, in order (the extensions' tables after the notifications)."""
    extra = tuple(model._meta.verbose_name_plural for d in EXTENSIONS for model in d.tables)
    return (*STATE_PARTS[:6], *extra, *STATE_PARTS[6:])


STATE_PARTS = (
    "audit entries",
    "events",
    "comments",
    "attachments",
    "idempotency keys",
    "notifications",
    "notifications read",
    "work orders",
    "users",
)


WORK_ORDER_COLUMNS = (
    "id, version, status, organisation_id, vendor_id, service_id, requester_id, assignee_id, team_id, title, "
    "priority, site_id, sla_policy_version_id, number, created_at, sla_breached, sla_next_due_at"
)
USER_COLUMNS = (
    "id, role, is_staff, is_superuser, is_active, organisation_id, vendor_id, department_id, "
    "sees_department_work_orders, language, time_zone, password"
)


def db_state() -> tuple:
    """Everything a forbidden write could change, for before/after comparison (three plain queries)."""
    with connection.cursor() as cursor:
        cursor.execute(_count_sql())
        counts = tuple(cursor.fetchone())
        cursor.execute(f"SELECT {WORK_ORDER_COLUMNS} FROM {WorkOrder._meta.db_table} ORDER BY id")  # noqa: S608
        work_orders = cursor.fetchall()
        cursor.execute(f"SELECT {USER_COLUMNS} FROM {User._meta.db_table} ORDER BY id")  # noqa: S608
        users = cursor.fetchall()
    return (*counts, work_orders, users)


def changed(before: tuple, after: tuple) -> list[str]:
    """Which parts of db_state() differ."""
    return [part for part, a, b in zip(_state_parts(), before, after) if a != b]


def in_rollback(fn):
    """Run fn() inside a savepoint that is always rolled back; return (result or exception, db changes)."""
    with transaction.atomic():
        before = db_state()
        try:
            with transaction.atomic():
                result = fn()
        except Exception as exc:  # noqa: BLE001 - reported as a violation by the caller
            result = exc
        after = db_state()
        transaction.set_rollback(True)
    return result, changed(before, after)


def login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/login/")


# ---------------------------------------------------------------------------------------------- expectations

LOGIN = "redirect to the login page"


def page_allowed(user: User, endpoint: Endpoint) -> bool:
    """Whether the role may open this page or endpoint at all."""
    gate = PAGE_GATES.get(endpoint.name)
    return gate is None or user.role in gate


def expected_statuses(matrix: Matrix, role: str, target: Target, method: str) -> set[int] | str:
    """What the rules say a request must get: a set of acceptable statuses, or LOGIN."""
    endpoint = target.endpoint
    user = matrix.user(role)
    if endpoint.name == "api:not-found":
        return {404}
    if user is None:
        return {401, 403} if endpoint.api else LOGIN
    allowed = page_allowed(user, endpoint)
    business_write = method != "get" and endpoint.name not in PERSONAL_WRITES
    read_only_write = business_write and user.role in READ_ONLY
    if method not in endpoint.methods:
        # Refused whatever the object; a role barred from the page, or a lookup made in dispatch, may come first.
        return {403, 404, 405}
    if endpoint.api and read_only_write:
        return {403}
    if any(value in NOT_USER_ACTIONS for _kwarg, value in target.extra):
        return {404}
    invisible = target.instance.startswith("probe") or (
        target.obj is not None and not sees(matrix, role, endpoint.model, target.obj)
    )
    if invisible:
        # 404, never a hint that the object exists; a role barred from the whole page may hear 403.
        return {404} if allowed else {403, 404}
    if read_only_write and endpoint.name in REFUSED_BY_REDIRECT:
        return {403, 302}  # a known deviation, listed with its place in the code (nothing may change either way)
    if not allowed or read_only_write:
        return {403}
    if method == "get":
        for description in EXTENSIONS:
            if description.get_status is not None and endpoint.name.split(":")[0] in description.namespaces:
                special = description.get_status(matrix, role, target)
                if special is not None:
                    return {special}
        return {GET_OK_STATUS.get(endpoint.name, 200)}
    return set()  # a permitted write: its outcome is the business tests' concern


def status_ok(response, expected: set[int] | str) -> bool:
    if expected == LOGIN:
        return login_redirect(response)
    return not expected or response.status_code in expected


def probe_key(target: Target) -> tuple:
    """Targets that must answer like each other: same endpoint, same keyword values, same reference kind."""
    variant = "number" if target.instance.endswith("#number") else "id"
    return (target.endpoint.name, target.extra, variant)


def comparable_body(response, target: Target) -> str:
    """The body with the requested reference blanked, to compare an invisible object's answer with a probe's."""
    text = body_text(response)
    for part in target.url.strip("/").split("/"):
        if part:
            text = text.replace(part, "<ref>")
    return text


@dataclass
class Violations:
    """Collects every broken rule with enough context to read the failure without a debugger."""

    items: list[str] = field(default_factory=list)

    def add(self, role: str, method: str, target: Target, problem: str, response=None) -> None:
        status = getattr(response, "status_code", "-")
        self.items.append(f"{role:22} {method.upper():6} {target.label}  status={status}: {problem}")

    def report(self) -> str:
        return f"{len(self.items)} violation(s):\n" + "\n".join(self.items)


# ---------------------------------------------------------------------------------------------- extending


@dataclass
class AppDescription:
    """What the matrix must know to walk one more app's endpoints (see describe_app)."""

    app: str
    models: dict[str, type] = field(default_factory=dict)
    build: Callable[[Matrix], None] | None = None
    rules: dict[str, Callable[[Matrix, str, object], bool]] = field(default_factory=dict)
    payloads: dict[tuple[str, str], Callable[[Target, Matrix], Payload]] = field(default_factory=dict)
    words: Callable[[Matrix, str], dict[str, str]] | None = None
    get_status: Callable[[Matrix, str, Target], int | None] | None = None
    namespaces: frozenset[str] = frozenset()
    tables: tuple[type, ...] = ()


EXTENSIONS: list[AppDescription] = []
# API lists whose rows are computed (not rows of one model), with the reason: walked, but not counted.
UNCOUNTED_LISTS: dict[str, str] = {}
# Pages whose refused writes redirect with an error message instead of answering 403 (known deviations).
REFUSED_BY_REDIRECT: dict[str, str] = {}


def describe_app(
    app: str,
    *,
    models: dict[str, type] | None = None,
    build: Callable[[Matrix], None] | None = None,
    rules: dict[str, Callable[[Matrix, str, object], bool]] | None = None,
    payloads: dict[tuple[str, str], Callable[[Target, Matrix], Payload]] | None = None,
    words: Callable[[Matrix, str], dict[str, str]] | None = None,
    gates: dict[str, frozenset[str]] | None = None,
    personal_writes: frozenset[str] = frozenset(),
    pk_models: dict[str, str] | None = None,
    token_models: dict[str, str] | None = None,
    action_kwargs: dict[tuple[str, str], tuple[str, ...]] | None = None,
    get_status: Callable[[Matrix, str, Target], int | None] | None = None,
    excluded: dict[str, str] | None = None,
    tables: tuple[type, ...] = (),
    uncounted_lists: dict[str, str] | None = None,
    refused_by_redirect: dict[str, str] | None = None,
) -> None:
    """Let the matrix walk another app: call this from a module tests/permissions/permissions_rules_<app>.py.

    models: model key -> model class (lists are counted against the oracle, <pk> of DRF views resolved);
    build(matrix): add instances to matrix.objects[model key] (own vendor, other vendor, other organisation)
    and hidden words to matrix.wo_words / internal_words; rules: model key -> sees(matrix, role, obj), the
    product's rule written independently of the app's selectors; payloads: (URL name, method) -> a valid
    body; words(matrix, role): more words the role must never read; gates: URL name -> roles allowed at all;
    personal_writes: URL names whose writes only touch the user's own state; pk_models / token_models: HTML
    URL name -> model key of its <pk> / <token>; action_kwargs: (URL name, keyword) -> every value to try;
    get_status(matrix, role, target): the status of a permitted GET when it is not the usual one (None: usual),
    asked for the app's own URL names (namespace `app`) and its API names; excluded: URL name -> why the matrix
    does not walk it; tables: models whose row counts a forbidden write must leave unchanged; uncounted_lists:
    API list name -> why its rows are not rows of one model (still walked, gated and searched for leaks);
    refused_by_redirect: page name -> where the view answers a read-only role's refused write with a redirect
    and an error message instead of 403 (a known deviation to fix in the app; the write must still change nothing).
    """
    EXTENSIONS.append(
        AppDescription(
            app=app,
            models=dict(models or {}),
            build=build,
            rules=dict(rules or {}),
            payloads=dict(payloads or {}),
            words=words,
            get_status=get_status,
            namespaces=frozenset({app, "api"}),
            tables=tuple(tables),
        )
    )
    EXCLUDED_NAMES.update(excluded or {})
    UNCOUNTED_LISTS.update(uncounted_lists or {})
    REFUSED_BY_REDIRECT.update(refused_by_redirect or {})
    DESCRIBED_APPS.add(app)
    PERSONAL_WRITES.update(personal_writes)
    MODEL_CLASSES.update(models or {})
    MODEL_KEYS.update({cls: key for key, cls in (models or {}).items()})
    PAGE_GATES.update(gates or {})
    HTML_PK_MODELS.update(pk_models or {})
    TOKEN_MODELS.update(token_models or {})
    KEYWORD_VALUES.update(action_kwargs or {})


def _load_extensions() -> None:
    """Import every tests/permissions/permissions_rules_*.py (each calls describe_app)."""
    import importlib
    from pathlib import Path

    for path in sorted(Path(__file__).parent.glob("permissions_rules_*.py")):
        importlib.import_module(f"tests.permissions.{path.stem}")


_load_extensions()
