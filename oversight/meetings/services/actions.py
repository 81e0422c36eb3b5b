"""Writes of action items: a meeting gives one person (on either side) something to do by a due date counted in
working days; the item moves open → in progress → done / cancelled; its owner is reminded before the due date
(once per item and reminder); an item still open at its due moment is escalated through the escalation matrix
(`oversight.liaisons`), and the escalation is settled when the item closes. Every step is in its history."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from oversight.audit.services import audit_record, model_snapshot
from oversight.audit.transitions import transition
from oversight.businesstime.engine import CalendarDataMissing
from oversight.catalog.calendars import calendar_spec
from oversight.core import clock
from oversight.core.concurrency import lock_row
from oversight.core.errors import ApplicationError
from oversight.core.events import publish
from oversight.core.timeline import timeline_append
from oversight.core.zones import local_date
from oversight.liaisons import services as liaison_services
from oversight.liaisons.choices import Trigger
from oversight.meetings import permissions, recurrence
from oversight.meetings.choices import (
    ACTION_MACHINE,
    OPEN_ACTION_STATUSES,
    REMINDER_DAYS,
    ActionAction,
    ActionEventKind,
    MeetingStatus,
)
from oversight.meetings.events import ACTION_ITEM_CLOSED, ACTION_ITEM_CREATED, ACTION_ITEM_OVERDUE
from oversight.meetings.models import ActionItem, ActionItemEvent, Meeting
from oversight.meetings.services.plans import calendar_error, side_of
from oversight.notifications.services import notification_create, notification_queue_email

#: The escalation matrix's trigger for an overdue action item, and the subject type it is filed under.
ESCALATION_TRIGGER = Trigger.OVERDUE_ACTION.value
SUBJECT_TYPE = "meetings.actionitem"


def _actor_id(actor) -> int | None:
    return getattr(actor, "pk", None)


def _liaisons():
    """The liaisons app's services (below this app): the escalation matrix raises and settles escalations."""
    return liaison_services


def action_due(meeting: Meeting, due_days: int) -> tuple[dt.date, dt.datetime]:
    """The due date (the N-th working day after the meeting's local date) and the due moment (its end)."""
    spec = calendar_spec(meeting.plan.calendar)
    try:
        day = local_date(meeting.starts_at, meeting.plan.calendar)
        due_on = recurrence.add_working_days(spec, day, due_days)
    except CalendarDataMissing as exc:
        raise calendar_error(exc) from None
    return due_on, recurrence.end_of_day(due_on, spec.tz)


@transaction.atomic
def action_item_create(
    *, actor, meeting: Meeting, title: str, owner, due_days: int | None = None, description: str = ""
) -> ActionItem:
    """Give someone of either side an action from a meeting, due ``due_days`` working days after it (default:
    the plan's setting)."""
    locked = lock_row(meeting, "plan", "plan__calendar")
    permissions.require(permissions.may_manage(actor, locked))
    if locked.status in (MeetingStatus.CANCELLED, MeetingStatus.SIGNED):
        raise ApplicationError(_("A cancelled meeting or signed minutes take no new action items."))
    title = (title or "").strip()
    if not title:
        raise ApplicationError(_("Say what is to be done."))
    if owner is None or side_of(owner, locked) is None:
        raise ApplicationError(_("The owner must be on the client's side or on this vendor's."))
    days = locked.plan.action_due_days if due_days in (None, "") else int(due_days)
    if not 0 <= days <= 250:
        raise ApplicationError(_("Give the due date in working days (0–250)."))
    due_on, due_at = action_due(locked, days)
    now = clock.now()
    item = ActionItem.objects.create(
        organisation=locked.organisation,
        vendor=locked.vendor,
        meeting=locked,
        title=title[:300],
        description=(description or "").strip(),
        owner=owner,
        due_days=days,
        due_on=due_on,
        due_at=due_at,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    timeline_append(ActionItemEvent, item, actor=actor, kind=ActionEventKind.CREATED, at=now, to_status=item.status)
    audit_record(actor=actor, action="meetings.actionitem.created", obj=item, after=model_snapshot(item))
    publish(ACTION_ITEM_CREATED, item_id=item.pk, meeting_id=locked.pk, owner_id=owner.pk, actor_id=_actor_id(actor))
    return item


@transaction.atomic
def action_item_transition(
    *, actor, item: ActionItem, action: str, note: str = "", expected_version: int | None = None
) -> ActionItem:
    """Start, complete or cancel an action item (its owner or whoever manages its meeting); closing it settles
    its escalation."""
    note = (note or "").strip()
    if action == ActionAction.CANCEL and not note:
        raise ApplicationError(_("Say why the action item is cancelled."))

    def apply(locked, now):
        if action in (ActionAction.COMPLETE, ActionAction.CANCEL):
            locked.closed_at = now
            return ["closed_at"]
        return []

    done = transition(
        item,
        machine=ACTION_MACHINE,
        action=action,
        actor=actor,
        expected_version=expected_version,
        authorize=lambda locked: permissions.require(permissions.may_move_action(actor, locked)),
        apply=apply,
        timeline={"note": note[:300]} if note else None,
        audit_after={"note": note} if note else None,
    )
    locked = done.obj
    if done.changed and locked.status not in OPEN_ACTION_STATUSES:
        if locked.escalated_at is not None:
            _liaisons().escalation_settle(
                trigger=ESCALATION_TRIGGER, subject_type=SUBJECT_TYPE, subject_id=locked.pk, at=locked.closed_at
            )
        publish(ACTION_ITEM_CLOSED, item_id=locked.pk, status=locked.status, actor_id=_actor_id(actor))
    return locked


def working_days_before(spec, day: dt.date, n: int) -> dt.date:
    """The working day ``n`` working days before ``day`` (n = 0: ``day`` itself)."""
    current = day
    for _count in range(n):
        current -= dt.timedelta(days=1)
        for _step in range(recurrence.SEARCH_DAYS):
            if recurrence.is_working_day(spec, current):
                break
            current -= dt.timedelta(days=1)
    return current


def _notify(item: ActionItem, *, dedupe_key: str, kind: str, subject) -> bool:
    owner = item.owner
    if owner is None or not owner.is_active:
        return False
    notification, created = notification_create(
        recipient=owner, kind=kind, dedupe_key=dedupe_key, subject=subject, body=lambda: item.description
    )
    if created:
        notification_queue_email(notification=notification)
    return created


@transaction.atomic
def action_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Remind owners of open action items 2 working days before and on the due date, once per item and reminder
    (a second run sends nothing); returns the reminders sent."""
    now = now or clock.now()
    sent = 0
    items = ActionItem.objects.filter(status__in=OPEN_ACTION_STATUSES, due_at__gt=now).select_related(
        "owner", "meeting__plan__calendar"
    )
    for item in items:
        calendar = item.meeting.plan.calendar
        spec = calendar_spec(calendar)
        today = local_date(now, calendar)
        for days in sorted(REMINDER_DAYS):  # the latest reminder due is the one sent
            try:
                if today < working_days_before(spec, item.due_on, days):
                    continue
            except CalendarDataMissing:
                continue
            created = _notify(
                item,
                dedupe_key=f"meetings:action:{item.pk}:reminder:{days}:{item.owner_id}",
                kind="meeting_action_reminder",
                subject=lambda item=item: (
                    gettext("Action item due %(date)s: %(title)s")
                    % {"date": item.due_on.isoformat(), "title": item.title}
                ),
            )
            if created:
                sent += 1
                timeline_append(
                    ActionItemEvent,
                    item,
                    actor=None,
                    kind=ActionEventKind.REMINDED,
                    at=now,
                    data={"days_before": days},
                )
            break  # earlier reminders are not sent late
    return sent


@transaction.atomic
def action_overdue_escalate(*, now: dt.datetime | None = None) -> int:
    """Escalate every open action item past its due moment through the escalation matrix, once per item (the
    escalation's clock starts at the due moment); returns how many were escalated."""
    now = now or clock.now()
    escalated = 0
    due = ActionItem.objects.filter(status__in=OPEN_ACTION_STATUSES, due_at__lte=now, escalated_at__isnull=True)
    for item_id in due.values_list("pk", flat=True):
        item = (
            ActionItem.objects.select_for_update(of=("self",)).select_related("organisation", "vendor").get(pk=item_id)
        )
        if item.escalated_at is not None or item.status not in OPEN_ACTION_STATUSES:
            continue
        _liaisons().escalation_raise(
            trigger=ESCALATION_TRIGGER,
            organisation=item.organisation,
            vendor=item.vendor,
            subject_type=SUBJECT_TYPE,
            subject_id=item.pk,
            title=pgettext("escalation title", "Overdue action item: %(title)s") % {"title": item.title},
            url=item.get_absolute_url(),
            started_at=item.due_at,
        )
        item.escalated_at = now
        item.save(update_fields=["escalated_at"])
        timeline_append(ActionItemEvent, item, actor=None, kind=ActionEventKind.ESCALATED, at=now)
        audit_record(actor=None, action="meetings.actionitem.escalated", obj=item, after={"due_at": item.due_at})
        publish(ACTION_ITEM_OVERDUE, item_id=item.pk, due_at=item.due_at.isoformat())
        escalated += 1
    return escalated


@transaction.atomic
def action_escalation_step_record(*, subject_id: int, event_id: str, level=None, note: str = "") -> bool:
    """Record in an item's history that its escalation stepped up a level (once per event); returns whether it
    was recorded."""
    item = ActionItem.objects.select_for_update().filter(pk=subject_id).first()
    if item is None or ActionItemEvent.objects.filter(item=item, data__event_id=event_id).exists():
        return False
    timeline_append(
        ActionItemEvent,
        item,
        actor=None,
        kind=ActionEventKind.ESCALATION_STEPPED,
        at=clock.now(),
        note=str(note or "")[:300],
        data={"event_id": event_id, "level": level},
    )
    return True
