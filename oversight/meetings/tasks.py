"""Periodic jobs of the meetings app. Each takes no instance and is safe to run twice or after a crash: a reminder
is sent once per item and reminder (its notice's dedupe key), an overdue item is escalated once (its
`escalated_at`, set under a row lock)."""

from celery import shared_task

from oversight.meetings.services import action_overdue_escalate, action_reminders_send


@shared_task(name="oversight.meetings.tasks.remind_action_owners")
def remind_action_owners() -> int:
    """Remind owners of open action items before and on their due date; returns the reminders sent."""
    return action_reminders_send()


@shared_task(name="oversight.meetings.tasks.escalate_overdue_actions")
def escalate_overdue_actions() -> int:
    """Escalate open action items past their due moment through the escalation matrix; returns how many."""
    return action_overdue_escalate()
