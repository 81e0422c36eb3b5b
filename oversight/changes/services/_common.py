"""What the change services share: the timeline step, and the one transition of a change (with its business
preconditions and field changes) that both a person's request and the approval engine go through."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from oversight.audit.transitions import transition
from oversight.changes import calendar_check
from oversight.changes.choices import CHANGE_ACTIONS_NEEDING_NOTE, CHANGE_MACHINE, ChangeAction, StepStatus
from oversight.changes.events import CHANGE_TRANSITIONED
from oversight.changes.models import Change, ChangeEvent
from oversight.core.errors import ApplicationError
from oversight.core.timeline import timeline_append


def actor_id(actor) -> int | None:
    """The actor's primary key for an event payload (None for the system)."""
    return getattr(actor, "pk", None)


def event(change: Change, *, actor, kind: str, at: dt.datetime, data: dict | None = None, body: str = ""):
    """Append the next step to the change's timeline (the caller holds the change's row lock)."""
    return timeline_append(ChangeEvent, change, actor=actor, kind=kind, at=at, data=data or {}, body=body)


def _needs(locked: Change, action: str, note: str, by_engine: bool) -> None:
    """The business preconditions of a transition (after the table check and the type guards)."""
    if action in CHANGE_ACTIONS_NEEDING_NOTE and not note:
        raise ApplicationError(_("Give a reason."))
    if (
        action in (ChangeAction.AUTHORISE, ChangeAction.REJECT)
        and not by_engine
        and locked.steps.filter(status__in=(StepStatus.WAITING, StepStatus.OPEN)).exists()
    ):
        raise ApplicationError(_("The approval steps decide this change; vote there, or decide it at the CAB."))
    if action == ChangeAction.SCHEDULE and locked.planned_start is None:
        raise ApplicationError(_("Plan the window (start and end) before scheduling the change."))
    if action == ChangeAction.SCHEDULE:
        check_calendar(locked)
    if action in (ChangeAction.SCHEDULE, ChangeAction.AUTHORISE, ChangeAction.ASSESS) and not (
        locked.implementation_plan.strip() and locked.backout_plan.strip()
    ):
        raise ApplicationError(_("Describe the implementation plan and the backout plan first."))
    if action == ChangeAction.CLOSE and not locked.outcome:
        raise ApplicationError(_("Record the review's outcome before closing the change."))


def check_calendar(locked: Change) -> None:
    """Refuse a window in a hard blackout, or in a soft one without an approved exception; other conflicts are
    recorded on the change and shown, not refused."""
    report = calendar_check.conflict_report(locked)
    if report.refused:
        raise ApplicationError(_("The planned window falls in a blackout window: choose another time."))
    if report.needs_exception and locked.exception_approved_at is None:
        raise ApplicationError(
            _("The planned window falls in a soft blackout window: it needs an approved exception first.")
        )
    locked.conflict_codes = calendar_check.codes_of(report)


def _apply(locked: Change, action: str, now: dt.datetime) -> list[str]:
    if action == ChangeAction.SCHEDULE:
        locked.conflicts_checked_at = now
        return ["conflict_codes", "conflicts_checked_at"]
    if action == ChangeAction.AUTHORISE:
        locked.authorised_at = now
        return ["authorised_at"]
    if action == ChangeAction.START:
        locked.actual_start = now
        return ["actual_start"]
    if action == ChangeAction.RECORD_UNAUTHORISED:
        locked.unauthorised = True
        locked.actual_start = locked.actual_start or now
        return ["unauthorised", "actual_start"]
    if action == ChangeAction.COMPLETE:
        locked.actual_end = now
        return ["actual_end"]
    if action in (ChangeAction.CLOSE, ChangeAction.CANCEL, ChangeAction.REJECT):
        locked.closed_at = now
        return ["closed_at"]
    return []


def apply_transition(
    change: Change,
    *,
    action: str,
    actor,
    authorize: Callable[[Change], None] | None,
    expected_version: int | None = None,
    note: str = "",
    at: dt.datetime | None = None,
    by_engine: bool = False,
    lock: bool = True,
):
    """Move a change along CHANGE_MACHINE with its preconditions and field changes; ``by_engine`` when the
    approval engine or the CAB decides (the approval steps no longer block authorising or rejecting)."""
    note = (note or "").strip()
    return transition(
        change,
        machine=CHANGE_MACHINE,
        action=action,
        actor=actor,
        expected_version=expected_version,
        lock=lock,
        authorize=authorize,
        guards=(lambda locked, _actor: _needs(locked, action, note, by_engine),),
        apply=lambda locked, now: _apply(locked, action, now),
        at=at,
        timeline={"body": note},
        audit_after={"note": note} if note else None,
        announce=lambda outcome: [
            (
                CHANGE_TRANSITIONED,
                {
                    "change_id": outcome.obj.pk,
                    "actor_id": actor_id(actor),
                    "action": action,
                    "from_status": outcome.from_status,
                    "to_status": outcome.to_status,
                },
            )
        ],
    )
