"""Choices of the improvement register: size, priority, where an item came from, its state machine (after
ServiceNow Continual Improvement Management), timeline kinds, and the audit action labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from oversight.core.transitions import Machine, repeat_unless


class Size(models.TextChoices):
    """How big the improvement is (the ITIL CSI register's size)."""

    S = "s", _("Small")
    M = "m", _("Medium")
    L = "l", _("Large")
    XL = "xl", _("Very large")


class Priority(models.TextChoices):
    """How urgent the improvement is."""

    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class SourceKind(models.TextChoices):
    """What an improvement was raised from; every kind but survey and manual links one object."""

    BREACH = "breach", _("Breach pattern")
    COMPLAINT = "complaint", _("Complaint")
    LOW_SCORE = "low_score", _("Low-score evaluation period")
    AUDIT = "audit", _("Audit or spot check")
    PROBLEM = "problem", _("Problem")
    MEETING = "meeting", _("Meeting")
    SURVEY = "survey", _("Survey")
    MANUAL = "manual", _("Raised by hand")


#: Kinds without a linked object: a survey and a meeting are named by a reference typed by hand (a meeting is linked
#: by id once the meetings app is in place, see improvement.sources), a manual item by nothing.
UNLINKED_SOURCES = frozenset({SourceKind.SURVEY, SourceKind.MEETING, SourceKind.MANUAL})


class ItemStatus(models.TextChoices):
    """Where an improvement item stands; see ITEM_MACHINE."""

    NEW = "new", _("New")
    ACCEPTED = "accepted", pgettext_lazy("improvement status", "Accepted")
    ASSESSED = "assessed", _("Assessed")
    APPROVED = "approved", _("Approved")
    IMPLEMENTING = "implementing", _("Implementing")
    ON_HOLD = "on_hold", _("On hold")
    REVIEW = "review", pgettext_lazy("improvement status", "Review")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")


class ItemAction(models.TextChoices):
    """The transitions of an improvement item; each is one call of `improvement.services.item_transition`."""

    ACCEPT = "accept", pgettext_lazy("improvement action", "Accept")
    ASSESS = "assess", _("Mark as assessed")
    APPROVE = "approve", _("Approve")
    START = "start", _("Start implementing")
    HOLD = "hold", _("Put on hold")
    RESUME = "resume", _("Resume")
    COMPLETE = "complete", _("Implementation done: review")
    CLOSE = "close", _("Close")
    REJECT = "reject", _("Reject")


OPEN_STATUSES = frozenset(
    {
        ItemStatus.NEW,
        ItemStatus.ACCEPTED,
        ItemStatus.ASSESSED,
        ItemStatus.APPROVED,
        ItemStatus.IMPLEMENTING,
        ItemStatus.ON_HOLD,
        ItemStatus.REVIEW,
    }
)
#: Statuses from which an item may still be rejected (before any work was done).
REJECTABLE = frozenset({ItemStatus.NEW, ItemStatus.ACCEPTED, ItemStatus.ASSESSED})

ITEM_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    ItemAction.ACCEPT: (frozenset({ItemStatus.NEW}), ItemStatus.ACCEPTED),
    ItemAction.ASSESS: (frozenset({ItemStatus.ACCEPTED}), ItemStatus.ASSESSED),
    ItemAction.APPROVE: (frozenset({ItemStatus.ASSESSED}), ItemStatus.APPROVED),
    ItemAction.START: (frozenset({ItemStatus.APPROVED}), ItemStatus.IMPLEMENTING),
    ItemAction.HOLD: (frozenset({ItemStatus.IMPLEMENTING}), ItemStatus.ON_HOLD),
    ItemAction.RESUME: (frozenset({ItemStatus.ON_HOLD}), ItemStatus.IMPLEMENTING),
    ItemAction.COMPLETE: (frozenset({ItemStatus.IMPLEMENTING}), ItemStatus.REVIEW),
    ItemAction.CLOSE: (frozenset({ItemStatus.REVIEW}), ItemStatus.CLOSED),
    ItemAction.REJECT: (REJECTABLE, ItemStatus.REJECTED),
}
#: Actions that need a note (why it is rejected or put on hold).
ACTIONS_NEEDING_NOTE = frozenset({ItemAction.REJECT, ItemAction.HOLD})
#: Actions only the item's approver (or a client supervisor when none is named) may take.
APPROVER_ACTIONS = frozenset({ItemAction.APPROVE, ItemAction.REJECT})
#: Actions the item's owner may take besides the client's operators (doing the work).
OWNER_ACTIONS = frozenset({ItemAction.START, ItemAction.HOLD, ItemAction.RESUME, ItemAction.COMPLETE})

ITEM_MACHINE = Machine(
    name="improvement.improvementitem",
    table=ITEM_TRANSITIONS,
    refusal=lambda status, action: (
        _("“%(action)s” is not possible while the improvement is “%(status)s”.")
        % {"action": ItemAction(action).label, "status": ItemStatus(status).label}
    ),
    stale=_("This improvement was changed by someone else in the meantime. Reload it and try again."),
    audit="improvement.improvementitem.{action}",
    timeline="improvement.ImprovementActivity",
    timeline_kind="status_changed",
    same_request=repeat_unless(ItemAction.RESUME),
)


class ActivityKind(models.TextChoices):
    """Kinds of step in an improvement's timeline."""

    CREATED = "created", _("Raised")
    EDITED = "edited", _("Details changed")
    STATUS_CHANGED = "status_changed", _("Status changed")
    MEASURED = "measured", _("Effect measured")
    BENEFIT = "benefit", _("Benefit recorded")


#: Notification kind (topic: oversight.notifications.choices.topic_of).
NOTIFY_APPROVAL_NEEDED = "improvement_approval_needed"

AUDIT_ACTIONS = {
    "improvement.improvementitem.created": _("Improvement raised"),
    "improvement.improvementitem.updated": _("Improvement details changed"),
    "improvement.improvementitem.accept": _("Improvement accepted"),
    "improvement.improvementitem.assess": _("Improvement marked as assessed"),
    "improvement.improvementitem.approve": _("Improvement approved"),
    "improvement.improvementitem.start": _("Improvement implementation started"),
    "improvement.improvementitem.hold": _("Improvement put on hold"),
    "improvement.improvementitem.resume": _("Improvement resumed"),
    "improvement.improvementitem.complete": _("Improvement moved to review"),
    "improvement.improvementitem.close": _("Improvement closed"),
    "improvement.improvementitem.reject": _("Improvement rejected"),
    "improvement.improvementitem.measured": _("Improvement effect measured"),
    "improvement.improvementitem.benefit": _("Improvement benefit recorded"),
}
