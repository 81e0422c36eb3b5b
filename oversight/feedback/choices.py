"""Rating channels, complaint sources and statuses with the one table of complaint transitions, draw states."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from oversight.core.transitions import Machine, repeat_unless


class RatingChannel(models.TextChoices):
    """How the requester reached the rating page (which kind of link they used)."""

    LINK = "link", _("Link (e-mail)")
    PORTAL = "portal", _("Link (work-order page)")
    QR = "qr", _("QR code")


class ComplaintSource(models.TextChoices):
    """Where a complaint (投诉) came from."""

    RATING = "rating", _("Low rating")
    HOTLINE = "hotline", _("Supervision hotline")
    MANUAL = "manual", _("Entered by the client")


class ComplaintStatus(models.TextChoices):
    """Complaint status; see COMPLAINT_TRANSITIONS for how one may move between them."""

    OPEN = "open", _("Open")
    INVESTIGATING = "investigating", _("Investigating")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


class ComplaintAction(models.TextChoices):
    """The transitions of a complaint; each is one service in feedback.services."""

    INVESTIGATE = "investigate", _("Start investigating")
    RESOLVE = "resolve", _("Resolve")
    CLOSE = "close", _("Close")
    REOPEN = "reopen", _("Reopen")


OPEN_COMPLAINT_STATUSES = frozenset({ComplaintStatus.OPEN, ComplaintStatus.INVESTIGATING})

# The one table of allowed complaint transitions: action -> (statuses it may start from, status it leads to).
COMPLAINT_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    ComplaintAction.INVESTIGATE: (frozenset({ComplaintStatus.OPEN}), ComplaintStatus.INVESTIGATING),
    ComplaintAction.RESOLVE: (OPEN_COMPLAINT_STATUSES, ComplaintStatus.RESOLVED),
    ComplaintAction.CLOSE: (frozenset({ComplaintStatus.RESOLVED}), ComplaintStatus.CLOSED),
    ComplaintAction.REOPEN: (
        frozenset({ComplaintStatus.RESOLVED, ComplaintStatus.CLOSED}),
        ComplaintStatus.INVESTIGATING,
    ),
}
# Transitions that need a text: the resolution, or the reason for reopening.
COMPLAINT_ACTIONS_NEEDING_TEXT = frozenset({ComplaintAction.RESOLVE, ComplaintAction.REOPEN})

# The complaint's state machine (oversight.core.transitions). Supervisors act for the organisation, so any of
# them repeating a step already done is harmless; "reopen" leads to the status "investigate" leads to, so it
# is never taken for a repeat (reopening a complaint under investigation is refused).
COMPLAINT_MACHINE = Machine(
    name="feedback.complaint",
    table=COMPLAINT_TRANSITIONS,
    refusal=lambda status, action: (
        _("“%(action)s” is not possible while the complaint is “%(status)s”.")
        % {"action": ComplaintAction(action).label, "status": ComplaintStatus(status).label}
    ),
    stale=_("This complaint was changed by someone else in the meantime. Reload it and try again."),
    audit="feedback.complaint.{action}",
    timeline="feedback.ComplaintEvent",
    timeline_kind="status_changed",
    same_request=repeat_unless(ComplaintAction.REOPEN),
)


class ComplaintEventKind(models.TextChoices):
    """Kinds of step in a complaint's timeline."""

    OPENED = "opened", _("Opened")
    STATUS_CHANGED = "status_changed", _("Status changed")
    ASSIGNED = "assigned", _("Assigned")
    COMMENTED = "commented", _("Comment")


class DrawStatus(models.TextChoices):
    """A prize draw is first published (participants frozen, seed source named), then drawn."""

    PUBLISHED = "published", _("Published, waiting for the seed")
    DRAWN = "drawn", _("Drawn")


class DrawAction(models.TextChoices):
    """The transition of a prize draw; one service in feedback.services."""

    DRAW = "draw", _("Draw the winners")


# action -> (statuses it may start from, status it leads to): a published draw is drawn once.
DRAW_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    DrawAction.DRAW: (frozenset({DrawStatus.PUBLISHED}), DrawStatus.DRAWN),
}


def _same_seed(draw, actor, action: str, params) -> bool:
    """Drawing again with the seed already used gives the same winners: the same request."""
    return (params.get("seed") or "").strip() == draw.seed


# The prize draw's state machine (oversight.core.transitions): its result never changes, so drawing again is
# harmless only with the same seed; another seed is refused.
DRAW_MACHINE = Machine(
    name="feedback.prizedraw",
    table=DRAW_TRANSITIONS,
    refusal=lambda status, action: _("This draw has already been drawn; its result cannot change."),
    audit="feedback.prizedraw.{to}",
    same_request=_same_seed,
)


class Quarter(models.IntegerChoices):
    """Calendar quarters."""

    Q1 = 1, _("Q1 (January–March)")
    Q2 = 2, _("Q2 (April–June)")
    Q3 = 3, _("Q3 (July–September)")
    Q4 = 4, _("Q4 (October–December)")


# Readable names of the audit actions this app writes (oversight.audit.actions collects them).
AUDIT_ACTIONS = {
    "feedback.complaint.opened": _("Complaint opened"),
    "feedback.complaint.assigned": _("Complaint assigned"),
    "feedback.complaint.commented": _("Complaint commented"),
    "feedback.complaint.investigate": _("Complaint investigation started"),
    "feedback.complaint.resolve": _("Complaint resolved"),
    "feedback.complaint.reopen": _("Complaint reopened"),
    "feedback.complaint.close": _("Complaint closed"),
    "feedback.prizedraw.drawn": _("Prize draw drawn"),
    "feedback.prizedraw.published": _("Prize draw published"),
    "feedback.ratinginvitation.issued": _("Rating invitation issued"),
    "feedback.ratinginvitation.reissued": _("Rating invitation sent again"),
    "feedback.ratinginvitation.revoked": _("Rating invitation revoked"),
    "feedback.rating.created": _("Rating received"),
}
