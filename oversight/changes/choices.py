"""Change types and statuses with the one table of change transitions, risk levels and the questionnaire,
review outcomes, timeline kinds and the audit action labels of the app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from oversight.core.errors import InvalidTransition
from oversight.core.transitions import Machine, repeat_unless


class ChangeType(models.TextChoices):
    """Standard (pre-approved, from the catalogue of templates), normal (assessed and authorised), emergency."""

    STANDARD = "standard", _("Standard change")
    NORMAL = "normal", _("Normal change")
    EMERGENCY = "emergency", _("Emergency change")


class ChangeStatus(models.TextChoices):
    """Change status; see CHANGE_TRANSITIONS for how one may move between them."""

    NEW = "new", _("New")
    ASSESSED = "assessed", _("Assessed")
    AUTHORISED = "authorised", _("Authorised")
    SCHEDULED = "scheduled", _("Scheduled")
    IMPLEMENTING = "implementing", _("Implementing")
    REVIEW = "review", _("In review")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


class ChangeAction(models.TextChoices):
    """The transitions of a change; each is one call of `changes.services.change_transition`."""

    ASSESS = "assess", _("Mark as assessed")
    AUTHORISE = "authorise", _("Authorise")
    REJECT = "reject", _("Reject")
    SCHEDULE = "schedule", _("Schedule")
    START = "start", _("Start implementing")
    RECORD_UNAUTHORISED = "record_unauthorised", _("Record as implemented without authorisation")
    COMPLETE = "complete", _("Implementation finished")
    CLOSE = "close", _("Close")
    CANCEL = "cancel", _("Cancel")


#: Statuses in which a change is still to be decided or done (it can be cancelled).
CANCELLABLE_STATUSES = frozenset(
    {ChangeStatus.NEW, ChangeStatus.ASSESSED, ChangeStatus.AUTHORISED, ChangeStatus.SCHEDULED}
)
#: Statuses that end a change.
FINAL_STATUSES = frozenset({ChangeStatus.CLOSED, ChangeStatus.REJECTED, ChangeStatus.CANCELLED})
#: Statuses awaiting the CAB's decision (authorisation).
AWAITING_AUTHORISATION = frozenset({ChangeStatus.NEW, ChangeStatus.ASSESSED})
#: Statuses in which the change holds a window on the calendar.
ON_CALENDAR_STATUSES = frozenset({ChangeStatus.SCHEDULED, ChangeStatus.IMPLEMENTING})

# The one table of allowed change transitions: action -> (statuses it may start from, status it leads to).
# Which path a change takes depends on its type (the guards below): a normal change is assessed, then
# authorised; an emergency change is authorised straight from new; a standard change is scheduled straight
# from new (its template is pre-approved).
CHANGE_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    ChangeAction.ASSESS: (frozenset({ChangeStatus.NEW}), ChangeStatus.ASSESSED),
    ChangeAction.AUTHORISE: (frozenset({ChangeStatus.NEW, ChangeStatus.ASSESSED}), ChangeStatus.AUTHORISED),
    ChangeAction.REJECT: (frozenset({ChangeStatus.NEW, ChangeStatus.ASSESSED}), ChangeStatus.REJECTED),
    ChangeAction.SCHEDULE: (frozenset({ChangeStatus.NEW, ChangeStatus.AUTHORISED}), ChangeStatus.SCHEDULED),
    ChangeAction.START: (frozenset({ChangeStatus.SCHEDULED}), ChangeStatus.IMPLEMENTING),
    ChangeAction.RECORD_UNAUTHORISED: (
        frozenset({ChangeStatus.NEW, ChangeStatus.ASSESSED, ChangeStatus.AUTHORISED}),
        ChangeStatus.IMPLEMENTING,
    ),
    ChangeAction.COMPLETE: (frozenset({ChangeStatus.IMPLEMENTING}), ChangeStatus.REVIEW),
    ChangeAction.CLOSE: (frozenset({ChangeStatus.REVIEW}), ChangeStatus.CLOSED),
    ChangeAction.CANCEL: (CANCELLABLE_STATUSES, ChangeStatus.CANCELLED),
}
# Transitions that need a text from the person asking.
CHANGE_ACTIONS_NEEDING_NOTE = frozenset({ChangeAction.REJECT, ChangeAction.CANCEL, ChangeAction.RECORD_UNAUTHORISED})


def _refuse(message) -> None:
    raise InvalidTransition(message)


def _assess_guard(change, actor) -> None:
    """Only a normal change is assessed (standard ones are pre-approved, emergency ones skip assessment)."""
    if change.type != ChangeType.NORMAL:
        _refuse(_("Only a normal change is assessed; standard and emergency changes skip the assessment."))


def _authorise_guard(change, actor) -> None:
    """A standard change needs no authorisation; a normal one is assessed first."""
    if change.type == ChangeType.STANDARD:
        _refuse(_("A standard change is pre-approved by its template and needs no authorisation."))
    if change.type == ChangeType.NORMAL and change.status != ChangeStatus.ASSESSED:
        _refuse(_("Assess a normal change before it is authorised."))


def _reject_guard(change, actor) -> None:
    if change.type == ChangeType.STANDARD:
        _refuse(_("A standard change is pre-approved by its template; cancel it instead."))


def _schedule_guard(change, actor) -> None:
    """Only a standard change is scheduled straight from new; the others once authorised."""
    if change.status == ChangeStatus.NEW and change.type != ChangeType.STANDARD:
        _refuse(_("Only a standard change is scheduled without authorisation."))


def _unauthorised_guard(change, actor) -> None:
    if change.type == ChangeType.STANDARD:
        _refuse(_("A standard change is pre-approved by its template; start it once scheduled."))


# The change's state machine (oversight.core.transitions). "record as implemented without authorisation" leads
# where "start" leads, so it is never a harmless repeat.
CHANGE_MACHINE = Machine(
    name="changes.change",
    table=CHANGE_TRANSITIONS,
    refusal=lambda status, action: (
        _("“%(action)s” is not possible while the change is “%(status)s”.")
        % {"action": ChangeAction(action).label, "status": ChangeStatus(status).label}
    ),
    stale=_("This change was changed by someone else in the meantime. Reload it and try again."),
    audit="changes.change.{action}",
    timeline="changes.ChangeEvent",
    timeline_kind="status_changed",
    same_request=repeat_unless(ChangeAction.RECORD_UNAUTHORISED),
    guards={
        ChangeAction.ASSESS: (_assess_guard,),
        ChangeAction.AUTHORISE: (_authorise_guard,),
        ChangeAction.REJECT: (_reject_guard,),
        ChangeAction.SCHEDULE: (_schedule_guard,),
        ChangeAction.RECORD_UNAUTHORISED: (_unauthorised_guard,),
    },
)


class RiskLevel(models.IntegerChoices):
    """A change's risk (and each of its two scores): see `changes.risk`."""

    LOW = 1, _("Low")
    MEDIUM = 2, _("Medium")
    HIGH = 3, _("High")
    VERY_HIGH = 4, _("Very high")


#: What each factor of the rule-based score means (`changes.risk.rule_score`).
RISK_FACTOR_LABELS = {
    "type": _("Change type"),
    "outage": _("Expected outage (minutes)"),
    "services": _("Affected services"),
    "cis": _("Affected configuration items"),
    "no_backout": _("No backout plan"),
    "no_test": _("No test plan"),
}

#: The risk questionnaire: code -> (weight, question, the four answers from least to most risky).
RISK_QUESTIONS = {
    "reach": (
        3,
        _("Who notices if the change goes wrong?"),
        (_("Nobody"), _("One department"), _("Several departments"), _("The whole hospital")),
    ),
    "clinical": (
        3,
        _("Does it touch systems used in patient care?"),
        (_("No"), _("Indirectly"), _("A supporting system"), _("A clinical system directly")),
    ),
    "experience": (
        2,
        _("Has this change been made before?"),
        (_("Often, without trouble"), _("Once or twice"), _("Never here"), _("Never anywhere")),
    ),
    "backout": (
        2,
        _("How hard is it to back out?"),
        (_("Instant"), _("Within minutes"), _("Within hours"), _("Not possible")),
    ),
    "complexity": (
        1,
        _("How many teams or vendors take part?"),
        (_("One person"), _("One team"), _("Several teams"), _("Several vendors")),
    ),
}
RISK_WEIGHTS = {code: weight for code, (weight, _question, _answers) in RISK_QUESTIONS.items()}


class ReviewOutcome(models.TextChoices):
    """How the post-implementation review judges the change."""

    SUCCESSFUL = "successful", _("Successful")
    WITH_ISSUES = "with_issues", _("Successful with issues")
    FAILED = "failed", _("Failed")
    BACKED_OUT = "backed_out", _("Backed out")


#: Outcomes that count as a successful change (the change success rate's numerator).
SUCCESSFUL_OUTCOMES = frozenset({ReviewOutcome.SUCCESSFUL, ReviewOutcome.WITH_ISSUES})


class ChangeEventKind(models.TextChoices):
    """Kinds of step in a change's timeline."""

    CREATED = "created", _("Created")
    STATUS_CHANGED = "status_changed", _("Status changed")
    EDITED = "edited", _("Details changed")
    RISK = "risk", _("Risk assessed")
    REVIEWED = "reviewed", _("Review recorded")
    VOTED = "voted", _("Vote recorded")
    APPROVAL = "approval", _("Approval step decided")
    CAB = "cab", _("CAB decision")
    CONFLICT = "conflict", _("Calendar conflict found")
    EXCEPTION = "exception", _("Blackout exception approved")
    INCIDENT_LINKED = "incident_linked", _("Incident caused by the change linked")
    INCIDENT_UNLINKED = "incident_unlinked", _("Incident unlinked")


# Readable names of the audit actions this app writes (oversight.audit.actions collects them); the transitions
# are named `changes.change.<action>` by CHANGE_MACHINE.
AUDIT_ACTIONS = {
    "changes.change.created": _("Change requested"),
    "changes.change.updated": _("Change details changed"),
    "changes.change.risk_assessed": _("Change risk assessed"),
    "changes.change.reviewed": _("Change review recorded"),
    "changes.change.assess": _("Change assessed"),
    "changes.change.authorise": _("Change authorised"),
    "changes.change.reject": _("Change rejected"),
    "changes.change.schedule": _("Change scheduled"),
    "changes.change.start": _("Change implementation started"),
    "changes.change.record_unauthorised": _("Change recorded as implemented without authorisation"),
    "changes.change.complete": _("Change implementation finished"),
    "changes.change.close": _("Change closed"),
    "changes.change.cancel": _("Change cancelled"),
    "changes.changetemplate.created": _("Standard change template created"),
    "changes.changetemplate.updated": _("Standard change template changed"),
}


class ApprovalRule(models.TextChoices):
    """How an approval step decides (`changes.approval`), in plain words."""

    ALL = "all", _("Everyone must approve")
    ANY = "any", _("Any one approval")
    QUORUM = "quorum", _("At least n approvals")
    PERCENT = "percent", _("At least p percent approve")
    MAJORITY = "majority", _("Majority once everyone voted")


class StepStatus(models.TextChoices):
    """An approval step waits for the steps before it, is open while it collects votes, then is decided."""

    WAITING = "waiting", _("Waiting for the previous step")
    OPEN = "open", _("Collecting votes")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class RequestStatus(models.TextChoices):
    """One approver's request: pending until they (or their substitute) vote, or withdrawn when the step closes."""

    PENDING = "pending", _("Awaiting vote")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class CabDecision(models.TextChoices):
    """What the CAB decided about one change on its agenda."""

    AUTHORISE = "authorise", _("Authorise")
    REJECT = "reject", _("Reject")
    DEFER = "defer", _("Defer")


AUDIT_ACTIONS.update(
    {
        "changes.approvalpolicy.set": _("Change approval steps set"),
        "changes.approval.started": _("Change approval started"),
        "changes.approval.voted": _("Vote on a change recorded"),
        "changes.approval.step_decided": _("Change approval step decided"),
        "changes.approval.withdrawn": _("Pending approval requests withdrawn"),
        "changes.approval.substitute_asked": _("Substitute asked to vote after the deadline"),
        "changes.cabmeeting.created": _("CAB meeting planned"),
        "changes.cabmeeting.decided": _("CAB decision recorded"),
    }
)


class WindowKind(models.TextChoices):
    """A blackout window (no changes) or a maintenance window (changes go here)."""

    BLACKOUT = "blackout", _("Blackout window")
    MAINTENANCE = "maintenance", _("Maintenance window")


class ConflictCode(models.TextChoices):
    """Why a change conflicts on the calendar (`changes.conflicts`)."""

    BLACKOUT = "blackout", _("In a blackout window")
    OUTSIDE_WINDOW = "outside_window", _("Outside every maintenance window")
    EXCEEDS_WINDOW = "exceeds_window", _("Runs beyond its maintenance window")
    SAME_CI = "same_ci", _("Same configuration item as another change")
    RELATED_CI = "related_ci", _("Parent or child item of another change's item")
    DOUBLE_BOOKED = "double_booked", _("Implementer booked for another change at the same time")


AUDIT_ACTIONS.update(
    {
        "changes.changewindow.created": _("Change calendar window added"),
        "changes.changewindow.updated": _("Change calendar window changed"),
        "changes.change.exception_approved": _("Blackout exception approved for a change"),
        "changes.change.conflicts_found": _("Calendar conflicts found for a scheduled change"),
    }
)
AUDIT_ACTIONS.update(
    {
        "changes.change.incident_linked": _("Incident linked to the change that caused it"),
        "changes.change.incident_unlinked": _("Incident unlinked from a change"),
    }
)
AUDIT_ACTIONS.update(
    {
        "changes.calendarfeedkey.created": _("Change calendar feed key created"),
        "changes.calendarfeedkey.revoked": _("Change calendar feed key revoked"),
        "changes.calendarfeedkey.meetings_created": _("Meetings calendar feed key created"),
        "changes.calendarfeedkey.meetings_revoked": _("Meetings calendar feed key revoked"),
    }
)


class FeedKind(models.TextChoices):
    """Which calendar feed a key opens: each person has one live key per feed, so re-creating one leaves the
    other's address working."""

    CHANGES = "changes", _("Change calendar")
    MEETINGS = "meetings", _("Meetings calendar")
