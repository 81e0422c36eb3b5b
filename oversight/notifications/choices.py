"""Choices of the notifications app: the topics a person chooses to receive by e-mail."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Topic(models.TextChoices):
    """What a notification is about, as a person chooses what to receive by e-mail (every notice stays in-app)."""

    WORK_ORDER = "work_order", _("Work-order updates: new, assigned, transferred, resolved, commented")
    SLA_WARNING = "sla_warning", _("SLA at risk")
    SLA_BREACH = "sla_breach", _("SLA breached")
    COMPLAINT = "complaint", _("Complaints")
    CONTRACT = "contract", _("Contract renewals")
    EVALUATION = "evaluation", _("Evaluations and rating invitations")
    RISK = "risk", _("Risks: overdue reviews and mitigations, risk events, contingency plans")
    MEETING = "meeting", _("Meetings: action-item reminders and overdue actions")
    ESCALATION = "escalation", _("Escalations under the escalation matrix")
    IMPROVEMENT = "improvement", _("Improvements: awaiting your approval, approved or rejected")


def topic_of(kind: str) -> str:
    """The topic of a notification kind (`sla_breach`, `complaint_opened`, `commented`, ...)."""
    if kind in (Topic.SLA_WARNING, Topic.SLA_BREACH):
        return kind
    for prefix, topic in (
        ("complaint", Topic.COMPLAINT),
        ("contract", Topic.CONTRACT),
        ("evaluation", Topic.EVALUATION),
        ("rating", Topic.EVALUATION),
        ("risk", Topic.RISK),
        ("meeting", Topic.MEETING),
        ("escalation", Topic.ESCALATION),
        ("improvement", Topic.IMPROVEMENT),
    ):
        if kind.startswith(prefix):
            return topic
    return Topic.WORK_ORDER


# The audit labels of the notification channels (declared with their choices in channels/choices.py).
from oversight.notifications.channels.choices import CHANNEL_AUDIT_ACTIONS  # noqa: E402

AUDIT_ACTIONS = dict(CHANNEL_AUDIT_ACTIONS)
