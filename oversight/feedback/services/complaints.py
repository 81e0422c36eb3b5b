"""Complaints (投诉): opened by a low rating or by hand, handled by the client's supervisors through one
transition table, answered by the vendor, each step kept in an immutable timeline."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from oversight.audit.services import audit_record
from oversight.audit.transitions import transition
from oversight.core import clock
from oversight.core.concurrency import check_version, lock_row, touch
from oversight.core.errors import ApplicationError, NotAllowed
from oversight.core.events import publish
from oversight.core.timeline import timeline_append
from oversight.feedback import permissions
from oversight.feedback.choices import (
    COMPLAINT_ACTIONS_NEEDING_TEXT,
    COMPLAINT_MACHINE,
    ComplaintAction,
    ComplaintEventKind,
    ComplaintSource,
    ComplaintStatus,
)
from oversight.feedback.events import COMPLAINT_OPENED, COMPLAINT_RESOLVED, COMPLAINT_TRANSITIONED
from oversight.feedback.models import Complaint, ComplaintEvent, Rating
from oversight.tenancy.choices import Role
from oversight.tenancy.models import User
from oversight.tickets.models import WorkOrder

TEXT_MAX = 4000


def _complaint_lock(complaint: Complaint) -> Complaint:
    """Reload the complaint under a row lock so concurrent handlers queue instead of overwriting each other."""
    return lock_row(complaint, "work_order")


def _check_version(locked: Complaint, expected_version: int | None) -> None:
    check_version(locked, expected_version, COMPLAINT_MACHINE.stale)


def _append_event(
    complaint: Complaint, *, actor, kind: str, at: dt.datetime, data: dict | None = None, **fields
) -> ComplaintEvent:
    """Append the next step to the complaint's timeline; action, statuses, text and internal flag default to empty."""
    return timeline_append(ComplaintEvent, complaint, actor=actor, kind=kind, at=at, data=data or {}, **fields)


def default_complaint_assignee(organisation_id: int) -> User | None:
    """The organisation's first active client supervisor (by id), or None: the complaint waits in the queue."""
    return (
        User.objects.filter(organisation_id=organisation_id, role=Role.CLIENT_SUPERVISOR, is_active=True)
        .order_by("pk")
        .first()
    )


def _complaint_create(
    *,
    actor,
    work_order: WorkOrder,
    source: str,
    summary: str,
    description: str,
    rating: Rating | None,
    now: dt.datetime,
) -> Complaint:
    assignee = default_complaint_assignee(work_order.organisation_id)
    complaint = Complaint.objects.create(
        organisation_id=work_order.organisation_id,
        vendor_id=work_order.vendor_id,
        work_order=work_order,
        rating=rating,
        source=source,
        status=ComplaintStatus.OPEN,
        summary=summary[:300],
        description=description,
        assignee=assignee,
        opened_by=actor if getattr(actor, "pk", None) else None,
        opened_at=now,
        updated_at=now,
    )
    _append_event(
        complaint,
        actor=actor,
        kind=ComplaintEventKind.OPENED,
        at=now,
        to_status=ComplaintStatus.OPEN,
        body=description,
        data={"source": source, "rating": rating.pk if rating else None, "assignee": assignee.pk if assignee else None},
    )
    audit_record(
        actor=actor,
        action="feedback.complaint.opened",
        obj=complaint,
        organisation=work_order.organisation,
        after={
            "work_order": work_order.pk,
            "source": source,
            "rating": rating.pk if rating else None,
            "assignee": assignee.pk if assignee else None,
        },
    )
    _schedule_complaint_notifications(complaint, "opened")
    publish(
        COMPLAINT_OPENED,
        complaint_id=complaint.pk,
        work_order_id=work_order.pk,
        actor_id=getattr(actor, "pk", None),
        source=str(source),
    )
    return complaint


@transaction.atomic
def complaint_open_for_rating(*, rating: Rating) -> Complaint:
    """Open the complaint a low rating calls for (system action, inside the rating's transaction)."""
    existing = Complaint.objects.filter(rating=rating).first()
    if existing is not None:
        return existing
    work_order = rating.work_order
    return _complaint_create(
        actor=None,
        work_order=work_order,
        source=ComplaintSource.RATING,
        summary="",  # shown as "Rated n of 5 stars" in the reader's language
        description=rating.comment,
        rating=rating,
        now=clock.now(),
    )


@transaction.atomic
def complaint_open(
    *, actor: User, work_order: WorkOrder, summary: str, description: str = "", source: str = ComplaintSource.HOTLINE
) -> Complaint:
    """Open a complaint by hand (e.g. a call to the supervision hotline): client supervisors and administrators."""
    if not permissions.may_open_complaint(actor, work_order):
        raise NotAllowed(_("Only the client's supervisors can open complaints."))
    if source not in (ComplaintSource.HOTLINE, ComplaintSource.MANUAL):
        raise ApplicationError(_("Unknown source."))
    summary = (summary or "").strip()
    if not summary:
        raise ApplicationError(_("Give the complaint a short summary."))
    if len(description or "") > TEXT_MAX * 5:
        raise ApplicationError(_("The description is too long."))
    return _complaint_create(
        actor=actor,
        work_order=work_order,
        source=source,
        summary=summary,
        description=(description or "").strip(),
        rating=None,
        now=clock.now(),
    )


def _complaint_apply(
    *, actor: User, complaint: Complaint, action: str, text: str = "", expected_version: int | None = None
) -> Complaint:
    """Move a complaint along its state machine (choices.COMPLAINT_MACHINE); repeating a step done is harmless."""
    text = (text or "").strip()

    def authorize(locked: Complaint) -> None:
        if not permissions.may_transition_complaint(actor, locked):
            raise NotAllowed(_("Only the client's supervisors handle complaints."))

    def needs_text(locked: Complaint, actor) -> None:
        if action in COMPLAINT_ACTIONS_NEEDING_TEXT and not text:
            raise ApplicationError(
                _("Describe the resolution.") if action == ComplaintAction.RESOLVE else _("Give a reason.")
            )
        if len(text) > TEXT_MAX:
            raise ApplicationError(_("The text is too long (at most %(n)d characters).") % {"n": TEXT_MAX})

    def apply(locked: Complaint, now: dt.datetime) -> list[str]:
        if action == ComplaintAction.RESOLVE:
            locked.resolved_at, locked.resolution = now, text
            return ["resolved_at", "resolution"]
        if action == ComplaintAction.CLOSE:
            locked.closed_at = now
            return ["closed_at"]
        if action == ComplaintAction.REOPEN:
            locked.resolved_at = None
            locked.closed_at = None
            return ["resolved_at", "closed_at"]
        return []

    done = transition(
        complaint,
        machine=COMPLAINT_MACHINE,
        action=action,
        actor=actor,
        expected_version=expected_version,
        related=("work_order",),
        authorize=authorize,
        guards=(needs_text,),
        apply=apply,
        timeline={"body": text},
        audit_after={"text": text} if text else {},
        announce=lambda done: _complaint_events(done, actor, action),
    )
    if done.changed:
        _schedule_complaint_notifications(done.obj, action)
    return done.obj


def _complaint_events(done, actor, action: str) -> list[tuple]:
    """A complaint's status change is announced as a transition, and a resolution also by name."""
    complaint, actor_id = done.obj, getattr(actor, "pk", None)
    announced = [
        (
            COMPLAINT_TRANSITIONED,
            {
                "complaint_id": complaint.pk,
                "actor_id": actor_id,
                "action": str(action),
                "from_status": str(done.from_status),
                "to_status": str(done.to_status),
            },
        )
    ]
    if action == ComplaintAction.RESOLVE:
        announced.append(
            (
                COMPLAINT_RESOLVED,
                {"complaint_id": complaint.pk, "work_order_id": complaint.work_order_id, "actor_id": actor_id},
            )
        )
    return announced


@transaction.atomic
def complaint_investigate(
    *, actor: User, complaint: Complaint, note: str = "", expected_version: int | None = None
) -> Complaint:
    """Open → investigating: the supervisor has taken the complaint up."""
    return _complaint_apply(
        actor=actor,
        complaint=complaint,
        action=ComplaintAction.INVESTIGATE,
        text=note,
        expected_version=expected_version,
    )


@transaction.atomic
def complaint_resolve(
    *, actor: User, complaint: Complaint, resolution: str, expected_version: int | None = None
) -> Complaint:
    """Open or investigating → resolved, with what was found and done."""
    return _complaint_apply(
        actor=actor,
        complaint=complaint,
        action=ComplaintAction.RESOLVE,
        text=resolution,
        expected_version=expected_version,
    )


@transaction.atomic
def complaint_close(
    *, actor: User, complaint: Complaint, note: str = "", expected_version: int | None = None
) -> Complaint:
    """Resolved → closed: nothing more to do."""
    return _complaint_apply(
        actor=actor, complaint=complaint, action=ComplaintAction.CLOSE, text=note, expected_version=expected_version
    )


@transaction.atomic
def complaint_reopen(
    *, actor: User, complaint: Complaint, reason: str, expected_version: int | None = None
) -> Complaint:
    """Resolved or closed → investigating again, with the reason."""
    return _complaint_apply(
        actor=actor, complaint=complaint, action=ComplaintAction.REOPEN, text=reason, expected_version=expected_version
    )


COMPLAINT_SERVICES = {
    ComplaintAction.INVESTIGATE: lambda **kw: complaint_investigate(note=kw.pop("text"), **kw),
    ComplaintAction.RESOLVE: lambda **kw: complaint_resolve(resolution=kw.pop("text"), **kw),
    ComplaintAction.CLOSE: lambda **kw: complaint_close(note=kw.pop("text"), **kw),
    ComplaintAction.REOPEN: lambda **kw: complaint_reopen(reason=kw.pop("text"), **kw),
}


def complaint_transition(
    *, actor: User, complaint: Complaint, action: str, text: str = "", expected_version: int | None = None
) -> Complaint:
    """Dispatch a transition by name (for the API and the web page) to its one service."""
    COMPLAINT_MACHINE.step(action)  # an unknown action is refused
    return COMPLAINT_SERVICES[action](actor=actor, complaint=complaint, text=text, expected_version=expected_version)


@transaction.atomic
def complaint_assign(
    *, actor: User, complaint: Complaint, assignee: User | None, expected_version: int | None = None
) -> Complaint:
    """Hand a complaint to one of the organisation's active client supervisors (or back to the queue)."""
    locked = _complaint_lock(complaint)
    if not permissions.may_assign_complaint(actor, locked):
        raise NotAllowed(_("Only the client's supervisors handle complaints."))
    _check_version(locked, expected_version)
    if assignee is not None and (
        assignee.organisation_id != locked.organisation_id
        or assignee.role not in permissions.CLIENT_OPERATORS
        or not assignee.is_active
    ):
        raise ApplicationError(_("Complaints are handled by active client supervisors of the organisation."))
    new_id = assignee.pk if assignee else None
    if locked.assignee_id == new_id:
        return locked
    now = clock.now()
    before = locked.assignee_id
    locked.assignee = assignee
    touch(locked, now, ["assignee"])
    _append_event(
        locked,
        actor=actor,
        kind=ComplaintEventKind.ASSIGNED,
        at=now,
        data={"assignee": new_id, "assignee_name": str(assignee or "")},
        is_internal=True,
    )
    audit_record(
        actor=actor,
        action="feedback.complaint.assigned",
        obj=locked,
        before={"assignee": before},
        after={"assignee": new_id},
    )
    return locked


@transaction.atomic
def complaint_comment(*, actor: User, complaint: Complaint, body: str, is_internal: bool = False) -> ComplaintEvent:
    """Add a note to the complaint's timeline: the vendor's response, or the client's (possibly internal) note."""
    body = (body or "").strip()
    if not body:
        raise ApplicationError(_("The comment is empty."))
    if len(body) > TEXT_MAX:
        raise ApplicationError(_("The comment is too long (at most %(n)d characters).") % {"n": TEXT_MAX})
    locked = _complaint_lock(complaint)
    if not permissions.may_comment_complaint(actor, locked, internal=is_internal):
        raise NotAllowed(_("You cannot comment on this complaint."))
    now = clock.now()
    vendor_response = permissions.is_vendor_staff_of(actor, locked.vendor_id)
    event = _append_event(
        locked,
        actor=actor,
        kind=ComplaintEventKind.COMMENTED,
        at=now,
        body=body,
        data={"vendor_response": vendor_response},
        is_internal=is_internal,
    )
    touch(locked, now, [])
    audit_record(
        actor=actor,
        action="feedback.complaint.commented",
        obj=locked,
        after={"event": event.pk, "internal": is_internal, "vendor_response": vendor_response},
    )
    if vendor_response:
        _schedule_complaint_notifications(locked, "vendor_response")
    return event


def _schedule_complaint_notifications(complaint: Complaint, kind: str) -> None:
    pk = complaint.pk
    transaction.on_commit(lambda: _notify_complaint_now(pk, kind))


def _notify_complaint_now(complaint_id: int, kind: str) -> None:
    from oversight.feedback.tasks import notify_complaint

    notify_complaint.delay(complaint_id, kind)


def complaint_recipients(complaint: Complaint, kind: str) -> list[User]:
    """Who hears of a complaint: its handler (or every supervisor while unassigned) and the vendor's managers."""
    client_side = (
        [complaint.assignee]
        if complaint.assignee_id and complaint.assignee.is_active
        else list(
            User.objects.filter(
                organisation_id=complaint.organisation_id, role=Role.CLIENT_SUPERVISOR, is_active=True
            ).order_by("pk")
        )
    )
    vendor_side = list(
        User.objects.filter(role=Role.VENDOR_MANAGER, vendor_id=complaint.vendor_id, is_active=True).order_by("pk")
    )
    if kind == "opened":
        return client_side + vendor_side
    if kind == "vendor_response":
        return client_side
    if kind in (ComplaintAction.RESOLVE, ComplaintAction.REOPEN):
        return vendor_side
    return []


COMPLAINT_SUBJECTS = {
    "opened": lambda c: (
        gettext("Complaint #%(id)s about work order %(number)s") % {"id": c.pk, "number": c.work_order.number}
    ),
    "vendor_response": lambda c: gettext("The vendor answered complaint #%(id)s") % {"id": c.pk},
    ComplaintAction.RESOLVE: lambda c: gettext("Complaint #%(id)s was resolved") % {"id": c.pk},
    ComplaintAction.REOPEN: lambda c: gettext("Complaint #%(id)s was reopened") % {"id": c.pk},
}


def complaint_notify(*, complaint_id: int, kind: str) -> int:
    """Notify the people concerned by a complaint event, each exactly once (idempotent per version and person)."""
    from oversight.notifications.services import notification_create, notification_queue_email

    complaint = Complaint.objects.select_related("work_order", "assignee", "rating").filter(pk=complaint_id).first()
    if complaint is None or kind not in COMPLAINT_SUBJECTS:
        return 0
    sent = 0
    for person in complaint_recipients(complaint, kind):
        notification, created = notification_create(
            recipient=person,
            kind=f"complaint_{kind}",
            dedupe_key=f"feedback:complaint:{kind}:{complaint.pk}:{complaint.version}:{person.pk}",
            subject=lambda: COMPLAINT_SUBJECTS[kind](complaint),
            body=lambda: complaint.title,
            work_order=complaint.work_order,
        )
        if created:
            sent += 1
            notification_queue_email(notification=notification)
    return sent
