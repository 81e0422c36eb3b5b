"""Writes to work orders. Every change goes through one of these services, whoever asks for it."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from oversight.audit.services import audit_record, model_snapshot
from oversight.audit.transitions import transition
from oversight.catalog.models import Offering, Service
from oversight.catalog.services import priority_for
from oversight.core import clock
from oversight.core.concurrency import check_version, lock_row, touch
from oversight.core.errors import ApplicationError, IdempotencyKeyReused, InvalidTransition, NotAllowed
from oversight.core.events import publish
from oversight.core.numbering import next_in_year
from oversight.core.timeline import timeline_append
from oversight.tenancy.choices import Role
from oversight.tenancy.models import Site, Team, User, Vendor
from oversight.tenancy.roles import READ_ONLY_ROLES, VENDOR_ROLES
from oversight.tickets import permissions, preconditions
from oversight.tickets.choices import (
    CREATABLE_KINDS,
    WORK_ORDER_MACHINE,
    Action,
    Channel,
    EventKind,
    Status,
)
from oversight.tickets.events import (
    WORK_ORDER_ASSIGNED,
    WORK_ORDER_CLOSED,
    WORK_ORDER_COMMENTED,
    WORK_ORDER_CREATED,
    WORK_ORDER_DETAILS_CHANGED,
    WORK_ORDER_PRIORITY_CHANGED,
    WORK_ORDER_REOPENED,
    WORK_ORDER_RESOLVED,
    WORK_ORDER_TRANSFERRED,
    WORK_ORDER_TRANSITIONED,
)
from oversight.tickets.models import (
    Attachment,
    Comment,
    IdempotencyKey,
    IntakePoint,
    WorkOrder,
    WorkOrderCounter,
    WorkOrderEvent,
)
from oversight.tickets.sla import sla_clocks_rebuild


def _lock(work_order: WorkOrder) -> WorkOrder:
    """Reload the row under a lock so concurrent writers queue instead of overwriting each other."""
    return lock_row(work_order, "offering", "sla_policy_version")


def _check_version(locked: WorkOrder, expected_version: int | None) -> None:
    check_version(locked, expected_version, WORK_ORDER_MACHINE.stale)


def _append_event(
    work_order: WorkOrder, *, actor, kind: str, at: dt.datetime, data: dict | None = None, **fields
) -> WorkOrderEvent:
    """Append the next step to the work order's timeline; action, statuses and the internal flag default to empty."""
    return timeline_append(WorkOrderEvent, work_order, actor=actor, kind=kind, at=at, data=data or {}, **fields)


def _next_number(organisation, now: dt.datetime) -> str:
    last = next_in_year(WorkOrderCounter, organisation=organisation, year=now.year)
    return f"{organisation.work_order_prefix}{now.year}{last:07d}"


def _actor_id(actor) -> int | None:
    """The actor's primary key for an event payload (None for the system, e.g. auto-close)."""
    return getattr(actor, "pk", None)


@transaction.atomic
def work_order_create(
    *,
    actor: User,
    service: Service,
    title: str,
    description: str = "",
    requester: User | None = None,
    offering: Offering | None = None,
    site: Site | None = None,
    kind: str | None = None,
    impact: int = 2,
    urgency: int = 2,
    channel: str = Channel.PORTAL,
    location_detail: str = "",
    asset_tag: str = "",
    contact_phone: str = "",
    idempotency_key: str | None = None,
    created_at: dt.datetime | None = None,
) -> WorkOrder:
    """Receive (受理) a new work order: number it, route it to the service's vendor, start its clocks.

    With an idempotency key, a key the user already used raises DuplicateSubmission carrying the first
    work order; callers normally go through `work_order_create_idempotent`, which handles that.
    """
    fingerprint = ""
    if idempotency_key:
        fingerprint = work_order_fingerprint(
            actor=actor,
            service=service,
            title=title,
            description=description,
            requester=requester,
            offering=offering,
            site=site,
            kind=kind,
            impact=impact,
            urgency=urgency,
            channel=channel,
            location_detail=location_detail,
            asset_tag=asset_tag,
            contact_phone=contact_phone,
        )
        _raise_if_key_used(actor=actor, key=idempotency_key, fingerprint=fingerprint)
    permissions.require(permissions.may_create(actor), _("Your role cannot submit work orders."))
    requester = requester or actor
    if actor.role == Role.REQUESTER and requester.pk != actor.pk:
        raise ApplicationError(_("Requesters submit work orders for themselves only."))
    organisation = actor.organisation if not actor.is_superuser else service.organisation
    for obj, label in ((service, _("service")), (site, _("location"))):
        if obj is not None and obj.organisation_id != organisation.pk:
            raise ApplicationError(_("Unknown %(what)s.") % {"what": label})
    if requester.organisation_id != organisation.pk:
        raise ApplicationError(_("The requester belongs to another organisation."))
    if actor.role in VENDOR_ROLES and service.vendor_id != actor.vendor_id:
        raise ApplicationError(_("Unknown service."))
    if not service.is_active:
        raise ApplicationError(_("This service is not available."))
    if offering is not None and offering.service_id != service.pk:
        raise ApplicationError(_("The offering does not belong to the chosen service."))
    kind = kind or (offering.kind if offering else "incident")
    if kind not in CREATABLE_KINDS:
        raise ApplicationError(_("Only incidents and service requests can be submitted here."))
    if channel not in Channel.values:
        raise ApplicationError(_("Unknown channel."))
    title = (title or "").strip()
    if not title:
        raise ApplicationError(_("A title is required."))
    policy = offering.sla_policy if offering and offering.sla_policy_id else service.sla_policy
    version = policy.current_version()
    if version is None:
        raise ApplicationError(_("The service's SLA policy has no version yet; ask an administrator."))
    now = created_at or clock.now()
    work_order = WorkOrder.objects.create(
        organisation=organisation,
        number=_next_number(organisation, now),
        kind=kind,
        title=title[:200],
        description=description,
        service=service,
        offering=offering,
        vendor=service.vendor,
        site=site or requester.department,
        location_detail=location_detail,
        asset_tag=asset_tag,
        requester=requester,
        created_by=actor,
        channel=channel,
        contact_phone=contact_phone,
        impact=impact,
        urgency=urgency,
        priority=priority_for(organisation=organisation, impact=impact, urgency=urgency),
        status=Status.NEW,
        sla_policy_version=version,
        created_at=now,
        updated_at=now,
    )
    _append_event(
        work_order,
        actor=actor,
        kind=EventKind.CREATED,
        at=now,
        to_status=Status.NEW,
        data={"channel": channel, "priority": work_order.priority, "vendor": work_order.vendor_id},
    )
    sla_clocks_rebuild(work_order=work_order, now=now)
    if idempotency_key:
        try:
            with transaction.atomic():
                IdempotencyKey.objects.create(
                    user=actor, key=idempotency_key, work_order=work_order, request_hash=fingerprint, created_at=now
                )
        except IntegrityError:
            # A concurrent request with the same key won the race: undo ours, return theirs (or refuse it).
            _raise_if_key_used(actor=actor, key=idempotency_key, fingerprint=fingerprint)
            raise
    audit_record(
        actor=actor,
        action="tickets.workorder.created",
        obj=work_order,
        after={"number": work_order.number, "service": service.pk, "priority": work_order.priority, "channel": channel},
    )
    publish(WORK_ORDER_CREATED, work_order_id=work_order.pk, actor_id=_actor_id(actor))
    return work_order


def work_order_fingerprint(*, actor: User, requester: User | None, title: str, **fields: Any) -> str:
    """A digest of what a create request asked for, stored with its idempotency key to recognise a reuse."""
    values = {name: getattr(value, "pk", value) for name, value in fields.items()}
    values["requester"] = (requester or actor).pk
    values["title"] = (title or "").strip()
    encoded = json.dumps(values, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(encoded.encode()).hexdigest()


def _raise_if_key_used(*, actor: User, key: str, fingerprint: str) -> None:
    """Raise DuplicateSubmission for a key used with the same request, IdempotencyKeyReused for another one."""
    existing = IdempotencyKey.objects.filter(user=actor, key=key).select_related("work_order").first()
    if existing is None:
        return
    if existing.request_hash and existing.request_hash != fingerprint:
        raise IdempotencyKeyReused(
            _("This Idempotency-Key was already used for a different request; send a new key for a new request."),
            extra={"work_order": existing.work_order.number},
        )
    raise DuplicateSubmission(existing.work_order)


class DuplicateSubmission(Exception):  # noqa: N818 - control flow, not an error shown to users
    """Raised inside the create transaction when another request already used the idempotency key."""

    def __init__(self, work_order: WorkOrder) -> None:
        super().__init__(work_order.number)
        self.work_order = work_order


def work_order_create_idempotent(**kwargs: Any) -> tuple[WorkOrder, bool]:
    """Create a work order honouring an idempotency key; returns (work order, created).

    The same key with the same request gives the first work order back; the same key with another request is
    refused with IdempotencyKeyReused (422), so a client that reuses keys by mistake learns of it.
    """
    try:
        return work_order_create(**kwargs), True
    except DuplicateSubmission as dup:
        return dup.work_order, False


@transaction.atomic
def work_order_transition(
    *,
    actor: User | None,
    work_order: WorkOrder,
    action: str,
    expected_version: int | None = None,
    note: str = "",
    resolution: str = "",
    at: dt.datetime | None = None,
) -> WorkOrder:
    """Move a work order along its state machine (choices.WORK_ORDER_MACHINE); the actor's own repeat is harmless."""

    def authorize(locked: WorkOrder) -> None:
        # Read-only roles hear "not allowed" whatever the state, rather than learning about the workflow.
        permissions.require(actor is None or actor.is_superuser or actor.role not in READ_ONLY_ROLES)

    def may(locked: WorkOrder, actor) -> None:
        permissions.require(permissions.may_transition(actor, locked, action))

    def needs_text(locked: WorkOrder, actor) -> None:
        if action == Action.RESOLVE and not (resolution or note).strip():
            raise ApplicationError(_("Describe the resolution."))
        if action in (Action.REOPEN, Action.CANCEL) and not note.strip():
            raise ApplicationError(_("Give a reason."))

    def outside(locked: WorkOrder, actor) -> None:
        why = preconditions.refusal(action, locked)
        if why:
            raise ApplicationError(why)

    data = {"note": note} if note else {}
    done = transition(
        work_order,
        machine=WORK_ORDER_MACHINE,
        action=action,
        actor=actor,
        expected_version=expected_version,
        related=("offering", "sla_policy_version"),
        authorize=authorize,
        guards=(may, needs_text, outside),
        target=_status_before_pause if action == Action.RESUME else None,
        apply=lambda locked, now: _apply_work_order_action(locked, action, actor, now, note, resolution, data),
        at=at,
        timeline=lambda locked: {"data": data},
        audit_after=lambda locked: data,
    )
    locked = done.obj
    if not done.changed:
        return locked  # the actor's own double click or retried request: it changes nothing
    # The clocks are rebuilt from the new timeline step before the change is announced, so handlers read them.
    sla_clocks_rebuild(work_order=locked, now=at or locked.updated_at)
    _publish_transition(locked, actor=actor, action=action, before=done.from_status, target=done.to_status)
    return locked


def _apply_work_order_action(
    locked: WorkOrder, action: str, actor, now: dt.datetime, note: str, resolution: str, data: dict
) -> list[str]:
    """The fields a transition sets besides the status (first response, arrival, resolution, closing)."""
    fields = []
    if action == Action.ACCEPT:
        if locked.assignee_id is None and actor is not None and actor.role in (Role.VENDOR_AGENT, Role.VENDOR_MANAGER):
            locked.assignee = actor
            fields.append("assignee")
        if locked.first_response_at is None:
            locked.first_response_at = now
            fields.append("first_response_at")
    elif action == Action.ARRIVE:
        if locked.arrived_at is None:
            locked.arrived_at = now
            fields.append("arrived_at")
    elif action == Action.RESOLVE:
        locked.resolved_at = now
        locked.resolution = (resolution or note).strip()
        fields += ["resolved_at", "resolution"]
        data["resolution"] = locked.resolution
    elif action in (Action.CONFIRM, Action.AUTO_CLOSE):
        locked.closed_at = now
        locked.confirmed_by_requester = (
            action == Action.CONFIRM and actor is not None and actor.pk == locked.requester_id
        )
        fields += ["closed_at", "confirmed_by_requester"]
    elif action == Action.REOPEN:
        locked.reopen_count += 1
        locked.resolved_at = None
        fields += ["reopen_count", "resolved_at"]
    elif action == Action.CANCEL:
        locked.closed_at = now
        fields.append("closed_at")
    return fields


def _publish_transition(locked: WorkOrder, *, actor, action: str, before: str, target: str) -> None:
    """Announce a status change after commit: always as a transition, and by name for the milestones."""
    ids = {"work_order_id": locked.pk, "actor_id": _actor_id(actor)}
    publish(WORK_ORDER_TRANSITIONED, **ids, action=str(action), from_status=str(before), to_status=str(target))
    if action == Action.RESOLVE:
        publish(WORK_ORDER_RESOLVED, **ids)
    elif action == Action.REOPEN:
        publish(WORK_ORDER_REOPENED, **ids)
    elif action in (Action.CONFIRM, Action.AUTO_CLOSE):
        publish(WORK_ORDER_CLOSED, **ids, confirmed=bool(locked.confirmed_by_requester))


def _status_before_pause(work_order: WorkOrder) -> str:
    last_working = (
        work_order.events.filter(to_status__in=[Status.ACCEPTED, Status.ON_SITE])
        .order_by("-seq")
        .values_list("to_status", flat=True)
        .first()
    )
    return last_working or Status.ACCEPTED


@transaction.atomic
def work_order_assign(
    *,
    actor: User,
    work_order: WorkOrder,
    assignee: User | None = None,
    team: Team | None = None,
    expected_version: int | None = None,
    note: str = "",
) -> WorkOrder:
    """Dispatch (派单) or reassign a work order to an agent and/or team of its own vendor."""
    locked = _lock(work_order)
    _check_version(locked, expected_version)
    permissions.require(permissions.may_reassign(actor, locked))
    if locked.status in (Status.RESOLVED, Status.CLOSED, Status.CANCELLED):
        raise InvalidTransition(_("A finished work order cannot be reassigned."))
    if assignee is None and team is None:
        raise ApplicationError(_("Choose an agent or a team."))
    if assignee is not None and (
        assignee.vendor_id != locked.vendor_id or assignee.role not in VENDOR_ROLES or not assignee.is_active
    ):
        raise ApplicationError(_("The agent must be active staff of this work order's vendor."))
    if team is not None and team.vendor_id != locked.vendor_id:
        raise ApplicationError(_("The team must belong to this work order's vendor."))
    if assignee is not None and actor.role == Role.VENDOR_AGENT and locked.assignee_id not in (None, actor.pk):
        raise ApplicationError(_("Only the current assignee or the vendor manager can hand this work order over."))
    now = clock.now()
    before = {"assignee": locked.assignee_id, "team": locked.team_id, "status": locked.status}
    if before["assignee"] == (assignee.pk if assignee else before["assignee"]) and before["team"] == (
        team.pk if team else before["team"]
    ):
        return locked  # nothing changes: harmless repeat
    fields = []
    if assignee is not None:
        if locked.assignee_id and locked.assignee_id != assignee.pk:
            locked.reassignment_count += 1
            fields.append("reassignment_count")
        locked.assignee = assignee
        fields.append("assignee")
    if team is not None:
        locked.team = team
        fields.append("team")
    action = ""
    if locked.status == Status.NEW:
        locked.status = Status.DISPATCHED
        fields.append("status")
        action = Action.DISPATCH
    elif locked.status == Status.DISPATCHED and assignee is not None:
        action = Action.DISPATCH
    touch(locked, now, fields)
    _append_event(
        locked,
        actor=actor,
        kind=EventKind.ASSIGNED,
        at=now,
        action=action,
        from_status=before["status"] if action else "",
        to_status=locked.status if action else "",
        data={
            "assignee": locked.assignee_id,
            "assignee_name": str(locked.assignee or ""),
            "team": locked.team_id,
            "team_name": str(locked.team or ""),
            "note": note,
        },
    )
    sla_clocks_rebuild(work_order=locked, now=now)
    audit_record(
        actor=actor,
        action="tickets.workorder.assigned",
        obj=locked,
        before=before,
        after={"assignee": locked.assignee_id, "team": locked.team_id, "status": locked.status},
    )
    publish(
        WORK_ORDER_ASSIGNED,
        work_order_id=locked.pk,
        actor_id=_actor_id(actor),
        assignee_id=locked.assignee_id,
        team_id=locked.team_id,
    )
    return locked


@transaction.atomic
def work_order_transfer(
    *,
    actor: User,
    work_order: WorkOrder,
    service: Service,
    reason: str,
    expected_version: int | None = None,
) -> WorkOrder:
    """Move a work order to another service (and so possibly another vendor): client side only."""
    locked = _lock(work_order)
    _check_version(locked, expected_version)
    permissions.require(permissions.may_transfer(actor, locked), _("Only the client side can transfer work orders."))
    if service.organisation_id != locked.organisation_id or not service.is_active:
        raise ApplicationError(_("Unknown service."))
    if locked.status in (Status.RESOLVED, Status.CLOSED, Status.CANCELLED):
        raise InvalidTransition(_("A finished work order cannot be transferred."))
    if not reason.strip():
        raise ApplicationError(_("Give a reason."))
    now = clock.now()
    before = {
        "service": locked.service_id,
        "vendor": locked.vendor_id,
        "status": locked.status,
        "sla_policy_version": locked.sla_policy_version_id,
    }
    vendor_changes = service.vendor_id != locked.vendor_id
    locked.service = service
    locked.offering = None
    # The work order is now measured under the new service's policy (its current version), from reception.
    locked.sla_policy_version = service.sla_policy.current_version() or locked.sla_policy_version
    fields = ["service", "offering", "sla_policy_version"]
    if vendor_changes:
        locked.vendor = service.vendor
        locked.assignee = None
        locked.team = None
        fields += ["vendor", "assignee", "team"]
        if locked.status != Status.NEW:
            locked.status = Status.NEW
            fields.append("status")
    touch(locked, now, fields)
    _append_event(
        locked,
        actor=actor,
        kind=EventKind.TRANSFERRED,
        at=now,
        from_status=before["status"] if "status" in fields else "",
        to_status=locked.status if "status" in fields else "",
        data={"from_vendor": before["vendor"], "to_vendor": locked.vendor_id, "service": service.pk, "reason": reason},
    )
    sla_clocks_rebuild(work_order=locked, now=now)
    audit_record(
        actor=actor,
        action="tickets.workorder.transferred",
        obj=locked,
        before=before,
        after={
            "service": service.pk,
            "vendor": locked.vendor_id,
            "sla_policy_version": locked.sla_policy_version_id,
            "reason": reason,
        },
    )
    publish(
        WORK_ORDER_TRANSFERRED,
        work_order_id=locked.pk,
        actor_id=_actor_id(actor),
        from_vendor_id=before["vendor"],
        to_vendor_id=locked.vendor_id,
    )
    return locked


@transaction.atomic
def work_order_change_priority(
    *,
    actor: User,
    work_order: WorkOrder,
    impact: int,
    urgency: int,
    reason: str,
    expected_version: int | None = None,
) -> WorkOrder:
    """Change impact and urgency; the priority follows the matrix and the clocks are rebuilt with the new targets."""
    locked = _lock(work_order)
    _check_version(locked, expected_version)
    permissions.require(permissions.may_change_priority(actor, locked))
    if locked.status in (Status.CLOSED, Status.CANCELLED):
        raise InvalidTransition(_("A finished work order cannot be re-prioritised."))
    if not reason.strip():
        raise ApplicationError(_("Give a reason."))
    priority = priority_for(organisation=locked.organisation, impact=impact, urgency=urgency)
    before = {"impact": locked.impact, "urgency": locked.urgency, "priority": locked.priority}
    if (locked.impact, locked.urgency) == (impact, urgency):
        return locked
    now = clock.now()
    locked.impact, locked.urgency, locked.priority = impact, urgency, priority
    touch(locked, now, ["impact", "urgency", "priority"])
    after = {"impact": impact, "urgency": urgency, "priority": priority, "reason": reason}
    _append_event(locked, actor=actor, kind=EventKind.PRIORITY_CHANGED, at=now, data={"before": before, "after": after})
    sla_clocks_rebuild(work_order=locked, now=now)
    audit_record(actor=actor, action="tickets.workorder.priority_changed", obj=locked, before=before, after=after)
    publish(WORK_ORDER_PRIORITY_CHANGED, work_order_id=locked.pk, actor_id=_actor_id(actor), priority=str(priority))
    return locked


BULK_ACTIONS = ("assign", "transfer", "priority")
#: How many work orders one bulk change takes (the lists' ticked rows, the API's ids).
MAX_BULK = 200


@dataclass(frozen=True)
class BulkOutcome:
    """What a bulk change did to one work order: done, or refused with the reason the single action gives."""

    work_order: WorkOrder
    done: bool
    reason: str = ""
    code: str = ""  # the refusal's error code (permission_denied, invalid_transition, invalid...)


def work_orders_bulk_change(
    *,
    actor: User,
    work_orders: Iterable[WorkOrder],
    action: str,
    assignee: User | None = None,
    team: Team | None = None,
    service: Service | None = None,
    impact: int | None = None,
    urgency: int | None = None,
    reason: str = "",
) -> list[BulkOutcome]:
    """Apply one change (assign, transfer, priority) to each work order through its single service, each in its
    own transaction: a refusal (permission, state, input) is reported with its reason and the others go on."""
    if action not in BULK_ACTIONS:
        raise ApplicationError(_("Unknown bulk action."))
    outcomes = []
    for work_order in work_orders:
        try:
            with transaction.atomic():
                if action == "assign":
                    work_order_assign(actor=actor, work_order=work_order, assignee=assignee, team=team, note=reason)
                elif action == "transfer":
                    if service is None:
                        raise ApplicationError(_("Choose a service."))
                    work_order_transfer(actor=actor, work_order=work_order, service=service, reason=reason)
                else:
                    if impact is None or urgency is None:
                        raise ApplicationError(_("Choose the impact and the urgency."))
                    work_order_change_priority(
                        actor=actor, work_order=work_order, impact=impact, urgency=urgency, reason=reason
                    )
        except ApplicationError as exc:
            outcomes.append(BulkOutcome(work_order=work_order, done=False, reason=str(exc.message), code=exc.code))
        else:
            outcomes.append(BulkOutcome(work_order=work_order, done=True))
    return outcomes


EDITABLE_FIELDS = ("title", "description", "location_detail", "asset_tag", "contact_phone", "site")


@transaction.atomic
def work_order_update_details(
    *, actor: User, work_order: WorkOrder, changes: dict[str, Any], expected_version: int | None = None
) -> WorkOrder:
    """Edit descriptive fields only (status, vendor, SLA and timestamps are never editable this way)."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ApplicationError(_("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    locked = _lock(work_order)
    _check_version(locked, expected_version)
    permissions.require(permissions.may_edit_details(actor, locked))
    if "site" in changes and changes["site"] is not None and changes["site"].organisation_id != locked.organisation_id:
        raise ApplicationError(_("Unknown location."))
    if "title" in changes and not str(changes["title"]).strip():
        raise ApplicationError(_("A title is required."))
    before, after = {}, {}
    for field, value in changes.items():
        current = getattr(locked, field)
        if current != value:
            before[field] = getattr(current, "pk", current)
            after[field] = getattr(value, "pk", value)
            setattr(locked, field, value)
    if not after:
        return locked
    now = clock.now()
    touch(locked, now, list(after))
    _append_event(locked, actor=actor, kind=EventKind.FIELDS_CHANGED, at=now, data={"before": before, "after": after})
    audit_record(actor=actor, action="tickets.workorder.updated", obj=locked, before=before, after=after)
    publish(
        WORK_ORDER_DETAILS_CHANGED,
        work_order_id=locked.pk,
        actor_id=getattr(actor, "pk", None),
        fields=",".join(sorted(after)),
    )
    return locked


@transaction.atomic
def comment_create(*, actor: User, work_order: WorkOrder, body: str, is_internal: bool = False) -> Comment:
    """Add a comment (public, or internal for staff only) and record it in the timeline."""
    body = (body or "").strip()
    if not body:
        raise ApplicationError(_("The comment is empty."))
    locked = _lock(work_order)
    permissions.require(permissions.may_comment(actor, locked, internal=is_internal))
    now = clock.now()
    comment = Comment.objects.create(
        work_order=locked, author=actor, body=body, is_internal=is_internal, created_at=now
    )
    _append_event(
        locked,
        actor=actor,
        kind=EventKind.COMMENTED,
        at=now,
        data={"comment": comment.pk, "excerpt": body[:200]},
        is_internal=is_internal,
    )
    touch(locked, now, [])
    audit_record(
        actor=actor,
        action="tickets.comment.created",
        obj=comment,
        organisation=locked.organisation,
        after={"work_order": locked.pk, "internal": is_internal},
    )
    publish(
        WORK_ORDER_COMMENTED,
        work_order_id=locked.pk,
        actor_id=_actor_id(actor),
        comment_id=comment.pk,
        is_internal=is_internal,
    )
    return comment


@transaction.atomic
def attachment_create(
    *, actor: User, work_order: WorkOrder, upload: UploadedFile, is_internal: bool = False
) -> Attachment:
    """Store an uploaded file after checking its size and its real type (from its bytes)."""
    locked = _lock(work_order)
    permissions.require(permissions.may_comment(actor, locked, internal=is_internal))
    now = clock.now()
    attachment = Attachment(work_order=locked, is_internal=is_internal)
    attachment.store(upload, uploaded_by=actor, now=now)
    attachment.save()
    name, content_type = attachment.original_name, attachment.content_type
    _append_event(
        locked,
        actor=actor,
        kind=EventKind.ATTACHMENT_ADDED,
        at=now,
        data={"attachment": attachment.pk, "name": name},
        is_internal=is_internal,
    )
    touch(locked, now, [])
    audit_record(
        actor=actor,
        action="tickets.attachment.created",
        obj=attachment,
        organisation=locked.organisation,
        after={"work_order": locked.pk, "name": name, "type": content_type, "size": upload.size},
    )
    return attachment


def work_orders_auto_close(*, now: dt.datetime | None = None) -> int:
    """Close resolved work orders the requester left unconfirmed for the configured number of days."""
    now = now or clock.now()
    cutoff = now - dt.timedelta(days=settings.OVERSIGHT_AUTO_CLOSE_DAYS)
    closed = 0
    for pk in WorkOrder.objects.filter(status=Status.RESOLVED, resolved_at__lte=cutoff).values_list("pk", flat=True):
        work_order = WorkOrder(pk=pk)
        try:
            work_order_transition(actor=None, work_order=work_order, action=Action.AUTO_CLOSE, at=now)
            closed += 1
        except InvalidTransition:
            continue
    return closed


def vendor_for_user(user: User) -> Vendor | None:
    """The vendor a staff user works for (None for everyone else)."""
    return user.vendor if user.vendor_id else None


@transaction.atomic
def intake_point_create(
    *,
    actor: User | None,
    organisation,
    label: str,
    service: Service,
    offering: Offering | None = None,
    site: Site | None = None,
    asset_tag: str = "",
    is_active: bool = True,
):
    """Create a QR intake point with a fresh unguessable token (the QR code's only secret)."""
    if actor is not None and not actor.is_superuser:
        if actor.role != Role.CLIENT_ADMIN or actor.organisation_id != organisation.pk:
            raise NotAllowed(_("Only the organisation's administrators create QR intake points."))
    label = (label or "").strip()
    if not label:
        raise ApplicationError(_("A label is required."))
    if service.organisation_id != organisation.pk:
        raise ApplicationError(_("Unknown %(what)s.") % {"what": _("service")})
    if site is not None and site.organisation_id != organisation.pk:
        raise ApplicationError(_("Unknown %(what)s.") % {"what": _("location")})
    if offering is not None and offering.service_id != service.pk:
        raise ApplicationError(_("The offering does not belong to the chosen service."))
    intake_point = IntakePoint.objects.create(
        organisation=organisation,
        token=secrets.token_urlsafe(16),
        label=label[:200],
        service=service,
        offering=offering,
        site=site,
        asset_tag=asset_tag,
        is_active=is_active,
    )
    audit_record(
        actor=actor, action="tickets.intakepoint.created", obj=intake_point, after=model_snapshot(intake_point)
    )
    return intake_point
