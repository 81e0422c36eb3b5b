"""Writes of meetings: schedule one outside a series, invite people, record attendance, agenda lines, minutes and
decisions, move it along its states (held, minutes submitted, cancelled) and sign the minutes for either side —
the second signature freezes them."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from oversight.audit.services import audit_record, model_snapshot
from oversight.audit.transitions import transition
from oversight.businesstime.engine import CalendarDataMissing
from oversight.catalog.calendars import calendar_spec
from oversight.core import clock
from oversight.core.concurrency import check_version, lock_row, touch
from oversight.core.errors import ApplicationError
from oversight.core.zones import local_date
from oversight.meetings import permissions, recurrence
from oversight.meetings.choices import (
    EDITABLE_STATUSES,
    MEETING_MACHINE,
    AgendaKind,
    Attendance,
    MeetingAction,
    MeetingStatus,
    Side,
)
from oversight.meetings.events import MEETING_TRANSITIONED
from oversight.meetings.models import AgendaItem, CommunicationPlan, Decision, Meeting, Participant
from oversight.meetings.services.plans import _check_people, add_participants, calendar_error


def _actor_id(actor) -> int | None:
    return getattr(actor, "pk", None)


def _editable(meeting: Meeting) -> None:
    if meeting.status not in EDITABLE_STATUSES:
        raise ApplicationError(
            _("The meeting is “%(status)s”: its agenda, minutes and attendance no longer change.")
            % {"status": MeetingStatus(meeting.status).label}
        )


@transaction.atomic
def meeting_create(
    *,
    actor,
    plan: CommunicationPlan,
    title: str,
    starts_at: dt.datetime,
    duration_minutes: int = 60,
    location: str = "",
    online_link: str = "",
    participants=(),
) -> Meeting:
    """Schedule a meeting of a plan outside its series (an extraordinary review)."""
    permissions.require(permissions.may_plan(actor, plan.organisation_id) or permissions.may_manage(actor, plan))
    title = (title or "").strip()
    if not title or starts_at is None:
        raise ApplicationError(_("Give the meeting a title and a start."))
    if not 1 <= int(duration_minutes) <= 720:
        raise ApplicationError(_("A meeting lasts between 1 minute and 12 hours."))
    people = _check_people(participants, plan)
    now = clock.now()
    meeting = Meeting.objects.create(
        organisation=plan.organisation,
        vendor=plan.vendor,
        contract=plan.contract,
        plan=plan,
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=int(duration_minutes)),
        location=(location or "").strip(),
        online_link=(online_link or "").strip(),
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    add_participants(meeting, people)
    audit_record(actor=actor, action="meetings.meeting.created", obj=meeting, after=model_snapshot(meeting))
    return meeting


@transaction.atomic
def participants_add(*, actor, meeting: Meeting, people) -> Meeting:
    """Invite more people (the client's staff or this vendor's) to a meeting that is not frozen."""
    locked = lock_row(meeting)
    permissions.require(permissions.may_manage(actor, locked))
    _editable(locked)
    add_participants(locked, _check_people(people, locked))
    return locked


@transaction.atomic
def attendance_record(*, actor, meeting: Meeting, attendance: dict[int, str]) -> Meeting:
    """Record who was present, absent or excused (``{participant id: attendance}``)."""
    locked = lock_row(meeting)
    permissions.require(permissions.may_manage(actor, locked))
    _editable(locked)
    if any(value not in Attendance.values for value in attendance.values()):
        raise ApplicationError(_("Choose present, absent or excused for each participant."))
    changed = {}
    for participant in Participant.objects.filter(meeting=locked, pk__in=list(attendance)):
        value = attendance[participant.pk]
        if participant.attendance != value:
            participant.attendance = value
            participant.save(update_fields=["attendance"])
            changed[str(participant.user_id)] = value
    if changed:
        audit_record(actor=actor, action="meetings.meeting.attendance", obj=locked, after={"attendance": changed})
    return locked


def _next_position(model, meeting: Meeting) -> int:
    return (model.objects.filter(meeting=meeting).aggregate(m=Max("position"))["m"] or 0) + 1


@transaction.atomic
def agenda_item_add(*, actor, meeting: Meeting, title: str, detail: str = "") -> AgendaItem:
    """Add a typed line to the agenda (the prefill keeps it)."""
    locked = lock_row(meeting)
    permissions.require(permissions.may_manage(actor, locked))
    _editable(locked)
    title = (title or "").strip()
    if not title:
        raise ApplicationError(_("Give the agenda item a title."))
    item = AgendaItem.objects.create(
        meeting=locked,
        position=_next_position(AgendaItem, locked),
        kind=AgendaKind.MANUAL,
        title=title[:300],
        detail=(detail or "").strip()[:300],
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="meetings.agendaitem.created",
        obj=item,
        organisation=locked.organisation,
        after={"title": item.title},
    )
    return item


@transaction.atomic
def minutes_save(*, actor, meeting: Meeting, minutes: str, expected_version: int | None = None) -> Meeting:
    """Write the minutes of a held (or still planned) meeting; they freeze once submitted for signature."""
    locked = lock_row(meeting)
    permissions.require(permissions.may_manage(actor, locked))
    check_version(locked, expected_version, MEETING_MACHINE.stale)
    _editable(locked)
    minutes = (minutes or "").strip()
    if minutes != locked.minutes:
        before = locked.minutes
        locked.minutes = minutes
        touch(locked, clock.now(), ["minutes"])
        audit_record(
            actor=actor,
            action="meetings.meeting.minutes_changed",
            obj=locked,
            before={"minutes": before},
            after={"minutes": minutes},
        )
    return locked


@transaction.atomic
def decision_add(*, actor, meeting: Meeting, text: str) -> Decision:
    """Record a decision of the meeting."""
    locked = lock_row(meeting)
    permissions.require(permissions.may_manage(actor, locked))
    _editable(locked)
    text = (text or "").strip()
    if not text:
        raise ApplicationError(_("Write the decision."))
    decision = Decision.objects.create(
        meeting=locked,
        position=_next_position(Decision, locked),
        text=text,
        recorded_by=actor,
        recorded_at=clock.now(),
    )
    audit_record(
        actor=actor,
        action="meetings.decision.created",
        obj=decision,
        organisation=locked.organisation,
        after={"text": text},
    )
    return decision


def minutes_due(meeting: Meeting, held_at: dt.datetime) -> dt.datetime:
    """When the minutes of a meeting held at ``held_at`` are due signed: the end of the N-th working day after
    the local date it was held (N from its series, else its plan)."""
    plan = meeting.plan
    days = meeting.series.effective_minutes_due_days if meeting.series_id else plan.minutes_due_days
    spec = calendar_spec(plan.calendar)
    try:
        held_on = local_date(held_at, plan.calendar)
        return recurrence.end_of_day(recurrence.add_working_days(spec, held_on, days), spec.tz)
    except CalendarDataMissing as exc:
        raise calendar_error(exc) from None


def _announce(actor, action):
    return lambda outcome: [
        (
            MEETING_TRANSITIONED,
            {
                "meeting_id": outcome.obj.pk,
                "actor_id": _actor_id(actor),
                "action": str(action),
                "from_status": str(outcome.from_status),
                "to_status": str(outcome.to_status),
            },
        )
    ]


@transaction.atomic
def meeting_transition(
    *, actor, meeting: Meeting, action: str, expected_version: int | None = None, at: dt.datetime | None = None
) -> Meeting:
    """Hold a meeting (its minutes fall due), submit its minutes for signature (they freeze), or cancel it.
    Signing is `meeting_sign`: each side signs, the second signature completes it."""
    if action == MeetingAction.SIGN:
        raise ApplicationError(_("Minutes are signed by each side with its own signature."))

    def apply(locked, now):
        if action == MeetingAction.HOLD:
            locked.held_at = now
            locked.minutes_due_at = minutes_due(locked, now)
            return ["held_at", "minutes_due_at"]
        if action == MeetingAction.DRAFT and not locked.minutes.strip():
            raise ApplicationError(_("Write the minutes before submitting them for signature."))
        return []

    done = transition(
        meeting,
        machine=MEETING_MACHINE,
        action=action,
        actor=actor,
        expected_version=expected_version,
        related=("plan", "plan__calendar", "series"),
        authorize=lambda locked: permissions.require(permissions.may_manage(actor, locked)),
        apply=apply,
        at=at,
        announce=_announce(actor, action),
    )
    return done.obj


@transaction.atomic
def meeting_sign(*, actor, meeting: Meeting, side: str, at: dt.datetime | None = None) -> Meeting:
    """Sign submitted minutes for the client (an operator of the organisation) or for the vendor (its manager).
    The second side's signature moves the meeting to signed; a side that already signed is a harmless repeat."""
    if side not in Side.values:
        raise ApplicationError(_("Sign for the client or for the vendor."))
    locked = lock_row(meeting, "organisation")
    allowed = permissions.may_sign_client if side == Side.CLIENT else permissions.may_sign_vendor
    permissions.require(allowed(actor, locked), _("You cannot sign the minutes for this side."))
    signer_field = "client_signer" if side == Side.CLIENT else "vendor_signer"
    if getattr(locked, f"{signer_field}_id"):
        return locked  # already signed for that side: nothing changes
    MEETING_MACHINE.require(locked, MeetingAction.SIGN)
    now = at or clock.now()
    setattr(locked, signer_field, actor)
    setattr(locked, f"{side}_signed_at", now)
    touch(locked, now, [signer_field, f"{side}_signed_at"])
    other_signed = locked.vendor_signer_id if side == Side.CLIENT else locked.client_signer_id
    if not other_signed:
        audit_record(actor=actor, action="meetings.meeting.signed_one_side", obj=locked, after={"side": side})
        return locked

    def stamp(obj, when):
        obj.signed_at = when
        return ["signed_at"]

    done = transition(
        locked,
        machine=MEETING_MACHINE,
        action=MeetingAction.SIGN,
        actor=actor,
        lock=False,
        apply=stamp,
        at=now,
        audit_after={"side": side},
        announce=_announce(actor, MeetingAction.SIGN),
    )
    return done.obj
