"""The permission matrix's knowledge of the meetings app: communication plans, meeting series, meetings and action
items.

Rules (issue 11 "Communication plans and meetings", the meetings app's stated design, ADR 0036): the client side
of the organisation sees every plan, series, meeting and action item of its own; vendor staff only their own
vendor's; requesters and other organisations none. Client administrators and supervisors keep plans and series
and schedule meetings; they and the vendor's manager run a meeting (hold it, its agenda, minutes, decisions,
attendance, action items) and sign its minutes for their side; an action item's owner (vendor agents too) and
whoever runs its meeting move it along. Executives and auditors read.
"""

from __future__ import annotations

import datetime as dt

from oversight.core.zones import local_today
from oversight.meetings import services
from oversight.meetings.choices import ActionAction
from oversight.meetings.models import (
    ActionItem,
    ActionItemEvent,
    AgendaItem,
    CommunicationPlan,
    Decision,
    Meeting,
    MeetingSeries,
    Participant,
    PlanRow,
)
from oversight.tenancy.choices import Role
from tests.permissions.permissions_support import CLIENT_SIDE, VENDOR_SIDE, Matrix, Payload, describe_app, secret, side

READERS = CLIENT_SIDE | VENDOR_SIDE
OPERATORS = frozenset({Role.CLIENT_ADMIN, Role.CLIENT_SUPERVISOR})
RUNNERS = OPERATORS | {Role.VENDOR_MANAGER}
MOVERS = OPERATORS | VENDOR_SIDE
# Instance key -> (vendor attribute of the world, organisation "A" or "X").
PLANS = {"A.V1": ("vendor", "A"), "A.V2": ("other_vendor", "A"), "X": ("foreign_vendor", "X")}


def _key(instance: str) -> str:
    return "Mtg" + instance.replace(".", "")


def build(matrix: Matrix) -> None:
    world = matrix.world
    plans, series_map, meetings, items = {}, {}, {}, {}
    for instance, (vendor_attr, org) in PLANS.items():
        actor = matrix.users["foreign_admin" if org == "X" else "client_supervisor"]
        calendar = (
            world.foreign_service.sla_policy.versions.first().targets.first().calendar if org == "X" else world.calendar
        )
        key = _key(instance)
        today = local_today(actor.organisation)
        plan = services.plan_create(
            actor=actor, vendor=getattr(world, vendor_attr), calendar=calendar, name=secret(key, "Plan")
        )
        services.plan_row_add(
            actor=actor,
            plan=plan,
            stakeholder=secret(key, "Stakeholder"),
            topic="Service levels",
            channel="meeting",
            frequency="weekly",
            owner=actor,
        )
        series = services.series_create(
            actor=actor,
            plan=plan,
            kind="weekly_operations",
            name=secret(key, "Series"),
            starts_on=today - dt.timedelta(days=14),
            start_minute=600,
            rule="FREQ=DAILY;INTERVAL=7",
            participants=[actor],
        )
        made = services.series_schedule(actor=actor, series=series, until=today + dt.timedelta(days=14))
        meeting = made[0]
        services.minutes_save(actor=actor, meeting=meeting, minutes=secret(key, "Minutes"))
        services.decision_add(actor=actor, meeting=meeting, text=secret(key, "Decision"))
        services.agenda_item_add(actor=actor, meeting=meeting, title=secret(key, "Agenda"))
        items[instance] = services.action_item_create(
            actor=actor, meeting=meeting, title=secret(key, "Action"), owner=actor, due_days=1
        )
        meeting.refresh_from_db()
        plans[instance], series_map[instance], meetings[instance] = plan, series, meeting
    matrix.objects["meeting_plan"] = plans
    matrix.objects["meeting_series"] = series_map
    matrix.objects["meeting"] = meetings
    matrix.objects["meeting_action_item"] = items


def sees(matrix: Matrix, role: str, obj) -> bool:
    user = matrix.user(role)
    if user is None or user.organisation_id != obj.organisation_id:
        return False
    who = side(user)
    return who == "client" or (who == "vendor" and obj.vendor_id == user.vendor_id)


def words(matrix: Matrix, role: str) -> dict[str, str]:
    out = {}
    for instance, plan in matrix.objects["meeting_plan"].items():
        if not sees(matrix, role, plan):
            key = _key(instance)
            for what in ("Plan", "Stakeholder", "Series", "Minutes", "Decision", "Agenda", "Action"):
                out[secret(key, what)] = f"meetings {instance}"
    return out


def _form(data):
    return lambda target, matrix: Payload(data(target, matrix) if callable(data) else dict(data))


def _json(data):
    return lambda target, matrix: Payload(data(target, matrix) if callable(data) else dict(data), json=True)


def _today(target, matrix) -> str:
    return local_today(matrix.world.org).isoformat()


def _supervisor(matrix) -> int:
    return matrix.users["client_supervisor"].pk


describe_app(
    "meetings",
    models={
        "meeting_plan": CommunicationPlan,
        "meeting_series": MeetingSeries,
        "meeting": Meeting,
        "meeting_action_item": ActionItem,
    },
    build=build,
    rules={
        "meeting_plan": sees,
        "meeting_series": sees,
        "meeting": sees,
        "meeting_action_item": sees,
    },
    words=words,
    tables=(
        CommunicationPlan,
        PlanRow,
        MeetingSeries,
        Meeting,
        Participant,
        AgendaItem,
        Decision,
        ActionItem,
        ActionItemEvent,
    ),
    pk_models={
        "meetings:plan_detail": "meeting_plan",
        "meetings:plan_row_create": "meeting_plan",
        "meetings:series_create": "meeting_plan",
        "meetings:meeting_create": "meeting_plan",
        "meetings:series_detail": "meeting_series",
        "meetings:series_schedule": "meeting_series",
        "meetings:series_ics": "meeting_series",
        "meetings:detail": "meeting",
        "meetings:ics": "meeting",
        "meetings:minutes_pdf": "meeting",
        "meetings:transition": "meeting",
        "meetings:sign": "meeting",
        "meetings:prefill": "meeting",
        "meetings:agenda_create": "meeting",
        "meetings:minutes": "meeting",
        "meetings:decision_create": "meeting",
        "meetings:participants": "meeting",
        "meetings:attendance": "meeting",
        "meetings:action_create": "meeting",
        "meetings:action_detail": "meeting_action_item",
        "meetings:action_transition": "meeting_action_item",
    },
    gates={
        "meetings:list": READERS,
        "meetings:plans": READERS,
        "meetings:plan_detail": READERS,
        "meetings:series_detail": READERS,
        "meetings:series_ics": READERS,
        "meetings:detail": READERS,
        "meetings:ics": READERS,
        "meetings:minutes_pdf": READERS,
        "meetings:actions": READERS,
        "meetings:action_detail": READERS,
        "meetings:feed_info": frozenset(Role.values),
        "meetings:plan_create": OPERATORS,
        "meetings:plan_row_create": OPERATORS,
        "meetings:series_create": OPERATORS,
        "meetings:meeting_create": OPERATORS,
        "meetings:series_schedule": OPERATORS,
        "meetings:transition": RUNNERS,
        "meetings:sign": RUNNERS,
        "meetings:prefill": RUNNERS,
        "meetings:agenda_create": RUNNERS,
        "meetings:minutes": RUNNERS,
        "meetings:decision_create": RUNNERS,
        "meetings:participants": RUNNERS,
        "meetings:attendance": RUNNERS,
        "meetings:action_create": RUNNERS,
        "meetings:action_transition": MOVERS,
        "api:meeting-plan-list": READERS,
        "api:meeting-plan-detail": READERS,
        "api:meeting-series-list": READERS,
        "api:meeting-series-detail": READERS,
        "api:meeting-list": READERS,
        "api:meeting-detail": READERS,
        "api:meeting-transition": READERS,
        "api:meeting-sign": READERS,
        "api:meeting-minutes": READERS,
        "api:meeting-agenda": READERS,
        "api:meeting-participants": READERS,
        "api:meeting-decisions": READERS,
        "api:meeting-action-items": READERS,
        "api:meeting-action-item-list": READERS,
        "api:meeting-action-item-detail": READERS,
        "api:meeting-action-item-history": READERS,
        "api:meeting-action-item-transition": READERS,
    },
    excluded={
        "meetings:feed": "read with the change calendar's key in its address by calendar programs, not with a "
        "session: tests/meetings/test_meetings_calendar.py checks the owner's gate and the revoked key",
    },
    action_kwargs={
        ("api:meeting-transition", "transition"): ("hold", "draft", "cancel"),
        ("api:meeting-action-item-transition", "transition"): tuple(ActionAction.values),
    },
    # Creating, re-creating or revoking one's meetings calendar key touches only one's own key.
    personal_writes=frozenset({"meetings:feed_info"}),
    payloads={
        ("meetings:feed_info", "post"): _form({"action": "create"}),
        ("meetings:plan_create", "post"): _form(
            lambda t, m: {
                "name": "PmxNewPlan",
                "vendor": m.world.vendor.pk,
                "calendar": m.world.calendar.pk,
                "minutes_due_days": "3",
                "action_due_days": "5",
            }
        ),
        ("meetings:plan_row_create", "post"): _form(
            lambda t, m: {
                "stakeholder": "PmxRow",
                "topic": "Costs",
                "channel": "by_email",
                "frequency": "monthly",
                "owner": _supervisor(m),
            }
        ),
        ("meetings:series_create", "post"): _form(
            lambda t, m: {
                "kind": "monthly_service",
                "name": "PmxNewSeries",
                "starts_on": _today(t, m),
                "start_time": "10:00",
                "duration_minutes": "60",
            }
        ),
        ("meetings:meeting_create", "post"): _form(
            lambda t, m: {"title": "PmxNewMeeting", "starts_at": _today(t, m) + "T15:00", "duration_minutes": "30"}
        ),
        ("meetings:series_schedule", "post"): _form({}),
        ("meetings:transition", "post"): _form(
            lambda t, m: {"action": "hold", "version": getattr(t.obj, "version", 1)}
        ),
        ("meetings:sign", "post"): _form({"side": "client"}),
        ("meetings:prefill", "post"): _form({}),
        ("meetings:agenda_create", "post"): _form({"title": "PmxAgendaLine"}),
        ("meetings:minutes", "post"): _form({"minutes": "PmxMinutesText"}),
        ("meetings:decision_create", "post"): _form({"text": "PmxDecisionText"}),
        ("meetings:participants", "post"): _form(lambda t, m: {"people": [_supervisor(m)]}),
        ("meetings:attendance", "post"): _form({}),
        ("meetings:action_create", "post"): _form(
            lambda t, m: {"title": "PmxNewAction", "owner": _supervisor(m), "due_days": "2"}
        ),
        ("meetings:action_transition", "post"): _form({"action": "start"}),
        ("api:meeting-transition", "post"): _json({}),
        ("api:meeting-sign", "post"): _json({"side": "client"}),
        ("api:meeting-minutes", "post"): _json({"minutes": "PmxApiMinutes"}),
        ("api:meeting-agenda", "post"): _json({}),
        ("api:meeting-decisions", "post"): _json({"text": "PmxApiDecision"}),
        ("api:meeting-action-items", "post"): _json(
            lambda t, m: {"title": "PmxApiAction", "owner": _supervisor(m), "due_days": 2}
        ),
        ("api:meeting-action-item-transition", "post"): _json({"note": "PmxApiNote"}),
    },
)
