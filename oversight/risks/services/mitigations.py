"""Writes to mitigations (缓释措施): record, edit (including which risks it serves: one mitigation may serve
many risks), and move along start → done / cancelled (reopen)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from oversight.audit.services import audit_record, diff_snapshots, model_snapshot
from oversight.audit.transitions import transition
from oversight.core import clock
from oversight.core.concurrency import check_version, lock_row, touch
from oversight.core.errors import ApplicationError
from oversight.core.events import publish
from oversight.core.timeline import timeline_append
from oversight.quant import matrix as qm
from oversight.risks import permissions
from oversight.risks.choices import MITIGATION_MACHINE, MitigationAction, RiskActivityKind
from oversight.risks.events import MITIGATION_CREATED, MITIGATION_TRANSITIONED
from oversight.risks.models import Mitigation, RiskActivity
from oversight.tenancy.roles import is_client

EDITABLE_FIELDS = ("title", "description", "owner", "due_date", "cost", "risks")


def _check(mitigation: Mitigation, risks) -> list:
    if not mitigation.title:
        raise ApplicationError(_("Give the mitigation a title."))
    if mitigation.due_date is None:
        raise ApplicationError(_("Give the mitigation a due date."))
    owner = mitigation.owner
    if owner is None or owner.organisation_id != mitigation.organisation_id or not is_client(owner):
        raise ApplicationError(_("The owner must be a client user of your organisation."))
    if mitigation.cost is not None:
        try:
            mitigation.cost = qm.round_half_up(mitigation.cost, qm.MONEY_PLACES)
        except qm.MatrixError as exc:
            raise ApplicationError(_("The cost must be a number.")) from exc
        if mitigation.cost < 0:
            raise ApplicationError(_("The cost cannot be negative."))
    found = list(risks or ())
    if any(r.organisation_id != mitigation.organisation_id for r in found):
        raise ApplicationError(_("Choose risks of your own organisation."))
    return found


def _link_steps(mitigation: Mitigation, *, actor, added, removed, now: dt.datetime) -> None:
    """A step on the timeline of each risk the mitigation now serves or no longer serves."""
    for risk in sorted(added, key=lambda r: r.pk):
        locked = lock_row(risk)
        timeline_append(
            RiskActivity,
            locked,
            actor=actor,
            kind=RiskActivityKind.MITIGATION_LINKED,
            at=now,
            data={"mitigation": mitigation.pk},
            body=mitigation.title,
        )
    for risk in sorted(removed, key=lambda r: r.pk):
        locked = lock_row(risk)
        timeline_append(
            RiskActivity,
            locked,
            actor=actor,
            kind=RiskActivityKind.MITIGATION_UNLINKED,
            at=now,
            data={"mitigation": mitigation.pk},
            body=mitigation.title,
        )


@transaction.atomic
def mitigation_create(
    *,
    actor,
    title: str,
    owner,
    due_date: dt.date,
    description: str = "",
    cost=None,
    risks: Sequence = (),
    created_at: dt.datetime | None = None,
) -> Mitigation:
    """Record a mitigation serving the given risks."""
    permissions.require(permissions.may_create(actor))
    now = created_at or clock.now()
    mitigation = Mitigation(
        organisation=actor.organisation,
        title=(title or "").strip(),
        description=(description or "").strip(),
        owner=owner,
        due_date=due_date,
        cost=cost if cost not in ("",) else None,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    found = _check(mitigation, risks)
    mitigation.save()
    mitigation.risks.set(found)
    _link_steps(mitigation, actor=actor, added=found, removed=(), now=now)
    audit_record(
        actor=actor,
        action="risks.mitigation.created",
        obj=mitigation,
        after=model_snapshot(mitigation) | {"risks": sorted(r.pk for r in found)},
    )
    publish(MITIGATION_CREATED, mitigation_id=mitigation.pk, actor_id=getattr(actor, "pk", None))
    return mitigation


@transaction.atomic
def mitigation_update(*, actor, mitigation: Mitigation, expected_version: int | None = None, **changes) -> Mitigation:
    """Change a mitigation's details or the risks it serves."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ApplicationError(
            _("These fields cannot be changed here: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    locked = lock_row(mitigation)
    permissions.require(permissions.may_manage(actor, locked))
    check_version(locked, expected_version, MITIGATION_MACHINE.stale)
    before = model_snapshot(locked)
    risks = changes.pop("risks", None)
    old_risks = list(locked.risks.order_by("pk"))
    for name, value in changes.items():
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    found = _check(locked, old_risks if risks is None else risks)
    old, new = diff_snapshots(before, model_snapshot(locked))
    old_ids, new_ids = sorted(r.pk for r in old_risks), sorted(r.pk for r in found)
    if old_ids != new_ids:
        old["risks"], new["risks"] = old_ids, new_ids
    if not new:
        return locked
    now = clock.now()
    fields = [f for f in new if f != "risks"]
    touch(locked, now, fields)
    if old_ids != new_ids:
        locked.risks.set(found)
        _link_steps(
            locked,
            actor=actor,
            now=now,
            added=[r for r in found if r.pk not in old_ids],
            removed=[r for r in old_risks if r.pk not in new_ids],
        )
    audit_record(actor=actor, action="risks.mitigation.updated", obj=locked, before=old, after=new)
    return locked


@transaction.atomic
def mitigation_transition(
    *, actor, mitigation: Mitigation, action: str, expected_version: int | None = None, at=None
) -> Mitigation:
    """Start, complete, cancel or reopen a mitigation (choices.MITIGATION_MACHINE)."""

    def apply(locked, now):
        if action == MitigationAction.COMPLETE:
            locked.completed_at = now
            return ["completed_at"]
        if action == MitigationAction.REOPEN:
            locked.completed_at = None
            return ["completed_at"]
        return []

    done = transition(
        mitigation,
        machine=MITIGATION_MACHINE,
        action=action,
        actor=actor,
        expected_version=expected_version,
        authorize=lambda locked: permissions.require(permissions.may_manage(actor, locked)),
        apply=apply,
        at=at,
        announce=lambda outcome: [
            (
                MITIGATION_TRANSITIONED,
                {
                    "mitigation_id": outcome.obj.pk,
                    "actor_id": getattr(actor, "pk", None),
                    "action": str(action),
                    "from_status": str(outcome.from_status),
                    "to_status": str(outcome.to_status),
                },
            )
        ],
    )
    return done.obj


__all__ = ["mitigation_create", "mitigation_transition", "mitigation_update"]
