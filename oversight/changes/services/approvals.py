"""Writes of the approval engine and the CAB: the organisation's approval policies, a change's approval steps
and votes, the substitutes asked after a deadline in business hours, and CAB meetings with their decisions.
The decision of a step is `changes.approval.decide` (pure); this module feeds it and acts on the outcome."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from oversight.audit.services import audit_record
from oversight.businesstime.engine import CalendarDataMissing, add_business_seconds
from oversight.catalog.calendars import calendar_spec
from oversight.changes import approval, permissions, selectors
from oversight.changes.choices import (
    ApprovalRule,
    CabDecision,
    ChangeAction,
    ChangeEventKind,
    ChangeType,
    RequestStatus,
    StepStatus,
)
from oversight.changes.models import (
    ApprovalPolicy,
    ApprovalPolicyMember,
    ApprovalPolicyStep,
    ApprovalRequest,
    ApprovalStep,
    CabAgendaItem,
    CabMeeting,
    Change,
)
from oversight.changes.services._common import apply_transition, event
from oversight.core import clock
from oversight.core.concurrency import lock_row
from oversight.core.errors import ApplicationError, NotAllowed
from oversight.notifications.services import notification_create, notification_queue_email
from oversight.tenancy.roles import CLIENT_ROLES, is_client_operator

RULE_FIELDS = ("position", "name", "rule", "quorum", "percent", "deadline_hours", "calendar_id")
OPEN_STEP_STATUSES = (StepStatus.WAITING, StepStatus.OPEN)


def step_rule(step) -> approval.StepRule:
    """The pure engine's rule of a stored step (policy step or change step)."""
    return approval.StepRule(rule=approval.Rule(step.rule), quorum=step.quorum, percent=step.percent)


def _check_member(organisation, user, what) -> None:
    if user is None or user.organisation_id != organisation.pk or user.role not in CLIENT_ROLES or not user.is_active:
        raise ApplicationError(_("%(who)s must be an active member of your organisation's staff.") % {"who": what})


@transaction.atomic
def approval_policy_set(*, actor, change_type: str, steps: Sequence[Mapping]) -> ApprovalPolicy:
    """Set the organisation's approval steps for normal or emergency changes (an empty list removes them, and
    such changes are then authorised by hand). Each step: name, rule, quorum or percent, deadline_hours,
    calendar, and members as (approver, substitute) pairs."""
    if not is_client_operator(actor, getattr(actor, "organisation_id", None)):
        raise NotAllowed(_("You are not allowed to do this."))
    if change_type not in (ChangeType.NORMAL, ChangeType.EMERGENCY):
        raise ApplicationError(_("Approval steps are set for normal and emergency changes."))
    organisation = actor.organisation
    now = clock.now()
    policy, _created = ApprovalPolicy.objects.select_for_update().get_or_create(
        organisation=organisation, change_type=change_type, defaults={"updated_at": now}
    )
    policy.steps.all().delete()
    described = []
    for position, spec in enumerate(steps, start=1):
        name = (spec.get("name") or "").strip()
        if not name:
            raise ApplicationError(_("Give each approval step a name."))
        if spec.get("rule") not in ApprovalRule.values:
            raise ApplicationError(_("Choose how each approval step decides."))
        members = list(spec.get("members") or ())
        approvers = [a for a, _s in members]
        if len(set(approvers)) != len(approvers):
            raise ApplicationError(_("Name each approver of a step once."))
        for approver_user, substitute in members:
            _check_member(organisation, approver_user, gettext("Each approver"))
            if substitute is not None:
                _check_member(organisation, substitute, gettext("Each substitute"))
                if substitute == approver_user:
                    raise ApplicationError(_("A substitute stands in for someone else."))
        calendar = spec.get("calendar")
        if calendar is not None and calendar.organisation_id != organisation.pk:
            raise ApplicationError(_("Choose a calendar of your own organisation."))
        if spec.get("deadline_hours") and calendar is None:
            raise ApplicationError(_("A deadline in business hours needs a business calendar."))
        step = ApprovalPolicyStep(
            policy=policy,
            position=position,
            name=name,
            rule=spec["rule"],
            quorum=spec.get("quorum"),
            percent=spec.get("percent"),
            deadline_hours=spec.get("deadline_hours") or None,
            calendar=calendar,
        )
        try:
            approval.need(step_rule(step), len(members))
        except approval.RuleError as exc:
            raise ApplicationError(
                _("Step “%(name)s”: the rule cannot be met by its approvers (check n, p and the approvers).")
                % {"name": name}
            ) from exc
        step.save()
        ApprovalPolicyMember.objects.bulk_create(
            ApprovalPolicyMember(step=step, approver=a, substitute=s) for a, s in members
        )
        described.append({"name": name, "rule": step.rule, "approvers": sorted(a.pk for a in approvers)})
    policy.updated_at = now
    policy.save(update_fields=["updated_at"])
    audit_record(actor=actor, action="changes.approvalpolicy.set", obj=policy, after={"steps": described})
    return policy


def _due_at(step: ApprovalStep, opened_at: dt.datetime) -> dt.datetime | None:
    """When the step's substitutes are asked: its deadline counted in business hours on its calendar."""
    if not step.deadline_hours or step.calendar is None:
        return None
    try:
        return add_business_seconds(
            calendar_spec(step.calendar), opened_at.astimezone(dt.UTC), step.deadline_hours * 3600
        )
    except CalendarDataMissing:
        return None


def _notify(user, change: Change, *, key: str, subject) -> None:
    notification, created = notification_create(recipient=user, kind="change_approval", dedupe_key=key, subject=subject)
    if created:
        notification_queue_email(notification=notification)


def _open(step: ApprovalStep, *, now: dt.datetime) -> None:
    step.status, step.opened_at, step.due_at = StepStatus.OPEN, now, _due_at(step, now)
    step.save(update_fields=["status", "opened_at", "due_at"])
    change = step.change
    for request in step.requests.select_related("approver"):
        _notify(
            request.approver,
            change,
            key=f"change-approval:{request.pk}:approver",
            subject=lambda: (
                gettext("Your vote is asked on change %(number)s: %(title)s")
                % {"number": change.number, "title": change.title}
            ),
        )


def approval_start(change: Change, *, actor) -> list[ApprovalStep]:
    """Copy the organisation's approval steps for the change's type onto it and open the first (nothing when the
    organisation has none: the change is then authorised by hand). Runs inside the caller's transaction."""
    policy = ApprovalPolicy.objects.filter(organisation_id=change.organisation_id, change_type=change.type).first()
    if policy is None or change.steps.exists():
        return []
    created = []
    for policy_step in policy.steps.prefetch_related("members").order_by("position"):
        step = ApprovalStep.objects.create(change=change, **{f: getattr(policy_step, f) for f in RULE_FIELDS})
        ApprovalRequest.objects.bulk_create(
            ApprovalRequest(step=step, approver_id=m.approver_id, substitute_id=m.substitute_id)
            for m in policy_step.members.all()
        )
        created.append(step)
    if not created:
        return []
    now = clock.now()
    _open(created[0], now=now)
    audit_record(actor=actor, action="changes.approval.started", obj=change, after={"steps": [s.name for s in created]})
    return created


def _withdraw_pending(step: ApprovalStep, *, actor, now: dt.datetime) -> int:
    pending = list(step.requests.filter(status=RequestStatus.PENDING).values_list("pk", flat=True))
    if pending:
        ApprovalRequest.objects.filter(pk__in=pending).update(status=RequestStatus.WITHDRAWN)
        audit_record(
            actor=actor,
            action="changes.approval.withdrawn",
            obj=step.change,
            after={"step": step.name, "requests": pending},
        )
    return len(pending)


def approval_withdraw(change: Change, *, actor) -> None:
    """Withdraw the change's undecided steps and their pending requests (the change was cancelled, decided at
    the CAB, or implemented without authorisation). Runs inside the caller's transaction."""
    now = clock.now()
    for step in change.steps.filter(status__in=OPEN_STEP_STATUSES):
        _withdraw_pending(step, actor=actor, now=now)
        step.status, step.decided_at = StepStatus.WITHDRAWN, now
        step.save(update_fields=["status", "decided_at"])


def step_counts(step: ApprovalStep) -> dict[str, int]:
    """The step's places by state: approved, rejected, pending (withdrawn places no longer count)."""
    counts = {"approved": 0, "rejected": 0, "pending": 0}
    for status in step.requests.values_list("status", flat=True):
        if status in counts:
            counts[status] += 1
    return counts


def may_vote(user, request: ApprovalRequest) -> bool:
    """The approver, or their substitute once the deadline has passed and they were asked."""
    if user is None or not user.is_authenticated:
        return False
    return request.approver_id == user.pk or (
        request.substitute_id == user.pk and request.substitute_asked_at is not None
    )


@transaction.atomic
def approval_vote(*, actor, request: ApprovalRequest, approve: bool, comment: str = "") -> ApprovalRequest:
    """Record a vote on an open step; when it decides the step, withdraw the step's pending requests and open
    the next step, or authorise or reject the change."""
    change = lock_row(request.step.change)
    request = ApprovalRequest.objects.select_related("step").get(pk=request.pk)
    step = request.step
    if not may_vote(actor, request):
        raise NotAllowed(_("You are not asked to vote on this change."))
    if step.status != StepStatus.OPEN or request.status != RequestStatus.PENDING:
        raise ApplicationError(_("This vote is no longer open."))
    comment = (comment or "").strip()
    if not approve and not comment:
        raise ApplicationError(_("Give a reason for the rejection."))
    now = clock.now()
    request.status = RequestStatus.APPROVED if approve else RequestStatus.REJECTED
    request.voted_by, request.voted_at, request.comment = actor, now, comment
    request.save(update_fields=["status", "voted_by", "voted_at", "comment"])
    on_behalf = actor.pk != request.approver_id
    event(
        change,
        actor=actor,
        kind=ChangeEventKind.VOTED,
        at=now,
        data={"step": step.name, "vote": request.status, "for": request.approver_id if on_behalf else None},
        body=comment,
    )
    audit_record(
        actor=actor,
        action="changes.approval.voted",
        obj=change,
        after={"step": step.name, "vote": request.status, "approver": request.approver_id, "comment": comment},
    )
    counts = step_counts(step)
    outcome = approval.decide(step_rule(step), **counts)
    if outcome != approval.Outcome.PENDING:
        _close_step(change, step, outcome=outcome, actor=actor, now=now, counts=counts)
    return request


def _close_step(change: Change, step: ApprovalStep, *, outcome, actor, now, counts) -> None:
    step.status = StepStatus.APPROVED if outcome == approval.Outcome.APPROVED else StepStatus.REJECTED
    step.decided_at = now
    step.save(update_fields=["status", "decided_at"])
    withdrawn = _withdraw_pending(step, actor=actor, now=now)
    event(
        change,
        actor=actor,
        kind=ChangeEventKind.APPROVAL,
        at=now,
        data={"step": step.name, "outcome": step.status, **counts, "withdrawn": withdrawn},
    )
    audit_record(
        actor=actor,
        action="changes.approval.step_decided",
        obj=change,
        after={"step": step.name, "outcome": step.status, **counts, "withdrawn": withdrawn},
    )
    if step.status == StepStatus.REJECTED:
        for later in change.steps.filter(status=StepStatus.WAITING):
            later.status, later.decided_at = StepStatus.WITHDRAWN, now
            later.save(update_fields=["status", "decided_at"])
        # The note names the step (the organisation's own words); the timeline step says it was a rejection.
        apply_transition(
            change, action=ChangeAction.REJECT, actor=actor, authorize=None, note=step.name, by_engine=True
        )
        return
    following = change.steps.filter(status=StepStatus.WAITING).order_by("position").first()
    if following is not None:
        _open(following, now=now)
    else:
        apply_transition(change, action=ChangeAction.AUTHORISE, actor=actor, authorize=None, by_engine=True)


@transaction.atomic
def approval_ask_substitutes(*, now: dt.datetime | None = None) -> int:
    """Ask the named substitute of every pending request whose step's deadline has passed (once each)."""
    now = now or clock.now()
    due = ApprovalRequest.objects.select_related("step__change", "substitute").filter(
        status=RequestStatus.PENDING,
        step__status=StepStatus.OPEN,
        step__due_at__lte=now,
        substitute__isnull=False,
        substitute_asked_at__isnull=True,
    )
    asked = 0
    for request in due.select_for_update(of=("self",)):
        request.substitute_asked_at = now
        request.save(update_fields=["substitute_asked_at"])
        change = request.step.change
        _notify(
            request.substitute,
            change,
            key=f"change-approval:{request.pk}:substitute",
            subject=lambda change=change: (
                gettext("As a substitute, your vote is asked on change %(number)s: %(title)s")
                % {"number": change.number, "title": change.title}
            ),
        )
        audit_record(
            actor=None,
            action="changes.approval.substitute_asked",
            obj=change,
            organisation=change.organisation,
            after={"step": request.step.name, "approver": request.approver_id, "substitute": request.substitute_id},
        )
        asked += 1
    return asked


@transaction.atomic
def cab_meeting_create(*, actor, title: str, starts_at: dt.datetime, location: str = "") -> CabMeeting:
    """Plan a CAB meeting; its agenda is every change awaiting authorisation, riskiest first."""
    if not is_client_operator(actor, getattr(actor, "organisation_id", None)):
        raise NotAllowed(_("You are not allowed to do this."))
    title = (title or "").strip()
    if not title or starts_at is None:
        raise ApplicationError(_("Give the meeting a title and a start."))
    meeting = CabMeeting.objects.create(
        organisation=actor.organisation,
        title=title,
        starts_at=starts_at,
        location=(location or "").strip(),
        chair=actor,
        created_at=clock.now(),
    )
    agenda = selectors.changes_awaiting_authorisation(user=actor).order_by("-risk_level", "created_at", "id")
    CabAgendaItem.objects.bulk_create(
        CabAgendaItem(meeting=meeting, change=change, position=position)
        for position, change in enumerate(agenda, start=1)
    )
    audit_record(
        actor=actor,
        action="changes.cabmeeting.created",
        obj=meeting,
        after={"title": title, "changes": [item.change_id for item in meeting.items.all()]},
    )
    return meeting


@transaction.atomic
def cab_decide(*, actor, item: CabAgendaItem, decision: str, note: str = "") -> CabAgendaItem:
    """Record the CAB's decision on one change of the agenda: authorise or reject it (the board's decision
    closes its approval steps), or defer it to a later meeting."""
    if decision not in CabDecision.values:
        raise ApplicationError(_("Choose the CAB's decision."))
    item = CabAgendaItem.objects.select_for_update().select_related("meeting", "change").get(pk=item.pk)
    change = item.change
    if not permissions.may_manage(actor, change):
        raise NotAllowed(_("You are not allowed to do this."))
    note = (note or "").strip()
    if decision == CabDecision.REJECT and not note:
        raise ApplicationError(_("Give a reason."))
    if item.decision and item.decision != CabDecision.DEFER:
        raise ApplicationError(_("The CAB has already decided this change."))
    now = clock.now()
    if decision in (CabDecision.AUTHORISE, CabDecision.REJECT):
        locked = lock_row(change)
        approval_withdraw(locked, actor=actor)
        action = ChangeAction.AUTHORISE if decision == CabDecision.AUTHORISE else ChangeAction.REJECT
        prefix = item.meeting.title  # the meeting's own words; the timeline step says what was decided
        apply_transition(
            locked,
            action=action,
            actor=actor,
            authorize=None,
            note=f"{prefix}: {note}" if note else prefix,
            by_engine=True,
            lock=False,
        )
    else:
        event(lock_row(change), actor=actor, kind=ChangeEventKind.CAB, at=now, data={"decision": decision}, body=note)
    item.decision, item.note, item.decided_at = decision, note, now
    item.save(update_fields=["decision", "note", "decided_at"])
    audit_record(
        actor=actor,
        action="changes.cabmeeting.decided",
        obj=item.meeting,
        after={"change": change.number, "decision": decision, "note": note},
    )
    return item
