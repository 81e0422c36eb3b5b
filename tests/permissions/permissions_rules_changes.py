"""The permission matrix's knowledge of the changes app.

Rules (issue 9 "Changes, CAB, change calendar", the changes app's stated design in changes/permissions.py): the
client side of the organisation sees every change; vendor staff see the changes their vendor implements;
requesters and other organisations see none. The client's administrators and supervisors manage changes; the
CAB's meetings are the client side's; the catalogue of standard changes and the change calendar's windows are
seen by the whole organisation's staff (every vendor plans around them), kept by the client's operators (the
catalogue) and its administrator (the windows and the approval steps).
"""

from __future__ import annotations

import datetime as dt

from oversight.changes import services
from oversight.changes.choices import ChangeAction, ChangeType
from oversight.changes.models import CabMeeting, Change, ChangeEvent, ChangeIncident, ChangeTemplate, ChangeWindow
from oversight.core import clock
from oversight.tenancy.choices import Role
from tests.permissions.permissions_support import (
    CLIENT_SIDE,
    VENDOR_SIDE,
    Matrix,
    Payload,
    describe_app,
    secret,
    side,
)

READERS = CLIENT_SIDE | VENDOR_SIDE
OPERATORS = frozenset({Role.CLIENT_ADMIN, Role.CLIENT_SUPERVISOR})
# Who works on changes: the client's operators and vendor staff (on their own vendor's changes).
WRITERS = OPERATORS | VENDOR_SIDE
# Instance key -> (implementer attribute of the world, organisation "A" or "X").
CHANGES = {"A.V1": ("vendor", "A"), "A.V2": ("other_vendor", "A"), "X": ("foreign_vendor", "X")}


def _key(instance: str) -> str:
    return "C" + instance.replace(".", "")


# ------------------------------------------------------------------------------------------------- pages


def build(matrix: Matrix) -> None:
    world = matrix.world
    changes = {}
    for instance, (vendor_attr, org) in CHANGES.items():
        key = _key(instance)
        changes[instance] = services.change_create(
            actor=matrix.users["foreign_admin" if org == "X" else "client_supervisor"],
            title=secret(key, "Title"),
            description=secret(key, "Desc"),
            implementer=getattr(world, vendor_attr),
            type=ChangeType.NORMAL,
            implementation_plan=secret(key, "Plan"),
            backout_plan=secret(key, "Backout"),
        )
    matrix.objects["change"] = changes
    meetings, templates, windows = {}, {}, {}
    start = clock.now().replace(microsecond=0) + dt.timedelta(days=30)
    for org, actor in (("A", matrix.users["client_admin"]), ("X", matrix.users["foreign_admin"])):
        key = "C" + org
        meetings[org] = services.cab_meeting_create(actor=actor, title=secret(key, "Meeting"), starts_at=start)
        templates[org] = services.change_template_create(
            actor=actor, name=secret(key, "Template"), implementation_plan="Swap", backout_plan="Swap back"
        )
        windows[org] = services.window_create(
            actor=actor, name=secret(key, "Window"), kind="blackout", start=start, end=start + dt.timedelta(hours=4)
        )
    matrix.objects["cab_meeting"] = meetings
    matrix.objects["change_template"] = templates
    matrix.objects["change_window"] = windows


def sees_change(matrix: Matrix, role: str, change) -> bool:
    user = matrix.user(role)
    if user is None or user.organisation_id != change.organisation_id:
        return False
    who = side(user)
    return who == "client" or (who == "vendor" and user.vendor_id == change.implementer_id)


def sees_meeting(matrix: Matrix, role: str, meeting) -> bool:
    user = matrix.user(role)
    return user is not None and user.organisation_id == meeting.organisation_id and side(user) == "client"


def sees_organisation_calendar(matrix: Matrix, role: str, obj) -> bool:
    """The catalogue of standard changes and the change calendar: the whole organisation's staff."""
    user = matrix.user(role)
    return user is not None and user.organisation_id == obj.organisation_id and side(user) in ("client", "vendor")


def words(matrix: Matrix, role: str) -> dict[str, str]:
    out = {}
    for org, meeting in matrix.objects["cab_meeting"].items():
        if not sees_meeting(matrix, role, meeting):
            out[meeting.title] = f"CAB meeting {org}"
    for key in ("change_template", "change_window"):
        for org, obj in matrix.objects[key].items():
            if not sees_organisation_calendar(matrix, role, obj):
                out[obj.name] = f"{key} {org}"
    for instance, change in matrix.objects["change"].items():
        if not sees_change(matrix, role, change):
            for what in ("Title", "Desc", "Plan", "Backout"):
                out[secret(_key(instance), what)] = f"change {instance}"
            out[change.number] = f"change {instance}"
    return out


def _form(data):
    return lambda target, matrix: Payload(data(target, matrix) if callable(data) else dict(data))


def _versioned(extra: dict):
    return _form(lambda t, m: {**extra, "version": getattr(t.obj, "version", 1)})


# ------------------------------------------------------------------------------------------------- API


def _json(data):
    return lambda target, matrix: Payload(data(target, matrix) if callable(data) else dict(data), json=True)


def _first_item(meeting) -> int:
    """The first agenda item of a meeting (1 when there is none: the decision then names nothing, a 404)."""
    if meeting is None:
        return 1
    return meeting.items.order_by("position").values_list("pk", flat=True).first() or 1


# The API answers the same rules: changes for the client side and vendor staff (requesters 403), the CAB for the
# client side; who may act on a visible change is the service's decision (403 in the one error body).
API_GATES = {
    "api:change-list": READERS,
    "api:change-detail": READERS,
    "api:change-transition": READERS,
    "api:change-risk": READERS,
    "api:change-review": READERS,
    "api:change-exception": READERS,
    "api:change-vote": READERS,
    "api:change-incidents": READERS,
    "api:change-unlink": READERS,
    "api:change-conflicts": READERS,
    "api:change-template-list": READERS,
    "api:change-template-detail": READERS,
    "api:change-window-list": READERS,
    "api:change-window-detail": READERS,
    "api:change-window-deactivate": READERS,
    "api:change-window-calendar": READERS,
    "api:cab-meeting-list": CLIENT_SIDE,
    "api:cab-meeting-detail": CLIENT_SIDE,
    "api:cab-meeting-decide": CLIENT_SIDE,
}
API_PAYLOADS = {
    ("api:change-list", "post"): _json(lambda t, m: {"title": "PmxApiChange", "implementer": m.world.vendor.pk}),
    ("api:change-detail", "patch"): _json({"title": "PmxPatchedChange"}),
    ("api:change-transition", "post"): _json({"note": "PmxApiNote"}),
    ("api:change-risk", "post"): _json({"answers": {}}),
    ("api:change-review", "post"): _json({"outcome": "successful"}),
    ("api:change-exception", "post"): _json({"note": "PmxApiException"}),
    ("api:change-vote", "post"): _json({"approve": True, "comment": "PmxApiVote"}),
    ("api:change-incidents", "post"): _json(lambda t, m: {"work_orders": [m.work_orders["A2"].pk]}),
    ("api:change-unlink", "post"): _json(lambda t, m: {"work_order": m.work_orders["A2"].pk}),
    ("api:change-template-list", "post"): _json(
        {"name": "PmxApiTemplate", "implementation_plan": "a", "backout_plan": "b"}
    ),
    ("api:change-template-detail", "patch"): _json({"name": "PmxApiTemplate2"}),
    ("api:change-window-list", "post"): _json(
        {"name": "PmxApiWindow", "kind": "blackout", "start": "2030-01-07T00:00:00Z", "end": "2030-01-07T04:00:00Z"}
    ),
    ("api:change-window-deactivate", "post"): _json({}),
    ("api:cab-meeting-list", "post"): _json({"title": "PmxApiCab", "starts_at": "2030-01-07T14:00:00Z"}),
    ("api:cab-meeting-decide", "post"): _json(lambda t, m: {"item": _first_item(t.obj), "decision": "defer"}),
}


describe_app(
    "changes",
    models={
        "change": Change,
        "cab_meeting": CabMeeting,
        "change_template": ChangeTemplate,
        "change_window": ChangeWindow,
    },
    build=build,
    rules={
        "change": sees_change,
        "cab_meeting": sees_meeting,
        "change_template": sees_organisation_calendar,
        "change_window": sees_organisation_calendar,
    },
    words=words,
    tables=(Change, ChangeEvent, ChangeIncident, CabMeeting, ChangeTemplate, ChangeWindow),
    pk_models={
        "changes:cab_detail": "cab_meeting",
        "changes:template_edit": "change_template",
        "changes:window_deactivate": "change_window",
    }
    | {
        name: "change"
        for name in (
            "changes:detail",
            "changes:edit",
            "changes:risk",
            "changes:transition",
            "changes:vote",
            "changes:exception",
            "changes:review",
            "changes:link",
            "changes:unlink",
        )
    },
    gates={
        **API_GATES,
        # Everyone signed in opens the page of their own calendar feed key; a requester has no calendar (403).
        "changes:feed_key": frozenset(Role.values),
        "changes:list": READERS,
        "changes:detail": READERS,
        "changes:create": WRITERS,
        "changes:edit": WRITERS,
        "changes:risk": WRITERS,
        "changes:transition": WRITERS,
        # Approvers are the client's staff (an executive may sit on the CAB); others have no vote: 403.
        "changes:vote": CLIENT_SIDE,
        "changes:exception": OPERATORS,
        "changes:review": OPERATORS,
        "changes:link": OPERATORS,
        "changes:unlink": OPERATORS,
        # The CAB is the client's; it reads its meetings, its operators plan and decide.
        "changes:cab_list": CLIENT_SIDE,
        "changes:cab_detail": CLIENT_SIDE,
        # The catalogue and the calendar are the whole organisation's; its operators keep the catalogue, its
        # administrator the calendar's windows and the approval steps.
        "changes:templates": READERS,
        "changes:template_edit": OPERATORS,
        "changes:policy": frozenset({Role.CLIENT_ADMIN}),
        "changes:calendar": READERS,
        "changes:windows": READERS,
        "changes:window_deactivate": frozenset({Role.CLIENT_ADMIN}),
    },
    personal_writes=frozenset({"changes:feed_key"}),
    excluded={
        "changes:calendar_ics": "read with a key in its address by calendar programs, not with a session: "
        "tests/changes/test_changes_feed.py checks the owner's gate and the revoked key",
    },
    action_kwargs={("api:change-transition", "transition"): tuple(ChangeAction.values)},
    payloads={
        **API_PAYLOADS,
        ("changes:feed_key", "post"): _form({"action": "create"}),
        ("changes:create", "post"): _form(
            lambda t, m: {"type": "normal", "title": "PmxNewChange", "implementer": m.world.vendor.pk}
        ),
        ("changes:edit", "post"): _versioned({"title": "PmxEditedChange"}),
        ("changes:risk", "post"): _versioned({"q_reach": "1"}),
        ("changes:transition", "post"): _versioned({"action": "cancel", "note": "PmxCancel"}),
        ("changes:vote", "post"): _form({"approve": "1", "comment": "PmxVote"}),
        ("changes:exception", "post"): _versioned({"note": "PmxException"}),
        ("changes:review", "post"): _versioned({"outcome": "successful"}),
        ("changes:link", "post"): _form(lambda t, m: {"numbers": m.work_orders["A2"].number}),
        ("changes:unlink", "post"): _form(lambda t, m: {"work_order": m.work_orders["A2"].pk}),
        ("changes:cab_list", "post"): _form({"title": "PmxCab", "starts_at": "2030-01-07T14:00"}),
        ("changes:cab_detail", "post"): _form({"item": "1", "decision": "defer", "note": "PmxDefer"}),
        ("changes:templates", "post"): _form(
            {"name": "PmxTemplate", "implementation_plan": "a", "backout_plan": "b", "expected_outage_minutes": 0}
        ),
        ("changes:template_edit", "post"): _form(
            {"name": "PmxTemplate2", "implementation_plan": "a", "backout_plan": "b", "expected_outage_minutes": 0}
        ),
        ("changes:policy", "post"): _form({"s1_name": ""}),
        ("changes:windows", "post"): _form(
            {"name": "PmxWindow", "kind": "blackout", "start": "2030-01-07T00:00", "end": "2030-01-07T04:00"}
        ),
        ("changes:window_deactivate", "post"): _form({}),
    },
)
