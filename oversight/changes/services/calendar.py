"""Writes of the change calendar: blackout and maintenance windows, a soft blackout's exception approval, and
the re-check of scheduled changes when a window is added after they were scheduled."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from oversight.audit.services import audit_record, model_snapshot
from oversight.changes import calendar_check, permissions, recurrence
from oversight.changes.choices import ChangeEventKind, ChangeStatus, WindowKind
from oversight.changes.events import WINDOW_CREATED
from oversight.changes.models import Change, ChangeWindow
from oversight.changes.services._common import event
from oversight.core import clock
from oversight.core.concurrency import check_version, lock_row, touch
from oversight.core.errors import ApplicationError
from oversight.core.events import publish
from oversight.core.zones import zone_of
from oversight.notifications.services import notification_create, notification_queue_email
from oversight.tenancy.choices import Role


def _check_scope(organisation, objects: Iterable) -> list:
    found = list(objects)
    if any(o.organisation_id != organisation.pk for o in found):
        raise ApplicationError(_("Choose services, vendors and sites of your own organisation."))
    return found


@transaction.atomic
def window_create(
    *,
    actor,
    name: str,
    kind: str,
    start: dt.datetime,
    end: dt.datetime,
    hard: bool = True,
    rrule: str = "",
    description: str = "",
    services: Iterable = (),
    vendors: Iterable = (),
    sites: Iterable = (),
) -> ChangeWindow:
    """Add a blackout or maintenance window to the organisation's change calendar; scheduled changes it now
    conflicts with are flagged after the commit (event `changes.window.created`)."""
    permissions.require(permissions.may_manage_templates(actor))
    organisation = actor.organisation
    name = (name or "").strip()
    if not name:
        raise ApplicationError(_("Give the window a name."))
    if kind not in WindowKind.values:
        raise ApplicationError(_("Choose a blackout or a maintenance window."))
    if start is None or end is None or end <= start:
        raise ApplicationError(_("The window must end after it starts."))
    rrule = (rrule or "").strip().upper()
    if rrule.startswith("RRULE:"):
        rrule = rrule[len("RRULE:") :]
    try:
        recurrence.check_rule(rrule, start.astimezone(zone_of(organisation)))
    except recurrence.RecurrenceError as exc:
        raise ApplicationError(_("The repetition is not a valid RRULE (for example FREQ=WEEKLY;BYDAY=SU).")) from exc
    services, vendors, sites = (_check_scope(organisation, x) for x in (services, vendors, sites))
    window = ChangeWindow.objects.create(
        organisation=organisation,
        name=name,
        kind=kind,
        hard=bool(hard) if kind == WindowKind.BLACKOUT else False,
        start=start,
        end=end,
        rrule=rrule,
        description=(description or "").strip(),
        created_by=actor,
        created_at=clock.now(),
    )
    window.services.set(services)
    window.vendors.set(vendors)
    window.sites.set(sites)
    audit_record(
        actor=actor,
        action="changes.changewindow.created",
        obj=window,
        after={
            **model_snapshot(window),
            "services": [s.pk for s in services],
            "vendors": [v.pk for v in vendors],
            "sites": [s.pk for s in sites],
        },
    )
    publish(WINDOW_CREATED, window_id=window.pk, actor_id=actor.pk)
    return window


@transaction.atomic
def window_deactivate(*, actor, window: ChangeWindow) -> ChangeWindow:
    """Take a window off the calendar (kept for the record)."""
    locked = lock_row(window)
    permissions.require(permissions.may_manage_templates(actor) and actor.organisation_id == locked.organisation_id)
    if locked.active:
        locked.active = False
        locked.save(update_fields=["active"])
        audit_record(
            actor=actor,
            action="changes.changewindow.updated",
            obj=locked,
            before={"active": True},
            after={"active": False},
        )
    return locked


@transaction.atomic
def change_approve_exception(*, actor, change: Change, note: str, expected_version: int | None = None) -> Change:
    """Approve a change's window in a soft blackout (the client's change manager, with a reason)."""
    locked = lock_row(change)
    permissions.require(permissions.may_manage(actor, locked))
    check_version(locked, expected_version, _("This change was changed by someone else in the meantime."))
    note = (note or "").strip()
    if not note:
        raise ApplicationError(_("Give a reason."))
    if locked.is_final:
        raise ApplicationError(_("This change is already finished."))
    now = clock.now()
    locked.exception_approved_by, locked.exception_approved_at = actor, now
    touch(locked, now, ["exception_approved_by", "exception_approved_at"])
    event(locked, actor=actor, kind=ChangeEventKind.EXCEPTION, at=now, body=note)
    audit_record(actor=actor, action="changes.change.exception_approved", obj=locked, after={"note": note})
    return locked


def _people_to_tell(change: Change) -> list:
    """Who hears of a new conflict: whoever requested the change and the implementer's managers."""
    people = {change.requested_by_id: change.requested_by}
    for manager in change.implementer.users.filter(role=Role.VENDOR_MANAGER, is_active=True):
        people[manager.pk] = manager
    return [p for p in people.values() if p.is_active]


@transaction.atomic
def change_recheck_calendar(*, change: Change, window_id: int | None = None) -> bool:
    """Check a scheduled change against the calendar again; when new conflicts appear, record them on the change
    and its timeline, and tell its requester and the implementer's managers. Returns whether anything was new;
    a second run finds nothing new (idempotent)."""
    locked = lock_row(change)
    if locked.status != ChangeStatus.SCHEDULED:
        return False
    codes = calendar_check.codes_of(calendar_check.conflict_report(locked))
    fresh = [c for c in codes if c not in locked.conflict_codes]
    now = clock.now()
    if codes == locked.conflict_codes:
        return False
    locked.conflict_codes, locked.conflicts_checked_at = codes, now
    touch(locked, now, ["conflict_codes", "conflicts_checked_at"])
    if not fresh:
        return False
    event(locked, actor=None, kind=ChangeEventKind.CONFLICT, at=now, data={"conflicts": fresh, "window": window_id})
    audit_record(
        actor=None,
        action="changes.change.conflicts_found",
        obj=locked,
        organisation=locked.organisation,
        after={"conflicts": fresh, "window": window_id},
    )
    for person in _people_to_tell(locked):
        notification, created = notification_create(
            recipient=person,
            kind="change_conflict",
            dedupe_key=f"change-conflict:{locked.pk}:{window_id}:{person.pk}",
            subject=lambda: (
                gettext("Scheduled change %(number)s now conflicts with the change calendar")
                % {"number": locked.number}
            ),
        )
        if created:
            notification_queue_email(notification=notification)
    return True
