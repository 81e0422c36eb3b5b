"""Work-order kinds, channels, statuses and the one table of allowed transitions."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The status vocabulary is shared with the SLA policies, which name the statuses that pause a clock, so it lives
# in the lower layer (catalog); the work-order code keeps importing it from here.
from oversight.catalog.choices import OPEN_STATUSES, Status
from oversight.core.transitions import Machine, same_actor_did_last


class WorkOrderKind(models.TextChoices):
    """What a work order is; problems and changes get their own flows in later apps."""

    INCIDENT = "incident", _("Incident")
    SERVICE_REQUEST = "service_request", _("Service request")
    PROBLEM = "problem", _("Problem")
    CHANGE = "change", _("Change")


CREATABLE_KINDS = (WorkOrderKind.INCIDENT, WorkOrderKind.SERVICE_REQUEST)


class CreatableKind(models.TextChoices):
    """The work-order types that can be submitted (and that contracts may price per unit)."""

    INCIDENT = WorkOrderKind.INCIDENT.value, WorkOrderKind.INCIDENT.label
    SERVICE_REQUEST = WorkOrderKind.SERVICE_REQUEST.value, WorkOrderKind.SERVICE_REQUEST.label


class Channel(models.TextChoices):
    """How a work order reached us."""

    PORTAL = "portal", _("Portal")
    PHONE = "phone", _("Phone (service desk)")
    API = "api", _("API")
    QR = "qr", _("QR code")
    EMAIL = "email", _("E-mail")


PENDING_STATUSES = frozenset({Status.PENDING_REQUESTER, Status.PENDING_THIRD_PARTY, Status.PENDING_PROBLEM})
FINAL_STATUSES = frozenset({Status.CLOSED, Status.CANCELLED})
WORKING_STATUSES = (Status.ACCEPTED, Status.ON_SITE)


class Action(models.TextChoices):
    """The transitions a user can ask for; each is one service in tickets.services."""

    DISPATCH = "dispatch", _("Dispatch")
    ACCEPT = "accept", _("Accept")
    ARRIVE = "arrive", _("Confirm arrival on site")
    PAUSE_REQUESTER = "pause_requester", _("Wait for requester")
    PAUSE_THIRD_PARTY = "pause_third_party", _("Wait for third party")
    PAUSE_PROBLEM = "pause_problem", _("Wait for the problem")
    RESUME = "resume", _("Resume")
    RESOLVE = "resolve", _("Resolve")
    CONFIRM = "confirm", _("Confirm and close")
    REOPEN = "reopen", _("Reopen")
    CANCEL = "cancel", _("Cancel")
    AUTO_CLOSE = "auto_close", _("Close automatically")


# The one table of allowed transitions: action -> (statuses it may start from, status it leads to).
# RESUME leads back to the working status held before the pause (ACCEPTED or ON_SITE).
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    Action.DISPATCH: (frozenset({Status.NEW, Status.DISPATCHED}), Status.DISPATCHED),
    Action.ACCEPT: (frozenset({Status.NEW, Status.DISPATCHED}), Status.ACCEPTED),
    Action.ARRIVE: (frozenset({Status.ACCEPTED}), Status.ON_SITE),
    Action.PAUSE_REQUESTER: (frozenset({Status.ACCEPTED, Status.ON_SITE}), Status.PENDING_REQUESTER),
    Action.PAUSE_THIRD_PARTY: (frozenset({Status.ACCEPTED, Status.ON_SITE}), Status.PENDING_THIRD_PARTY),
    Action.PAUSE_PROBLEM: (frozenset({Status.ACCEPTED, Status.ON_SITE}), Status.PENDING_PROBLEM),
    Action.RESUME: (PENDING_STATUSES, None),
    Action.RESOLVE: (frozenset({Status.ACCEPTED, Status.ON_SITE, *PENDING_STATUSES}), Status.RESOLVED),
    Action.CONFIRM: (frozenset({Status.RESOLVED}), Status.CLOSED),
    Action.AUTO_CLOSE: (frozenset({Status.RESOLVED}), Status.CLOSED),
    Action.REOPEN: (frozenset({Status.RESOLVED}), Status.ACCEPTED),
    Action.CANCEL: (OPEN_STATUSES, Status.CANCELLED),
}

# The work order's state machine (oversight.core.transitions): accepting makes a work order the agent's own,
# so only the actor's own repeat of their last step is harmless; anyone else is told it is not possible.
WORK_ORDER_MACHINE = Machine(
    name="tickets.workorder",
    table=TRANSITIONS,
    refusal=lambda status, action: (
        _("“%(action)s” is not possible while the work order is “%(status)s”.")
        % {"action": Action(action).label, "status": Status(status).label}
    ),
    stale=_(
        "This work order was changed by someone else (version %(current)s, you had %(seen)s). Reload it and try again."
    ),
    audit="tickets.workorder.{action}",
    timeline="tickets.WorkOrderEvent",
    timeline_kind="status_changed",
    same_request=same_actor_did_last,
)


class EventKind(models.TextChoices):
    """Kinds of timeline event (全过程)."""

    CREATED = "created", _("Received")
    STATUS_CHANGED = "status_changed", _("Status changed")
    ASSIGNED = "assigned", _("Assigned")
    TRANSFERRED = "transferred", _("Transferred to another vendor")
    PRIORITY_CHANGED = "priority_changed", _("Priority changed")
    COMMENTED = "commented", _("Comment")
    ATTACHMENT_ADDED = "attachment_added", _("Attachment added")
    ESCALATED = "escalated", _("Escalated")
    FIELDS_CHANGED = "fields_changed", _("Details changed")


class ClockState(models.TextChoices):
    """State of one SLA clock."""

    RUNNING = "running", _("Running")
    PAUSED = "paused", _("Paused")
    MET = "met", _("Met")
    BREACHED = "breached", _("Breached")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")
    CALENDAR_MISSING = "calendar_missing", _("Calendar data missing")


class SLAState(models.TextChoices):
    """The work order's overall SLA state, for lists and boards (worst of its clocks)."""

    ON_TRACK = "on_track", _("On track")
    WARNING = "warning", _("At risk")
    BREACHED = "breached", _("Breached")
    PAUSED = "paused", _("Paused")
    MET = "met", _("Met")
    UNKNOWN = "unknown", _("Unknown (calendar data missing)")


# Readable names of the audit actions this app writes (oversight.audit.actions collects them); the
# transitions are named `tickets.workorder.<action>` by WORK_ORDER_MACHINE.
AUDIT_ACTIONS = {
    "tickets.workorder.created": _("Work order received"),
    "tickets.workorder.updated": _("Work order details changed"),
    "tickets.workorder.assigned": _("Work order assigned"),
    "tickets.workorder.transferred": _("Work order transferred to another vendor"),
    "tickets.workorder.priority_changed": _("Work order priority changed"),
    "tickets.workorder.dispatch": _("Work order dispatched"),
    "tickets.workorder.accept": _("Work order accepted"),
    "tickets.workorder.arrive": _("Arrival on site confirmed"),
    "tickets.workorder.pause_requester": _("Work order paused: waiting for the requester"),
    "tickets.workorder.pause_third_party": _("Work order paused: waiting for a third party"),
    "tickets.workorder.pause_problem": _("Work order paused: awaiting its problem"),
    "tickets.workorder.resume": _("Work order resumed"),
    "tickets.workorder.resolve": _("Work order resolved"),
    "tickets.workorder.confirm": _("Work order confirmed and closed"),
    "tickets.workorder.auto_close": _("Work order closed automatically"),
    "tickets.workorder.reopen": _("Work order reopened"),
    "tickets.workorder.cancel": _("Work order cancelled"),
    "tickets.comment.created": _("Comment added"),
    "tickets.attachment.created": _("Attachment added"),
    "tickets.intakepoint.created": _("Intake point created"),
    # Written by tickets.sla when an administrator applies a calendar edit to the open work orders.
    "catalog.calendar.applied_to_open_work_orders": _("Business calendar edit applied to open work orders"),
}
