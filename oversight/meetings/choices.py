"""Channels, cadences, meeting and action-item statuses with their state machines, attendance, agenda line kinds
and the audit action labels of the meetings app."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from oversight.core.transitions import Machine


class Channel(models.TextChoices):
    """How a stakeholder is kept informed about a topic (a row of the communication plan)."""

    MEETING = "meeting", _("Meeting")
    REPORT = "written_report", _("Written report")
    EMAIL = "by_email", _("E-mail")
    PHONE = "by_phone", _("Telephone")
    MESSAGING = "instant_messaging", _("Instant messaging")


class Frequency(models.TextChoices):
    """How often a plan row's communication happens."""

    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    AS_NEEDED = "as_needed", _("As needed")


class SeriesKind(models.TextChoices):
    """The standing meetings of an outsourcing relationship; each suggests a recurrence rule."""

    WEEKLY_OPERATIONS = "weekly_operations", _("Weekly operations review")
    MONTHLY_SERVICE = "monthly_service", _("Monthly service review")
    QUARTERLY_BUSINESS = "quarterly_business", _("Quarterly business review")
    OTHER = "other", _("Other meeting series")


#: The recurrence rule (RFC 5545 RRULE, read by dateutil) each kind suggests; the series may set its own.
DEFAULT_RULES = {
    SeriesKind.WEEKLY_OPERATIONS: "FREQ=WEEKLY;BYDAY=MO",
    SeriesKind.MONTHLY_SERVICE: "FREQ=MONTHLY;BYMONTHDAY=5",
    SeriesKind.QUARTERLY_BUSINESS: "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15",
    SeriesKind.OTHER: "FREQ=MONTHLY;BYMONTHDAY=1",
}
#: The look-back window of a series without a previous meeting (days): its cadence.
CADENCE_DAYS = {
    SeriesKind.WEEKLY_OPERATIONS: 7,
    SeriesKind.MONTHLY_SERVICE: 31,
    SeriesKind.QUARTERLY_BUSINESS: 92,
    SeriesKind.OTHER: 31,
}
#: The look-back window of a meeting without a series (days).
AD_HOC_WINDOW_DAYS = 30


class MeetingStatus(models.TextChoices):
    """A meeting is planned, held, gets its minutes drafted and signed by both sides; or it is cancelled."""

    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    MINUTES_DRAFTED = "minutes_drafted", _("Minutes drafted")
    SIGNED = "signed", _("Minutes signed")
    CANCELLED = "cancelled", _("Cancelled")


class MeetingAction(models.TextChoices):
    """The transitions of a meeting; each is one service of meetings.services."""

    HOLD = "hold", _("Record as held")
    DRAFT = "draft", _("Submit the minutes for signature")
    SIGN = "sign", _("Sign the minutes")
    CANCEL = "cancel", _("Cancel the meeting")


#: Statuses in which a meeting counts as held.
HELD_STATUSES = frozenset({MeetingStatus.HELD, MeetingStatus.MINUTES_DRAFTED, MeetingStatus.SIGNED})
#: Statuses in which the minutes, decisions, attendance and agenda may still change.
EDITABLE_STATUSES = frozenset({MeetingStatus.PLANNED, MeetingStatus.HELD})

MEETING_MACHINE = Machine(
    name="meetings.meeting",
    table={
        MeetingAction.HOLD: (frozenset({MeetingStatus.PLANNED}), MeetingStatus.HELD),
        MeetingAction.DRAFT: (frozenset({MeetingStatus.HELD}), MeetingStatus.MINUTES_DRAFTED),
        MeetingAction.SIGN: (frozenset({MeetingStatus.MINUTES_DRAFTED}), MeetingStatus.SIGNED),
        MeetingAction.CANCEL: (frozenset({MeetingStatus.PLANNED}), MeetingStatus.CANCELLED),
    },
    refusal=lambda status, action: (
        _("“%(action)s” is not possible while the meeting is “%(status)s”.")
        % {"action": MeetingAction(action).label, "status": MeetingStatus(status).label}
    ),
    stale=_("This meeting was changed by someone else in the meantime. Reload it and try again."),
    audit="meetings.meeting.{action}",
)


class Side(models.TextChoices):
    """Which side of the contract a participant or a signer is on."""

    CLIENT = "client", _("Client side")
    VENDOR = "vendor", _("Vendor side")


class Attendance(models.TextChoices):
    """Whether an invited participant attended."""

    INVITED = "invited", _("Invited")
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


class AgendaKind(models.TextChoices):
    """Where an agenda line comes from: typed by a person, or prefilled from the service's data."""

    MANUAL = "manual", _("Agenda item")
    SLA_BREACH = "sla_breach", _("SLA breach")
    COMPLAINT = "complaint", _("Open complaint")
    LOW_RATING = "low_rating", _("Low rating")
    PROBLEM = "problem", _("Open problem")
    CHANGE = "change", _("Coming change")
    KRI = "kri", _("Key risk indicator in red")
    RISK_REVIEW = "risk_review", _("Overdue risk review")
    EVALUATION = "evaluation", _("Latest evaluation")
    SETTLEMENT = "settlement", _("Latest settlement")
    ACTION_ITEM = "action_item", _("Open action item")


class Audience(models.TextChoices):
    """Who reads an agenda line: both sides, or the client side only (lines about the client's own risk work)."""

    ALL = "both_sides", _("Both sides")
    CLIENT = "client", _("Client side only")


class ActionStatus(models.TextChoices):
    """An action item is open, in progress, then done or cancelled."""

    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ActionAction(models.TextChoices):
    """The transitions of an action item."""

    START = "start", _("Start")
    COMPLETE = "complete", _("Mark done")
    CANCEL = "cancel", _("Cancel")


#: Statuses of an action item that is still to be done (carried forward, reminded, escalated when late).
OPEN_ACTION_STATUSES = frozenset({ActionStatus.OPEN, ActionStatus.IN_PROGRESS})

ACTION_MACHINE = Machine(
    name="meetings.actionitem",
    table={
        ActionAction.START: (frozenset({ActionStatus.OPEN}), ActionStatus.IN_PROGRESS),
        ActionAction.COMPLETE: (OPEN_ACTION_STATUSES, ActionStatus.DONE),
        ActionAction.CANCEL: (OPEN_ACTION_STATUSES, ActionStatus.CANCELLED),
    },
    refusal=lambda status, action: (
        _("“%(action)s” is not possible while the action item is “%(status)s”.")
        % {"action": ActionAction(action).label, "status": ActionStatus(status).label}
    ),
    stale=_("This action item was changed by someone else in the meantime. Reload it and try again."),
    audit="meetings.actionitem.{action}",
    timeline="meetings.ActionItemEvent",
)


class ActionEventKind(models.TextChoices):
    """A step of an action item's history."""

    CREATED = "created", _("Created")
    STATUS_CHANGED = "status_changed", _("Status changed")
    REMINDED = "reminded", _("Reminder sent")
    ESCALATED = "escalated", _("Escalated")
    ESCALATION_STEPPED = "escalation_stepped", _("Escalation stepped up")


#: Reminders before an action item's due date, in working days (a notice to its owner once per item and reminder).
REMINDER_DAYS = (2, 0)

# Readable names of the audit actions this app writes (oversight.audit.actions collects them).
AUDIT_ACTIONS = {
    "meetings.communicationplan.created": _("Communication plan created"),
    "meetings.communicationplan.changed": _("Communication plan changed"),
    "meetings.planrow.created": _("Communication plan row added"),
    "meetings.planrow.deleted": _("Communication plan row removed"),
    "meetings.meetingseries.created": _("Meeting series created"),
    "meetings.meetingseries.generated": _("Meetings of a series scheduled"),
    "meetings.meeting.created": _("Meeting scheduled"),
    "meetings.meeting.changed": _("Meeting details changed"),
    "meetings.meeting.hold": _("Meeting held"),
    "meetings.meeting.draft": _("Minutes submitted for signature"),
    "meetings.meeting.sign": _("Minutes signed by both sides"),
    "meetings.meeting.signed_one_side": _("Minutes signed by one side"),
    "meetings.meeting.cancel": _("Meeting cancelled"),
    "meetings.meeting.minutes_changed": _("Minutes changed"),
    "meetings.meeting.agenda_prefilled": _("Agenda prefilled from the service data"),
    "meetings.meeting.attendance": _("Attendance recorded"),
    "meetings.agendaitem.created": _("Agenda item added"),
    "meetings.decision.created": _("Decision recorded"),
    "meetings.actionitem.created": _("Action item created"),
    "meetings.actionitem.start": _("Action item started"),
    "meetings.actionitem.complete": _("Action item done"),
    "meetings.actionitem.cancel": _("Action item cancelled"),
    "meetings.actionitem.escalated": _("Overdue action item escalated"),
}
